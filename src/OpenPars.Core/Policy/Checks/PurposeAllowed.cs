using OpenPars.Core.Agreements;

namespace OpenPars.Core.Policy.Checks;

/// <summary>PARS-AGR-010. Rule: every request states a purpose (the Purpose header) the agreement allows.</summary>
public sealed class PurposeAllowed : IPolicyCheck
{
    public string Rule => "purpose-allowed";

    public PolicyDecision.Refused? Check(PolicyContext context) =>
        Match(context.Agreement, context.Request.Purpose) is null
            ? PolicyDecision.Refuse(AgreementErrorCodes.PurposeNotAllowed, Rule,
                "The Purpose header is missing or names a purpose this agreement does not allow.")
            : null;

    /// <summary>The agreement's spelling of the stated purpose, or null.</summary>
    public static string? Match(AgreementDocument agreement, string? purpose) =>
        string.IsNullOrWhiteSpace(purpose)
            ? null
            : agreement.Purposes.FirstOrDefault(p => string.Equals(p, purpose.Trim(), StringComparison.OrdinalIgnoreCase));
}
