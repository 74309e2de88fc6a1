using OpenPars.Core.Charter;

namespace OpenPars.Core.Policy.Checks;

/// <summary>PARS-CHR-0xx. Rule: the version in force still fits the charter in force (issue 9, "The charter": "the
/// decision pipeline checks the charter too, so a charter change stops an agreement that no longer fits"). The
/// refusal carries the code of the charter rule the version breaks (<see cref="CharterFit"/>; the document's own
/// quorum is ignored, as by the status). No charter supplied: refused, never assumed.</summary>
public sealed class AgreementFitsCharter : IPolicyCheck
{
    public string Rule => "agreement-fits-charter";

    public PolicyDecision.Refused? Check(PolicyContext context)
    {
        if (context.Charter is not { } charter)
        {
            return PolicyDecision.Refuse(CharterErrorCodes.NoCharter, Rule, "No charter is in force; no agreement can be enforced.");
        }

        var errors = CharterFit.Check(charter, context.Agreement, context.Caller.PartnerKind, governance: false);
        return CharterFit.CodeOf(errors) is { } code
            ? PolicyDecision.Refuse(code, Rule, $"The agreement in force no longer fits the charter in force: {CharterErrorCodes.TitleOf(code)}")
            : null;
    }
}
