using OpenPars.Core.Agencies;
using OpenPars.Core.Agreements;
using OpenPars.Core.Charter;
using OpenPars.Core.Common;
using OpenPars.Core.Tests.Agreements;
using Shouldly;
using Xunit;
using static OpenPars.Core.Tests.Agreements.TestAgreements;

namespace OpenPars.Core.Tests.Charter;

/// <summary>
/// Every quorum is the charter's, tested at n−1, n and n+1 votes with charters whose quorums differ (issue 15),
/// so reading the quorum from anywhere else (the document, a constant) fails here.
/// </summary>
public class CharterQuorumTests
{
    private static readonly AgreementActor[] Stakeholders = [Police, Da, Courts];

    private static AgreementScript Proposed(CharterDocument charter) =>
        new AgreementScript(charter.Governing()).Draft(Document(), EffectiveAt.AddDays(-30)).Propose(1, EffectiveAt.AddDays(-30));

    private static AgreementScript Active(CharterDocument charter)
    {
        var script = Proposed(charter);
        foreach (var actor in Stakeholders)
        {
            script.Vote(actor, 1, VoteKind.Consent, EffectiveAt.AddDays(-20));
        }

        return script;
    }

    public static TheoryData<int, int> EnterCounts()
    {
        var data = new TheoryData<int, int>();
        foreach (var quorum in new[] { 1, 2, 3 })
        {
            foreach (var consents in new[] { quorum - 1, quorum, quorum + 1 }.Where(c => c is >= 0 and <= 3))
            {
                data.Add(quorum, consents);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EnterCounts))]
    public void A_version_enters_into_force_at_the_charters_consent_quorum(int quorum, int consents)
    {
        var charter = TestCharters.WithQuorum(enter: quorum, renew: 3, resume: 3, end: 2);
        var script = Proposed(charter);
        foreach (var actor in Stakeholders.Take(consents))
        {
            if (script.StatusAt(EffectiveAt.AddDays(-20)).ConsentQuorumReached)
            {
                // Once the quorum is reached, a further consent is refused (one question, decided).
                Should.Throw<DomainException>(() => script.Vote(actor, 1, VoteKind.Consent, EffectiveAt.AddDays(-20))).Code.ShouldBe(AgreementErrorCodes.VoteNotAllowedNow);
                continue;
            }

            script.Vote(actor, 1, VoteKind.Consent, EffectiveAt.AddDays(-20));
        }

        script.StatusAt(EffectiveAt).Status.ShouldBe(consents >= quorum ? AgreementStatus.Active : AgreementStatus.Proposed);
    }

    [Theory]
    [InlineData(1, 0, false)]
    [InlineData(1, 1, true)]
    [InlineData(2, 1, false)]
    [InlineData(2, 2, true)]
    [InlineData(2, 3, true)]
    [InlineData(3, 2, false)]
    [InlineData(3, 3, true)]
    public void Withdrawals_end_an_agreement_at_the_charters_number(int quorum, int withdrawals, bool terminated)
    {
        var script = Active(TestCharters.WithQuorum(enter: 3, renew: 3, resume: 3, end: quorum));
        var at = EffectiveAt.AddDays(10);
        foreach (var actor in Stakeholders.Take(withdrawals))
        {
            if (script.StatusAt(at).Status == AgreementStatus.Terminated)
            {
                Should.Throw<DomainException>(() => script.Vote(actor, 1, VoteKind.Withdraw, at)).Code.ShouldBe(AgreementErrorCodes.VoteNotAllowedNow);
                continue;
            }

            script.Vote(actor, 1, VoteKind.Withdraw, at);
        }

        script.StatusAt(at).Status.ShouldBe(terminated ? AgreementStatus.Terminated : AgreementStatus.Active);
    }

    [Theory]
    [InlineData(1, 0, false)]
    [InlineData(1, 1, true)]
    [InlineData(2, 1, false)]
    [InlineData(2, 2, true)]
    [InlineData(3, 2, false)]
    [InlineData(3, 3, true)]
    public void A_suspension_resumes_at_the_charters_resume_quorum(int quorum, int consents, bool resumed)
    {
        var script = Active(TestCharters.WithQuorum(enter: 3, renew: 3, resume: quorum, end: 2)).Suspend(EffectiveAt.AddDays(5));
        foreach (var actor in Stakeholders.Take(consents))
        {
            script.Vote(actor, 1, VoteKind.Consent, EffectiveAt.AddDays(6));
        }

        script.StatusAt(EffectiveAt.AddDays(7)).Status.ShouldBe(resumed ? AgreementStatus.Active : AgreementStatus.Suspended);
    }

