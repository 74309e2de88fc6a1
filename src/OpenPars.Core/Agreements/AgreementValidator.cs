using System.Text.RegularExpressions;
using OpenPars.Core.Common;

namespace OpenPars.Core.Agreements;

/// <summary>
/// What an agreement document may say. Returns every broken rule at once, by JSON path and rule name
/// (<see cref="ValidationErrors"/>); <see cref="AgreementErrorCodes.CodeOf"/> gives each rule's stable code.
/// The never-grantable and prohibited checks here are the first line; the request pipeline and
/// <see cref="AgreementDocument.Grants"/> enforce the same rules again, so a document that skipped this still
/// cannot disclose them.
/// </summary>
public static partial class AgreementValidator
{
    public const int MaxTitleLength = 200;
    public const int MaxBookedWithinDays = 3650;

    public static ValidationErrors Validate(AgreementDocument document, ProhibitedCriteria? prohibited = null)
    {
        prohibited ??= ProhibitedCriteria.BuiltIn;
        var errors = new ValidationErrors();

        errors.Require(IdPattern().IsMatch(document.AgreementId ?? ""), "agreementId", "id-format",
            "agreementId must be 2 to 64 lower-case letters, digits or hyphens, starting with a letter or digit.");
        errors.Require(document.Version >= 1, "version", "min-value", "version must be 1 or more.");
        errors.RequireText(document.PartnerAgency, "partnerAgency", 50);
        errors.RequireText(document.Title, "title", MaxTitleLength);

        ValidatePurposes(document.Purposes, errors);
        ValidateOperations(document.Operations, errors);
        ValidateFields(document.Fields, errors);
        ValidateCriteria(document, prohibited, errors);
        ValidateRowScope(document.RowScope, errors);
        ValidateQuotas(document.Quotas, document.Operations?.Contains(PartnerOperation.Watch) == true, errors);
        ValidateReasonTerms(document.BlockedReasonTerms, errors);
        ValidateAutoSuspension(document.AutoSuspendOn, errors);
        ValidateTime(document, errors);
        ValidateQuorum(document.Quorum, errors);
        return errors;
    }

    /// <summary>Validates and throws the most specific code when anything is wrong: a never-grantable field,
    /// then a prohibited criterion, then the dates, else <see cref="AgreementErrorCodes.InvalidDocument"/>.</summary>
    public static void EnsureValid(AgreementDocument document, ProhibitedCriteria? prohibited = null)
    {
        var errors = Validate(document, prohibited);
        if (errors.IsEmpty)
        {
            return;
        }

        var code = errors.All.Select(e => AgreementErrorCodes.CodeOf(e.Rule)).Order(StringComparer.Ordinal).First();
        throw new DomainException(code, "The agreement document has invalid fields.", errors);
    }

    private static void ValidatePurposes(List<string>? purposes, ValidationErrors errors)
    {
        if (purposes is null || purposes.Count == 0)
        {
            errors.Add("purposes", "at-least-one", "purposes must list at least one purpose.");
            return;
        }

        for (var i = 0; i < purposes.Count; i++)
        {
            errors.Require(KebabPattern().IsMatch(purposes[i] ?? ""), $"purposes[{i}]", "kebab-case",
                $"purposes[{i}] must be a kebab-case name such as criminal-investigation.");
        }

        errors.Require(purposes.Distinct(StringComparer.OrdinalIgnoreCase).Count() == purposes.Count, "purposes", "unique", "purposes must not repeat.");
    }

    private static void ValidateOperations(List<PartnerOperation>? operations, ValidationErrors errors)
    {
        if (operations is null || operations.Count == 0)
        {
            errors.Add("operations", "at-least-one", "operations must list search, read or watch.");
            return;
        }

        errors.Require(operations.Distinct().Count() == operations.Count, "operations", "unique", "operations must not repeat.");
        errors.Require(operations.All(Enum.IsDefined), "operations", "unknown-operation", "operations may be search, read or watch.");
    }

