using OpenPars.Core.Agreements;

namespace OpenPars.Core.Policy.Checks;

/// <summary>PARS-AGR-002. Rule: an approved agreement grants nothing before its effectiveAt (issue, Lifecycle:
/// active = quorum recorded and effectiveAt reached).</summary>
public sealed class AgreementEffective : IPolicyCheck
{
    public string Rule => "agreement-effective";

    public PolicyDecision.Refused? Check(PolicyContext context) =>
        context.Standing.Status == AgreementStatus.Proposed
            ? PolicyDecision.Refuse(AgreementErrorCodes.NotYetEffective, Rule, "The agreement is not yet in effect.")
            : null;
}
