using OpenPars.Core.Agencies;

namespace OpenPars.Core.Policy;

/// <summary>The authenticated partner user, as the HTTP layer resolved the token: user id (for the per-user
/// quota and the audit), their agency code and kind.</summary>
public sealed record PartnerCaller(long UserId, string UserName, string AgencyCode, AgencyKind AgencyKind);
