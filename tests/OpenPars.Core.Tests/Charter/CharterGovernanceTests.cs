using System.Text.Json;
using OpenPars.Core.Agencies;
using OpenPars.Core.Agreements;
using OpenPars.Core.Charter;
using OpenPars.Core.Common;
using OpenPars.Core.Tests.Agreements;
using Shouldly;
using Xunit;
using static OpenPars.Core.Tests.Agreements.TestAgreements;

namespace OpenPars.Core.Tests.Charter;

/// <summary>The charter changes only by an amendment every stakeholder agency consented to.</summary>
public class CharterGovernanceTests
{
    private static readonly DateTimeOffset Adopted = EffectiveAt.AddDays(-60);
    private static readonly AgreementActor System = new(0, "openpars", "", AgencyKind.Police);

    private static List<CharterEvent> History() =>
        [CharterGovernance.DecideAdoption([], TestCharters.Philadelphia, "data/charters/philadelphia.json", System, Adopted)];

    private static CharterDocument Amended(int version = 2) => TestCharters.WithQuorum(enter: 2, renew: 2, resume: 2, end: 2) with { Version = version };

    private static void Vote(List<CharterEvent> history, AgreementActor voter, VoteKind kind, DateTimeOffset at, int version = 2) =>
        history.Add(CharterGovernance.DecideVote(history, version, kind, $"{voter.AgencyCode} votes {kind}.", voter, at));

