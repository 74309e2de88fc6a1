using OpenPars.Testing;
using CsCheck;
using OpenPars.Core.Agencies;
using OpenPars.Core.Agreements;
using OpenPars.Core.Policy;
using OpenPars.Core.Tests.Agreements;
using OpenPars.Core.Tests.Charter;
using Shouldly;
using Xunit;
using static OpenPars.Core.Tests.Agreements.TestAgreements;

namespace OpenPars.Core.Tests.Policy;

/// <summary>Issue 9: blocked reason terms and prohibited criteria are recognised after NFKC/NFKD, case folding,
/// look-alike letters and the removal of punctuation, spacing and separators: the insider's spellings.</summary>
public class NormalisationTests
{
    private static readonly Caller Caller = PolicyCallers.PartnerAnalyst(40, "analyst", Partner.AgencyCode);
    private static readonly DateTimeOffset Now = EffectiveAt.AddDays(100);
    private static readonly Dictionary<string, string> ByName = new() { ["lastName"] = "Doe", ["dateOfBirth"] = "1987-06-05" };

    private static string Decide(string reason, IReadOnlyDictionary<string, string>? criteria = null)
    {
        var agreement = Approved(Document() with { BlockedReasonTerms = ["sweep", "foreign-born", "country of birth"] });
        var request = PartnerRequest.Search(criteria ?? ByName, "criminal-investigation", reason, "CASE-2026-001");
        return PartnerPolicy.Decide(Caller, agreement.Events, agreement.Charter.Charters, request, QuotaUsage.None, Now) switch
        {
            PolicyDecision.Refused refused => refused.Code,
            _ => "allowed",
        };
    }

    [Theory]
    [InlineData("Checking every foreign born arrestee")]
    [InlineData("Checking every foreign--born arrestee")]
    [InlineData("Checking every Foreign_Born arrestee")]
    [InlineData("A weekly s-w-e-e-p of the bookings")]
    [InlineData("A weekly s w e e p of the bookings")]
    [InlineData("A weekly sw\u212Eep of the bookings")]        // ℮ estimated symbol
    [InlineData("A weekly sw\u0435ep of the bookings")]        // Cyrillic е
    [InlineData("A weekly \u0455weep of the bookings")]        // Cyrillic ѕ
    [InlineData("A weekly ｓｗｅｅｐ of the bookings")]            // fullwidth
    [InlineData("A weekly SWEEP of the bookings")]
    [InlineData("A weekly sw\u200Beep of the bookings")]       // zero-width space
    [InlineData("A weekly swe\u0301ep of the bookings")]       // combining accent
    [InlineData("By COUNTRY-of-BIRTH, all of them")]
    public void A_blocked_term_in_any_spelling_is_refused(string reason) =>
        Decide(reason).ShouldBe(AgreementErrorCodes.ReasonBlockedTerm);

    [Theory]
    [InlineData("Armed robbery investigation, suspect identified")]
    [InlineData("Locating the suspect of a robbery series in district 24")]
    public void A_plain_reason_is_allowed(string reason) => Decide(reason).ShouldBe("allowed");

    [Theory]
    [InlineData("placeOfBırth")]                 // dotless ı
    [InlineData("ｐｌａｃｅＯｆＢｉｒｔｈ")]          // fullwidth
    [InlineData("pl\u0430c\u0435OfBirth")]       // Cyrillic а and е
    [InlineData("Place_Of_Birth")]
    [InlineData("PLACE OF BIRTH")]
    [InlineData("person.placeOfBirth")]
    [InlineData("place\u00ADof\u00ADbirth")]     // soft hyphens
    [InlineData("𝐩𝐥𝐚𝐜𝐞𝐎𝐟𝐁𝐢𝐫𝐭𝐡")]                 // mathematical bold
    [InlineData("r\u0430ce")]                    // Cyrillic а
    [InlineData("ΝΑΤΙΟΝΑLΙΤΥ")]                  // Greek capitals
    public void A_prohibited_criterion_in_any_spelling_is_020_never_021(string criterion) =>
        Decide("Armed robbery investigation, suspect identified", new Dictionary<string, string>(ByName) { [criterion] = "x" })
            .ShouldBe(AgreementErrorCodes.ProhibitedCriterion);

