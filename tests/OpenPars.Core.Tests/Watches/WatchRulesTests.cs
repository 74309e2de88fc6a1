using OpenPars.Core.Agreements;
using OpenPars.Core.Tests.Agreements;
using OpenPars.Core.Watches;
using Shouldly;
using Xunit;

namespace OpenPars.Core.Tests.Watches;

/// <summary>The watch's pure rules: the agreement's grant and quota, the expiry against the agreement's, active at an
/// instant (boundaries to the tick), the id.</summary>
public class WatchRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 14, 0, 0, TimeSpan.Zero);

    private static string[] RulesOf(AgreementDocument document) =>
        [.. AgreementValidator.Validate(document).All.Select(e => $"{e.Field}:{e.Rule}")];

    [Fact]
    public void An_agreement_granting_watch_must_bound_the_active_watches()
    {
        var watching = TestAgreements.Document() with { Operations = [PartnerOperation.Search, PartnerOperation.Watch] };
        RulesOf(watching).ShouldBe(["quotas.maxActiveWatches:required"]);
        RulesOf(watching with { Quotas = watching.Quotas with { MaxActiveWatches = 25 } }).ShouldBeEmpty();
        RulesOf(watching with { Quotas = watching.Quotas with { MaxActiveWatches = 0 } }).ShouldBe(["quotas.maxActiveWatches:range"]);
        RulesOf(watching with { Quotas = watching.Quotas with { MaxActiveWatches = AgreementValidator.MaxActiveWatchesLimit + 1 } }).ShouldBe(["quotas.maxActiveWatches:range"]);
    }

    [Fact]
    public void A_watch_agreement_must_allow_criteria_that_identify_a_person()
    {
        var document = TestAgreements.Document() with
        {
            Operations = [PartnerOperation.Watch],
            AllowedCriteria = [SearchCriteria.LastName, SearchCriteria.District],
            Quotas = TestAgreements.Document().Quotas with { MaxActiveWatches = 5 },
        };
        RulesOf(document).ShouldBe(["allowedCriteria:cannot-identify"]);
    }

    [Fact]
    public void The_expiry_defaults_to_the_agreements_and_never_passes_it()
    {
        var agreementEnds = Now.AddDays(30);
        WatchRules.Expiry(null, agreementEnds, Now).ShouldBe(agreementEnds);
        WatchRules.Expiry(agreementEnds, agreementEnds, Now).ShouldBe(agreementEnds);
        WatchRules.Expiry(agreementEnds.AddTicks(1), agreementEnds, Now).ShouldBeNull();
        WatchRules.Expiry(Now, agreementEnds, Now).ShouldBeNull();
        WatchRules.Expiry(Now.AddTicks(1), agreementEnds, Now).ShouldBe(Now.AddTicks(1));
    }

    [Fact]
    public void A_watch_is_active_from_its_registration_until_the_tick_before_its_expiry_or_cancellation()
    {
        var expires = Now.AddDays(1);
        WatchRules.ActiveAt(Now, expires, null, Now.AddTicks(-1)).ShouldBeFalse();
        WatchRules.ActiveAt(Now, expires, null, Now).ShouldBeTrue();
        WatchRules.ActiveAt(Now, expires, null, expires.AddTicks(-1)).ShouldBeTrue();
        WatchRules.ActiveAt(Now, expires, null, expires).ShouldBeFalse();
        WatchRules.ActiveAt(Now, expires, Now.AddHours(1), Now.AddHours(1).AddTicks(-1)).ShouldBeTrue();
        WatchRules.ActiveAt(Now, expires, Now.AddHours(1), Now.AddHours(1)).ShouldBeFalse();
    }

    [Fact]
    public void Ids_are_random_and_prefixed()
    {
        var ids = Enumerable.Range(0, 100).Select(_ => WatchRules.NewId()).ToList();
        ids.ShouldAllBe(id => id.StartsWith(WatchRules.IdPrefix, StringComparison.Ordinal) && id.Length == 23);
        ids.Distinct().Count().ShouldBe(100);
    }

    [Fact]
    public void The_watch_matched_contract_round_trips()
    {
        var match = new WatchMatched("pw-1", "ice-2026", 4, "ICE", "26-0000042", "arrest-booked", Now, 1234);
        WatchMatched.FromJson(match.ToJson()).ShouldBe(match);
    }
}