    [Fact]
    public void The_first_charter_is_adopted_once_on_an_empty_history()
    {
        var history = History();

        var state = CharterHistory.Fold(history, Adopted);
        state.InForce!.CharterId.ShouldBe("philadelphia");
        state.InForceSince.ShouldBe(Adopted);
        CharterHistory.Fold(history, Adopted.AddSeconds(-1)).InForce.ShouldBeNull();
        Should.Throw<DomainException>(() => CharterGovernance.DecideAdoption(history, Amended(), "again", System, Adopted.AddDays(1)))
            .Code.ShouldBe(CharterErrorCodes.AlreadyAdopted);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void An_amendment_is_in_force_only_when_every_stakeholder_agency_consented(int consents)
    {
        var history = History();
        history.Add(CharterGovernance.DecideAmendment(history, Amended(), "Two of three suffice.", Police, Adopted.AddDays(1)));
        var voters = new[] { Police, Da, Courts };
        for (var i = 0; i < consents; i++)
        {
            Vote(history, voters[i], VoteKind.Consent, Adopted.AddDays(2 + i));
        }

        var state = CharterHistory.Fold(history, Adopted.AddDays(10));
        state.InForce!.Version.ShouldBe(consents == 3 ? 2 : 1);
        state.Amendments.ShouldHaveSingleItem().Outcome.ShouldBe(consents == 3 ? AmendmentOutcome.InForce : AmendmentOutcome.Open);
        state.Amendments[0].Awaiting.Count.ShouldBe(3 - consents);
        if (consents == 3)
        {
            // In force from the last consent, to the second; agreement votes before it count under version 1.
            var lastConsent = Adopted.AddDays(4);
            state.Timeline!.At(lastConsent.AddSeconds(-1)).Version.ShouldBe(1);
            state.Timeline.At(lastConsent).Version.ShouldBe(2);
            state.InForceSince.ShouldBe(lastConsent);
        }
    }

    [Fact]
    public void One_rejection_closes_an_amendment_and_a_new_one_may_follow()
    {
        var history = History();
        history.Add(CharterGovernance.DecideAmendment(history, Amended(), "Two of three suffice.", Da, Adopted.AddDays(1)));
        Vote(history, Police, VoteKind.Consent, Adopted.AddDays(2));
        Vote(history, Da, VoteKind.Consent, Adopted.AddDays(2));
        Vote(history, Courts, VoteKind.Reject, Adopted.AddDays(3));

        var state = CharterHistory.Fold(history, Adopted.AddDays(4));
        state.InForce!.Version.ShouldBe(1);
        state.Amendments[0].Outcome.ShouldBe(AmendmentOutcome.Rejected);
        state.Amendments[0].DecidedAt.ShouldBe(Adopted.AddDays(3));
        state.Open.ShouldBeNull();

        history.Add(CharterGovernance.DecideAmendment(history, Amended(), "Again, with the courts' changes.", Courts, Adopted.AddDays(5)));
        CharterHistory.Fold(history, Adopted.AddDays(5)).Amendments.Count.ShouldBe(2);
    }

    public static TheoryData<string, string, Func<List<CharterEvent>, object>> Refusals => new()
    {
        { "a partner proposes", CharterErrorCodes.NotAStakeholder, h => CharterGovernance.DecideAmendment(h, Amended(), "Let us in.", Partner, Adopted.AddDays(2)) },
        { "a second police agency votes", CharterErrorCodes.NotAStakeholder, h => CharterGovernance.DecideVote(h, 2, VoteKind.Consent, "Yes.", new AgreementActor(7, "x", "PPD2", AgencyKind.Police), Adopted.AddDays(2)) },
        { "a stakeholder votes twice", CharterErrorCodes.DuplicateVote, h => CharterGovernance.DecideVote(h, 2, VoteKind.Reject, "Changed my mind.", Police, Adopted.AddDays(2)) },
        { "a vote on another version", CharterErrorCodes.NoOpenAmendment, h => CharterGovernance.DecideVote(h, 3, VoteKind.Consent, "Yes.", Da, Adopted.AddDays(2)) },
        { "a withdrawal", CharterErrorCodes.InvalidVote, h => CharterGovernance.DecideVote(h, 2, VoteKind.Withdraw, "Out.", Da, Adopted.AddDays(2)) },
        { "a vote without statement", CharterErrorCodes.InvalidVote, h => CharterGovernance.DecideVote(h, 2, VoteKind.Consent, " ", Da, Adopted.AddDays(2)) },
        { "a second amendment while one is open", CharterErrorCodes.AmendmentOpen, h => CharterGovernance.DecideAmendment(h, Amended(), "Mine instead.", Da, Adopted.AddDays(2)) },
        { "an invalid charter", CharterErrorCodes.InvalidCharter, h => CharterGovernance.DecideAmendment(h.Take(1).ToList(), Amended() with { Stakeholders = [] }, "No one governs.", Da, Adopted.AddDays(2)) },
        { "a skipped version", CharterErrorCodes.WrongVersion, h => CharterGovernance.DecideAmendment(h.Take(1).ToList(), Amended(version: 3), "Jump.", Da, Adopted.AddDays(2)) },
        { "another charter's id", CharterErrorCodes.WrongVersion, h => CharterGovernance.DecideAmendment(h.Take(1).ToList(), Amended() with { CharterId = "pittsburgh" }, "Swap.", Da, Adopted.AddDays(2)) },
        { "no charter yet", CharterErrorCodes.NoCharter, _ => CharterGovernance.DecideAmendment([], Amended(), "First.", Da, Adopted) },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Every_way_around_unanimity_is_refused_with_its_code(string name, string code, Func<List<CharterEvent>, object> attempt)
    {
        var history = History();
        history.Add(CharterGovernance.DecideAmendment(history, Amended(), "Two of three suffice.", Police, Adopted.AddDays(1)));
        Vote(history, Police, VoteKind.Consent, Adopted.AddDays(1));

        Should.Throw<DomainException>(() => attempt(history), name).Code.ShouldBe(code, name);
    }

    [Fact]
    public void A_forged_vote_from_a_non_stakeholder_counts_for_nothing()
    {
        var history = History();
        history.Add(CharterGovernance.DecideAmendment(history, Amended(), "Two of three suffice.", Police, Adopted.AddDays(1)));
        Vote(history, Police, VoteKind.Consent, Adopted.AddDays(1));
        Vote(history, Da, VoteKind.Consent, Adopted.AddDays(1));
        history.Add(new CharterAmendmentVoteCast
        {
            Sequence = history.Count + 1, RecordedAt = Adopted.AddDays(1), Actor = new AgreementActor(8, "forger", "FJD2", AgencyKind.Courts), Version = 2, Kind = VoteKind.Consent, Statement = "x",
        });

        CharterHistory.Fold(history, Adopted.AddDays(2)).InForce!.Version.ShouldBe(1);
    }

    [Fact]
    public void An_amended_quorum_governs_agreement_votes_cast_after_it()
    {
        var history = History();
        history.Add(CharterGovernance.DecideAmendment(history, Amended(), "Two of three suffice.", Police, Adopted.AddDays(1)));
        foreach (var voter in new[] { Police, Da, Courts })
        {
            Vote(history, voter, VoteKind.Consent, Adopted.AddDays(2));
        }

        var charters = CharterHistory.Fold(history, EffectiveAt).Timeline!;
        var script = new AgreementScript(new GoverningCharter(charters)).Draft(Document(), EffectiveAt.AddDays(-30)).Propose(1, EffectiveAt.AddDays(-30))
            .Vote(Police, 1, VoteKind.Consent, EffectiveAt.AddDays(-20)).Vote(Da, 1, VoteKind.Consent, EffectiveAt.AddDays(-20));

        script.StatusAt(EffectiveAt).Status.ShouldBe(AgreementStatus.Active);
    }

    [Fact]
    public void Events_serialize_with_their_stable_discriminators()
    {
        var history = History();
        history.Add(CharterGovernance.DecideAmendment(history, Amended(), "Two of three suffice.", Police, Adopted.AddDays(1)));
        Vote(history, Police, VoteKind.Consent, Adopted.AddDays(1));

        var json = JsonSerializer.Serialize<IReadOnlyList<CharterEvent>>(history, CharterJson.Options);
        json.ShouldContain("\"type\": \"charter-adopted\"");
        json.ShouldContain("\"type\": \"charter-amendment-proposed\"");
        json.ShouldContain("\"type\": \"charter-amendment-vote-cast\"");
        var back = JsonSerializer.Deserialize<List<CharterEvent>>(json, CharterJson.Options)!;
        CharterHistory.Fold(back, Adopted.AddDays(1)).Open!.Votes.Keys.ShouldBe(["PPD"]);
    }
}
