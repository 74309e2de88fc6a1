using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenPars.Core.Agreements;
using OpenPars.Core.Arrests;
using OpenPars.Core.Arrests.Reference;

namespace OpenPars.Core.Policy;

/// <summary>
/// Projects an <see cref="ArrestRecord"/> to what a partner may see. Built field by field from the grants, so
/// nothing ungranted can leak by being forgotten: there is no code path here that reads
/// <see cref="ArrestRecord.InvolvedParties"/>, the narrative, race, ethnicity or place of birth.
/// </summary>
public static class PartnerView
{
    /// <summary>The record with exactly the granted fields (masked). A grant outside the catalogue, or with a
    /// mask the field does not allow, is withheld (fail closed). A charge's description is the title of its statute
    /// in <paramref name="statutes"/> (null without them, or for a citation they lack), never the typed text,
    /// which can name victims and witnesses (issue 9: "Free text never reaches a partner").</summary>
    public static PartnerRecord Project(ArrestRecord record, IReadOnlyList<FieldGrant> grants, StatuteCatalog? statutes = null)
    {
        var fields = new SortedDictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var grant in grants)
        {
            if (DisclosableFields.TryFind(grant.Field, out var field) && field.Allows(grant.Mask))
            {
                fields[grant.Field] = Value(record, grant.Field, grant.Mask, statutes);
            }
        }

        return new PartnerRecord(record.ArrestNumber, fields);
    }

    /// <summary>
    /// The reference enforcement of an allowed decision over candidate records (what storage does in SQL):
    /// nothing at or after the agreement's expiry, only the requested arrest for a read, only rows in scope,
    /// at most <see cref="PolicyDecision.Allowed.MaxRecords"/>, each projected. Criteria matching is storage's.
    /// </summary>
    public static IReadOnlyList<PartnerRecord> Disclose(
        PolicyDecision.Allowed decision, IEnumerable<ArrestRecord> candidates, DateTimeOffset now, Func<string, string?>? categoryOf = null)
    {
        if (now >= decision.ExpiresAt)
        {
            return [];
        }

        return
        [
            .. candidates
                .Where(r => decision.ArrestNumber is null || string.Equals(r.ArrestNumber, decision.ArrestNumber, StringComparison.Ordinal))
                .Where(r => RowScopeRules.InScope(r, decision.Scope, now, categoryOf ?? (static _ => null)))
                .Take(Math.Max(0, decision.MaxRecords))
                .Select(r => Project(r, decision.Columns)),
        ];
    }

    private static JsonNode? Value(ArrestRecord r, string field, FieldMask mask, StatuteCatalog? statutes)
    {
        var person = r.Person;
        return field switch
        {
            DisclosableFields.ArrestNumber => Text(r.ArrestNumber),
            DisclosableFields.BookedAt => Instant(r.BookedAt),
            DisclosableFields.District => Text(r.District),
            DisclosableFields.Status => Text(ArrestStatusMachine.ToCode(r.Status)),
            DisclosableFields.LastName => Name(person.LastName, mask),
            DisclosableFields.FirstName => Name(person.FirstName, mask),
            DisclosableFields.MiddleName => Name(person.MiddleName, mask),
            DisclosableFields.Aliases => new JsonArray([.. person.Aliases.Select(a => (JsonNode)new JsonObject
            {
                ["lastName"] = Name(a.LastName, mask),
                ["firstName"] = Name(a.FirstName, mask),
                ["middleName"] = Name(a.MiddleName, mask),
            })]),
            DisclosableFields.DateOfBirth => mask == FieldMask.Year ? Text(FieldMasks.Year(person.DateOfBirth)) : Date(person.DateOfBirth),
            DisclosableFields.Sex => Code(person.Sex),
            DisclosableFields.Ssn => Text(mask == FieldMask.Last4 ? FieldMasks.Last4(person.Ssn) : person.Ssn),
            DisclosableFields.Sid => Text(person.Identifiers.Sid),
            DisclosableFields.FbiNumber => Text(person.Identifiers.FbiNumber),
            DisclosableFields.Pid => Text(person.Identifiers.Pid),
            DisclosableFields.Address => person.Address is { } a
                ? new JsonObject { ["street"] = a.Street, ["city"] = a.City, ["state"] = a.State, ["postalCode"] = a.PostalCode }
                : null,
            DisclosableFields.Charges => new JsonArray([.. r.Charges.Select(c => (JsonNode)new JsonObject
            {
                ["citation"] = c.Citation,
                ["description"] = statutes is not null && statutes.TryFind(c.Citation, out var statute) ? statute.Title : null,
                ["grade"] = (c.Grade ?? OffenseGrade.Ungraded).ToString(),
                ["counts"] = c.Counts,
            })]),
            DisclosableFields.OffenseLocation => Text(r.Incident.OffenseLocation),
            DisclosableFields.OccurredAt => r.Incident.OccurredAt is { } at ? Instant(at) : null,
            DisclosableFields.ChargingOutcome => Code(r.Charging?.Outcome),
            DisclosableFields.DocketNumber => Text(r.Arraignment?.DocketNumber),
            DisclosableFields.NextHearingDate => Date(r.Arraignment?.NextHearingDate),
            DisclosableFields.NextHearingCourtroom => Text(r.Arraignment?.NextHearingCourtroom),
            DisclosableFields.BailType => Code(r.Arraignment?.BailType),
            DisclosableFields.Custody => Code(r.Arraignment?.Custody),
            _ => null,
        };
    }

    private static JsonValue? Name(string? name, FieldMask mask) => Text(mask == FieldMask.Initial ? FieldMasks.Initial(name) : name);

    private static JsonValue? Text(string? value) => value is null ? null : JsonValue.Create(value);

    private static JsonValue Instant(DateTimeOffset value) =>
        JsonValue.Create(value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));

    private static JsonValue? Date(DateOnly? value) =>
        value is { } d ? JsonValue.Create(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)) : null;

    private static JsonValue? Code<TEnum>(TEnum? value)
        where TEnum : struct, Enum =>
        value is { } v ? JsonValue.Create(JsonNamingPolicy.CamelCase.ConvertName(v.ToString())) : null;
}
