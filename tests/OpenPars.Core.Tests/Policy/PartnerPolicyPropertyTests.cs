using OpenPars.Testing;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using OpenPars.Core.Agencies;
using OpenPars.Core.Agreements;
using OpenPars.Core.Arrests;
using OpenPars.Core.Arrests.Reference;
using OpenPars.Core.Policy;
using OpenPars.Core.Charter;
using OpenPars.Core.Tests.Agreements;
using OpenPars.Core.Tests.Charter;
using Shouldly;
using Xunit;

namespace OpenPars.Core.Tests.Policy;

/// <summary>
/// Properties of the decision and the projection over random agreements (including documents that never went
/// through validation), random arrests, random requests and random instants around the agreement's life.
/// </summary>
public class PartnerPolicyPropertyTests
{
    private const int Iterations = 2000;
    private static readonly DateTimeOffset Base = TestAgreements.EffectiveAt;
    private static readonly Caller Caller = PolicyCallers.PartnerAnalyst(40, "analyst", TestAgreements.Partner.AgencyCode);

    // These properties are about the pipeline and the projection over any document; a charter that asks nothing
    // lets every generated document reach them (the charter's own properties are in Charter/CharterFitTests).
    private static readonly CharterTimeline Charters = CharterTimeline.Of(TestCharters.Permissive);

    private static readonly string[] CatalogueNames = [.. DisclosableFields.All.Select(f => f.Name)];
    private static readonly string[] ForbiddenNames = ["involvedParties", "incident.narrative", "person.placeOfBirth", "person.race", "person.ethnicity", "victims"];
    private static readonly string[] ProhibitedNames = ["placeOfBirth", "place_of_birth", "COUNTRYOFBIRTH", "birthplace", "race", "Ethnicity", "language", "religion", "person.race"];
    private static readonly string[] Districts = ["01", "02", "03"];
    private static readonly string[] Purposes = ["criminal-investigation", "warrant-service", "custody-transfer"];

    private static Gen<T> OneOf<T>(IReadOnlyList<T> items) => Gen.Int[0, items.Count - 1].Select(i => items[i]);

    private static Gen<List<T>> SubsetOf<T>(IReadOnlyList<T> items) =>
        Gen.Bool.Array[items.Count].Select(keep => items.Where((_, i) => keep[i]).ToList());

    private static Gen<List<T>?> MaybeSubset<T>(IReadOnlyList<T> items) =>
        Gen.Select(Gen.Bool, SubsetOf(items).Where(l => l.Count > 0), (narrow, list) => narrow ? list : null);

    private static readonly Gen<Dictionary<string, FieldMask>> GenFields =
        Gen.Select(SubsetOf(DisclosableFields.All), Gen.Int[0, 3].Array[DisclosableFields.All.Count], SubsetOf(ForbiddenNames))
            .Select((fields, masks, forbidden) =>
            {
                var grants = fields.Select((f, i) => (f.Name, Mask: (FieldMask)masks[i])).ToDictionary(x => x.Name, x => x.Mask);
                foreach (var name in forbidden)
                {
                    grants[name] = FieldMask.Full; // an unvalidated document may say anything
                }

                return grants;
            });

    private static readonly string[] Categories = ["assault", "Burglary", "fraud"];

    /// <summary>The test's own statute → category map: one citation per category, one without a category.</summary>
    private static readonly Dictionary<string, string> CategoryOf = new(StringComparer.Ordinal)
    {
        ["18 § 2701(a)(1)"] = "assault",
        ["18 § 3502(a)(1)"] = "burglary",
        ["18 § 4106(a)(1)"] = "fraud",
    };

    private static readonly string[] Citations = [.. CategoryOf.Keys, "18 § 9999(z)"];

    private static readonly Gen<RowScope> GenScope =
        Gen.Select(MaybeSubset(Enum.GetValues<ArrestStatus>()), MaybeSubset(Enum.GetValues<OffenseGrade>()), MaybeSubset(Districts),
                Gen.Int[0, 400], Gen.Bool, Gen.Int[0, 3], MaybeSubset(Categories))
            .Select((statuses, grades, districts, days, adults, categoryDice, categories) => new RowScope
            {
                Statuses = statuses,
                ChargeGrades = grades,
                Districts = districts,
                BookedWithinDays = days == 0 ? null : days,
                AdultsOnly = adults,
                OffenseCategories = categoryDice == 0 ? categories : null,
            });

