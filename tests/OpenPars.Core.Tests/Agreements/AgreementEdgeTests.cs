using OpenPars.Core.Agreements;
using OpenPars.Core.Charter;
using OpenPars.Core.Common;
using OpenPars.Core.Tests.Charter;
using Shouldly;
using Xunit;
using static OpenPars.Core.Tests.Agreements.TestAgreements;

namespace OpenPars.Core.Tests.Agreements;

/// <summary>The edges a mutation run left without a test (docs/testing.md, "Surviving mutants: Agreements"): version
/// numbering of drafts and renewals, forged events the fold must ignore, the notice's vote cut-off, the agreement
/// document's parse errors and the agreement calendar.</summary>
public class AgreementEdgeTests
{
    private static readonly GoverningCharter Permissive = TestCharters.Permissive.Governing();

    private static AgreementScript Approved() => TestAgreements.Approved(charter: Permissive);

    [Fact]
    public void An_unproposed_draft_is_rewritten_under_its_own_number_and_a_proposed_one_is_followed_by_the_next()
    {
        var at = EffectiveAt.AddDays(-40);
        var script = new AgreementScript(Permissive).Draft(Document(), at).Draft(Document() with { Title = "Rewritten" }, at.AddHours(1));
        AgreementLedger.Fold(script.Events, Permissive.Charters, at.AddHours(2)).Latest.ShouldNotBeNull().Document.Title.ShouldBe("Rewritten");

        var early = Should.Throw<DomainException>(() => script.Draft(Document(2), at.AddHours(2)));
        early.Code.ShouldBe(AgreementErrorCodes.UnknownVersion);
        early.Message.ShouldBe("The next version of this agreement is 1.");

        script.Propose(1, at.AddHours(3));
        var frozen = Should.Throw<DomainException>(() => script.Draft(Document() with { Title = "After the proposal" }, at.AddHours(4)));
        frozen.Code.ShouldBe(AgreementErrorCodes.UnknownVersion);
        frozen.Message.ShouldBe("The next version of this agreement is 2.");
        script.Draft(Document(2, expiresAt: ExpiresAt.AddYears(1)), at.AddHours(4)).Events.Count.ShouldBe(4);
    }

    [Fact]
    public void A_renewal_of_a_renewal_must_outlast_the_latest_version_in_force_not_only_the_first()
    {
        var at = EffectiveAt.AddDays(30);
        var script = Approved().Draft(Document(2, expiresAt: ExpiresAt.AddYears(2)), at).Propose(2, at);
        foreach (var voter in new[] { Police, Da, Courts })
        {
            script.Vote(voter, 2, VoteKind.Consent, at.AddDays(1));
        }

        // After version 1's expiry, before version 2's: it renews nothing.
        var between = Should.Throw<DomainException>(() => script.Draft(Document(3, expiresAt: ExpiresAt.AddYears(1)), at.AddDays(2)));
        between.Code.ShouldBe(AgreementErrorCodes.InvalidRenewal);
        between.Message.ShouldBe("A renewal must expire after the version it renews.");
        script.Draft(Document(3, expiresAt: ExpiresAt.AddYears(3)), at.AddDays(2)).Events.OfType<AgreementDrafted>().Last().Document.Version.ShouldBe(3);
    }

    [Fact]
    public void A_resume_vote_naming_a_suspension_that_does_not_exist_is_ignored_by_the_fold()
    {
        var script = Approved().Suspend(EffectiveAt.AddDays(5));
        var forged = new AgreementVoteCast
        {
            AgreementId = "ice-2026", Sequence = script.Events.Count + 1, RecordedAt = EffectiveAt.AddDays(6), Actor = Police,
            Version = 1, Kind = VoteKind.Consent, Statement = "resume", ResumesSuspension = 99,
        };

        var standing = AgreementStatusCalculator.StatusAt([.. script.Events, forged], Permissive.Charters, EffectiveAt.AddDays(7));
        standing.Status.ShouldBe(AgreementStatus.Suspended);
    }

    [Fact]
    public void A_proposal_event_for_a_version_never_drafted_changes_nothing()
    {
        var script = new AgreementScript(Permissive).Draft(Document(), EffectiveAt.AddDays(-40));
        var forged = new AgreementProposed { AgreementId = "ice-2026", Sequence = 2, RecordedAt = EffectiveAt.AddDays(-39), Actor = Police, Version = 7 };
        AgreementStatusCalculator.StatusAt([.. script.Events, forged], Permissive.Charters, EffectiveAt.AddDays(-38)).Status.ShouldBe(AgreementStatus.Draft);
    }

    [Fact]
    public void The_notice_lists_a_vote_cast_at_the_instant_it_is_written_for_and_none_after()
    {
        var at = EffectiveAt.AddDays(10);
        var script = Approved().Vote(Police, 1, VoteKind.Withdraw, at).Vote(Da, 1, VoteKind.Withdraw, at);
        var notice = AgreementNotice.Create(script.Events, script.StatusAt(at), new AccessFigures(0, 0, 0), at);
        notice.Markdown.ShouldContain("| rep.da | v1 withdraw |");

        // A vote recorded after the instant (governance refuses votes on an ended agreement; the notice must not rely on it).
        var later = new AgreementVoteCast { AgreementId = "ice-2026", Sequence = script.Events.Count + 1, RecordedAt = at.AddTicks(1), Actor = Courts, Version = 1, Kind = VoteKind.Withdraw, Statement = "late" };
        var withLater = AgreementNotice.Create([.. script.Events, later], script.StatusAt(at), new AccessFigures(0, 0, 0), at);
        withLater.Markdown.ShouldNotContain("| rep.courts | v1 withdraw |");
        withLater.Markdown.ShouldContain("| rep.courts | v1 consent |");
    }

