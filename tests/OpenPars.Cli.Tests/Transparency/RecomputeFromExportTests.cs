using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using OpenPars.App.Hosting;
using OpenPars.Testing;
using OpenPars.Web.Hosting;

namespace OpenPars.Cli.Tests.Transparency;

/// <summary>
/// Issue 11: "the report is a pure function of the verified audit log and the agreements: a test recomputes it from
/// <c>openpars audit export</c> output with independent code and gets the same JSON". Real partner traffic of two
/// partners through a real server (searches found and not found, refusals by rule, reads of consecutive numbers that
/// raise an alert which suspends the agreement that opted in, requests refused while suspended), then the real CLI
/// publishes the month and exports the log. <see cref="Recount"/> reads only the exported lines and the agreements'
/// partners with its own JSON parsing and counting — nothing of Core/Transparency, Core/Oversight or the reader of
/// looks — and every published cell must agree: an exact figure equal, <c>&lt;11</c> a count of 1–10, <c>*</c> one
/// of 11 or more (a withheld cell is never small or zero).
/// </summary>
public sealed class RecomputeFromExportTests
{
    private static readonly TimeZoneInfo City = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    [Theory, AllProviders]
    public async Task The_published_tables_are_recomputed_from_the_audit_export_by_independent_code(StorageProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await TestDatabase.CreateAsync(provider, ct);
        var store = CliRunner.StorageArgs(db.Settings);
        await CliArrange.AgenciesAsync(db, "ICE", "FBI");
        var (_, booking) = await CliArrange.UserAsync(db, "PPD", "ppd.booking", "booking-officer");
        var (_, ice) = await CliArrange.UserAsync(db, "ICE", "ice.analyst", "partner-analyst");
        var (_, fbi) = await CliArrange.UserAsync(db, "FBI", "fbi.analyst", "partner-analyst");
        Action<JsonObject> anyGrade = d => d["rowScope"] = new JsonObject { ["bookedWithinDays"] = 365 };
        await CliArrange.AgreementAsync(db, "ice-recount", "ICE", d => { anyGrade(d); d["autoSuspendOn"] = new JsonArray("arrest-number-run"); });
        await CliArrange.AgreementAsync(db, "fbi-recount", "FBI", anyGrade);
        var partnerOf = new Dictionary<string, string>(StringComparer.Ordinal) { ["ice-recount"] = "ICE", ["fbi-recount"] = "FBI" };

        await using (var app = OpenParsHost.Build(new OpenParsHostOptions { Storage = db.Settings, ListenOnLoopbackPort0 = true, OversightEvaluationInterval = TimeSpan.FromSeconds(1) }))
        {
            await app.StartAsync(ct);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var http = new HttpClient { BaseAddress = new Uri(address) };
            var numbers = new List<string>();
            for (var i = 0; i < 14; i++)
            {
                using var booked = await SendAsync(http, booking, HttpMethod.Post, "/api/v1/arrests", ServeProcess.Booking(Name(i)));
                Assert.Equal(HttpStatusCode.Created, booked.StatusCode);
                numbers.Add(booked.Headers.Location!.ToString().Split('/')[^1]);
            }

            for (var i = 0; i < 12; i++)
            {
                await PartnerAsync(http, ice, $"/api/v1/partner/arrests?lastName={Name(i)}&dateOfBirth=1990-01-01", HttpStatusCode.OK);
            }

            for (var i = 0; i < 3; i++)
            {
                await PartnerAsync(http, ice, $"/api/v1/partner/arrests?lastName=Nobody{(char)('a' + i)}&dateOfBirth=1990-01-01", HttpStatusCode.OK);
                await PartnerAsync(http, fbi, $"/api/v1/partner/arrests?lastName={Name(i)}&dateOfBirth=1990-01-01", HttpStatusCode.OK);
            }

            await PartnerAsync(http, ice, $"/api/v1/partner/arrests?lastName={Name(0)}&dateOfBirth=1990-01-01&placeOfBirth=Lagos", expected: null);
            await PartnerAsync(http, ice, $"/api/v1/partner/arrests?lastName={Name(1)}", expected: null);
            foreach (var number in numbers.Take(5))
            {
                await PartnerAsync(http, ice, $"/api/v1/partner/arrests/{number}", HttpStatusCode.OK);
            }

            // The evaluator (every second) raises the run's alert and suspends ICE's agreement; ICE is refused from then on.
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (true)
            {
                using var answer = await SendAsync(http, ice, HttpMethod.Get, $"/api/v1/partner/arrests?lastName={Name(2)}&dateOfBirth=1990-01-01", partner: true);
                if (answer.StatusCode != HttpStatusCode.OK)
                {
                    break;
                }

                Assert.True(waited.Elapsed < TimeSpan.FromSeconds(60), "no suspension a minute after the fifth consecutive read");
                await Task.Delay(500, ct);
            }

            await PartnerAsync(http, ice, $"/api/v1/partner/arrests/{numbers[9]}", expected: null);

            // Let the audit writer sign a checkpoint over all of it (every 10 s, and the evaluator signs when entries came).
            await Task.Delay(TimeSpan.FromSeconds(2), ct);
            await app.StopAsync(ct);
        }

        var month = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, City).ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var report = Directory.CreateTempSubdirectory("openpars-recount-report-").FullName;
        var export = Path.Combine(Path.GetTempPath(), "openpars-recount-export-" + Guid.NewGuid().ToString("N"));
        try
        {
            var published = await CliRunner.RunAsync(["report", "transparency", "--month", month, "--out", report, .. store]);
            Assert.True(published.ExitCode == 0, published.Output);
            var exported = await CliRunner.RunAsync(["audit", "export", "--out", export, .. store]);
            Assert.True(exported.ExitCode == 0, exported.Output);

            var json = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(report, $"transparency-{month}.json"), ct))!;
            var provenThrough = long.Parse(json["provenThrough"]!.ToString(), CultureInfo.InvariantCulture);
            var checkpoints = (await File.ReadAllLinesAsync(Path.Combine(export, "checkpoints.jsonl"), ct)).Where(l => l.Length > 0)
                .Select(l => JsonNode.Parse(l)!["treeSize"]!.GetValue<long>()).ToList();
            Assert.Contains(provenThrough, checkpoints);

            var recount = Recount.From(await File.ReadAllLinesAsync(Path.Combine(export, "entries.jsonl"), ct), month, provenThrough, partnerOf);
            Assert.True(recount.Looks >= 25, $"the recount saw {recount.Looks} partner looks");
            var tables = json["tables"]!.AsArray().Select(t => t!.AsObject()).ToDictionary(t => t["name"]!.GetValue<string>(), StringComparer.Ordinal);
            Assert.Equal(["alerts", "records", "requests"], tables.Keys.Order(StringComparer.Ordinal));
            var checkedCells = 0;
            foreach (var (name, counts) in recount.Tables)
            {
                var table = tables[name];
                var columns = table["columns"]!.AsArray().Select(c => c!.GetValue<string>()).ToList();
                Assert.Equal([.. counts.Columns, "Total"], columns);
                if (table["withheld"]!.GetValue<bool>())
                {
                    // A table whose small counts cannot be protected is withheld whole: no cell of it is published.
                    // Here the alerts table (one alert, one suspension, FBI's zeros) is; the traffic tables must not be.
                    Assert.Equal("alerts", name);
                    Assert.Empty(table["lines"]!.AsArray());
                    continue;
                }

                var lines = table["lines"]!.AsArray().Select(l => l!.AsObject()).ToList();
                Assert.Equal([.. counts.Rows, "Total"], lines.Select(l => l["row"]!.GetValue<string>()));
                foreach (var line in lines)
                {
                    var row = line["row"]!.GetValue<string>();
                    var cells = line["cells"]!.AsArray().Select(c => c!.GetValue<string>()).ToList();
                    for (var c = 0; c < columns.Count; c++)
                    {
                        var truth = counts.Cell(row, columns[c]);
                        var text = cells[c];
                        var fits = text switch
                        {
                            "<11" => truth is >= 1 and <= 10,
                            "*" => truth >= 11,
                            _ => long.Parse(text, CultureInfo.InvariantCulture) == truth,
                        };
                        Assert.True(fits, $"{name}[{row}, {columns[c]}] is published as {text}; the export counts {truth}");
                        checkedCells++;
                    }
                }
            }

            // The traffic made figures of every kind: exact ones, small counts, the alert and the suspension (which the
            // recount finds in the export, whether or not the alerts table could be published).
            Assert.True(checkedCells >= 20, $"{checkedCells} cells checked");
            Assert.Equal(1, recount.Tables["alerts"].Cell("ICE", "arrest-number-run"));
            Assert.Equal(1, recount.Tables["alerts"].Cell("ICE", "suspensions"));
            Assert.True(recount.Tables["requests"].Cell("ICE", "allowed") >= 20);
            Assert.True(recount.Tables["requests"].Columns.Count >= 3, string.Join(", ", recount.Tables["requests"].Columns));
        }
        finally
        {
            Directory.Delete(report, recursive: true);
            if (Directory.Exists(export))
            {
                Directory.Delete(export, recursive: true);
            }
        }
    }

    private static string Name(int i) => "Recount" + (char)('a' + i);

    /// <summary>A partner request answered <paramref name="expected"/>, or refused (anything but 200) when null.</summary>
    private static async Task PartnerAsync(HttpClient http, string token, string path, HttpStatusCode? expected)
    {
        using var answer = await SendAsync(http, token, HttpMethod.Get, path, partner: true);
        Assert.True(expected is { } status ? status == answer.StatusCode : answer.StatusCode != HttpStatusCode.OK, $"{path}: {(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync()}");
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient http, string token, HttpMethod method, string path, string? body = null, bool partner = false)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (partner)
        {
            request.Headers.Add("OpenPars-Purpose", "criminal-investigation");
            request.Headers.Add("OpenPars-Reason", "Locating the suspect of a robbery series in district 24");
            request.Headers.Add("OpenPars-Case-Number", "ICE-PHL-2026-0142");
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        return http.SendAsync(request);
    }

    /// <summary>One recounted table: rows (partners, ordinal), columns as the report orders them, the counts and totals.</summary>
    private sealed record Counts(IReadOnlyList<string> Rows, IReadOnlyList<string> Columns, Dictionary<(string Row, string Column), long> Interior)
    {
        public long Cell(string row, string column) =>
            (row, column) switch
            {
                ("Total", "Total") => Interior.Values.Sum(),
                ("Total", _) => Interior.Where(kv => kv.Key.Column == column).Sum(kv => kv.Value),
                (_, "Total") => Interior.Where(kv => kv.Key.Row == row).Sum(kv => kv.Value),
                _ => Interior.GetValueOrDefault((row, column)),
            };
    }

    /// <summary>
    /// The independent recount: the exported entries as plain JSON (no OpenPARS type), the month's bounds in the
    /// city's zone, the looks the report may use (index below the checkpoint it names), counted by hand.
    /// </summary>
    private sealed record Recount(long Looks, IReadOnlyDictionary<string, Counts> Tables)
    {
        public static Recount From(IEnumerable<string> lines, string month, long provenThrough, IReadOnlyDictionary<string, string> partnerOfAgreement)
        {
            var first = DateTime.ParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture);
            var start = new DateTimeOffset(first, City.GetUtcOffset(first));
            var next = first.AddMonths(1);
            var end = new DateTimeOffset(next, City.GetUtcOffset(next));
            var entries = lines.Where(l => l.Length > 0).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
            string Text(JsonObject e, params string[] path)
            {
                JsonNode? node = e;
                foreach (var step in path)
                {
                    node = node?[step];
                }

                return node?.ToString() ?? "";
            }

            bool InMonth(JsonObject e)
            {
                var at = DateTimeOffset.Parse(Text(e, "time"), CultureInfo.InvariantCulture);
                return at >= start && at < end;
            }

            var partners = entries.Where(e => Text(e, "event") == "admin.agency-added" && Text(e, "payload", "kind") == "partner")
                .Select(e => Text(e, "payload", "agency")).ToHashSet(StringComparer.Ordinal);
            var looks = entries.Where(e => Text(e, "event") is "partner.search" or "partner.read"
                    && long.Parse(Text(e, "index"), CultureInfo.InvariantCulture) < provenThrough && InMonth(e) && partners.Contains(Text(e, "actor", "agency")))
                .ToList();
            var alerts = entries.Where(e => Text(e, "event") == "oversight.alert-raised" && InMonth(e)).ToList();
            var suspensions = entries.Where(e => Text(e, "event") == "agreement.suspended" && InMonth(e)).ToList();

            var rows = looks.Select(e => Text(e, "actor", "agency")).Concat(partnerOfAgreement.Values).Concat(alerts.Select(e => Text(e, "payload", "agency")))
                .Where(partners.Contains).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

            var requests = new Dictionary<(string, string), long>();
            var records = new Dictionary<(string, string), long>();
            var raised = new Dictionary<(string, string), long>();
            void Add(Dictionary<(string, string), long> table, string row, string column, long n) => table[(row, column)] = table.GetValueOrDefault((row, column)) + n;
            foreach (var look in looks)
            {
                var agency = Text(look, "actor", "agency");
                if (Text(look, "outcome") == "allowed")
                {
                    Add(requests, agency, "allowed", 1);
                    var disclosed = look["records"] is JsonArray list ? list.Select(r => r!.ToString()).Distinct(StringComparer.Ordinal).Count() : 0;
                    Add(records, agency, Text(look, "event") == "partner.read" ? "read" : "search", disclosed);
                }
                else
                {
                    var code = Text(look, "code");
                    Add(requests, agency, code.Length == 0 ? "unknown" : code, 1);
                }
            }

            foreach (var alert in alerts)
            {
                Add(raised, Text(alert, "payload", "agency"), Text(alert, "payload", "kind"), 1);
            }

            var kinds = raised.Keys.Select(k => k.Item2).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            foreach (var suspension in suspensions)
            {
                if (partnerOfAgreement.TryGetValue(Text(suspension, "payload", "agreementId"), out var agency))
                {
                    Add(raised, agency, "suspensions", 1);
                }
            }

            var codes = requests.Keys.Select(k => k.Item2).Where(c => c != "allowed").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            return new Recount(looks.Count, new Dictionary<string, Counts>(StringComparer.Ordinal)
            {
                ["requests"] = new(rows, ["allowed", .. codes], requests),
                ["records"] = new(rows, ["search", "read"], records),
                ["alerts"] = new(rows, [.. kinds, "suspensions"], raised),
            });
        }
    }
}