    private static readonly string[] Identifying = [SearchCriteria.ArrestNumber, SearchCriteria.LastName, SearchCriteria.DateOfBirth, SearchCriteria.Sid, SearchCriteria.FbiNumber];

    // Biased towards agreements that can serve a request (both operations, identifying criteria allowed, room in the
    // quotas), so that a good share of cases reach the projection; the rest exercise the refusals.
    private static readonly Gen<AgreementDocument> GenDocument =
        Gen.Select(GenFields, GenScope, SubsetOf([.. SearchCriteria.All, .. ProhibitedNames]), Gen.Int[0, 9],
                Gen.Int[1, 20], Gen.Int[1, 50], Gen.Bool, Gen.Int[30, 400])
            .Select((fields, scope, criteria, dice, queries, records, required, days) => TestAgreements.Document() with
            {
                Fields = fields,
                RowScope = scope,
                AllowedCriteria = dice < 8 ? [.. criteria.Union(Identifying)] : criteria,
                Operations = dice switch { 8 => [PartnerOperation.Read], 9 => [PartnerOperation.Search], _ => [PartnerOperation.Search, PartnerOperation.Read] },
                Purposes = [.. Purposes],
                Quotas = new AgreementQuotas { QueriesPerUserPerDay = queries, RecordsPerAgencyPerDay = records },
                ReasonRequired = required,
                CaseNumberRequired = required,
                ExpiresAt = Base.AddDays(days),
            });

    private static readonly Gen<Person> GenPerson =
        Gen.Select(TestGens.Name, TestGens.Name, TestGens.Name, Gen.Bool, TestGens.Ssn, TestGens.Name)
            .Select((last, first, middle, hasMiddle, ssn, alias) => TestArrests.Record().Person with
            {
                LastName = last,
                FirstName = first,
                MiddleName = hasMiddle ? middle : null,
                Ssn = ssn,
                Aliases = [new PersonName { LastName = alias, FirstName = first, MiddleName = hasMiddle ? null : middle }],
            });

    private static readonly Gen<List<Charge>> GenCharges =
        Gen.Select(OneOf(Citations), OneOf([.. Enum.GetValues<OffenseGrade>().Select(g => (OffenseGrade?)g), null])).Array[1, 3]
            .Select(charges => charges.Select(c => new Charge { Citation = c.Item1, Description = "charge", Grade = c.Item2, Counts = 1 }).ToList());

    /// <summary>A birth date around the 18th (or another) birthday at booking, a 29 February, or none.</summary>
    private static Gen<DateOnly?> GenBirth(DateTimeOffset bookedAt) =>
        Gen.Select(Gen.Int[0, 80], Gen.Int[-2, 2], Gen.Int[0, 9]).Select((age, shift, dice) =>
        {
            var bookingDay = DateOnly.FromDateTime(bookedAt.UtcDateTime);
            return dice switch
            {
                0 => null,
                1 => new DateOnly(LeapYearAtOrBefore(bookingDay.Year - PartnerOracle.AdultAge), 2, 29),
                < 5 => (DateOnly?)bookingDay.AddYears(-PartnerOracle.AdultAge).AddDays(shift),
                _ => bookingDay.AddYears(-age).AddDays(shift),
            };
        });

    private static int LeapYearAtOrBefore(int year) => Enumerable.Range(0, 8).Select(back => year - back).First(DateTime.IsLeapYear);

    private static readonly Gen<ArrestRecord> GenArrest =
        Gen.Select(Gen.Int[1, 999_999], OneOf(Enum.GetValues<ArrestStatus>()), OneOf(Districts), Gen.Int[-200, 300], Gen.Int[0, 86_399], Gen.Int[-5, 5])
            .SelectMany((number, status, district, bookedDay, second, offsetHours) =>
            {
                var bookedAt = new DateTimeOffset(Base.UtcDateTime.AddDays(bookedDay).AddSeconds(second), TimeSpan.Zero).ToOffset(TimeSpan.FromHours(offsetHours));
                return Gen.Select(GenBirth(bookedAt), GenPerson, GenCharges).Select((birth, person, charges) =>
                    TestArrests.Record($"26-{number:D6}", status, district, bookedAt) with { Person = person with { DateOfBirth = birth }, Charges = charges });
            });

