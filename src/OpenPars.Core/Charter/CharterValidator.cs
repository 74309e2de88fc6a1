using System.Text.RegularExpressions;
using OpenPars.Core.Agencies;
using OpenPars.Core.Agreements;
using OpenPars.Core.Common;

namespace OpenPars.Core.Charter;

/// <summary>
/// What a charter may say. Every broken rule at once, by JSON path and rule name. A charter can only describe the
/// three-stakeholder governance the rest of OpenPARS enforces: exactly one police, one district-attorney and one
/// courts agency, quorums between 1 and the number of stakeholders, a bounded term, and rules that name real
/// catalogue fields and defined partner kinds.
/// </summary>
public static partial class CharterValidator
{
    public const int MaxLongestTermMonths = 60;
    public const int MaxMinReasonLength = 500;

    private static readonly AgencyKind[] GoverningKinds = [AgencyKind.Police, AgencyKind.DistrictAttorney, AgencyKind.Courts];

    public static ValidationErrors Validate(CharterDocument charter)
    {
        var errors = new ValidationErrors();
        Validate(charter, errors);
        return errors;
    }

    /// <summary>Throws <see cref="CharterErrorCodes.InvalidCharter"/> with the broken rules, if any.</summary>
    public static void EnsureValid(CharterDocument charter)
    {
        var errors = Validate(charter);
        if (!errors.IsEmpty)
        {
            throw new DomainException(CharterErrorCodes.InvalidCharter, "The charter document has invalid fields.", errors);
        }
    }

    internal static void Validate(CharterDocument charter, ValidationErrors errors)
    {
        errors.Require(IsKebab(charter.CharterId ?? ""), "charterId", "id-format", "charterId must be a kebab-case name such as philadelphia.");
        errors.Require(charter.Version >= 1, "version", "min-value", "version must be 1 or more.");
        errors.RequireText(charter.Jurisdiction, "jurisdiction", 100);
        errors.RequireText(charter.Title, "title", 200);
        ValidateStakeholders(charter.Stakeholders ?? [], errors);
        ValidateQuorum(charter.Quorum, charter.Stakeholders?.Count ?? 0, errors);
        errors.Require(charter.LongestTerm?.Months is >= 1 and <= MaxLongestTermMonths, "longestTerm.months", "range",
            $"longestTerm.months must be between 1 and {MaxLongestTermMonths}.");
        errors.OptionalText(charter.LongestTerm?.Note, "longestTerm.note", 500);
        ValidateSafeguards(charter.Safeguards, errors);
        var kinds = ValidatePartnerKinds(charter.PartnerKinds ?? [], errors);
        ValidatePartnerRules(charter.PartnerRules ?? [], kinds, errors);
    }

    internal static bool IsKebab(string name) => KebabPattern().IsMatch(name);

    private static void ValidateStakeholders(List<CharterStakeholder> stakeholders, ValidationErrors errors)
    {
        for (var i = 0; i < stakeholders.Count; i++)
        {
            var path = $"stakeholders[{i}]";
            if (stakeholders[i] is not { } s)
            {
                errors.Add(path, "required", $"{path} must be a stakeholder.");
                continue;
            }

            errors.Require(AgencyCodePattern().IsMatch(s.Agency ?? ""), $"{path}.agency", "agency-code-format", "agency must be 1 to 16 capital letters or digits.");
            errors.Require(GoverningKinds.Contains(s.Kind), $"{path}.kind", "stakeholder-kind", "A stakeholder is a police, district-attorney or courts agency; a partner never governs.");
            errors.RequireText(s.Name, $"{path}.name", 200);
        }

        // Votes are counted per agency kind: one agency of each governing kind, no more, no fewer.
        errors.Require(GoverningKinds.All(kind => stakeholders.Count(s => s?.Kind == kind) == 1) && stakeholders.Count == GoverningKinds.Length,
            "stakeholders", "one-per-kind", "stakeholders must list exactly one police, one district-attorney and one courts agency.");

        errors.Require(stakeholders.Where(s => s is not null).Select(s => s.Agency).Distinct(StringComparer.Ordinal).Count() == stakeholders.Count(s => s is not null),
            "stakeholders", "unique", "stakeholder agencies must not repeat.");
    }

    private static void ValidateQuorum(CharterQuorum? quorum, int stakeholders, ValidationErrors errors)
    {
        if (quorum is null)
        {
            errors.Add("quorum", "required", "quorum is required.");
            return;
        }

        var most = Math.Max(1, stakeholders);
        void InRange(int value, string name) =>
            errors.Require(value >= 1 && value <= most, $"quorum.{name}", "range", $"quorum.{name} must be between 1 and the number of stakeholders ({most}).");

        InRange(quorum.ConsentsToEnter, "consentsToEnter");
        InRange(quorum.ConsentsToRenew, "consentsToRenew");
        InRange(quorum.ConsentsToResume, "consentsToResume");
        InRange(quorum.WithdrawalsToEnd, "withdrawalsToEnd");
    }

