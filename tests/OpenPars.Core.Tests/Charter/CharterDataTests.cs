using OpenPars.Core.Agencies;
using OpenPars.Core.Agreements;
using OpenPars.Core.Charter;
using OpenPars.Core.Common;
using OpenPars.Core.Tests.Agreements;
using Shouldly;
using Xunit;

namespace OpenPars.Core.Tests.Charter;

/// <summary>The shipped charter and packs load, say what the issue asks, and the loader is strict like the statutes'.</summary>
public class CharterDataTests
{
    private static string PhiladelphiaJson => File.ReadAllText(TestAgreements.RepoPath("data", "charters", "philadelphia.json"));

    [Fact]
    public void The_Philadelphia_charter_is_the_PARS_rule()
    {
        var charter = CharterJson.LoadDefault();

        charter.CharterId.ShouldBe("philadelphia");
        charter.Version.ShouldBe(1);
        charter.Stakeholders.Select(s => (s.Agency, s.Kind)).ShouldBe([("PPD", AgencyKind.Police), ("DAO", AgencyKind.DistrictAttorney), ("FJD", AgencyKind.Courts)]);
        charter.Quorum.ShouldBe(new CharterQuorum { ConsentsToEnter = 3, ConsentsToRenew = 3, ConsentsToResume = 3, WithdrawalsToEnd = 2 });
        charter.LongestTerm.Months.ShouldBe(12);
        charter.Safeguards.ReasonRequired.ShouldBeTrue();
        charter.Safeguards.CaseNumberRequired.ShouldBeTrue();
        charter.Safeguards.AdultsOnly.ShouldBeTrue();
        charter.Safeguards.NeverShared.ShouldContain("involvedParties");
        charter.Safeguards.NeverShared.ShouldContain("incident.narrative");
        charter.Safeguards.MaskLimits[DisclosableFields.Ssn].ShouldBe([FieldMask.Last4]);
        charter.PartnerKinds.Select(k => k.Code).ShouldContain("immigration-enforcement");
        charter.PartnerKinds.Select(k => k.Code).ShouldContain("federal-law-enforcement");
        charter.PartnerRules.ShouldAllBe(r => r.Citation.Length > 0 && r.Pack == null);
        CharterJson.Serialize(CharterJson.Parse(PhiladelphiaJson)).ShouldBe(CharterJson.Serialize(charter)); // the embedded copy is the data file
    }

    [Theory]
    [InlineData("california-sb54", "Cal. Gov. Code § 7284.6")]
    [InlineData("illinois-trust", "5 ILCS 805/15")]
    [InlineData("washington-kww", "RCW 10.93.160")]
    public void Each_pack_loads_and_every_rule_cites_its_statute(string pack, string statute)
    {
        var charter = TestCharters.WithAllPacks;

        var rules = charter.PartnerRules.Where(r => r.Pack == pack).ToList();
        rules.ShouldNotBeEmpty();
        rules.ShouldAllBe(r => r.Citation.Contains(statute, StringComparison.Ordinal));
        charter.Packs.ShouldContain(pack);
    }

    [Fact]
    public void The_packs_say_what_the_issue_asks()
    {
        var charter = TestCharters.WithAllPacks;
        var immigration = charter.RulesFor("immigration-enforcement").ToList();

        immigration.ShouldContain(r => r.Pack == "california-sb54" && r.NeverFields.Contains(DisclosableFields.Address));      // home address
        immigration.ShouldContain(r => r.Pack == "california-sb54" && r.NeverFields.Contains(DisclosableFields.Custody));      // release date
        immigration.ShouldContain(r => r.Pack == "illinois-trust" && r.NeverFields.Contains("person.placeOfBirth"));         // place of birth
        immigration.ShouldContain(r => r.Pack == "washington-kww" && r.NeverPurposes.Contains("civil-immigration"));         // civil immigration purpose

        // A federal criminal agency is held only to the rules that name it.
        charter.RulesFor("federal-law-enforcement").ShouldAllBe(r => r.PartnerKinds.Contains("federal-law-enforcement"));
        charter.RulesFor(null).Count().ShouldBe(charter.PartnerRules.Count);          // undeclared: every rule
        charter.RulesFor("no-such-kind").Count().ShouldBe(charter.PartnerRules.Count); // unknown: every rule
    }

