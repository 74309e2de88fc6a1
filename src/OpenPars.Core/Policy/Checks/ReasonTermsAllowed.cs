using OpenPars.Core.Agreements;

namespace OpenPars.Core.Policy.Checks;

/// <summary>PARS-AGR-013. Rule: a stated reason may not contain a term the agreement blocks (issue: "optional
/// blocked reason terms"), compared without case. The message names neither the term nor the reason.</summary>
public sealed class ReasonTermsAllowed : IPolicyCheck
{
    public string Rule => "reason-terms-allowed";

    public PolicyDecision.Refused? Check(PolicyContext context)
    {
        var reason = context.Request.Reason ?? "";
        var blocked = context.Agreement.BlockedReasonTerms
            .Any(term => !string.IsNullOrWhiteSpace(term) && reason.Contains(term.Trim(), StringComparison.OrdinalIgnoreCase));
        return blocked
            ? PolicyDecision.Refuse(AgreementErrorCodes.ReasonBlockedTerm, Rule, "The stated reason contains a term this agreement does not accept.")
            : null;
    }
}
