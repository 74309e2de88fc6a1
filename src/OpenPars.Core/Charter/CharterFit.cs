using OpenPars.Core.Agreements;
using OpenPars.Core.Common;

namespace OpenPars.Core.Charter;

/// <summary>
/// Does an agreement document stay within the charter? Every way it would weaken the charter, by JSON path and
/// charter rule (<see cref="CharterErrorCodes.Rules"/>), each with its PARS-CHR code (<see cref="CharterErrorCodes.CodeOf"/>).
/// Governance checks it at draft, proposal, consent and renewal; the partner pipeline checks the version in force
/// against the charter in force on every request, so an amendment stops an agreement that no longer fits.
/// </summary>
public static class CharterFit
{
    /// <summary>
    /// The broken charter rules. <paramref name="partnerKind"/> is the partner agency's declared kind (null when it
    /// has none: every partner rule applies). <paramref name="governance"/> also checks the document's own
    /// <c>quorum</c>, which is refused unless it states the charter's (<paramref name="renewal"/>: a renewal's
    /// consents are <see cref="CharterQuorum.ConsentsToRenew"/>); enforcement ignores it, as status does.
    /// </summary>
    public static ValidationErrors Check(CharterDocument charter, AgreementDocument document, string? partnerKind, bool governance = true, bool renewal = false)
    {
        ArgumentNullException.ThrowIfNull(charter);
        ArgumentNullException.ThrowIfNull(document);
        var errors = new ValidationErrors();
        if (governance && document.Quorum is { } stated)
        {
            var consents = renewal ? charter.Quorum.ConsentsToRenew : charter.Quorum.ConsentsToEnter;
            errors.Require(stated.ConsentsToEnter == consents && stated.WithdrawalsToEnd == charter.Quorum.WithdrawalsToEnd, "quorum", CharterErrorCodes.Rules.Quorum,
                $"The charter decides the quorum ({consents} consents to {(renewal ? "renew" : "enter")}, {charter.Quorum.WithdrawalsToEnd} withdrawals to end); leave quorum out.");
        }

        // Rule: the longest term, from effectiveAt to expiresAt, in calendar months of the document's own offset.
        errors.Require(document.ExpiresAt <= document.EffectiveAt.AddMonths(charter.LongestTerm.Months), "expiresAt", CharterErrorCodes.Rules.LongestTerm,
            $"An agreement runs at most {charter.LongestTerm.Months} months from effectiveAt; renew it for longer.");

        var safeguards = charter.Safeguards;
        errors.Require(!safeguards.ReasonRequired || document.ReasonRequired, "reasonRequired", CharterErrorCodes.Rules.ReasonRequired,
            "The charter requires every partner request to state a reason.");
        errors.Require(!safeguards.CaseNumberRequired || document.CaseNumberRequired, "caseNumberRequired", CharterErrorCodes.Rules.CaseNumberRequired,
            "The charter requires every partner request to carry a case number.");
        errors.Require(!safeguards.AdultsOnly || (document.RowScope?.AdultsOnly ?? true), "rowScope.adultsOnly", CharterErrorCodes.Rules.AdultsOnly,
            "The charter shares arrests of adults only.");

        var rules = charter.RulesFor(partnerKind).ToList();
        foreach (var (field, mask) in document.Fields ?? [])
        {
            var path = $"fields.{field}";
            errors.Require(!safeguards.NeverShared.Any(n => Names(field, n)), path, CharterErrorCodes.Rules.NeverShared,
                "The charter never shares this field with any partner.");
            if (safeguards.MaskLimits.FirstOrDefault(l => Names(field, l.Key)) is { Value: { } masks })
            {
                errors.Require(masks.Contains(mask), path, CharterErrorCodes.Rules.MaskLimit,
                    $"The charter allows this field only as: {string.Join(", ", masks.Select(AgreementJson.MaskName))}.");
            }

            foreach (var rule in rules.Where(r => r.NeverFields.Any(n => Names(field, n))))
            {
                errors.Add(path, CharterErrorCodes.Rules.PartnerField, $"Never shared with {KindsOf(rule)} partners: {rule.Title} ({rule.Citation}; rule {rule.Id}).");
            }
        }

        var purposes = document.Purposes ?? [];
        for (var i = 0; i < purposes.Count; i++)
        {
            var purpose = purposes[i] ?? "";
            foreach (var rule in rules.Where(r => r.NeverPurposes.Any(term => NameFolding.ContainsFolded(purpose, term))))
            {
                errors.Add($"purposes[{i}]", CharterErrorCodes.Rules.PartnerPurpose, $"Never a purpose for {KindsOf(rule)} partners: {rule.Title} ({rule.Citation}; rule {rule.Id}).");
            }
        }

        return errors;
    }

    /// <summary>The code to answer with: the lowest PARS-CHR code among the broken rules, or null when it fits.</summary>
    public static string? CodeOf(ValidationErrors errors) =>
        errors.IsEmpty ? null : errors.All.Select(e => CharterErrorCodes.CodeOf(e.Rule)).Order(StringComparer.Ordinal).First();

    /// <summary>Throws the lowest PARS-CHR code with every broken rule when the document would weaken the charter.</summary>
    public static void EnsureFits(CharterDocument charter, AgreementDocument document, string? partnerKind, bool renewal = false)
    {
        var errors = Check(charter, document, partnerKind, governance: true, renewal);
        if (CodeOf(errors) is { } code)
        {
            throw new DomainException(code, "The agreement would weaken the charter in force.", errors);
        }
    }

    /// <summary>A granted field is named by a charter rule: the same catalogue name (folded), or a name under it.</summary>
    private static bool Names(string field, string ruleField) =>
        NameFolding.Fold(field) == NameFolding.Fold(ruleField) || field.StartsWith(ruleField + ".", StringComparison.OrdinalIgnoreCase);

    private static string KindsOf(PartnerRule rule) => string.Join(" or ", rule.PartnerKinds);
}
