using OpenPars.Testing;
using OpenPars.Core.Agencies;
using OpenPars.Core.Agreements;
using OpenPars.Core.Charter;
using OpenPars.Core.Policy;
using OpenPars.Core.Tests.Agreements;
using Shouldly;
using Xunit;
using static OpenPars.Core.Tests.Agreements.TestAgreements;

namespace OpenPars.Core.Tests.Charter;

/// <summary>The partner pipeline checks the agreement in force against the charter in force on every request, so
/// a charter amendment stops an agreement that no longer fits, at the amendment's instant, to the second.</summary>
public class CharterPipelineTests
{
    private static readonly Dictionary<string, string> ByName = new() { ["lastName"] = "Doe", ["dateOfBirth"] = "1987-06-05" };
    private static readonly PartnerRequest GoodSearch = PartnerRequest.Search(ByName, "criminal-investigation", "Armed robbery investigation, suspect identified", "CASE-2026-001");

    private static Caller Caller(string? kind) => PolicyCallers.PartnerAnalyst(40, "analyst", Partner.AgencyCode, kind);

    [Fact]
    public void An_amendment_that_forbids_a_granted_field_stops_the_agreement_from_its_instant()
    {
        var amendedAt = EffectiveAt.AddDays(50);
        var amended = TestCharters.Philadelphia with
        {
            Version = 2,
            PartnerRules = [.. TestCharters.Philadelphia.PartnerRules, new PartnerRule { Id = "no-ssn-to-immigration", Title = "No SSN", PartnerKinds = ["immigration-enforcement"], NeverFields = [DisclosableFields.Ssn], Citation = "Amendment 1" }],
        };
        var charters = CharterTimeline.From([new CharterPeriod(TestCharters.Philadelphia, DateTimeOffset.MinValue), new CharterPeriod(amended, amendedAt)]);
        var agreement = Approved(); // grants person.ssn (last 4)

        PartnerPolicy.Decide(Caller("immigration-enforcement"), agreement.Events, charters, GoodSearch, QuotaUsage.None, amendedAt.AddSeconds(-1))
            .ShouldBeOfType<PolicyDecision.Allowed>();
        var refused = PartnerPolicy.Decide(Caller("immigration-enforcement"), agreement.Events, charters, GoodSearch, QuotaUsage.None, amendedAt)
            .ShouldBeOfType<PolicyDecision.Refused>();
        refused.Code.ShouldBe(CharterErrorCodes.FieldForPartnerKind);
        refused.Rule.ShouldBe("agreement-fits-charter");
        refused.HttpStatus.ShouldBe(403);

        // A partner of another kind is not bound by that rule; one of no declared kind is bound by every rule.
        PartnerPolicy.Decide(Caller("federal-law-enforcement"), agreement.Events, charters, GoodSearch, QuotaUsage.None, amendedAt).ShouldBeOfType<PolicyDecision.Allowed>();
        PartnerPolicy.Decide(Caller(null), agreement.Events, charters, GoodSearch, QuotaUsage.None, amendedAt).ShouldBeOfType<PolicyDecision.Refused>()
            .Code.ShouldBe(CharterErrorCodes.FieldForPartnerKind);
    }

    [Fact]
    public void A_forged_history_with_a_weak_document_is_refused_by_the_pipeline()
    {
        // Appended without governance: adults-only off and full SSN; the quorum and everything else in order.
        var weak = Document() with { RowScope = Document().RowScope with { AdultsOnly = false }, Fields = new(Document().Fields) { [DisclosableFields.Ssn] = FieldMask.Full } };
        var events = new List<AgreementEvent>
        {
            new AgreementDrafted { AgreementId = weak.AgreementId, Sequence = 1, RecordedAt = EffectiveAt.AddDays(-30), Actor = Police, Document = weak },
            new AgreementProposed { AgreementId = weak.AgreementId, Sequence = 2, RecordedAt = EffectiveAt.AddDays(-30), Actor = Police, Version = 1 },
        };
        foreach (var actor in new[] { Police, Da, Courts })
        {
            events.Add(new AgreementVoteCast { AgreementId = weak.AgreementId, Sequence = events.Count + 1, RecordedAt = EffectiveAt.AddDays(-20), Actor = actor, Version = 1, Kind = VoteKind.Consent, Statement = "yes" });
        }

        PartnerPolicy.Decide(Caller(null), events, CharterTimeline.Of(TestCharters.Philadelphia), GoodSearch, QuotaUsage.None, EffectiveAt.AddDays(1))
            .ShouldBeOfType<PolicyDecision.Refused>().Code.ShouldBe(CharterErrorCodes.AdultsOnly);
    }

    [Fact]
    public void Without_a_charter_nothing_is_enforced()
    {
        var agreement = Approved();
        var standing = agreement.StatusAt(EffectiveAt.AddDays(1));
        var context = new PolicyContext(Caller(null), standing, GoodSearch, QuotaUsage.None, EffectiveAt.AddDays(1), PolicyOptions.Default);

        new Core.Policy.Checks.AgreementFitsCharter().Check(context).ShouldNotBeNull().Code.ShouldBe(CharterErrorCodes.NoCharter);
    }
}
