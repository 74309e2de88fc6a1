using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using OpenPars.App.Hosting;
using OpenPars.App.Oversight;
using OpenPars.Core.Agencies;
using OpenPars.Core.Common;
using Spectre.Console;

namespace OpenPars.Cli.Commands;

/// <summary>`oversight report`: a partner's usage, disparity and alerts for a privacy officer or representative, as
/// Markdown, HTML (with an SVG chart) or JSON; the same use case and audit (12006) as any other view.</summary>
public static class OversightCommands
{
    /// <summary>`openpars oversight` and its subcommands, writing to <paramref name="console"/>.</summary>
    public static Command Create(IAnsiConsole console)
    {
        var storage = new StorageOptions();
        var agency = new Option<string>("--agency") { Description = "The partner agency's code, e.g. ICE.", Required = true };
        var from = new Option<string?>("--from") { Description = "First local day, yyyy-MM-dd (default: 29 days before today)." };
        var to = new Option<string?>("--to") { Description = "Last local day, yyyy-MM-dd (default: today)." };
        var format = new Option<string>("--format") { Description = "md | html | json", DefaultValueFactory = _ => "md" };
        format.AcceptOnlyFromAmong("md", "html", "json");
        var user = CliCredentials.TokenOption();
        var report = new Command("report", "A partner's usage by day, disparity (7 and 30 days) and alerts, from the looks the audit log proves (privacy officer, stakeholder representative).") { agency, from, to, format, user };
        storage.AddTo(report, withReference: false);
        report.SetAction(async (result, ct) =>
        {
            await using var app = await CliApp.StartAsync(storage.Resolve(result), "oversight report", ct);
            var caller = await CliCredentials.AuthenticateAsync(app, CliCredentials.RequiredToken(result, user), ct);
            var answer = await app.Get<OversightUseCases>().ReportAsync(caller, result.GetValue(agency), result.GetValue(from), result.GetValue(to), ct);
            var text = result.GetValue(format) switch
            {
                "json" => JsonSerializer.Serialize(answer, OpenParsJson.Options),
                "html" => Html(answer),
                _ => Markdown(answer),
            };
            console.Profile.Out.Writer.Write(text);
            console.Profile.Out.Writer.Write('\n');
            return 0;
        });
        return new Command("oversight", "Oversight of partner access.") { report };
    }

    /// <summary>The report as Markdown: usage per day and user, disparity per window, alerts.</summary>
    public static string Markdown(OversightReport report)
    {
        var md = new StringBuilder();
        var u = report.Usage;
        md.Append(CultureInfo.InvariantCulture, $"# Oversight report: {u.Agency}, {u.From:yyyy-MM-dd} to {u.To:yyyy-MM-dd}\n\n");
        md.Append(CultureInfo.InvariantCulture, $"Proven through checkpoint {u.ProvenThrough}; {u.PendingEntries} looks pending the next checkpoint.\n\n## Usage by day\n\n");
        md.Append("| day | agreement | requests | allowed | refused | records | persons | chart |\n|---|---|---|---|---|---|---|---|\n");
        var max = Math.Max(1, u.Rows.Select(r => r.Requests).DefaultIfEmpty(0).Max());
        foreach (var r in u.Rows)
        {
            md.Append(CultureInfo.InvariantCulture, $"| {r.Day:yyyy-MM-dd} | {r.AgreementId} | {r.Requests} | {r.Allowed} | {r.Requests - r.Allowed} | {r.RecordsDisclosed} | {r.DistinctPersons} | {new string('█', Math.Max(1, 30 * r.Requests / max))} |\n");
        }

        foreach (var window in report.Disparity.Windows)
        {
            md.Append(CultureInfo.InvariantCulture, $"\n## Disparity, last {window.Days} days ({window.DisclosedPersons} persons disclosed, {window.BenchmarkPersons} booked in scope)\n\n");
            md.Append("| attribute | disclosed | booked | ratio | 95% interval | alert |\n|---|---|---|---|---|---|\n");
            foreach (var row in window.Rows)
            {
                md.Append(CultureInfo.InvariantCulture, $"| {row.Attribute} | {row.DisclosedWith}/{row.DisclosedKnown} | {row.BenchmarkWith}/{row.BenchmarkKnown} | {Number(row.Ratio)} | {Number(row.Lower)}–{Number(row.Upper)} | {(row.Alert ? "**alert**" : "")} |\n");
            }
        }

        md.Append(CultureInfo.InvariantCulture, $"\n## Alerts ({report.Alerts.Items.Count})\n\n");
        foreach (var alert in report.Alerts.Items)
        {
            md.Append(CultureInfo.InvariantCulture, $"- {alert.RaisedAt:yyyy-MM-dd HH:mm}Z `{alert.Id}` {alert.Kind}: {alert.Summary} Evidence: {alert.Evidence.Count} entries.{(alert.AutoSuspended is { } s ? $" Suspended {s}." : "")} Acknowledged by: {string.Join(", ", alert.Acknowledgements.Select(a => a.Agency))}\n");
        }

        return md.ToString();
    }

    /// <summary>The report as a standalone HTML page with its SVG charts (no script).</summary>
    public static string Html(OversightReport report)
    {
        var u = report.Usage;
        var max = Math.Max(1, u.Rows.Select(r => r.Requests).DefaultIfEmpty(0).Max());
        var svg = new StringBuilder().Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"requests per day\" width=\"{Math.Max(1, u.Rows.Count) * 14}\" height=\"120\">");
        for (var i = 0; i < u.Rows.Count; i++)
        {
            var height = 100 * u.Rows[i].Requests / max;
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{i * 14}\" y=\"{110 - height}\" width=\"12\" height=\"{height}\" fill=\"#3b6ea5\"><title>{u.Rows[i].Day:yyyy-MM-dd}: {u.Rows[i].Requests}</title></rect>");
        }

        svg.Append("</svg>");
        var body = new StringBuilder();
        var inTable = false;
        foreach (var line in Markdown(report).Split('\n'))
        {
            var row = line.StartsWith('|');
            if (row != inTable)
            {
                body.Append(row ? "<table>\n" : "</table>\n");
                inTable = row;
            }

            body.Append(line switch
            {
                _ when line.StartsWith("# ", StringComparison.Ordinal) => $"<h1>{Encode(line[2..])}</h1>\n",
                _ when line.StartsWith("## ", StringComparison.Ordinal) => $"<h2>{Encode(line[3..])}</h2>\n",
                _ when line.StartsWith("|---", StringComparison.Ordinal) => "",
                _ when row => "<tr>" + string.Concat(line.Trim('|').Split('|').Select(c => $"<td>{Encode(c.Trim())}</td>")) + "</tr>\n",
                "" => "",
                _ => $"<p>{Encode(line)}</p>\n",
            });
        }

        if (inTable)
        {
            body.Append("</table>\n");
        }

        return $"<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Oversight report {Encode(u.Agency)}</title></head><body>\n{svg}\n{body}</body></html>";
    }

    private static string Number(double? value) => value is { } v ? v.ToString("0.00", CultureInfo.InvariantCulture) : "∞";

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