    private static readonly Gen<Dictionary<string, string>> GenCriteria =
        Gen.Select(SubsetOf(Identifying), SubsetOf([.. SearchCriteria.All, .. ProhibitedNames, "shoeSize"]), Gen.Int[0, 9])
            .Select((identifying, any, dice) => (dice < 7 ? identifying : any).ToDictionary(n => n, n => n == "dateOfBirth" ? "1987-06-05" : "X"));

    private static readonly Gen<PartnerRequest> GenRequest =
        Gen.Select(Gen.Bool, GenCriteria, OneOf<string?>([.. Purposes, .. Purposes, "immigration-enforcement", null]), Gen.Int[0, 9], Gen.Int[0, 9])
            .Select((read, criteria, purpose, reason, caseNumber) => new PartnerRequest
            {
                Operation = read ? PartnerOperation.Read : PartnerOperation.Search,
                ArrestNumber = read ? "26-000001" : null,
                Criteria = read ? new Dictionary<string, string>() : criteria,
                Purpose = purpose,
                Reason = reason switch { 0 => null, 1 => "short", 2 => "a weekly sweep of bookings", _ => "Investigation of a burglary series, suspect named" },
                CaseNumber = caseNumber == 0 ? null : "C-1",
            });

    private static readonly Gen<(AgreementDocument Document, ArrestRecord[] Arrests, PartnerRequest Request, DateTimeOffset Now, QuotaUsage Usage)> GenCase =
        Gen.Select(GenDocument, GenArrest.Array[0, 8], GenRequest, Gen.Int[-86_400 * 5, 86_400 * 300], Gen.Int[0, 3], Gen.Int[0, 10])
            .Select((document, arrests, request, seconds, queries, records) =>
            {
                // A read asks for one of the candidate arrests, so that reads disclose something too.
                var target = request.Operation == PartnerOperation.Read && arrests.Length > 0 ? request with { ArrestNumber = arrests[^1].ArrestNumber } : request;
                return (document, arrests, target, Base.AddSeconds(seconds), new QuotaUsage(queries, records));
            });

    private static List<AgreementEvent> History(AgreementDocument document) => TestAgreements.ApprovedWithoutValidation(document, Base.AddDays(-20));

    private static IReadOnlyList<PartnerRecord> Disclosed(AgreementDocument document, ArrestRecord[] arrests, PartnerRequest request, DateTimeOffset now, QuotaUsage usage) =>
        PartnerPolicy.Decide(Caller, History(document), Charters, request, usage, now) is PolicyDecision.Allowed allowed
            ? PartnerView.Disclose(allowed, arrests, now, citation => CategoryOf.GetValueOrDefault(citation))
            : [];

    [Fact]
    public void No_output_ever_holds_a_withheld_field_a_victim_a_witness_or_a_never_grantable_value() =>
        GenCase.Sample(c =>
        {
            var granted = c.Document.Grants().Select(g => g.Field).ToHashSet(StringComparer.Ordinal);
            foreach (var record in Disclosed(c.Document, c.Arrests, c.Request, c.Now, c.Usage))
            {
                record.Fields.Keys.ShouldAllBe(k => granted.Contains(k));
                record.Fields.Keys.ShouldAllBe(k => c.Document.Fields[k] == c.Document.Grants().Single(g => g.Field == k).Mask);
                var json = record.ToJson().ToJsonString();
                foreach (var marker in new[] { TestArrests.VictimMarker, TestArrests.WitnessMarker, TestArrests.NarrativeMarker, TestArrests.BirthplaceMarker })
                {
                    json.ShouldNotContain(marker);
                }

                json.Contains(TestArrests.AddressMarker, StringComparison.Ordinal).ShouldBe(granted.Contains("person.address"));
                if (c.Arrests.First(a => a.ArrestNumber == record.ArrestNumber).Person.Ssn is { Length: >= 9 } ssn && ssn.All(char.IsAscii)) // JSON escapes the rest
                {
                    json.Contains(ssn, StringComparison.Ordinal).ShouldBe(c.Document.Fields.GetValueOrDefault("person.ssn", FieldMask.Last4) == FieldMask.Full);
                }
            }
        }, iter: Iterations);

    [Fact]
    public void No_output_ever_holds_a_row_outside_scope() =>
        GenCase.Sample(c =>
        {
            var byNumber = c.Arrests.GroupBy(a => a.ArrestNumber).ToDictionary(g => g.Key, g => g.First());
            foreach (var record in Disclosed(c.Document, c.Arrests, c.Request, c.Now, c.Usage))
            {
                PartnerOracle.InScope(byNumber[record.ArrestNumber], c.Document.RowScope, c.Now, CategoryOf).ShouldBeTrue();
            }
        }, iter: Iterations);

