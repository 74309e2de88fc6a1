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

    [Fact]
    public void A_notice_is_exactly_the_published_document_in_Markdown_and_HTML()
    {
        // Entry, a suspension resumed by all three, a withdrawal at once and one with notice: every kind of vote row.
        var script = Approved().Suspend(EffectiveAt.AddDays(10))
            .Vote(Police, 1, VoteKind.Consent, EffectiveAt.AddDays(11)).Vote(Da, 1, VoteKind.Consent, EffectiveAt.AddDays(11))
            .Vote(Courts, 1, VoteKind.Consent, EffectiveAt.AddDays(12))
            .Vote(Police, 1, VoteKind.Withdraw, EffectiveAt.AddDays(40))
            .Vote(Da, 1, VoteKind.Withdraw, EffectiveAt.AddDays(41), EffectiveAt.AddDays(45));
        var notice = AgreementNotice.Create(script.Events, script.StatusAt(EffectiveAt.AddDays(46)), Figures, EffectiveAt.AddDays(46));

        notice.Title.ShouldBe("Notice: data-sharing agreement ice-2026 with ICE-ERO-PHL has terminated");
        notice.Markdown.ReplaceLineEndings("\n").ShouldBe(
            """
            # Notice: data-sharing agreement ice-2026 with ICE-ERO-PHL has terminated

            - **Agreement:** ice-2026, version 1: Test agreement
            - **Partner agency:** ICE-ERO-PHL
            - **Status:** terminated
            - **In force from:** 2026-01-01 00:00:00 -05:00 (America/New\_York)
            - **Access cut off at:** 2026-02-15 00:00:00 -05:00 (America/New\_York)
            - **Requests allowed:** 1234
            - **Requests refused:** 56
            - **Records disclosed:** 789
            - **Notice generated at:** 2026-02-16 00:00:00 -05:00 (America/New\_York)

            ## Votes

            | Time | Agency | Voter | Vote | Statement |
            |---|---|---|---|---|
            | 2025-12-12 00:00:00 -05:00 (America/New\_York) | police (PPD) | rep.police | v1 consent | rep.police votes Consent. |
            | 2025-12-12 00:00:00 -05:00 (America/New\_York) | district-attorney (DAO) | rep.da | v1 consent | rep.da votes Consent. |
            | 2025-12-12 00:00:00 -05:00 (America/New\_York) | courts (FJD) | rep.courts | v1 consent | rep.courts votes Consent. |
            | 2026-01-12 00:00:00 -05:00 (America/New\_York) | police (PPD) | rep.police | v1 consent to resume | rep.police votes Consent. |
            | 2026-01-12 00:00:00 -05:00 (America/New\_York) | district-attorney (DAO) | rep.da | v1 consent to resume | rep.da votes Consent. |
            | 2026-01-13 00:00:00 -05:00 (America/New\_York) | courts (FJD) | rep.courts | v1 consent to resume | rep.courts votes Consent. |
            | 2026-02-10 00:00:00 -05:00 (America/New\_York) | police (PPD) | rep.police | v1 withdraw | rep.police votes Withdraw. |
            | 2026-02-11 00:00:00 -05:00 (America/New\_York) | district-attorney (DAO) | rep.da | v1 withdraw (effective 2026-02-15 05:00:00Z) | rep.da votes Withdraw. |

            No record has been disclosed to the partner under this agreement since 2026-02-15 00:00:00 -05:00 (America/New_York).

            """);
        notice.Html.ReplaceLineEndings("\n").ShouldBe(
            """
            <article class="agreement-notice">
            <h1>Notice: data-sharing agreement ice-2026 with ICE-ERO-PHL has terminated</h1>
            <dl>
            <dt>Agreement</dt><dd>ice-2026, version 1: Test agreement</dd>
            <dt>Partner agency</dt><dd>ICE-ERO-PHL</dd>
            <dt>Status</dt><dd>terminated</dd>
            <dt>In force from</dt><dd>2026-01-01 00:00:00 -05:00 (America/New_York)</dd>
            <dt>Access cut off at</dt><dd>2026-02-15 00:00:00 -05:00 (America/New_York)</dd>
            <dt>Requests allowed</dt><dd>1234</dd>
            <dt>Requests refused</dt><dd>56</dd>
            <dt>Records disclosed</dt><dd>789</dd>
            <dt>Notice generated at</dt><dd>2026-02-16 00:00:00 -05:00 (America/New_York)</dd>
            </dl>
            <h2>Votes</h2>
            <table>
            <thead><tr><th>Time</th><th>Agency</th><th>Voter</th><th>Vote</th><th>Statement</th></tr></thead>
            <tbody>
            <tr><td>2025-12-12 00:00:00 -05:00 (America/New_York)</td><td>police (PPD)</td><td>rep.police</td><td>v1 consent</td><td>rep.police votes Consent.</td></tr>
            <tr><td>2025-12-12 00:00:00 -05:00 (America/New_York)</td><td>district-attorney (DAO)</td><td>rep.da</td><td>v1 consent</td><td>rep.da votes Consent.</td></tr>
            <tr><td>2025-12-12 00:00:00 -05:00 (America/New_York)</td><td>courts (FJD)</td><td>rep.courts</td><td>v1 consent</td><td>rep.courts votes Consent.</td></tr>
            <tr><td>2026-01-12 00:00:00 -05:00 (America/New_York)</td><td>police (PPD)</td><td>rep.police</td><td>v1 consent to resume</td><td>rep.police votes Consent.</td></tr>
            <tr><td>2026-01-12 00:00:00 -05:00 (America/New_York)</td><td>district-attorney (DAO)</td><td>rep.da</td><td>v1 consent to resume</td><td>rep.da votes Consent.</td></tr>
            <tr><td>2026-01-13 00:00:00 -05:00 (America/New_York)</td><td>courts (FJD)</td><td>rep.courts</td><td>v1 consent to resume</td><td>rep.courts votes Consent.</td></tr>
            <tr><td>2026-02-10 00:00:00 -05:00 (America/New_York)</td><td>police (PPD)</td><td>rep.police</td><td>v1 withdraw</td><td>rep.police votes Withdraw.</td></tr>
            <tr><td>2026-02-11 00:00:00 -05:00 (America/New_York)</td><td>district-attorney (DAO)</td><td>rep.da</td><td>v1 withdraw (effective 2026-02-15 05:00:00Z)</td><td>rep.da votes Withdraw.</td></tr>
            </tbody>
            </table>
            <p>No record has been disclosed to the partner under this agreement since 2026-02-15 00:00:00 -05:00 (America/New_York).</p>
            </article>

            """);
    }
}
