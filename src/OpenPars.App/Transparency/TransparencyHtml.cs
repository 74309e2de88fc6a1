using System.Globalization;
using System.Net;
using System.Text;
using OpenPars.App.Charter;
using OpenPars.Core.Transparency;

namespace OpenPars.App.Transparency;

/// <summary>The public transparency report as HTML: no script, the charts as inline SVG. Every figure is a published
/// cell of the report (a count, &lt;11 or *), HTML-encoded; nothing else is read. The same page is served at
/// <c>/transparency</c> and written into a published report folder (<see cref="TransparencyPublishing"/>), so it
/// lives here, where both adapters reach it.</summary>
public static class TransparencyHtml
{
    /// <summary>The stylesheet's file name in a report folder.</summary>
    public const string StylesheetName = "site.css";

    /// <summary>The pages' stylesheet (the same bytes the server sends for <c>/pages/site.css</c>), embedded from
    /// <c>src/OpenPars.Web/Pages/Assets/site.css</c>.</summary>
    public static byte[] Stylesheet()
    {
        using var stream = typeof(TransparencyHtml).Assembly.GetManifestResourceStream("OpenPars.App.Transparency.site.css")
            ?? throw new InvalidOperationException("The pages' stylesheet is not embedded in OpenPars.App.");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }

    /// <summary>The month's page; with <paramref name="charter"/>, the charter in force and its amendment history
    /// (agency codes and dates, never names or statements) come first, as the rules every agreement below keeps.</summary>
    /// <param name="report">The month's report.</param>
    /// <param name="charter">The charter in force, when shown.</param>
    /// <param name="jsonHref">Where the page links the JSON form (default: the API).</param>
    /// <param name="csvHref">Where the page links the CSV form (default: the API).</param>
    /// <param name="stylesheetHref">Where the page links its stylesheet (default: the server's <c>/pages/site.css</c>;
    /// a report folder links the copy beside the page, <see cref="StylesheetName"/>).</param>
    public static string Render(TransparencyMonth report, TransparencyCharterView? charter = null, string? jsonHref = null, string? csvHref = null, string? stylesheetHref = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        stylesheetHref ??= "/pages/site.css";
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"""
            <!doctype html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <meta name="viewport" content="width=device-width, initial-scale=1">
              <title>OpenPARS transparency — {Encode(report.Month)}</title>
              <link rel="stylesheet" href="{Encode(stylesheetHref)}">
            </head>
            <body class="public">
              <h1>{Encode(Title(report))}</h1>

            """);
        html.Append(Figures(report, charter, jsonHref, csvHref));
        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>The page's title (and heading): the month it reports.</summary>
    public static string Title(TransparencyMonth report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return $"Partner access to arrest data — {report.Month}";
    }

    /// <summary>The month's figures as an HTML fragment (the note, the charter, the tables with their charts, the
    /// agreements): the one renderer of the report, framed by <see cref="Render"/> as a standalone document for a
    /// report folder and by the site's layout at <c>/transparency</c>.</summary>
    /// <param name="report">The month's report.</param>
    /// <param name="charter">The charter in force, when shown.</param>
    /// <param name="jsonHref">Where the fragment links the JSON form (default: the API).</param>
    /// <param name="csvHref">Where the fragment links the CSV form (default: the API).</param>
    public static string Figures(TransparencyMonth report, TransparencyCharterView? charter = null, string? jsonHref = null, string? csvHref = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        jsonHref ??= $"/api/v1/transparency?month={report.Month}";
        csvHref ??= $"/api/v1/transparency.csv?month={report.Month}";
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"""
              <p class="note">Counts from 1 to 10 are shown as &lt;11; a * is withheld so that no small count can be worked out from the
              totals. Figures come only from entries of the audit log proven by its signed checkpoint of size {report.ProvenThrough.ToString(CultureInfo.InvariantCulture)}.
              Machine-readable: <a href="{Encode(jsonHref)}">JSON</a>, <a href="{Encode(csvHref)}">CSV</a>.</p>
            """);
        if (charter is not null)
        {
            html.Append(Charter(charter));
        }

        foreach (var table in report.Tables)
        {
            html.Append(CultureInfo.InvariantCulture, $"<h2>{Encode(table.Title)}</h2>\n");
            if (table.Withheld)
            {
                html.Append("<p>Withheld: its small counts could not be protected.</p>\n");
                continue;
            }

            if (table.Lines.Count == 0)
            {
                html.Append("<p>No partner activity.</p>\n");
                continue;
            }

            html.Append("<table><thead><tr><th>partner</th>");
            foreach (var column in table.Columns)
            {
                html.Append(CultureInfo.InvariantCulture, $"<th>{Encode(column)}</th>");
            }

            html.Append("</tr></thead><tbody>\n");
            foreach (var line in table.Lines)
            {
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Encode(line.Row)}</td>");
                foreach (var cell in line.Cells)
                {
                    html.Append(CultureInfo.InvariantCulture, $"<td>{Encode(cell)}</td>");
                }

                html.Append("</tr>\n");
            }

