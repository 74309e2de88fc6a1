using OpenPars.Core.Agencies;

namespace OpenPars.Testing;

/// <summary>Callers for tests of pure rules: the same <see cref="Caller"/> the adapters build, with the members a
/// decision reads set and the rest plain (no token, channel <c>http</c>).</summary>
public static class PolicyCallers
{
    /// <summary>A partner analyst of <paramref name="agencyCode"/>, its agency's declared partner kind
    /// <paramref name="partnerKind"/> (null: none declared).</summary>
    public static Caller PartnerAnalyst(long userId, string userName, string agencyCode, string? partnerKind = null) =>
        new(userId, userName, userId, agencyCode, AgencyKind.Partner, [Roles.PartnerAnalyst], null, Channels.Http) { PartnerKind = partnerKind };
}
