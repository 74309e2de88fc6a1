using OpenPars.Core.Arrests.Reference;
using OpenPars.Core.Common;

namespace OpenPars.Core.Arrests;

public static class ChargeRules
{
    public const int MaxCharges = 50;
    public const int MaxCounts = 999;

    /// <summary>Validates charges against the statute file and fills description and grade from it when absent.</summary>
    public static List<Charge> ValidateAndNormalize(IReadOnlyList<Charge>? charges, string path, StatuteCatalog statutes, ValidationErrors errors)
    {
        if (charges is null || charges.Count == 0)
        {
            errors.Add(path, "at-least-one-charge", "At least one charge is required.");
            return [];
        }

        if (charges.Count > MaxCharges)
        {
            errors.Add(path, "max-items", $"At most {MaxCharges} charges.");
            return [];
        }

        var normalized = new List<Charge>(charges.Count);
        for (var i = 0; i < charges.Count; i++)
        {
            var charge = charges[i];
            var field = $"{path}[{i}]";
            if (charge is null)
            {
                errors.Add(field, "required", $"{field} must be a charge.");
                continue;
            }

            errors.Require(charge.Counts is >= 1 and <= MaxCounts, $"{field}.counts", "counts-range", $"{field}.counts must be between 1 and {MaxCounts}.");
            errors.OptionalText(charge.Description, $"{field}.description", 500);
            if (string.IsNullOrWhiteSpace(charge.Citation))
            {
                errors.Add($"{field}.citation", "required", $"{field}.citation is required.");
                continue;
            }

            if (!statutes.TryFind(charge.Citation, out var statute))
            {
                errors.Add($"{field}.citation", "unknown-statute", $"{field}.citation is not in the {statutes.Jurisdiction} statutes file.");
                continue;
            }

            normalized.Add(charge with
            {
                Citation = statute.Citation,
                Description = string.IsNullOrWhiteSpace(charge.Description) ? statute.Title : charge.Description,
                Grade = charge.Grade ?? statute.DefaultGrade,
            });
        }

        return normalized;
    }
}
