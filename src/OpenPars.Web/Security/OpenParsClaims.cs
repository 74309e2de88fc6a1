using System.Globalization;
using System.Security.Claims;
using OpenPars.Core.Agencies;

namespace OpenPars.Web.Security;

/// <summary>The caller as claims, for ASP.NET Core's authorization policies, and back: the one place a request's
/// <see cref="Caller"/> is built on the web side.</summary>
public static class OpenParsClaims
{
    public const string UserId = "openpars:user-id";
    public const string AgencyId = "openpars:agency-id";
    public const string AgencyCode = "openpars:agency";
    public const string AgencyKind = "openpars:agency-kind";
    public const string TokenId = "openpars:token-id";
    public const string PartnerKind = "openpars:partner-kind";

    public static ClaimsPrincipal ToPrincipal(Caller caller, string scheme)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, caller.UserName),
            new(UserId, caller.UserId.ToString(CultureInfo.InvariantCulture)),
            new(AgencyId, caller.AgencyId.ToString(CultureInfo.InvariantCulture)),
            new(AgencyCode, caller.AgencyCode),
            new(AgencyKind, AgencyKinds.ToCode(caller.AgencyKind)),
        };
        if (caller.TokenId is { } tokenId)
        {
            claims.Add(new(TokenId, tokenId.ToString(CultureInfo.InvariantCulture)));
        }

        if (caller.PartnerKind is { } partnerKind)
        {
            claims.Add(new(PartnerKind, partnerKind));
        }

        claims.AddRange(caller.Roles.Select(r => new Claim(ClaimTypes.Role, r)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme, ClaimTypes.Name, ClaimTypes.Role));
    }

    /// <summary>The authenticated caller of this request, or null when anonymous.</summary>
    public static Caller? ToCallerOrNull(this ClaimsPrincipal user, string channel = Channels.Http)
    {
        if (user.Identity?.IsAuthenticated != true || user.FindFirstValue(UserId) is not { } userId
            || !AgencyKinds.TryParse(user.FindFirstValue(AgencyKind), out var kind))
        {
            return null;
        }

        return new Caller(
            long.Parse(userId, CultureInfo.InvariantCulture),
            user.Identity.Name ?? "",
            long.TryParse(user.FindFirstValue(AgencyId), CultureInfo.InvariantCulture, out var agencyId) ? agencyId : 0,
            user.FindFirstValue(AgencyCode) ?? "",
            kind,
            user.FindAll(ClaimTypes.Role).Select(c => c.Value).ToList(),
            long.TryParse(user.FindFirstValue(TokenId), CultureInfo.InvariantCulture, out var token) ? token : null,
            channel)
        { PartnerKind = user.FindFirstValue(PartnerKind) };
    }

    /// <summary>The authenticated caller; endpoints that reach a use case have passed authentication.</summary>
    public static Caller ToCaller(this ClaimsPrincipal user, string channel = Channels.Http) =>
        user.ToCallerOrNull(channel) ?? throw new Core.Common.DomainException(Core.Common.ErrorCodes.Unauthenticated, "Authentication required.");
}