    [Fact]
    public void Termination_under_a_version_that_never_entered_into_force_names_the_version_that_did()
    {
        // Version 2 (a renewal) has its quorum but starts only after version 1 expires; the withdrawal quorum ends
        // the agreement while version 1 still governs.
        var at = EffectiveAt.AddDays(30);
        var script = Approved().Draft(Document(2, effectiveAt: ExpiresAt.AddSeconds(1), expiresAt: ExpiresAt.AddYears(1)), at).Propose(2, at);
        foreach (var voter in new[] { Police, Da, Courts })
        {
            script.Vote(voter, 2, VoteKind.Consent, at.AddDays(1));
        }

        script.Vote(Police, 1, VoteKind.Withdraw, at.AddDays(2)).Vote(Da, 1, VoteKind.Withdraw, at.AddDays(2));
        var standing = script.StatusAt(at.AddDays(3));
        standing.Status.ShouldBe(AgreementStatus.Terminated);
        standing.Version.ShouldBe(1);

        // Withdrawn before any version entered into force: the approved one is what ended.
        var early = EffectiveAt.AddDays(-10);
        var never = TestAgreements.Approved(charter: Permissive);
        never.Events.Add(new AgreementVoteCast { AgreementId = "ice-2026", Sequence = never.Events.Count + 1, RecordedAt = early, Actor = Police, Version = 1, Kind = VoteKind.Withdraw, Statement = "no" });
        never.Events.Add(new AgreementVoteCast { AgreementId = "ice-2026", Sequence = never.Events.Count + 1, RecordedAt = early, Actor = Da, Version = 1, Kind = VoteKind.Withdraw, Statement = "no" });
        var ended = never.StatusAt(early.AddDays(1));
        ended.Status.ShouldBe(AgreementStatus.Terminated);
        ended.Version.ShouldBe(1);
    }

    [Theory]
    [InlineData("null", "The agreement document is null.")]
    [InlineData("""{"agreementId": 5}""", "The agreement document is not valid JSON for the agreement format (at $.agreementId).")]
    [InlineData("""{"effectiveAt": "2026-01-01T00:00:00"}""", "The agreement document is not valid JSON for the agreement format (at $.effectiveAt).")]
    [InlineData("""{"effectiveAt": 1767243600}""", "The agreement document is not valid JSON for the agreement format (at $.effectiveAt).")]
    public void An_unreadable_document_is_refused_naming_where_without_quoting_the_input(string json, string error)
    {
        AgreementJson.TryParse(json, out var document, out var message).ShouldBeFalse();
        document.ShouldBeNull();
        message.ShouldBe(error);
    }

    [Theory]
    [InlineData("2026-01-01T00:00:00-05:00", "2026-01-01T05:00:00Z")]
    [InlineData("2026-01-01T05:00:00Z", "2026-01-01T05:00:00Z")]
    [InlineData("2026-01-01T05:00:00.1234567+00:00", "2026-01-01T05:00:00.1234567Z")]
    public void An_instant_with_its_offset_reads_as_that_instant(string text, string utc)
    {
        var json = AgreementJson.Serialize(Document()).Replace(
            AgreementJson.Serialize(Document()).Split("\"effectiveAt\":")[1].Split(',')[0], $"\"{text}\"", StringComparison.Ordinal);
        AgreementJson.TryParse(json, out var document, out var error).ShouldBeTrue(error);
        document.EffectiveAt.ShouldBe(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData("   ", false)]
    [InlineData("Mars/Olympus_Mons", false)]
    [InlineData("America/Chicago", true)]
    public void A_zone_is_found_only_by_its_IANA_name(string? id, bool found)
    {
        AgreementClock.TryFindZone(id, out var zone).ShouldBe(found);
        (zone is not null).ShouldBe(found);
        AgreementClock.ZoneOf(Document() with { TimeZone = id ?? "" }).Id.ShouldBe(found ? id! : AgreementDocument.DefaultTimeZone);
    }

    [Fact]
    public void A_quota_day_whose_midnight_does_not_exist_starts_at_the_first_valid_minute()
    {
        // Chile moves its clocks from 00:00 (−04:00) to 01:00 (−03:00) on Sunday 6 September 2026: that day has no midnight.
        var document = Document() with { TimeZone = "America/Santiago" };
        var (start, end) = AgreementClock.QuotaDay(document, new DateTimeOffset(2026, 9, 6, 12, 0, 0, TimeSpan.FromHours(-3)));
        start.ShouldBe(new DateTimeOffset(2026, 9, 6, 4, 0, 0, TimeSpan.Zero));
        end.ShouldBe(new DateTimeOffset(2026, 9, 7, 3, 0, 0, TimeSpan.Zero));
        (end - start).ShouldBe(TimeSpan.FromHours(23));
    }
}