            html.Append("</tbody></table>\n").Append(Chart(table));
        }

        html.Append("<h2>Agreements</h2>\n");
        foreach (var agreement in report.Agreements)
        {
            html.Append(CultureInfo.InvariantCulture, $"<h3>{Encode(agreement.Partner)}: {Encode(agreement.Title ?? agreement.AgreementId)} (version {agreement.Version?.ToString(CultureInfo.InvariantCulture) ?? "none"}, {Encode(agreement.Status)})</h3>\n<ul>\n");
            foreach (var term in agreement.Terms)
            {
                html.Append(CultureInfo.InvariantCulture, $"<li>{Encode(term)}</li>\n");
            }

            html.Append("</ul>\n<ul>\n");
            foreach (var vote in agreement.Votes)
            {
                html.Append(CultureInfo.InvariantCulture, $"<li>{Encode(vote.Agency)}, {vote.At:yyyy-MM-dd}: {Encode(vote.Vote)} (version {vote.Version.ToString(CultureInfo.InvariantCulture)}) — “{Encode(vote.Statement)}”</li>\n");
            }

            html.Append("</ul>\n");
        }

        return html.ToString();
    }

    /// <summary>The charter section: what binds every agreement, who governs it and how it was amended.</summary>
    public static string Charter(TransparencyCharterView charter)
    {
        ArgumentNullException.ThrowIfNull(charter);
        var c = charter.InForce;
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"<h2>The charter above every agreement</h2>\n<p>{Encode(c.Title)} ({Encode(c.Jurisdiction)}), version {c.Version.ToString(CultureInfo.InvariantCulture)}, in force since {charter.InForceSince:yyyy-MM-dd}.</p>\n<ul>\n");
        html.Append(CultureInfo.InvariantCulture, $"<li>Stakeholders: {Encode(string.Join(", ", c.Stakeholders.Select(s => $"{s.Agency} ({s.Name})")))}.</li>\n");
        html.Append(CultureInfo.InvariantCulture, $"<li>An agreement enters into force with {c.Quorum.ConsentsToEnter.ToString(CultureInfo.InvariantCulture)} consents, is renewed with {c.Quorum.ConsentsToRenew.ToString(CultureInfo.InvariantCulture)}, resumes after a suspension with {c.Quorum.ConsentsToResume.ToString(CultureInfo.InvariantCulture)}, and ends when {c.Quorum.WithdrawalsToEnd.ToString(CultureInfo.InvariantCulture)} withdraw.</li>\n");
        html.Append(CultureInfo.InvariantCulture, $"<li>Longest term: {c.LongestTerm.Months.ToString(CultureInfo.InvariantCulture)} months.</li>\n");
        var safeguards = c.Safeguards;
        var reason = safeguards.ReasonRequired ? $"states a reason of at least {safeguards.MinReasonLength.ToString(CultureInfo.InvariantCulture)} characters" : "states a reason when its agreement asks";
        var caseNumber = safeguards.CaseNumberRequired ? " and a case number" : "";
        var adults = safeguards.AdultsOnly ? "only adults' records are shared" : "juveniles' records may be shared";
        html.Append(CultureInfo.InvariantCulture, $"<li>Every partner request {reason}{caseNumber}; {adults}.</li>\n");
        if (safeguards.NeverShared.Count > 0)
        {
            html.Append(CultureInfo.InvariantCulture, $"<li>Never shared with any partner: {Encode(string.Join(", ", safeguards.NeverShared))}.</li>\n");
        }

        html.Append("</ul>\n");
        if (charter.Amendments.Count > 0)
        {
            html.Append("<h3>Amendments (every stakeholder must consent)</h3>\n<ul>\n");
            foreach (var amendment in charter.Amendments)
            {
                var votes = string.Join("; ", amendment.Votes.Select(v => string.Create(CultureInfo.InvariantCulture, $"{v.Agency} {v.Vote} {v.CastAt:yyyy-MM-dd}")));
                var decided = amendment.DecidedAt is { } at ? string.Create(CultureInfo.InvariantCulture, $" on {at:yyyy-MM-dd}") : "";
                html.Append(CultureInfo.InvariantCulture, $"<li>Version {amendment.Version.ToString(CultureInfo.InvariantCulture)}, proposed by {Encode(amendment.ProposedByAgency)} on {amendment.ProposedAt:yyyy-MM-dd}: {Encode(amendment.Outcome)}{decided}{(votes.Length > 0 ? $" ({Encode(votes)})" : "")}.</li>\n");
            }

            html.Append("</ul>\n");
        }

        return html.ToString();
    }

    /// <summary>A bar per partner of the table's totals; a bar is drawn only for an exact count (a &lt;11 or * is written, not drawn).</summary>
    public static string Chart(PublicTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var rows = table.Lines.Where(l => l.Row != CountTable.Total).ToList();
        var values = rows.Select(l => long.TryParse(l.Cells[^1], NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : (long?)null).ToList();
        var max = Math.Max(1, values.Max(v => v ?? 0));
        var id = "chart-" + new string([.. table.Title.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]);
        var svg = new StringBuilder().Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" width=\"480\" height=\"{(rows.Count * 24) + 8}\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"<title id=\"{id}-title\">{Encode(table.Title)}</title><desc id=\"{id}-desc\">The total of each partner as a bar; a count from 1 to 10 (&lt;11) or a withheld one (*) is written, not drawn. The figures are in the table above.</desc>\n");
        for (var i = 0; i < rows.Count; i++)
        {
            var y = (i * 24) + 4;
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"0\" y=\"{y + 14}\" font-size=\"12\">{Encode(rows[i].Row)}</text>");
            var width = values[i] is { } v ? (int)(300.0 * v / max) : 0;
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"100\" y=\"{y}\" width=\"{width}\" height=\"18\" fill=\"#3b6ea5\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{106 + width}\" y=\"{y + 14}\" font-size=\"12\">{Encode(rows[i].Cells[^1])}</text>\n");
        }

        return svg.Append("</svg>\n").ToString();
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