    private static void ValidateFields(Dictionary<string, FieldMask>? fields, ValidationErrors errors)
    {
        if (fields is null || fields.Count == 0)
        {
            errors.Add("fields", "at-least-one", "fields must grant at least one field.");
            return;
        }

        foreach (var (name, mask) in fields)
        {
            var path = $"fields.{name}";

            // Rule: victims, witnesses, narrative, birthplace, race, ethnicity and any immigration/citizenship
            // status are never disclosed through an agreement (Agreements/README.md).
            if (DisclosableFields.IsNeverGrantable(name))
            {
                errors.Add(path, AgreementErrorCodes.Rules.NeverGrantable, "This field can never be granted to a partner.");
                continue;
            }

            if (!DisclosableFields.TryFind(name, out var field))
            {
                errors.Add(path, "unknown-field", "This is not a field of the disclosable catalogue.");
                continue;
            }

            errors.Require(field.Allows(mask), path, "mask-not-allowed",
                $"{name} can be shown only as: {string.Join(", ", field.Masks.Select(AgreementJson.MaskName))}.");
        }
    }

    private static void ValidateCriteria(AgreementDocument document, ProhibitedCriteria prohibited, ValidationErrors errors)
    {
        var criteria = document.AllowedCriteria ?? [];
        for (var i = 0; i < criteria.Count; i++)
        {
            var path = $"allowedCriteria[{i}]";

            // Rule: birthplace, country of origin, race, ethnicity, language and religion are never partner
            // search criteria, whatever the document says (issue: "Never grantable").
            if (prohibited.IsProhibited(criteria[i]))
            {
                errors.Add(path, AgreementErrorCodes.Rules.ProhibitedCriterion, "This criterion is prohibited for partners.");
            }
            else if (!SearchCriteria.TryCanonical(criteria[i], out _))
            {
                errors.Add(path, "unknown-criterion", $"Allowed criteria are: {string.Join(", ", SearchCriteria.All)}.");
            }
        }

        errors.Require(criteria.Distinct(StringComparer.OrdinalIgnoreCase).Count() == criteria.Count, "allowedCriteria", "unique", "allowedCriteria must not repeat.");

        // A search that can never identify a person is refused by PARS-AGR-022 every time: say so now.
        if (document.Operations?.Contains(PartnerOperation.Search) == true || document.Operations?.Contains(PartnerOperation.Watch) == true)
        {
            errors.Require(SearchCriteria.CanIdentify(criteria), "allowedCriteria", "cannot-identify",
                "A search or watch agreement must allow arrestNumber, or lastName with dateOfBirth, or sid or fbiNumber.");
        }
    }

    private static void ValidateRowScope(RowScope? scope, ValidationErrors errors)
    {
        if (scope is null)
        {
            return;
        }

        NotEmpty(scope.Statuses, "rowScope.statuses", errors);
        NotEmpty(scope.ChargeGrades, "rowScope.chargeGrades", errors);
        NotEmpty(scope.OffenseCategories, "rowScope.offenseCategories", errors);
        NotEmpty(scope.Districts, "rowScope.districts", errors);
        if (scope.BookedWithinDays is { } days)
        {
            errors.Require(days is >= 1 and <= MaxBookedWithinDays, "rowScope.bookedWithinDays", "range",
                $"rowScope.bookedWithinDays must be between 1 and {MaxBookedWithinDays}.");
        }

        for (var i = 0; i < (scope.Districts?.Count ?? 0); i++)
        {
            errors.RequireText(scope.Districts![i], $"rowScope.districts[{i}]", 10);
        }

        for (var i = 0; i < (scope.OffenseCategories?.Count ?? 0); i++)
        {
            errors.RequireText(scope.OffenseCategories![i], $"rowScope.offenseCategories[{i}]", 50);
        }
    }