    [Fact]
    public void Any_mix_of_case_separators_and_look_alikes_in_a_blocked_term_is_caught()
    {
        char[] separators = ['-', ' ', '_', '.', '\u200B', '\u00AD', '\u2010'];
        var lookAlikes = new Dictionary<char, char[]>
        {
            ['s'] = ['s', 'S', '\u0455', '\u0405', 'ｓ'],
            ['w'] = ['w', 'W', '\u051D', 'ｗ'],
            ['e'] = ['e', 'E', '\u0435', '\u0415', '\u212E', 'ｅ', '\u0395'],
            ['p'] = ['p', 'P', '\u0440', '\u0420', '\u03C1', 'ｐ'],
        };
        var genChar = Gen.Int[0, 1000].Array[8];
        genChar.Sample(dice =>
        {
            var spelled = string.Concat("sweep".Select((c, i) =>
                lookAlikes[c][dice[i] % lookAlikes[c].Length] + (dice[i] % 3 == 0 ? separators[dice[i] % separators.Length].ToString() : "")));
            NameFolding.ContainsFolded($"Routine {spelled} of the day's bookings", "sweep").ShouldBeTrue(spelled);
            ProhibitedCriteria.BuiltIn.IsProhibited(string.Concat("placeOfBirth".Select((c, i) => (i % 2 == dice[i % 8] % 2 ? char.ToUpperInvariant(c) : c) + (dice[(i + 3) % 8] % 4 == 0 ? "_" : "")))).ShouldBeTrue();
        }, iter: 2000);
    }

    [Fact]
    public void A_document_cannot_allow_or_grant_a_look_alike_of_a_prohibited_name()
    {
        var errors = AgreementValidator.Validate(Document() with
        {
            AllowedCriteria = [.. Document().AllowedCriteria, "placeOfBırth"],
            Fields = new(Document().Fields) { ["person.pl\u0430ceOfBirth"] = FieldMask.Full },
        });

        errors.All.ShouldContain(e => e.Field == "allowedCriteria[5]" && e.Rule == AgreementErrorCodes.Rules.ProhibitedCriterion);
        errors.All.ShouldContain(e => e.Field == "fields.person.pl\u0430ceOfBirth" && e.Rule == AgreementErrorCodes.Rules.NeverGrantable);
    }

    [Fact]
    public void A_term_that_folds_to_nothing_blocks_nothing() =>
        NameFolding.ContainsFolded("Armed robbery investigation", "--").ShouldBeFalse();

    [Fact]
    public void The_charters_minimum_reason_length_raises_the_deployments_at_the_boundary()
    {
        var charter = TestCharters.Philadelphia with { Safeguards = TestCharters.Philadelphia.Safeguards with { MinReasonLength = 15 } };
        var agreement = Approved(charter: charter.Governing());
        string At(int length) => PartnerPolicy.Decide(Caller, agreement.Events, agreement.Charter.Charters,
            PartnerRequest.Search(ByName, "criminal-investigation", new string('r', length), "CASE-1"), QuotaUsage.None, Now) is PolicyDecision.Refused r ? r.Code : "allowed";

        At(14).ShouldBe(AgreementErrorCodes.ReasonMissing);
        At(15).ShouldBe("allowed");
        At(16).ShouldBe("allowed");
    }

    [Theory]
    [InlineData(9, false)]
    [InlineData(10, true)]
    [InlineData(11, true)]
    public void A_reason_at_the_minimum_length_is_enough_and_one_less_is_not(int length, bool allowed)
    {
        var agreement = Approved();
        var request = PartnerRequest.Search(ByName, "criminal-investigation", "  " + new string('r', length) + "  ", "CASE-1");
        var decision = PartnerPolicy.Decide(Caller, agreement.Events, agreement.Charter.Charters, request, QuotaUsage.None, Now);
        (decision is PolicyDecision.Allowed).ShouldBe(allowed);
    }
}
