using OpenPars.Core.Agreements;

namespace OpenPars.Core.Policy.Checks;

/// <summary>PARS-AGR-011. Rule: when the agreement says reasonRequired, the Reason header states why, in at least
/// <see cref="PolicyOptions.MinReasonLength"/> characters or the charter's <c>safeguards.minReasonLength</c>,
/// whichever is longer, so the audit log can be read by a person.</summary>
public sealed class ReasonStated : IPolicyCheck
{
    public string Rule => "reason-stated";

    public PolicyDecision.Refused? Check(PolicyContext context)
    {
        if (!context.Agreement.ReasonRequired)
        {
            return null;
        }

        var reason = context.Request.Reason?.Trim() ?? "";
        var minimum = Math.Max(Math.Max(1, context.Options.MinReasonLength), context.Charter?.Safeguards.MinReasonLength ?? 0);
        return reason.Length < minimum
            ? PolicyDecision.Refuse(AgreementErrorCodes.ReasonMissing, Rule, $"The Reason header is missing or shorter than {minimum} characters.")
            : null;
    }
}
