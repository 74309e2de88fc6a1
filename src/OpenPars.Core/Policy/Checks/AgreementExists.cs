using OpenPars.Core.Agencies;
using OpenPars.Core.Agreements;

namespace OpenPars.Core.Policy.Checks;

/// <summary>PARS-AGR-001. Rule: a partner sees nothing unless an agreement names its agency and has at least
/// been approved by the consent quorum (issue, Lifecycle). A stakeholder calling the partner API has none.</summary>
public sealed class AgreementExists : IPolicyCheck
{
    public string Rule => "agreement-exists";

    public PolicyDecision.Refused? Check(PolicyContext context)
    {
        var standing = context.Standing;
        var covers = context.Caller.AgencyKind == AgencyKind.Partner
            && standing.Document is { } document
            && string.Equals(document.PartnerAgency, context.Caller.AgencyCode, StringComparison.Ordinal)
            && standing.Status != AgreementStatus.Draft
            && !(standing.Status == AgreementStatus.Proposed && !standing.ConsentQuorumReached);
        return covers ? null : PolicyDecision.Refuse(AgreementErrorCodes.NoActiveAgreement, Rule, "No active data-sharing agreement covers your agency.");
    }
}