    [Fact]
    public void The_published_agreements_fit_the_Philadelphia_charter()
    {
        // The demo's own agreements are checked beside the demo (tests/OpenPars.Storage.Tests/Demo/DemoAgreementsTests.cs).
        var charter = CharterJson.LoadDefault();
        var examples = new[] { "ice-2026.json", "fbi-2026.json" }
            .Select(f => AgreementJson.Parse(File.ReadAllText(TestAgreements.RepoPath("docs", "agreements", "examples", f))));

        foreach (var document in examples)
        {
            var kind = document.PartnerAgency.StartsWith("ICE", StringComparison.Ordinal) ? "immigration-enforcement" : "federal-law-enforcement";
            CharterFit.Check(charter, document, kind).All.ShouldBeEmpty(document.AgreementId);
            CharterFit.Check(charter, document, partnerKind: null).All.ShouldBeEmpty(document.AgreementId);
        }
    }

    public static TheoryData<string, string, string, string> Broken => new()
    {
        // name, find, replace, expected code (and, for -021, the rule)
        { "unknown member", "\"version\": 1,", "\"version\": 1, \"surprise\": 1,", CharterErrorCodes.MalformedCharter },
        { "duplicate member", "\"version\": 1,", "\"version\": 1, \"version\": 2,", CharterErrorCodes.MalformedCharter },
        { "missing required member", "\"version\": 1,", "", CharterErrorCodes.MalformedCharter },
        { "kind as an unknown name", "\"kind\": \"courts\"", "\"kind\": \"court\"", CharterErrorCodes.MalformedCharter },
        { "two police agencies", "\"kind\": \"courts\"", "\"kind\": \"police\"", "one-per-kind" },
        { "a partner stakeholder", "\"kind\": \"courts\"", "\"kind\": \"partner\"", "stakeholder-kind" },
        { "quorum of none", "\"consentsToEnter\": 3", "\"consentsToEnter\": 0", "range" },
        { "quorum above the stakeholders", "\"withdrawalsToEnd\": 2", "\"withdrawalsToEnd\": 4", "range" },
        { "term of no months", "\"months\": 12", "\"months\": 0", "range" },
        { "unknown pack", "\"packs\": []", "\"packs\": [\"atlantis\"]", "unknown-pack" },
        { "a pack rule written inline", "\"id\": \"phl-no-home-address-to-immigration\",", "\"id\": \"phl-no-home-address-to-immigration\", \"pack\": \"california-sb54\",", "pack-rule-inline" },
        { "a rule for an undefined kind", "\"partnerKinds\": [\"immigration-enforcement\"],\n      \"neverFields\"", "\"partnerKinds\": [\"martians\"],\n      \"neverFields\"", "unknown-partner-kind" },
        { "a rule on a field that does not exist", "\"neverFields\": [\"person.address\"]", "\"neverFields\": [\"person.shoeSize\"]", "unknown-field" },
        { "a mask limit the field cannot have", "\"person.ssn\": [\"last4\"]", "\"person.ssn\": [\"year\"]", "mask-not-allowed" },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void The_loader_is_strict(string name, string find, string replace, string expected)
    {
        PhiladelphiaJson.ShouldContain(find, customMessage: name);
        var broken = PhiladelphiaJson.Replace(find, replace, StringComparison.Ordinal);

        var refused = Should.Throw<DomainException>(() => CharterJson.Parse(broken), name);
        if (expected.StartsWith("PARS-", StringComparison.Ordinal))
        {
            refused.Code.ShouldBe(expected, name);
        }
        else
        {
            refused.Code.ShouldBe(CharterErrorCodes.InvalidCharter, name);
            refused.Errors!.All.Select(e => e.Rule).ShouldContain(expected, name);
        }
    }

    [Fact]
    public void A_resolved_charter_round_trips_with_its_pack_rules_inline()
    {
        var charter = TestCharters.WithAllPacks;
        var stored = CharterJson.Serialize(charter);
        var back = System.Text.Json.JsonSerializer.Deserialize<CharterDocument>(stored, CharterJson.Options)!;

        back.PartnerRules.Select(r => (r.Id, r.Pack)).ShouldBe(charter.PartnerRules.Select(r => (r.Id, r.Pack)));
        CharterValidator.Validate(back).All.ShouldBeEmpty();
        CharterJson.Serialize(back).ShouldBe(stored);
    }

    [Fact]
    public void Every_code_has_a_title_and_codes_do_not_repeat()
    {
        CharterErrorCodes.All.Select(c => c.Code).ShouldBeUnique();
        CharterErrorCodes.All.ShouldAllBe(c => c.Code.StartsWith("PARS-CHR-", StringComparison.Ordinal) && c.Title.Length > 10);
        typeof(CharterErrorCodes.Rules).GetFields().Select(f => (string)f.GetValue(null)!)
            .ShouldAllBe(rule => CharterErrorCodes.CodeOf(rule) != CharterErrorCodes.InvalidCharter);
    }
}