    private static void ValidateSafeguards(CharterSafeguards? safeguards, ValidationErrors errors)
    {
        if (safeguards is null)
        {
            errors.Add("safeguards", "required", "safeguards is required.");
            return;
        }

        errors.Require(safeguards.MinReasonLength is >= 1 and <= MaxMinReasonLength, "safeguards.minReasonLength", "range",
            $"safeguards.minReasonLength must be between 1 and {MaxMinReasonLength}.");
        var neverShared = safeguards.NeverShared ?? [];
        for (var i = 0; i < neverShared.Count; i++)
        {
            RequireFieldName(neverShared[i], $"safeguards.neverShared[{i}]", errors);
        }

        foreach (var (field, masks) in safeguards.MaskLimits ?? [])
        {
            var path = $"safeguards.maskLimits.{field}";
            if (!DisclosableFields.TryFind(field, out var known))
            {
                errors.Add(path, "unknown-field", "This is not a field of the disclosable catalogue.");
                continue;
            }

            errors.Require(masks is { Count: > 0 } && masks.All(known.Allows), path, "mask-not-allowed",
                $"{field} can be limited only to some of: {string.Join(", ", known.Masks.Select(AgreementJson.MaskName))}.");
        }
    }

    private static HashSet<string> ValidatePartnerKinds(List<PartnerKindDefinition> kinds, ValidationErrors errors)
    {
        var codes = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < kinds.Count; i++)
        {
            var path = $"partnerKinds[{i}]";
            var kind = kinds[i];
            errors.Require(kind is not null && IsKebab(kind.Code ?? ""), $"{path}.code", "kebab-case", $"{path}.code must be a kebab-case name such as immigration-enforcement.");
            errors.RequireText(kind?.Title, $"{path}.title", 200);
            errors.Require(kind is null || codes.Add(kind.Code ?? ""), $"{path}.code", "unique", "partner kinds must not repeat.");
        }

        return codes;
    }

    private static void ValidatePartnerRules(List<PartnerRule> rules, HashSet<string> kinds, ValidationErrors errors)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < rules.Count; i++)
        {
            var path = $"partnerRules[{i}]";
            if (rules[i] is not { } rule)
            {
                errors.Add(path, "required", $"{path} must be a rule.");
                continue;
            }

            errors.Require(IsKebab(rule.Id ?? ""), $"{path}.id", "kebab-case", $"{path}.id must be a kebab-case name.");
            errors.Require(ids.Add(rule.Id ?? ""), $"{path}.id", "unique", "partner rule ids must not repeat (also across packs).");
            errors.RequireText(rule.Title, $"{path}.title", 300);
            errors.RequireText(rule.Citation, $"{path}.citation", 300);
            var ruleKinds = rule.PartnerKinds ?? [];
            errors.Require(ruleKinds.Count > 0, $"{path}.partnerKinds", "at-least-one", "A partner rule names at least one partner kind.");
            for (var k = 0; k < ruleKinds.Count; k++)
            {
                errors.Require(kinds.Contains(ruleKinds[k] ?? ""), $"{path}.partnerKinds[{k}]", "unknown-partner-kind", "A partner rule names only the charter's partner kinds.");
            }

            var fields = rule.NeverFields ?? [];
            var purposes = rule.NeverPurposes ?? [];
            errors.Require(fields.Count + purposes.Count > 0, path, "empty-rule", "A partner rule forbids at least one field or purpose.");
            for (var f = 0; f < fields.Count; f++)
            {
                RequireFieldName(fields[f], $"{path}.neverFields[{f}]", errors);
            }

            for (var p = 0; p < purposes.Count; p++)
            {
                errors.Require(purposes[p] is { } term && NameFolding.Fold(term).Length > 0, $"{path}.neverPurposes[{p}]", "required",
                    "A never-purpose term must hold letters or digits.");
            }
        }
    }

    // A field a charter rule names is either grantable (so the rule can bite) or already never grantable.
    private static void RequireFieldName(string? name, string path, ValidationErrors errors) =>
        errors.Require(name is not null && (DisclosableFields.TryFind(name, out _) || DisclosableFields.IsNeverGrantable(name)), path, "unknown-field",
            "This is not a field of the disclosable catalogue.");

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex KebabPattern();

    [GeneratedRegex("^[A-Z0-9]{1,16}$", RegexOptions.CultureInvariant)]
    private static partial Regex AgencyCodePattern();
}
