using System.Globalization;
using System.Security.Claims;
using OpenPars.Core.Agencies;
using OpenPars.Core.Arrests;
using OpenPars.Storage.Agencies;

namespace OpenPars.Web.Security;

public static class OpenParsClaims
{
    public const string UserId = "openpars:user-id";
    public const string AgencyId = "openpars:agency-id";
    public const string AgencyCode = "openpars:agency";
    public const string AgencyKind = "openpars:agency-kind";
    public const string TokenId = "openpars:token-id";

    public static ClaimsPrincipal ToPrincipal(Caller caller, string scheme)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, caller.UserName),
            new(UserId, caller.UserId.ToString(CultureInfo.InvariantCulture)),
            new(AgencyId, caller.AgencyId.ToString(CultureInfo.InvariantCulture)),
            new(AgencyCode, caller.AgencyCode),
            new(AgencyKind, AgencyKinds.ToCode(caller.AgencyKind)),
            new(TokenId, caller.TokenId.ToString(CultureInfo.InvariantCulture)),
        };
        claims.AddRange(caller.Roles.Select(r => new Claim(ClaimTypes.Role, r)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme, ClaimTypes.Name, ClaimTypes.Role));
    }

    public static Actor ToActor(this ClaimsPrincipal user) => new(
        long.Parse(user.FindFirstValue(UserId)!, CultureInfo.InvariantCulture),
        user.Identity?.Name ?? "",
        user.FindFirstValue(AgencyCode) ?? "");
}
