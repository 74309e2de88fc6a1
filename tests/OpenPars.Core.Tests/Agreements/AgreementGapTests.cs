using OpenPars.Core.Tests.Charter;
using OpenPars.Core.Agreements;
using OpenPars.Core.Common;
using Shouldly;
using Xunit;
using static OpenPars.Core.Tests.Agreements.TestAgreements;

namespace OpenPars.Core.Tests.Agreements;

/// <summary>Rules the mutation run showed no test held: event sequence numbers, the most specific validation code,
/// every empty row-scope member, the identifying combinations, and the notice's labels.</summary>
public class AgreementGapTests
{
    // The agreement lifecycle's own rules; the charter's (a one-year term among them) are tested in Charter/.
    private static AgreementScript Approved(AgreementDocument? document = null) =>
        TestAgreements.Approved(document, TestCharters.Permissive.Governing());

    [Fact]
    public void Each_decided_event_takes_the_next_sequence_number_after_the_last_recorded()
    {
        var script = Approved().Suspend(EffectiveAt.AddDays(5)).Vote(Police, 1, VoteKind.Consent, EffectiveAt.AddDays(6))
            .Draft(Document(2, expiresAt: ExpiresAt.AddYears(1)), EffectiveAt.AddDays(7));
        script.Events.Select(e => e.Sequence).ShouldBe([1, 2, 3, 4, 5, 6, 7, 8]);

        // A history whose sequence numbers start later (another store's numbering) still gets last + 1.
        var shifted = Approved().Events.Select(e => e with { Sequence = e.Sequence + 40 }).ToList();
        AgreementGovernance.DecideSuspension(shifted, "Pending review.", Da, EffectiveAt.AddDays(5), TestCharters.Permissive.Governing()).Sequence.ShouldBe(46);
        AgreementGovernance.DecideVote(shifted, new CastVote(1, VoteKind.Withdraw, "no"), Police, EffectiveAt.AddDays(5), TestCharters.Permissive.Governing()).Sequence.ShouldBe(46);
        AgreementGovernance.DecideDraft(shifted, Document(2, expiresAt: ExpiresAt.AddYears(1)), Police, EffectiveAt.AddDays(5), TestCharters.Permissive.Governing()).Sequence.ShouldBe(46);
    }

    [Fact]
    public void Drafting_an_invalid_document_is_refused_with_its_most_specific_code()
    {
        var invalid = Document() with { Fields = new() { ["person.race"] = FieldMask.Full }, ExpiresAt = EffectiveAt, Title = "" };
        var refused = Should.Throw<DomainException>(() => new AgreementScript().Draft(invalid, EffectiveAt.AddDays(-30)));
        refused.Code.ShouldBe(AgreementErrorCodes.NeverGrantableField); // -050 before -052 and -053
        refused.Message.ShouldBe("The agreement document has invalid fields.");
        refused.Errors.ShouldNotBeNull().All.Count.ShouldBe(3);
        Should.Throw<DomainException>(() => AgreementValidator.EnsureValid(Document() with { Title = "" })).Code.ShouldBe(AgreementErrorCodes.InvalidDocument);
    }

    [Fact]
    public void Every_empty_row_scope_member_is_refused_by_name()
    {
        var document = Document() with { RowScope = new RowScope { Statuses = [], ChargeGrades = [], OffenseCategories = [], Districts = [] } };
        AgreementValidator.Validate(document).All.Select(e => $"{e.Field}:{e.Rule}").ShouldBe(
            ["rowScope.statuses:empty-scope", "rowScope.chargeGrades:empty-scope", "rowScope.offenseCategories:empty-scope", "rowScope.districts:empty-scope"]);
        AgreementValidator.Validate(Document() with { PartnerAgency = " " }).All.Select(e => $"{e.Field}:{e.Rule}").ShouldBe(["partnerAgency:required"]);
        AgreementValidator.Validate(Document() with { AllowedCriteria = null!, Operations = [PartnerOperation.Read] }).All.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("sid", true)]
    [InlineData("fbiNumber", true)]
    [InlineData("arrestNumber", true)]
    [InlineData("lastName,dateOfBirth", true)]
    [InlineData("lastName", false)]
    [InlineData("dateOfBirth,district", false)]
    public void A_search_agreement_can_identify_a_person_with_each_identifying_combination(string criteria, bool canIdentify)
    {
        SearchCriteria.CanIdentify(criteria.Split(',')).ShouldBe(canIdentify);
        var document = Document() with { AllowedCriteria = [.. criteria.Split(',')] };
        AgreementValidator.Validate(document).All.Any(e => e.Rule == "cannot-identify").ShouldBe(!canIdentify);
    }

    [Fact]
    public void A_notice_is_refused_for_an_agreement_that_has_not_ended_and_labels_every_vote()
    {
        var script = Approved();
        var refused = Should.Throw<DomainException>(() => AgreementNotice.Create(script.Events, script.StatusAt(EffectiveAt.AddDays(1)), new AccessFigures(0, 0, 0), EffectiveAt.AddDays(1)));
        refused.Code.ShouldBe(AgreementErrorCodes.NoticeNotDue);
        refused.Message.ShouldBe("A notice is written only for a terminated or expired agreement.");

        var at = EffectiveAt.AddDays(10);
        script.Suspend(at).Vote(Courts, 1, VoteKind.Reject, at)
            .Vote(Police, 1, VoteKind.Withdraw, at, notice: at)
            .Vote(Da, 1, VoteKind.Withdraw, at);
        var notice = AgreementNotice.Create(script.Events, script.StatusAt(at), new AccessFigures(0, 0, 0), at);
        notice.Markdown.ShouldContain("| v1 reject resuming |");
        notice.Markdown.ShouldContain("| rep.police | v1 withdraw |"); // a notice at the casting instant is no notice
        notice.Markdown.ShouldNotContain("(effective");
    }

    [Fact]
    public void A_statement_written_on_several_lines_is_one_line_in_the_notice()
    {
        var at = EffectiveAt.AddDays(10);
        var script = Approved();
        script.Events.Add(AgreementGovernance.DecideVote(script.Events, new CastVote(1, VoteKind.Withdraw, "First line.\nSecond line."), Police, at, script.Charter));
        script.Vote(Da, 1, VoteKind.Withdraw, at);
        var notice = AgreementNotice.Create(script.Events, script.StatusAt(at), new AccessFigures(0, 0, 0), at);
        notice.Markdown.ShouldContain("| First line. Second line. |");
    }
}
