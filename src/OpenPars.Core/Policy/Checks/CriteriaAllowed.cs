using OpenPars.Core.Agreements;

namespace OpenPars.Core.Policy.Checks;

/// <summary>PARS-AGR-021. Rule: a partner searches only by criteria its agreement lists (issue: "allowed search
/// criteria"). An unknown name is refused too, rather than silently ignored (which would widen the search).</summary>
public sealed class CriteriaAllowed : IPolicyCheck
{
    public string Rule => "criteria-allowed";

    public PolicyDecision.Refused? Check(PolicyContext context)
    {
        var allowed = context.Agreement.AllowedCriteria;
        foreach (var name in context.Request.Criteria.Keys)
        {
            if (!SearchCriteria.TryCanonical(name, out var canonical))
            {
                return PolicyDecision.Refuse(AgreementErrorCodes.CriterionNotAllowed, Rule, "The request uses a criterion that does not exist.");
            }

            if (!allowed.Contains(canonical, StringComparer.OrdinalIgnoreCase))
            {
                return PolicyDecision.Refuse(AgreementErrorCodes.CriterionNotAllowed, Rule, $"This agreement does not allow searching by {canonical}.");
            }
        }

        return null;
    }
}
