using OpenPars.Core.Agreements;

namespace OpenPars.Core.Policy.Checks;

/// <summary>PARS-AGR-013. Rule: a stated reason may not contain a term the agreement blocks (issue: "optional
/// blocked reason terms"). Both are compared folded (<see cref="NameFolding"/>: NFKD, look-alike letters, case,
/// punctuation and spacing), so <c>s-w-e-e-p</c>, <c>swееp</c> (Cyrillic е) and <c>foreign  born</c> are caught.
/// Folding away the spaces can also join two words into a blocked term ("victims weep"): that refuses a request
/// that could be rephrased, never lets one through. The message names neither the term nor the reason.</summary>
public sealed class ReasonTermsAllowed : IPolicyCheck
{
    public string Rule => "reason-terms-allowed";

    public PolicyDecision.Refused? Check(PolicyContext context)
    {
        var reason = context.Request.Reason ?? "";
        var blocked = context.Agreement.BlockedReasonTerms
            .Any(term => !string.IsNullOrWhiteSpace(term) && NameFolding.ContainsFolded(reason, term));
        return blocked
            ? PolicyDecision.Refuse(AgreementErrorCodes.ReasonBlockedTerm, Rule, "The stated reason contains a term this agreement does not accept.")
            : null;
    }
}
