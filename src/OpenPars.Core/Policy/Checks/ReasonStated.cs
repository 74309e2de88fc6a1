using OpenPars.Core.Agreements;

namespace OpenPars.Core.Policy.Checks;

/// <summary>PARS-AGR-011. Rule: when the agreement says reasonRequired, the Reason header states why, in at least
/// <see cref="PolicyOptions.MinReasonLength"/> characters, so the audit log can be read by a person.</summary>
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
        return reason.Length < Math.Max(1, context.Options.MinReasonLength)
            ? PolicyDecision.Refuse(AgreementErrorCodes.ReasonMissing, Rule,
                $"The Reason header is missing or shorter than {context.Options.MinReasonLength} characters.")
            : null;
    }
}
