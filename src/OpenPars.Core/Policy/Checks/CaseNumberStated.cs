using OpenPars.Core.Agreements;

namespace OpenPars.Core.Policy.Checks;

/// <summary>PARS-AGR-012. Rule: when the agreement says caseNumberRequired, the Case-Number header ties the request
/// to an investigation the partner can be asked about.</summary>
public sealed class CaseNumberStated : IPolicyCheck
{
    public string Rule => "case-number-stated";

    public PolicyDecision.Refused? Check(PolicyContext context) =>
        context.Agreement.CaseNumberRequired && string.IsNullOrWhiteSpace(context.Request.CaseNumber)
            ? PolicyDecision.Refuse(AgreementErrorCodes.CaseNumberMissing, Rule, "The Case-Number header is required by this agreement.")
            : null;
}
