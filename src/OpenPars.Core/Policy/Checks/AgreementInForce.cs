using OpenPars.Core.Agreements;

namespace OpenPars.Core.Policy.Checks;

/// <summary>PARS-AGR-004. Rule: a withdrawal quorum ends the agreement, and a privacy officer's suspension stops
/// it pending review (issue, Lifecycle). Anything but active is refused here.</summary>
public sealed class AgreementInForce : IPolicyCheck
{
    public string Rule => "agreement-in-force";

    public PolicyDecision.Refused? Check(PolicyContext context) =>
        context.Standing.Status == AgreementStatus.Active
            ? null
            : PolicyDecision.Refuse(AgreementErrorCodes.TerminatedOrSuspended, Rule, "The agreement is terminated or suspended.");
}
