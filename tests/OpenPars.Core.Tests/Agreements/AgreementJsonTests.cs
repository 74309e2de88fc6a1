using System.Text.Json;
using System.Text.Json.Nodes;
using OpenPars.Core.Agreements;
using OpenPars.Core.Common;
using Shouldly;
using Xunit;

namespace OpenPars.Core.Tests.Agreements;

public class AgreementJsonTests
{
    [Theory]
    [InlineData("ice-2026.json")]
    [InlineData("fbi-2026.json")]
    public void The_published_examples_parse_and_validate(string file)
    {
        var json = File.ReadAllText(TestAgreements.RepoPath("docs", "agreements", "examples", file));
        var document = AgreementJson.Parse(json);

        AgreementValidator.Validate(document).All.ShouldBeEmpty();
        document.AgreementId.ShouldBe(Path.GetFileNameWithoutExtension(file));
        document.Fields.Keys.ShouldNotContain(k => DisclosableFields.IsNeverGrantable(k));
    }

    [Fact]
    public void The_ice_example_is_the_seeds_agreement()
    {
        var document = AgreementJson.Parse(File.ReadAllText(TestAgreements.RepoPath("docs", "agreements", "examples", "ice-2026.json")));

        document.Purposes.ShouldBe(["criminal-investigation", "warrant-service", "custody-transfer"]);
        document.Fields["person.ssn"].ShouldBe(FieldMask.Last4);
        document.Fields.ShouldNotContainKey("person.placeOfBirth");
        document.RowScope.BookedWithinDays.ShouldBe(365);
        document.ReasonRequired.ShouldBeTrue();
        document.CaseNumberRequired.ShouldBeTrue();
        document.ExpiresAt.ShouldBe(new DateTimeOffset(2026, 12, 31, 23, 59, 59, TimeSpan.FromHours(-5)));
    }

    [Fact]
    public void Round_trip_keeps_the_document()
    {
        var document = TestAgreements.Document();
        var again = AgreementJson.Parse(AgreementJson.Serialize(document));

        AgreementJson.Serialize(again).ShouldBe(AgreementJson.Serialize(document));
        again.ExpiresAt.ShouldBe(document.ExpiresAt);
        again.RowScope.ChargeGrades.ShouldBe(document.RowScope.ChargeGrades);
    }

    [Theory]
    [InlineData("\"version\": 1,", "\"version\": 1, \"surprise\": 1,")]                                     // unknown member
    [InlineData("\"2026-01-01T00:00:00-05:00\"", "\"2026-01-01T00:00:00\"")]                            // instant without offset
    [InlineData("\"last4\"", "\"none\"")]                                                                 // unknown mask
    [InlineData("\"search\", \"read\"", "0")]                                                             // enum as a number
    [InlineData("\"partnerAgency\": \"ICE-ERO-PHL\",", "\"partnerAgency\": \"ICE-ERO-PHL\", \"partnerAgency\": \"X\",")] // duplicate member
    [InlineData("\"version\": 1,", "")]                                                                   // required member missing
    [InlineData("\"partnerAgency\": \"ICE-ERO-PHL\"", "\"partnerAgency\": null")]                           // null where not allowed
    public void Parsing_is_strict(string find, string replace)
    {
        var json = File.ReadAllText(TestAgreements.RepoPath("docs", "agreements", "examples", "ice-2026.json"));
        json.ShouldContain(find);
        var broken = ReplaceFirst(json, find, replace);

        AgreementJson.TryParse(broken, out var document, out var error).ShouldBeFalse();
        document.ShouldBeNull();
        error.ShouldNotBeNull();
        Should.Throw<DomainException>(() => AgreementJson.Parse(broken)).Code.ShouldBe(ErrorCodes.MalformedJson);
    }

    [Fact]
    public void The_schema_describes_exactly_the_document_the_code_reads()
    {
        var schema = JsonNode.Parse(File.ReadAllText(TestAgreements.RepoPath("docs", "agreements", "agreement.schema.json")))!.AsObject();
        var full = TestAgreements.Document() with
        {
            RowScope = new RowScope { Statuses = [], ChargeGrades = [], OffenseCategories = [], Districts = [], BookedWithinDays = 1 },
            Quorum = new QuorumRule(), // optional since the charter decides the quorum; still part of the format
            AutoSuspendOn = ["disparity"],
        };
        var written = JsonNode.Parse(AgreementJson.Serialize(full))!.AsObject();

        Keys(schema["properties"]).ShouldBe(written.Select(p => p.Key).Order(StringComparer.Ordinal));
        Keys(schema["properties"]!["rowScope"]!["properties"]).ShouldBe(written["rowScope"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));

        var fields = schema["properties"]!["fields"]!["properties"]!.AsObject();
        Keys(fields).ShouldBe(DisclosableFields.All.Select(f => f.Name).Order(StringComparer.Ordinal));
        foreach (var field in DisclosableFields.All)
        {
            fields[field.Name]!["enum"]!.AsArray().Select(n => n!.GetValue<string>())
                .ShouldBe(field.Masks.Select(AgreementJson.MaskName), field.Name);
        }

        schema["properties"]!["allowedCriteria"]!["items"]!["enum"]!.AsArray().Select(n => n!.GetValue<string>())
            .ShouldBe(SearchCriteria.All);
        schema["properties"]!["autoSuspendOn"]!["items"]!["enum"]!.AsArray().Select(n => n!.GetValue<string>())
            .ShouldBe(Enum.GetValues<Core.Oversight.AlertKind>().Select(Core.Oversight.AlertKinds.Name));
    }

    private static IEnumerable<string> Keys(JsonNode? node) => node!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal);

    private static string ReplaceFirst(string text, string find, string replace)
    {
        var at = text.IndexOf(find, StringComparison.Ordinal);
        return text[..at] + replace + text[(at + find.Length)..];
    }

    [Fact]
    public void Events_serialize_with_their_stable_discriminators()
    {
        var events = TestAgreements.Approved().Events;
        var json = JsonSerializer.Serialize<IReadOnlyList<AgreementEvent>>(events, AgreementJson.Options);
        json.ShouldContain("\"type\": \"agreement-drafted\"");
        json.ShouldContain("\"type\": \"agreement-vote-cast\"");
        var back = JsonSerializer.Deserialize<List<AgreementEvent>>(json, AgreementJson.Options)!;
        AgreementStatusCalculator.StatusAt(back, Charter.TestCharters.Philadelphia, TestAgreements.EffectiveAt).Status.ShouldBe(AgreementStatus.Active);
    }
}
