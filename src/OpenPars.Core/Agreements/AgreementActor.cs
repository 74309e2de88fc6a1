using OpenPars.Core.Agencies;

namespace OpenPars.Core.Agreements;

/// <summary>Who drafted, proposed, voted or suspended: the user and their agency, with the agency's kind,
/// because only the three stakeholder kinds may govern an agreement.</summary>
public sealed record AgreementActor(long UserId, string UserName, string AgencyCode, AgencyKind AgencyKind);
