using OpenPars.Core.Agreements;
using OpenPars.Core.Common;
using Shouldly;
using Xunit;
using static OpenPars.Core.Tests.Agreements.TestAgreements;

namespace OpenPars.Core.Tests.Agreements;

public class AgreementLifecycleTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    private static AgreementScript Proposed()
    {
        var doc = Document();
        return new AgreementScript().Draft(doc, EffectiveAt.AddDays(-30)).Propose(1, EffectiveAt.AddDays(-30));
    }

    public static TheoryData<string, string, AgreementStatus, bool> QuorumCombinations => new()
    {
        // votes (P=police, D=DA, C=courts; c=consent, r=reject), expected status one day after effectiveAt, quorum reached
        { "3 of 3 consent", "Pc Dc Cc", AgreementStatus.Active, true },
        { "2 consents + 1 reject", "Pc Dc Cr", AgreementStatus.Proposed, false },
        { "1 reject first", "Pr Dc Cc", AgreementStatus.Proposed, false },
        { "2 consents, 1 not voted", "Pc Dc", AgreementStatus.Proposed, false },
        { "no vote", "", AgreementStatus.Proposed, false },
    };

    [Theory]
    [MemberData(nameof(QuorumCombinations))]
    public void Entering_needs_every_stakeholder_by_default(string name, string votes, AgreementStatus expected, bool quorum)
    {
        var script = Proposed();
        foreach (var vote in votes.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var actor = vote[0] switch { 'P' => Police, 'D' => Da, _ => Courts };
            script.Vote(actor, 1, vote[1] == 'c' ? VoteKind.Consent : VoteKind.Reject, EffectiveAt.AddDays(-10));
        }

        var standing = script.StatusAt(EffectiveAt.AddDays(1));
        standing.Status.ShouldBe(expected, name);
        standing.ConsentQuorumReached.ShouldBe(quorum, name);
        standing.ConsentQuorumUnreachable.ShouldBe(votes.Contains('r', StringComparison.Ordinal), name);
    }

    [Fact]
    public void Draft_then_proposed_then_active_at_effectiveAt_to_the_second_then_expired_at_expiresAt()
    {
        var script = new AgreementScript().Draft(Document(), EffectiveAt.AddDays(-30));
        script.StatusAt(EffectiveAt.AddDays(-29)).Status.ShouldBe(AgreementStatus.Draft);
        script.Propose(1, EffectiveAt.AddDays(-29));
        script.StatusAt(EffectiveAt.AddDays(-28)).Status.ShouldBe(AgreementStatus.Proposed);
        script.Vote(Police, 1, VoteKind.Consent, EffectiveAt.AddDays(-20))
            .Vote(Da, 1, VoteKind.Consent, EffectiveAt.AddDays(-20))
            .Vote(Courts, 1, VoteKind.Consent, EffectiveAt.AddDays(-20));

        var before = script.StatusAt(EffectiveAt - Second);
        before.Status.ShouldBe(AgreementStatus.Proposed);
        before.ConsentQuorumReached.ShouldBeTrue();
        before.EffectiveAt.ShouldBe(EffectiveAt);

        script.StatusAt(EffectiveAt).Status.ShouldBe(AgreementStatus.Active);
        script.StatusAt(ExpiresAt - Second).Status.ShouldBe(AgreementStatus.Active);

        var expired = script.StatusAt(ExpiresAt);
        expired.Status.ShouldBe(AgreementStatus.Expired);
        expired.CutOffAt.ShouldBe(ExpiresAt);
        expired.Version.ShouldBe(1);
    }

    [Fact]
    public void Quorum_reached_after_effectiveAt_starts_at_the_quorum()
    {
        var script = Proposed()
            .Vote(Police, 1, VoteKind.Consent, EffectiveAt.AddDays(-1))
            .Vote(Da, 1, VoteKind.Consent, EffectiveAt.AddDays(-1))
            .Vote(Courts, 1, VoteKind.Consent, EffectiveAt.AddDays(3));

        script.StatusAt(EffectiveAt.AddDays(3) - Second).Status.ShouldBe(AgreementStatus.Proposed);
        var active = script.StatusAt(EffectiveAt.AddDays(3));
        active.Status.ShouldBe(AgreementStatus.Active);
        active.EffectiveAt.ShouldBe(EffectiveAt.AddDays(3));
    }

    [Fact]
    public void Two_withdrawals_terminate_at_the_second_one_and_one_does_not()
    {
        var first = EffectiveAt.AddDays(40);
        var second = EffectiveAt.AddDays(50);
        var script = Approved().Vote(Police, 1, VoteKind.Withdraw, first);

        script.StatusAt(first.AddDays(5)).Status.ShouldBe(AgreementStatus.Active);

        script.Vote(Courts, 1, VoteKind.Withdraw, second);
        script.StatusAt(second - Second).Status.ShouldBe(AgreementStatus.Active);
        var terminated = script.StatusAt(second);
        terminated.Status.ShouldBe(AgreementStatus.Terminated);
        terminated.CutOffAt.ShouldBe(second);
        script.StatusAt(ExpiresAt.AddDays(1)).Status.ShouldBe(AgreementStatus.Terminated);
    }

    [Fact]
    public void A_withdrawal_with_notice_counts_from_its_notice_instant()
    {
        var notice = EffectiveAt.AddDays(90);
        var script = Approved()
            .Vote(Police, 1, VoteKind.Withdraw, EffectiveAt.AddDays(40), notice)
            .Vote(Da, 1, VoteKind.Withdraw, EffectiveAt.AddDays(41));

        script.StatusAt(notice - Second).Status.ShouldBe(AgreementStatus.Active);
        var terminated = script.StatusAt(notice);
        terminated.Status.ShouldBe(AgreementStatus.Terminated);
        terminated.CutOffAt.ShouldBe(notice);
    }

    [Fact]
    public void Terminated_is_final()
    {
        var script = Approved()
            .Vote(Police, 1, VoteKind.Withdraw, EffectiveAt.AddDays(40))
            .Vote(Da, 1, VoteKind.Withdraw, EffectiveAt.AddDays(41));

        Should.Throw<DomainException>(() => script.Vote(Courts, 1, VoteKind.Withdraw, EffectiveAt.AddDays(42)))
            .Code.ShouldBe(AgreementErrorCodes.VoteNotAllowedNow);
        Should.Throw<DomainException>(() => script.Draft(Document(2, expiresAt: ExpiresAt.AddYears(1)), EffectiveAt.AddDays(42)))
            .Code.ShouldBe(AgreementErrorCodes.VoteNotAllowedNow);
    }

    [Fact]
    public void Renewal_approved_before_expiry_continues_seamlessly()
    {
        var renewal = Document(2, effectiveAt: ExpiresAt, expiresAt: ExpiresAt.AddYears(1));
        var script = Approved().Draft(renewal, ExpiresAt.AddDays(-60)).Propose(2, ExpiresAt.AddDays(-60));
        foreach (var actor in new[] { Police, Da, Courts })
        {
            script.Vote(actor, 2, VoteKind.Consent, ExpiresAt.AddDays(-30));
        }

        var before = script.StatusAt(ExpiresAt - Second);
        before.Status.ShouldBe(AgreementStatus.Active);
        before.Version.ShouldBe(1);
        before.LatestVersion.ShouldBe(2);

        var after = script.StatusAt(ExpiresAt);
        after.Status.ShouldBe(AgreementStatus.Active);
        after.Version.ShouldBe(2);
        after.ExpiresAt.ShouldBe(ExpiresAt.AddYears(1));
        script.StatusAt(ExpiresAt.AddYears(1)).Status.ShouldBe(AgreementStatus.Expired);
    }

    [Fact]
    public void Renewal_short_of_quorum_at_expiry_lets_it_expire()
    {
        var renewal = Document(2, effectiveAt: ExpiresAt, expiresAt: ExpiresAt.AddYears(1));
        var script = Approved().Draft(renewal, ExpiresAt.AddDays(-60)).Propose(2, ExpiresAt.AddDays(-60))
            .Vote(Police, 2, VoteKind.Consent, ExpiresAt.AddDays(-30))
            .Vote(Da, 2, VoteKind.Consent, ExpiresAt.AddDays(-30));

        script.StatusAt(ExpiresAt).Status.ShouldBe(AgreementStatus.Expired);
    }

    [Fact]
    public void Renewal_reaching_quorum_after_expiry_reactivates_from_its_quorum()
    {
        var renewal = Document(2, effectiveAt: ExpiresAt, expiresAt: ExpiresAt.AddYears(1));
        var late = ExpiresAt.AddDays(10);
        var script = Approved().Draft(renewal, ExpiresAt.AddDays(-60)).Propose(2, ExpiresAt.AddDays(-60))
            .Vote(Police, 2, VoteKind.Consent, ExpiresAt.AddDays(-30))
            .Vote(Da, 2, VoteKind.Consent, ExpiresAt.AddDays(-30))
            .Vote(Courts, 2, VoteKind.Consent, late);

        script.StatusAt(late - Second).Status.ShouldBe(AgreementStatus.Expired);
        var reactivated = script.StatusAt(late);
        reactivated.Status.ShouldBe(AgreementStatus.Active);
        reactivated.Version.ShouldBe(2);
        reactivated.EffectiveAt.ShouldBe(late);
    }

    [Fact]
    public void A_renewal_must_expire_later_than_the_version_it_renews()
    {
        var script = Approved();
        Should.Throw<DomainException>(() => script.Draft(Document(2, expiresAt: ExpiresAt), EffectiveAt.AddDays(10)))
            .Code.ShouldBe(AgreementErrorCodes.InvalidRenewal);
    }

    [Fact]
    public void A_partner_agency_can_never_vote()
    {
        var script = Proposed();
        Should.Throw<DomainException>(() => script.Vote(Partner, 1, VoteKind.Consent, EffectiveAt.AddDays(-10)))
            .Code.ShouldBe(AgreementErrorCodes.VoterNotStakeholder);
        Should.Throw<DomainException>(() => script.Draft(Document(), EffectiveAt.AddDays(-10), Partner))
            .Code.ShouldBe(AgreementErrorCodes.VoterNotStakeholder);
    }

    [Theory]
    [InlineData(VoteKind.Consent, VoteKind.Consent)]
    [InlineData(VoteKind.Consent, VoteKind.Reject)]
    [InlineData(VoteKind.Reject, VoteKind.Consent)]
    public void One_vote_per_agency_per_version(VoteKind first, VoteKind second)
    {
        var script = Proposed().Vote(Police, 1, first, EffectiveAt.AddDays(-10));
        var other = Police with { UserId = 99, UserName = "another.police.rep" };
        Should.Throw<DomainException>(() => script.Vote(other, 1, second, EffectiveAt.AddDays(-9)))
            .Code.ShouldBe(AgreementErrorCodes.DuplicateVote);
    }

    [Fact]
    public void Double_withdrawal_by_one_agency_is_refused()
    {
        var script = Approved().Vote(Police, 1, VoteKind.Withdraw, EffectiveAt.AddDays(10));
        Should.Throw<DomainException>(() => script.Vote(Police, 1, VoteKind.Withdraw, EffectiveAt.AddDays(11)))
            .Code.ShouldBe(AgreementErrorCodes.DuplicateVote);
    }

    [Fact]
    public void Vote_kinds_are_allowed_only_in_their_statuses()
    {
        // A proposal is rejected, not withdrawn.
        Should.Throw<DomainException>(() => Proposed().Vote(Police, 1, VoteKind.Withdraw, EffectiveAt.AddDays(-10)))
            .Code.ShouldBe(AgreementErrorCodes.VoteNotAllowedNow);

        // Nothing to consent to once a version is in force (and not suspended).
        var active = Approved();
        Should.Throw<DomainException>(() => active.Vote(Police, 1, VoteKind.Consent, EffectiveAt.AddDays(10)))
            .Code.ShouldBe(AgreementErrorCodes.VoteNotAllowedNow);

        // A vote on a version that was never proposed.
        Should.Throw<DomainException>(() => active.Vote(Police, 7, VoteKind.Consent, EffectiveAt.AddDays(10)))
            .Code.ShouldBe(AgreementErrorCodes.UnknownVersion);

        // An expired agreement cannot be withdrawn from.
        Should.Throw<DomainException>(() => Approved().Vote(Police, 1, VoteKind.Withdraw, ExpiresAt))
            .Code.ShouldBe(AgreementErrorCodes.VoteNotAllowedNow);
    }

    [Fact]
    public void Suspension_holds_until_a_resumption_quorum()
    {
        var suspendedAt = EffectiveAt.AddDays(30);
        var script = Approved().Suspend(suspendedAt);

        script.StatusAt(suspendedAt - Second).Status.ShouldBe(AgreementStatus.Active);
        var suspended = script.StatusAt(suspendedAt);
        suspended.Status.ShouldBe(AgreementStatus.Suspended);
        suspended.SuspendedAt.ShouldBe(suspendedAt);

        script.Vote(Police, 1, VoteKind.Consent, suspendedAt.AddDays(1)).Vote(Da, 1, VoteKind.Consent, suspendedAt.AddDays(2));
        script.StatusAt(suspendedAt.AddDays(3)).Status.ShouldBe(AgreementStatus.Suspended);
        Should.Throw<DomainException>(() => script.Vote(Da, 1, VoteKind.Consent, suspendedAt.AddDays(3)))
            .Code.ShouldBe(AgreementErrorCodes.DuplicateVote);

        var resumedAt = suspendedAt.AddDays(4);
        script.Vote(Courts, 1, VoteKind.Consent, resumedAt);
        script.StatusAt(resumedAt - Second).Status.ShouldBe(AgreementStatus.Suspended);
        script.StatusAt(resumedAt).Status.ShouldBe(AgreementStatus.Active);
    }

    [Fact]
    public void Only_an_active_agreement_can_be_suspended_and_a_suspended_one_can_still_be_withdrawn_from()
    {
        Should.Throw<DomainException>(() => Proposed().Suspend(EffectiveAt.AddDays(-10)))
            .Code.ShouldBe(AgreementErrorCodes.SuspensionNotAllowed);

        var script = Approved().Suspend(EffectiveAt.AddDays(30));
        Should.Throw<DomainException>(() => script.Suspend(EffectiveAt.AddDays(31)))
            .Code.ShouldBe(AgreementErrorCodes.SuspensionNotAllowed);

        script.Vote(Police, 1, VoteKind.Withdraw, EffectiveAt.AddDays(32)).Vote(Da, 1, VoteKind.Withdraw, EffectiveAt.AddDays(33));
        script.StatusAt(EffectiveAt.AddDays(33)).Status.ShouldBe(AgreementStatus.Terminated);
    }

    [Fact]
    public void A_later_consent_cancels_that_agencys_withdrawal()
    {
        var renewal = Document(2, effectiveAt: ExpiresAt, expiresAt: ExpiresAt.AddYears(1));
        var script = Approved()
            .Vote(Police, 1, VoteKind.Withdraw, EffectiveAt.AddDays(10), ExpiresAt.AddDays(30))
            .Draft(renewal, EffectiveAt.AddDays(20)).Propose(2, EffectiveAt.AddDays(20))
            .Vote(Police, 2, VoteKind.Consent, EffectiveAt.AddDays(21))
            .Vote(Da, 2, VoteKind.Consent, EffectiveAt.AddDays(21))
            .Vote(Courts, 2, VoteKind.Consent, EffectiveAt.AddDays(21));

        // Without the cancellation, this second withdrawal would end the agreement at the police notice instant.
        script.Vote(Da, 2, VoteKind.Withdraw, ExpiresAt.AddDays(1));
        script.StatusAt(ExpiresAt.AddDays(60)).Status.ShouldBe(AgreementStatus.Active);
    }

    [Fact]
    public void Events_recorded_after_now_are_ignored()
    {
        var script = Approved().Vote(Police, 1, VoteKind.Withdraw, EffectiveAt.AddDays(10)).Vote(Da, 1, VoteKind.Withdraw, EffectiveAt.AddDays(20));
        script.StatusAt(EffectiveAt.AddDays(15)).Status.ShouldBe(AgreementStatus.Active);
        AgreementStatusCalculator.StatusAt([], Charter.TestCharters.Philadelphia, EffectiveAt).Status.ShouldBe(AgreementStatus.Draft);
    }
}