    [Theory]
    [InlineData(1, 1, true)]
    [InlineData(1, 2, false)]
    [InlineData(2, 2, true)]
    [InlineData(2, 3, false)]
    [InlineData(3, 3, true)]
    public void A_renewal_needs_the_charters_renewal_quorum_not_the_entry_quorum(int consents, int renewQuorum, bool enough)
    {
        // Enter needs all three, renew fewer: a renewal with renewQuorum consents takes over at the old expiry.
        var script = Active(TestCharters.WithQuorum(enter: 3, renew: renewQuorum, resume: 3, end: 2));
        var renewal = Document(version: 2, effectiveAt: ExpiresAt, expiresAt: ExpiresAt.AddMonths(11));
        script.Draft(renewal, EffectiveAt.AddDays(200)).Propose(2, EffectiveAt.AddDays(200));
        foreach (var actor in Stakeholders.Take(consents))
        {
            script.Vote(actor, 2, VoteKind.Consent, EffectiveAt.AddDays(201));
        }

        var standing = script.StatusAt(ExpiresAt);
        standing.Status.ShouldBe(enough ? AgreementStatus.Active : AgreementStatus.Expired);
        standing.Version.ShouldBe(enough ? 2 : 1);
    }

    [Fact]
    public void Two_of_three_to_enter_makes_one_rejection_survivable_and_two_fatal()
    {
        var charter = TestCharters.WithQuorum(enter: 2, renew: 2, resume: 2, end: 2);
        Proposed(charter).Vote(Courts, 1, VoteKind.Reject, EffectiveAt.AddDays(-20)).StatusAt(EffectiveAt).ConsentQuorumUnreachable.ShouldBeFalse();
        Proposed(charter).Vote(Courts, 1, VoteKind.Reject, EffectiveAt.AddDays(-20)).Vote(Da, 1, VoteKind.Reject, EffectiveAt.AddDays(-20))
            .StatusAt(EffectiveAt).ConsentQuorumUnreachable.ShouldBeTrue();
        Proposed(TestCharters.Philadelphia).Vote(Courts, 1, VoteKind.Reject, EffectiveAt.AddDays(-20)).StatusAt(EffectiveAt).ConsentQuorumUnreachable.ShouldBeTrue();
    }

    [Fact]
    public void Each_vote_counts_under_the_charter_in_force_when_it_was_cast_so_an_amendment_never_revives_a_terminated_agreement()
    {
        // Two withdrawals end it under Philadelphia; a later charter asking three must not bring it back.
        var script = Active(TestCharters.Philadelphia)
            .Vote(Police, 1, VoteKind.Withdraw, EffectiveAt.AddDays(10)).Vote(Courts, 1, VoteKind.Withdraw, EffectiveAt.AddDays(11));
        var stricter = TestCharters.WithQuorum(enter: 3, renew: 3, resume: 3, end: 3) with { Version = 2 };
        var charters = CharterTimeline.From([new CharterPeriod(TestCharters.Philadelphia, DateTimeOffset.MinValue), new CharterPeriod(stricter, EffectiveAt.AddDays(20))]);

        var later = AgreementStatusCalculator.StatusAt(script.Events, charters, EffectiveAt.AddDays(30));
        later.Status.ShouldBe(AgreementStatus.Terminated);
        later.CutOffAt.ShouldBe(EffectiveAt.AddDays(11));

        // And a proposal that was two consents short of 3-of-3 is not activated by a later 2-of-3 charter without a vote.
        var lenient = TestCharters.WithQuorum(enter: 2, renew: 2, resume: 2, end: 2) with { Version = 2 };
        var pending = Proposed(TestCharters.Philadelphia).Vote(Police, 1, VoteKind.Consent, EffectiveAt.AddDays(-20)).Vote(Da, 1, VoteKind.Consent, EffectiveAt.AddDays(-20));
        var timeline = CharterTimeline.From([new CharterPeriod(TestCharters.Philadelphia, DateTimeOffset.MinValue), new CharterPeriod(lenient, EffectiveAt.AddDays(-10))]);
        AgreementStatusCalculator.StatusAt(pending.Events, timeline, EffectiveAt).Status.ShouldBe(AgreementStatus.Proposed);
    }

    [Fact]
    public void Only_the_charters_stakeholder_agencies_vote_a_second_police_agency_does_not()
    {
        var impostor = new AgreementActor(9, "rep.other-police", "PPD2", AgencyKind.Police);
        var script = Proposed(TestCharters.Philadelphia);

        Should.Throw<DomainException>(() => script.Vote(impostor, 1, VoteKind.Consent, EffectiveAt.AddDays(-20))).Code.ShouldBe(AgreementErrorCodes.VoterNotStakeholder);
        Should.Throw<DomainException>(() => new AgreementScript().Draft(Document(), EffectiveAt, impostor)).Code.ShouldBe(AgreementErrorCodes.VoterNotStakeholder);
        Should.Throw<DomainException>(() => script.Vote(Police with { AgencyKind = AgencyKind.Courts }, 1, VoteKind.Consent, EffectiveAt.AddDays(-20)))
            .Code.ShouldBe(AgreementErrorCodes.VoterNotStakeholder);
    }
}