    private static void NotEmpty<T>(List<T>? list, string path, ValidationErrors errors) =>
        errors.Require(list is null || list.Count > 0, path, "empty-scope",
            $"{path} is empty, which would match nothing; leave it out to not narrow by it.");

    /// <summary>The most watches an agreement may let a partner keep active at once.</summary>
    public const int MaxActiveWatchesLimit = 10_000;

    private static void ValidateQuotas(AgreementQuotas? quotas, bool grantsWatch, ValidationErrors errors)
    {
        if (quotas is null)
        {
            errors.Add("quotas", "required", "quotas is required.");
            return;
        }

        errors.Require(quotas.QueriesPerUserPerDay is >= 1 and <= 100_000, "quotas.queriesPerUserPerDay", "range", "quotas.queriesPerUserPerDay must be between 1 and 100000.");
        errors.Require(quotas.RecordsPerAgencyPerDay is >= 1 and <= 1_000_000, "quotas.recordsPerAgencyPerDay", "range", "quotas.recordsPerAgencyPerDay must be between 1 and 1000000.");
        if (quotas.MaxActiveWatches is { } watches)
        {
            errors.Require(watches is >= 1 and <= MaxActiveWatchesLimit, "quotas.maxActiveWatches", "range", $"quotas.maxActiveWatches must be between 1 and {MaxActiveWatchesLimit}.");
        }
        else
        {
            // Rule: a watch list is bounded (issue 10: "so a watch list cannot become a sweep").
            errors.Require(!grantsWatch, "quotas.maxActiveWatches", "required", "quotas.maxActiveWatches is required when operations grants watch.");
        }
    }

    private static void ValidateReasonTerms(List<string>? terms, ValidationErrors errors)
    {
        for (var i = 0; i < (terms?.Count ?? 0); i++)
        {
            errors.RequireText(terms![i], $"blockedReasonTerms[{i}]", 100);
        }
    }

    private static void ValidateAutoSuspension(List<string>? kinds, ValidationErrors errors)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < (kinds?.Count ?? 0); i++)
        {
            var known = Oversight.AlertKinds.TryParse(kinds![i], out var kind) && Oversight.AlertKinds.Name(kind) == kinds[i];
            errors.Require(known, $"autoSuspendOn[{i}]", "unknown-alert-kind", "autoSuspendOn lists oversight alert kinds: disparity, daily-probing, surname-enumeration, date-of-birth-enumeration, arrest-number-run, zero-result-fishing, out-of-hours-burst.");
            errors.Require(!known || seen.Add(kinds[i]), $"autoSuspendOn[{i}]", "duplicate", "autoSuspendOn names each alert kind once.");
        }
    }

    private static void ValidateTime(AgreementDocument document, ValidationErrors errors)
    {
        // Rule: an agreement is a bounded grant; it must end after it starts (issue: effectiveAt, expiresAt).
        errors.Require(document.ExpiresAt > document.EffectiveAt, "expiresAt", AgreementErrorCodes.Rules.ExpiresAfterEffective,
            "expiresAt must be after effectiveAt.");
        errors.Require(AgreementClock.TryFindZone(document.TimeZone, out _), "timeZone", "unknown-time-zone",
            "timeZone must be an IANA time zone such as America/New_York.");
    }

    private static void ValidateQuorum(QuorumRule? quorum, ValidationErrors errors)
    {
        if (quorum is null)
        {
            return;
        }

        errors.Require(quorum.ConsentsToEnter is >= 1 and <= QuorumRule.Stakeholders, "quorum.consentsToEnter", "range", "quorum.consentsToEnter must be 1 to 3.");
        errors.Require(quorum.WithdrawalsToEnd is >= 1 and <= QuorumRule.Stakeholders, "quorum.withdrawalsToEnd", "range", "quorum.withdrawalsToEnd must be 1 to 3.");
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex KebabPattern();
}
