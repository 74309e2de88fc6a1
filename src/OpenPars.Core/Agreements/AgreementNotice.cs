using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using OpenPars.Core.Agencies;
using OpenPars.Core.Common;

namespace OpenPars.Core.Agreements;

/// <summary>Access figures for the notice, from the audit log: what the partner asked, was refused and received.</summary>
public sealed record AccessFigures(long RequestsAllowed, long RequestsRefused, long RecordsDisclosed);

/// <summary>The same notice twice: Markdown (for the repository, e-mail) and HTML (for the web page).</summary>
public sealed record AgreementNoticeDocument(string Title, string Markdown, string Html);

/// <summary>
/// The public notice that an agreement ended: who voted what and when, in their own words, the instant access was
/// cut off, and what the partner received while it lasted. Pure: figures come in as input. Every text that comes
/// from a person (titles, names, statements) is escaped: HTML-encoded in HTML, and in Markdown table cells pipes
/// and line breaks are neutralised.
/// </summary>
public static class AgreementNotice
{
    public static AgreementNoticeDocument Create(IReadOnlyList<AgreementEvent> history, AgreementStanding standing, AccessFigures figures, DateTimeOffset generatedAt)
    {
        if (standing.Status is not (AgreementStatus.Terminated or AgreementStatus.Expired) || standing.Document is not { } document || standing.CutOffAt is not { } cutOff)
        {
            throw new DomainException(AgreementErrorCodes.NoticeNotDue, "A notice is written only for a terminated or expired agreement.");
        }

        var zone = AgreementClock.ZoneOf(document);
        var ended = standing.Status == AgreementStatus.Terminated ? "terminated" : "expired";
        var title = $"Notice: data-sharing agreement {document.AgreementId} with {document.PartnerAgency} has {ended}";
        var votes = history.OfType<AgreementVoteCast>().Where(v => v.RecordedAt <= standing.At).OrderBy(v => v.Sequence).ToList();
        var facts = new List<(string Label, string Value)>
        {
            ("Agreement", $"{document.AgreementId}, version {standing.Version}: {document.Title}"),
            ("Partner agency", document.PartnerAgency),
            ("Status", ended),
            ("In force from", standing.EffectiveAt is { } from ? AgreementClock.Format(from, zone) : "never"),
            ("Access cut off at", AgreementClock.Format(cutOff, zone)),
            ("Requests allowed", figures.RequestsAllowed.ToString(CultureInfo.InvariantCulture)),
            ("Requests refused", figures.RequestsRefused.ToString(CultureInfo.InvariantCulture)),
            ("Records disclosed", figures.RecordsDisclosed.ToString(CultureInfo.InvariantCulture)),
            ("Notice generated at", AgreementClock.Format(generatedAt, zone)),
        };
        var rows = votes.Select(v => new[]
        {
            AgreementClock.Format(v.RecordedAt, zone),
            AgencyKinds.ToCode(v.Actor.AgencyKind) + " (" + v.Actor.AgencyCode + ")",
            v.Actor.UserName,
            $"v{v.Version} {VoteLabel(v)}",
            v.Statement,
        }).ToList();

        return new AgreementNoticeDocument(title, Markdown(title, facts, rows, cutOff, zone), Html(title, facts, rows, cutOff, zone));
    }

    private static string VoteLabel(AgreementVoteCast vote) => vote switch
    {
        { Kind: VoteKind.Withdraw, NoticeEffectiveAt: { } notice } when notice > vote.RecordedAt =>
            "withdraw (effective " + notice.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) + ")",
        { ResumesSuspension: not null } => vote.Kind == VoteKind.Consent ? "consent to resume" : "reject resuming",
        _ => JsonNamingPolicy.CamelCase.ConvertName(vote.Kind.ToString()),
    };

    private static readonly string[] Headers = ["Time", "Agency", "Voter", "Vote", "Statement"];

    private static string Markdown(string title, List<(string Label, string Value)> facts, List<string[]> rows, DateTimeOffset cutOff, TimeZoneInfo zone)
    {
        var md = new StringBuilder();
        md.Append("# ").AppendLine(MarkdownText(title)).AppendLine();
        foreach (var (label, value) in facts)
        {
            md.Append("- **").Append(label).Append(":** ").AppendLine(MarkdownText(value));
        }

        md.AppendLine().AppendLine("## Votes").AppendLine();
        md.Append("| ").AppendJoin(" | ", Headers).AppendLine(" |");
        md.Append('|').AppendJoin(string.Empty, Headers.Select(_ => "---|")).AppendLine();
        foreach (var row in rows)
        {
            md.Append("| ").AppendJoin(" | ", row.Select(MarkdownText)).AppendLine(" |");
        }

        md.AppendLine().Append("No record has been disclosed to the partner under this agreement since ")
            .Append(AgreementClock.Format(cutOff, zone)).AppendLine(".");
        return md.ToString();
    }

    private static string Html(string title, List<(string Label, string Value)> facts, List<string[]> rows, DateTimeOffset cutOff, TimeZoneInfo zone)
    {
        static string E(string text) => WebUtility.HtmlEncode(text);
        var html = new StringBuilder();
        html.Append("<article class=\"agreement-notice\">\n<h1>").Append(E(title)).Append("</h1>\n<dl>\n");
        foreach (var (label, value) in facts)
        {
            html.Append("<dt>").Append(E(label)).Append("</dt><dd>").Append(E(value)).Append("</dd>\n");
        }

        html.Append("</dl>\n<h2>Votes</h2>\n<table>\n<thead><tr>");
        foreach (var header in Headers)
        {
            html.Append("<th>").Append(E(header)).Append("</th>");
        }

        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in rows)
        {
            html.Append("<tr>");
            foreach (var cell in row)
            {
                html.Append("<td>").Append(E(cell)).Append("</td>");
            }

            html.Append("</tr>\n");
        }

        html.Append("</tbody>\n</table>\n<p>No record has been disclosed to the partner under this agreement since ")
            .Append(E(AgreementClock.Format(cutOff, zone))).Append(".</p>\n</article>\n");
        return html.ToString();
    }

    /// <summary>Backslash-escapes the Markdown punctuation that could turn a person's words into a link, an image,
    /// emphasis, inline HTML or a new table cell; line breaks become spaces so a cell or list item stays one line.</summary>
    private static string MarkdownText(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text.ReplaceLineEndings(" "))
        {
            if (@"\`*_[]<>|".Contains(c, StringComparison.Ordinal))
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.ToString();
    }
}
