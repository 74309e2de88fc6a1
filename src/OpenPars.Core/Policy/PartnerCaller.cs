using OpenPars.Core.Agencies;

namespace OpenPars.Core.Policy;

/// <summary>The authenticated partner user, as the HTTP layer resolved the token: user id (for the per-user
/// quota and the audit), their agency code and kind, and the agency's declared kind of partner (e.g.
/// <c>immigration-enforcement</c>; null when none is declared, which holds it to every partner rule of the charter).</summary>
public sealed record PartnerCaller(long UserId, string UserName, string AgencyCode, AgencyKind AgencyKind, string? PartnerKind = null);
