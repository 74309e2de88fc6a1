using OpenPars.Core.Tests.Charter;
using OpenPars.Core.Agreements;
using OpenPars.Core.Common;
using Shouldly;
using Xunit;
using static OpenPars.Core.Tests.Agreements.TestAgreements;

namespace OpenPars.Core.Tests.Agreements;

/// <summary>
/// The numeric and instant rules of agreements at n − 1, n and n + 1 (to the tick for instants): what a document
/// may say, when a version starts, expires and is cut off by withdrawals, when a renewal and a notice are valid, and
/// which quota day an instant belongs to. Quorum counts are tested with the charter, not here.
/// </summary>
public class AgreementBoundaryTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    private static IEnumerable<string> RulesOf(AgreementDocument document) => AgreementValidator.Validate(document).All.Select(e => $"{e.Field}:{e.Rule}");

    // ------------------------------------------------------------------------------------------- what a document may say

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(2, true)]
    public void Version_is_1_or_more(int version, bool valid) =>
        RulesOf(Document(version)).Contains("version:min-value").ShouldBe(!valid);

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(2, true)]
    [InlineData(3649, true)]
    [InlineData(3650, true)]
    [InlineData(3651, false)]
    public void BookedWithinDays_is_1_to_3650(int days, bool valid)
    {
        AgreementValidator.MaxBookedWithinDays.ShouldBe(3650);
        RulesOf(Document() with { RowScope = new RowScope { BookedWithinDays = days } }).Contains("rowScope.bookedWithinDays:range").ShouldBe(!valid);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(2, true)]
    [InlineData(99_999, true)]
    [InlineData(100_000, true)]
    [InlineData(100_001, false)]
    public void Queries_per_user_per_day_is_1_to_100000(int quota, bool valid) =>
        RulesOf(Document() with { Quotas = new AgreementQuotas { QueriesPerUserPerDay = quota, RecordsPerAgencyPerDay = 500 } })
            .ShouldBe(valid ? [] : ["quotas.queriesPerUserPerDay:range"]);

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(2, true)]
    [InlineData(999_999, true)]
    [InlineData(1_000_000, true)]
    [InlineData(1_000_001, false)]
    public void Records_per_agency_per_day_is_1_to_1000000(int quota, bool valid) =>
        RulesOf(Document() with { Quotas = new AgreementQuotas { QueriesPerUserPerDay = 50, RecordsPerAgencyPerDay = quota } })
            .ShouldBe(valid ? [] : ["quotas.recordsPerAgencyPerDay:range"]);

    [Fact]
    public void ExpiresAt_one_tick_after_effectiveAt_is_the_shortest_valid_agreement()
    {
        RulesOf(Document(expiresAt: EffectiveAt - Tick)).ShouldBe(["expiresAt:" + AgreementErrorCodes.Rules.ExpiresAfterEffective]);
        RulesOf(Document(expiresAt: EffectiveAt)).ShouldBe(["expiresAt:" + AgreementErrorCodes.Rules.ExpiresAfterEffective]);
        RulesOf(Document(expiresAt: EffectiveAt + Tick)).ShouldBeEmpty();
    }

    [Theory]
    [InlineData(200, true)]
    [InlineData(201, false)]
    public void Title_is_at_most_200_characters(int length, bool valid) =>
        RulesOf(Document() with { Title = new string('t', length) }).ShouldBe(valid ? [] : ["title:max-length"]);

    // ------------------------------------------------------------------------------------------- start, expiry, cut-off

    [Fact]
    public void A_version_enters_into_force_at_effectiveAt_to_the_tick()
    {
        var script = Approved();
        script.StatusAt(EffectiveAt - Tick).Status.ShouldBe(AgreementStatus.Proposed);
        script.StatusAt(EffectiveAt).Status.ShouldBe(AgreementStatus.Active);
        script.StatusAt(EffectiveAt + Tick).Status.ShouldBe(AgreementStatus.Active);
    }

    [Fact]
    public void A_version_whose_quorum_comes_after_effectiveAt_enters_into_force_at_the_quorum_vote_to_the_tick()
    {
        var quorumAt = EffectiveAt.AddDays(3);
        var script = new AgreementScript().Draft(Document(), EffectiveAt.AddDays(-1)).Propose(1, EffectiveAt.AddDays(-1))
            .Vote(Police, 1, VoteKind.Consent, EffectiveAt.AddDays(1)).Vote(Da, 1, VoteKind.Consent, EffectiveAt.AddDays(2))
            .Vote(Courts, 1, VoteKind.Consent, quorumAt);

        script.StatusAt(quorumAt - Tick).Status.ShouldBe(AgreementStatus.Proposed);
        var active = script.StatusAt(quorumAt);
        active.Status.ShouldBe(AgreementStatus.Active);
        active.EffectiveAt.ShouldBe(quorumAt);
    }

    [Fact]
    public void A_version_expires_at_expiresAt_to_the_tick()
    {
        var script = Approved();
        script.StatusAt(ExpiresAt - Tick).Status.ShouldBe(AgreementStatus.Active);
        var expired = script.StatusAt(ExpiresAt);
        expired.Status.ShouldBe(AgreementStatus.Expired);
        expired.CutOffAt.ShouldBe(ExpiresAt);
        script.StatusAt(ExpiresAt + Tick).Status.ShouldBe(AgreementStatus.Expired);
    }

    [Fact]
    public void Withdrawals_cut_off_at_the_notice_instant_of_the_second_to_the_tick()
    {
        var cast = EffectiveAt.AddDays(10);
        var notice = EffectiveAt.AddDays(40);
        var script = Approved().Vote(Police, 1, VoteKind.Withdraw, cast).Vote(Courts, 1, VoteKind.Withdraw, cast, notice);

        script.StatusAt(notice - Tick).Status.ShouldBe(AgreementStatus.Active);
        var terminated = script.StatusAt(notice);
        terminated.Status.ShouldBe(AgreementStatus.Terminated);
        terminated.CutOffAt.ShouldBe(notice);
        script.StatusAt(notice + Tick).Status.ShouldBe(AgreementStatus.Terminated);
    }

    [Fact]
    public void A_notice_at_the_instant_the_vote_is_cast_takes_effect_at_once()
    {
        var cast = EffectiveAt.AddDays(10);
        var script = Approved().Vote(Police, 1, VoteKind.Withdraw, cast - Tick).Vote(Courts, 1, VoteKind.Withdraw, cast, notice: cast);
        script.Events.OfType<AgreementVoteCast>().Last().WithdrawalEffectiveAt.ShouldBe(cast);
        script.StatusAt(cast - Tick).Status.ShouldBe(AgreementStatus.Active);
        script.StatusAt(cast).Status.ShouldBe(AgreementStatus.Terminated);
    }

    [Fact]
    public void An_event_recorded_at_the_instant_asked_about_counts()
    {
        var suspendedAt = EffectiveAt.AddDays(5);
        var script = Approved().Suspend(suspendedAt);
        script.StatusAt(suspendedAt - Tick).Status.ShouldBe(AgreementStatus.Active);
        script.StatusAt(suspendedAt).Status.ShouldBe(AgreementStatus.Suspended);
    }

    // ------------------------------------------------------------------------------------------- renewals and notices

    [Fact]
    public void A_renewal_must_expire_at_least_one_tick_after_the_version_it_renews()
    {
        var at = EffectiveAt.AddDays(100);
        var same = Should.Throw<DomainException>(() => Approved().Draft(Document(2, expiresAt: ExpiresAt), at));
        same.Code.ShouldBe(AgreementErrorCodes.InvalidRenewal);
        Should.Throw<DomainException>(() => Approved().Draft(Document(2, expiresAt: ExpiresAt - Tick), at)).Code.ShouldBe(AgreementErrorCodes.InvalidRenewal);
        Approved().Draft(Document(2, expiresAt: ExpiresAt + Tick), at).Events.Count.ShouldBe(6);
    }

    [Fact]
    public void A_withdrawal_notice_may_be_now_but_not_one_tick_before()
    {
        var now = EffectiveAt.AddDays(10);
        Approved().Vote(Police, 1, VoteKind.Withdraw, now, notice: now).Events.Count.ShouldBe(6);
        Approved().Vote(Police, 1, VoteKind.Withdraw, now, notice: now + Tick).Events.Count.ShouldBe(6);
        var refused = Should.Throw<DomainException>(() => Approved().Vote(Police, 1, VoteKind.Withdraw, now, notice: now - Tick));
        refused.Errors.ShouldNotBeNull().All.ShouldHaveSingleItem().Rule.ShouldBe("not-in-past");
    }

    [Theory]
    [InlineData(2000, true)]
    [InlineData(2001, false)]
    public void A_vote_statement_is_at_most_2000_characters(int length, bool accepted)
    {
        AgreementGovernance.MaxStatementLength.ShouldBe(2000);
        var history = Approved().Events;
        var vote = new CastVote(1, VoteKind.Withdraw, new string('s', length));
        if (accepted)
        {
            AgreementGovernance.DecideVote(history, vote, Police, EffectiveAt.AddDays(1), TestCharters.Philadelphia.Governing()).Statement.Length.ShouldBe(length);
        }
        else
        {
            Should.Throw<DomainException>(() => AgreementGovernance.DecideVote(history, vote, Police, EffectiveAt.AddDays(1), TestCharters.Philadelphia.Governing()))
                .Errors.ShouldNotBeNull().All.ShouldHaveSingleItem().Rule.ShouldBe("max-length");
        }
    }

    // ------------------------------------------------------------------------------------------- quota days

    [Fact]
    public void An_instant_belongs_to_the_quota_day_that_starts_at_or_before_it_and_ends_after_it()
    {
        var document = Document();
        var midnight = new DateTimeOffset(2026, 7, 1, 0, 0, 0, TimeSpan.FromHours(-4)); // 1 July, New York summer time

        var before = AgreementClock.QuotaDay(document, midnight - Tick);
        before.Start.ShouldBe(midnight.AddDays(-1));
        before.End.ShouldBe(midnight);

        var at = AgreementClock.QuotaDay(document, midnight);
        at.Start.ShouldBe(midnight);
        at.End.ShouldBe(midnight.AddDays(1));
        AgreementClock.QuotaDay(document, midnight + Tick).ShouldBe(at);
        AgreementClock.QuotaDay(document, midnight.AddDays(1) - Tick).ShouldBe(at);
    }

    [Fact]
    public void The_day_clocks_fall_back_has_25_hours()
    {
        var (start, end) = AgreementClock.QuotaDay(Document(), new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero));
        start.ShouldBe(new DateTimeOffset(2026, 11, 1, 4, 0, 0, TimeSpan.Zero));
        (end - start).ShouldBe(TimeSpan.FromHours(25));
    }
}
