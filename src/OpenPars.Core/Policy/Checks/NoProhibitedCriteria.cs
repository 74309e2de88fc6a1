using OpenPars.Core.Agreements;

namespace OpenPars.Core.Policy.Checks;

/// <summary>PARS-AGR-020. Rule: place/country of birth, race, ethnicity, language and religion are never partner
/// criteria, whatever the agreement lists (issue, "Never grantable"). Runs before the allowed-criteria check so
/// a document that lists one still cannot let it through, and it is always answered with -020.</summary>
public sealed class NoProhibitedCriteria : IPolicyCheck
{
    public string Rule => "no-prohibited-criteria";

    public PolicyDecision.Refused? Check(PolicyContext context)
    {
        var prohibited = context.Options.Prohibited;
        var hit = context.Request.Criteria.Keys.FirstOrDefault(prohibited.IsProhibited);

        // The canonical name is printed, never the request's spelling or its value.
        return hit is null
            ? null
            : PolicyDecision.Refuse(AgreementErrorCodes.ProhibitedCriterion, Rule,
                $"Searching by {prohibited.CanonicalName(hit)} is prohibited for partners.");
    }
}
