using OpenPars.Core.Agencies;

namespace OpenPars.Core.Agreements;

/// <summary>Who drafted, proposed, voted or suspended: the user and their agency, with the agency's kind,
/// because only the three stakeholder kinds may govern an agreement.</summary>
public sealed record AgreementActor(long UserId, string UserName, string AgencyCode, AgencyKind AgencyKind)
{
    /// <summary>The oversight evaluator, when an alert suspends an agreement that opted in (<c>autoSuspendOn</c>). It is
    /// no agency's user and governs nothing: user 0, agency code <c>OVERSIGHT</c>, of the partner kind that never votes.</summary>
    public static AgreementActor Oversight { get; } = new(0, "openpars.oversight", "OVERSIGHT", AgencyKind.Partner);
}
