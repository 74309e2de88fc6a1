using OpenPars.Core.Agreements;
using OpenPars.Core.Common;
using Shouldly;
using Xunit;
using static OpenPars.Core.Tests.Agreements.TestAgreements;

namespace OpenPars.Core.Tests.Agreements;

public class AgreementNoticeTests
{
    private static readonly AccessFigures Figures = new(RequestsAllowed: 1234, RequestsRefused: 56, RecordsDisclosed: 789);

    [Fact]
    public void A_termination_notice_lists_votes_cut_off_and_figures_in_both_formats()
    {
        var script = Approved()
            .Vote(Police, 1, VoteKind.Withdraw, EffectiveAt.AddDays(40))
            .Vote(Da, 1, VoteKind.Withdraw, EffectiveAt.AddDays(41));
        var standing = script.StatusAt(EffectiveAt.AddDays(42));

        var notice = AgreementNotice.Create(script.Events, standing, Figures, EffectiveAt.AddDays(42));

        notice.Title.ShouldContain("terminated");
        foreach (var text in new[] { notice.Markdown, notice.Html })
        {
            text.ShouldContain("2026-02-11 00:00:00 -05:00 (America/New_York)"); // cut-off: the second withdrawal
            text.ShouldContain("1234");
            text.ShouldContain("56");
            text.ShouldContain("789");
            text.ShouldContain("rep.police");
            text.ShouldContain("district-attorney (DAO)");
            text.ShouldContain("withdraw");
        }
    }

    [Fact]
    public void Person_written_text_is_escaped()
    {
        var script = Approved();
        script.Events.Add(AgreementGovernance.DecideVote(
            script.Events, new CastVote(1, VoteKind.Withdraw, "<script>alert(1)</script> | [click](http://x) \n# heading"), Police, EffectiveAt.AddDays(5), script.Charter));
        script.Vote(Courts, 1, VoteKind.Withdraw, EffectiveAt.AddDays(6));

        var notice = AgreementNotice.Create(script.Events, script.StatusAt(EffectiveAt.AddDays(7)), Figures, EffectiveAt.AddDays(7));

        notice.Html.ShouldNotContain("<script>");
        notice.Html.ShouldContain("&lt;script&gt;alert(1)&lt;/script&gt;");
        notice.Markdown.ShouldNotContain("<script>");
        notice.Markdown.ShouldContain(@"\<script\>");
        notice.Markdown.ShouldContain(@"\| \[click\](http://x)");
        notice.Markdown.Split('\n').ShouldNotContain(line => line.StartsWith("# heading", StringComparison.Ordinal));
    }

    [Fact]
    public void An_expiry_notice_cuts_off_at_expiresAt()
    {
        var standing = Approved().StatusAt(ExpiresAt.AddDays(1));
        var notice = AgreementNotice.Create(Approved().Events, standing, Figures, ExpiresAt.AddDays(1));

        notice.Title.ShouldContain("expired");
        notice.Markdown.ShouldContain("2026-12-31 23:59:59 -05:00");
    }

    [Fact]
    public void No_notice_for_an_agreement_still_in_force()
    {
        var script = Approved();
        Should.Throw<DomainException>(() => AgreementNotice.Create(script.Events, script.StatusAt(EffectiveAt), Figures, EffectiveAt))
            .Code.ShouldBe(AgreementErrorCodes.NoticeNotDue);
    }
}