    [Fact]
    public void An_allowed_request_discloses_exactly_the_in_scope_candidates_in_order_up_to_the_remaining_quota() =>
        GenCase.Sample(c =>
        {
            if (PartnerPolicy.Decide(Caller, History(c.Document), Charters, c.Request, c.Usage, c.Now) is not PolicyDecision.Allowed allowed)
            {
                return;
            }

            var remaining = c.Document.Quotas.RecordsPerAgencyPerDay - c.Usage.RecordsByAgencyToday;
            var expected = c.Arrests
                .Where(a => c.Request.Operation == PartnerOperation.Search || a.ArrestNumber == c.Request.ArrestNumber)
                .Where(a => PartnerOracle.InScope(a, c.Document.RowScope, c.Now, CategoryOf))
                .Take(remaining)
                .Select(a => a.ArrestNumber);
            PartnerView.Disclose(allowed, c.Arrests, c.Now, citation => CategoryOf.GetValueOrDefault(citation))
                .Select(r => r.ArrestNumber).ShouldBe(expected);
        }, iter: Iterations);

    [Fact]
    public void Masked_values_are_exactly_what_the_mask_promises() =>
        GenCase.Sample(c =>
        {
            var grants = c.Document.Grants().ToDictionary(g => g.Field, g => g.Mask);
            foreach (var record in Disclosed(c.Document, c.Arrests, c.Request, c.Now, c.Usage))
            {
                var person = c.Arrests.First(a => a.ArrestNumber == record.ArrestNumber).Person;
                foreach (var (field, mask) in grants)
                {
                    var value = record.Fields[field];
                    switch (field)
                    {
                        case DisclosableFields.LastName: ShouldBeName(value, person.LastName, mask); break;
                        case DisclosableFields.FirstName: ShouldBeName(value, person.FirstName, mask); break;
                        case DisclosableFields.MiddleName: ShouldBeName(value, person.MiddleName, mask); break;
                        case DisclosableFields.Aliases:
                            var alias = value!.AsArray().ShouldHaveSingleItem()!;
                            ShouldBeName(alias["lastName"], person.Aliases[0].LastName, mask);
                            ShouldBeName(alias["firstName"], person.Aliases[0].FirstName, mask);
                            ShouldBeName(alias["middleName"], person.Aliases[0].MiddleName, mask);
                            break;
                        case DisclosableFields.DateOfBirth when mask == FieldMask.Year:
                            Text(value).ShouldBe(PartnerOracle.YearOf(person.DateOfBirth));
                            if (Text(value) is { } year)
                            {
                                year.Length.ShouldBe(4);
                                year.ShouldAllBe(ch => ch >= '0' && ch <= '9');
                                int.Parse(year, CultureInfo.InvariantCulture).ShouldBe(person.DateOfBirth!.Value.Year);
                            }

                            break;
                        case DisclosableFields.DateOfBirth:
                            Text(value).ShouldBe(person.DateOfBirth?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                            break;
                        case DisclosableFields.Ssn:
                            Text(value).ShouldBe(mask == FieldMask.Last4 ? PartnerOracle.Last4Of(person.Ssn) : person.Ssn);
                            break;
                    }
                }
            }
        }, iter: Iterations);

    private static string? Text(JsonNode? value) => value?.GetValue<string>();

    private static void ShouldBeName(JsonNode? value, string? raw, FieldMask mask)
    {
        if (mask == FieldMask.Full)
        {
            Text(value).ShouldBe(raw);
            return;
        }

        Text(value).ShouldBe(PartnerOracle.InitialOf(raw), $"initial of \"{raw}\"");
        if (Text(value) is { } initial)
        {
            PartnerOracle.IsOneLetter(initial).ShouldBeTrue($"\"{initial}\" is one letter and a dot");
        }
    }

    [Fact]
    public void Nothing_is_allowed_or_disclosed_at_or_after_expiresAt() =>
        Gen.Select(GenCase, Gen.Int[0, 86_400 * 30]).Sample((c, after) =>
        {
            var now = c.Document.ExpiresAt.AddSeconds(after);
            var decision = PartnerPolicy.Decide(Caller, History(c.Document), Charters, c.Request, c.Usage, now);
            decision.ShouldBeOfType<PolicyDecision.Refused>().Code.ShouldBe(AgreementErrorCodes.Expired);
            Disclosed(c.Document, c.Arrests, c.Request, now, c.Usage).ShouldBeEmpty();
        }, iter: Iterations);

    [Fact]
    public void A_prohibited_criterion_is_always_refused_with_020() =>
        Gen.Select(GenCase, OneOf(ProhibitedNames)).Sample((c, prohibited) =>
        {
            // Everything before -020 passes: in force, allowed purpose, reason and case number stated.
            var document = c.Document with { AllowedCriteria = [.. c.Document.AllowedCriteria, prohibited] };
            var request = c.Request with
            {
                Criteria = new Dictionary<string, string>(c.Request.Criteria) { [prohibited] = "X" },
                Purpose = "warrant-service",
                Reason = "Service of warrant 4471 on the named person",
                CaseNumber = "W-4471",
            };
            var now = Base.AddDays(1);

            var refused = PartnerPolicy.Decide(Caller, History(document), Charters, request, c.Usage, now).ShouldBeOfType<PolicyDecision.Refused>();
            refused.Code.ShouldBe(AgreementErrorCodes.ProhibitedCriterion);
            refused.HttpStatus.ShouldBe(403);
        }, iter: Iterations);

    [Fact]
    public void A_request_with_a_prohibited_criterion_is_never_allowed_whatever_else_holds() =>
        Gen.Select(GenCase, OneOf(ProhibitedNames)).Sample((c, prohibited) =>
        {
            var request = c.Request with { Criteria = new Dictionary<string, string>(c.Request.Criteria) { [prohibited] = "X" } };
            PartnerPolicy.Decide(Caller, History(c.Document), Charters, request, c.Usage, c.Now).ShouldBeOfType<PolicyDecision.Refused>();
        }, iter: Iterations);

    [Fact]
    public void The_same_inputs_always_give_the_same_decision() =>
        GenCase.Sample(c =>
        {
            var first = PartnerPolicy.Decide(Caller, History(c.Document), Charters, c.Request, c.Usage, c.Now);
            var second = PartnerPolicy.Decide(Caller, History(c.Document), Charters, c.Request, c.Usage, c.Now);
            Describe(second).ShouldBe(Describe(first));

            var firstRecords = Disclosed(c.Document, c.Arrests, c.Request, c.Now, c.Usage).Select(r => r.ToJson().ToJsonString());
            var secondRecords = Disclosed(c.Document, c.Arrests, c.Request, c.Now, c.Usage).Select(r => r.ToJson().ToJsonString());
            secondRecords.ShouldBe(firstRecords);
        }, iter: Iterations);

    [Fact]
    public void Disclosure_never_exceeds_the_remaining_record_quota() =>
        GenCase.Sample(c =>
            Disclosed(c.Document, c.Arrests, c.Request, c.Now, c.Usage).Count
                .ShouldBeLessThanOrEqualTo(Math.Max(0, c.Document.Quotas.RecordsPerAgencyPerDay - c.Usage.RecordsByAgencyToday)),
            iter: Iterations);

    [Fact]
    public void The_properties_are_not_vacuous_many_random_cases_do_disclose_records()
    {
        int cases = 0, allowed = 0, records = 0;
        GenCase.Sample(c =>
        {
            Interlocked.Increment(ref cases);
            if (PartnerPolicy.Decide(Caller, History(c.Document), Charters, c.Request, c.Usage, c.Now) is PolicyDecision.Allowed)
            {
                Interlocked.Increment(ref allowed);
            }

            Interlocked.Add(ref records, Disclosed(c.Document, c.Arrests, c.Request, c.Now, c.Usage).Count);
        }, iter: Iterations);

        allowed.ShouldBeGreaterThan(cases / 8, $"{allowed} of {cases} allowed");
        // Reads disclose at most one record and random scopes exclude most rows: about 1 record per 10 cases is normal.
        records.ShouldBeGreaterThan(cases / 20, $"{records} records over {cases} cases");
    }

    private static string Describe(PolicyDecision decision) => decision switch
    {
        PolicyDecision.Allowed a => JsonSerializer.Serialize(a, AgreementJson.Options),
        PolicyDecision.Refused r => JsonSerializer.Serialize(r, AgreementJson.Options),
        _ => "",
    };
}
