using OpenPars.Core.Agreements;
using OpenPars.Core.Charter;
using OpenPars.Demo;
using OpenPars.Testing;
using Shouldly;
using Xunit;

namespace OpenPars.Storage.Tests.Demo;

/// <summary>The demo's agreements are ones the shipped charter admits, and a stricter pack refuses them for its reasons.
/// (Moved from Core.Tests' CharterDataTests when the demo left Storage: Core.Tests references only Core.)</summary>
public class DemoAgreementsTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 10, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_demo_agreements_fit_the_Philadelphia_charter()
    {
        var charter = CharterJson.LoadDefault();
        foreach (var (document, kind) in new[] { (DemoAgreements.Ice(Start), "immigration-enforcement"), (DemoAgreements.Fbi(Start), "federal-law-enforcement") })
        {
            CharterFit.Check(charter, document, kind).All.ShouldBeEmpty(document.AgreementId);
            CharterFit.Check(charter, document, partnerKind: null).All.ShouldBeEmpty(document.AgreementId);
        }
    }

    [Fact]
    public void Under_the_California_pack_the_demo_ICE_agreement_is_refused_naming_the_statute()
    {
        var withAllPacks = CharterJson.Parse(
            File.ReadAllText(TestRepository.PathOf("data", "charters", "philadelphia.json"))
                .Replace("\"packs\": []", "\"packs\": [\"california-sb54\", \"illinois-trust\", \"washington-kww\"]", StringComparison.Ordinal));
        var errors = CharterFit.Check(withAllPacks, DemoAgreements.Ice(Start), "immigration-enforcement");

        errors.All.ShouldContain(e => e.Field == "fields.arraignment.custody" && e.Rule == CharterErrorCodes.Rules.PartnerField && e.Message.Contains("7284.6(a)(1)(C)"));
        errors.All.ShouldContain(e => e.Field == "purposes[2]" && e.Rule == CharterErrorCodes.Rules.PartnerPurpose && e.Message.Contains("7284.6(a)(4)"));
        CharterFit.CodeOf(errors).ShouldBe(CharterErrorCodes.FieldForPartnerKind);
    }
}
