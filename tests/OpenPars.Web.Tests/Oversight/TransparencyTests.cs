using System.Net;
using System.Text.Json.Nodes;
using OpenPars.App.Hosting;
using OpenPars.Core.Agencies;
using OpenPars.Storage.Agencies;
using OpenPars.Testing;
using OpenPars.Testing.Web;
using Shouldly;
using static OpenPars.Web.Tests.Agreements.AgreementHttp;
using static OpenPars.Web.Tests.Oversight.OversightHttp;

namespace OpenPars.Web.Tests.Oversight;

/// <summary>
/// Issue 11, public transparency: anonymous JSON, CSV and page of the month, every count table checked by a solver
/// written apart from the suppression (brute force over every table of interior counts that fits what is published):
/// no cell published as &lt;11 or * is pinned to one value, and a small count cannot be told to within ±3.
/// </summary>
public sealed class TransparencyTests
{
    [Theory, AllProviders]
    public async Task The_months_report_publishes_small_counts_that_no_solver_can_recover_and_names_nobody(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: TestContext.Current.CancellationToken);
        var server = web.Server;
        await AgreementArrange.AgreementAsync(server, "ICE", ArrangedState.Active);
        var (fbi, fbiToken) = await PartnerWithAnalystAsync(server);
        await AgreementArrange.AgreementAsync(server, fbi, ArrangedState.Active);
        var number = await BookPersonAsync(server, "Publicperson", "Nigeria");

        // ICE: 30 allowed, 3 refused (a prohibited criterion); the other partner: 25 allowed, 5 refused.
        for (var i = 0; i < 30; i++)
        {
            await SearchAsync(server, Name("Nobody", i));
        }

        for (var i = 0; i < 3; i++)
        {
            await SearchAsync(server, "Nobody", expected: HttpStatusCode.Forbidden, extra: "&placeOfBirth=Lagos");
        }

        for (var i = 0; i < 25; i++)
        {
            (await SendAsTokenAsync(server, fbiToken, TestAgreementDocuments.PartnerGet($"/api/v1/partner/arrests?lastName={Name("Nobody", i)}&dateOfBirth=1991-05-17"))).Status.ShouldBe(HttpStatusCode.OK);
        }

        for (var i = 0; i < 5; i++)
        {
            (await SendAsTokenAsync(server, fbiToken, TestAgreementDocuments.PartnerGet("/api/v1/partner/arrests?lastName=Nobody&dateOfBirth=1991-05-17&race=white"))).Status.ShouldBe(HttpStatusCode.Forbidden);
        }

        await CheckpointAsync(server);
        using var anonymous = server.Client();
        var report = JsonNode.Parse(await anonymous.GetStringAsync(new Uri("/api/v1/transparency?month=2026-11", UriKind.Relative)))!.AsObject();

        report["month"]!.GetValue<string>().ShouldBe("2026-11");
        var requests = report["tables"]!.AsArray().Single(t => t!["name"]!.GetValue<string>() == "requests")!.AsObject();
        requests["withheld"]!.GetValue<bool>().ShouldBeFalse();
        var truth = new Dictionary<(string, string), long> { [("ICE", "allowed")] = 30, [("ICE", "PARS-AGR-020")] = 3, [(fbi, "allowed")] = 25, [(fbi, "PARS-AGR-020")] = 5 };
        var published = Cells(requests);
        published[("ICE", "PARS-AGR-020")].ShouldBe("<11");
        published[(fbi, "PARS-AGR-020")].ShouldBe("<11");
        foreach (var table in report["tables"]!.AsArray().Select(t => t!.AsObject()).Where(t => !t["withheld"]!.GetValue<bool>()))
        {
            IndependentSolver.AssertNothingRecoverable(Cells(table), table["name"]!.GetValue<string>() == "requests" ? truth : null);
        }

        var agreements = report["agreements"]!.AsArray();
        agreements.Count.ShouldBe(2);
        agreements[0]!["terms"]!.AsArray().Count.ShouldBeGreaterThan(3);
        agreements[0]!["votes"]!.AsArray().Select(v => v!["agency"]!.GetValue<string>()).ShouldBe(["PPD", "DAO", "FJD"]);

        var csv = await anonymous.GetStringAsync(new Uri("/api/v1/transparency.csv?month=2026-11", UriKind.Relative));
        csv.ShouldContain($"2026-11,requests,ICE,PARS-AGR-020,<11");
        using var page = await anonymous.GetAsync(new Uri("/transparency?month=2026-11", UriKind.Relative));
        page.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        var html = await page.Content.ReadAsStringAsync();
        html.ShouldContain("<svg");
        html.ShouldContain("&lt;11");
        // A page of the site: its layout's one script is the site's own file, never inline (the CSP forbids it).
        System.Text.RegularExpressions.Regex.IsMatch(html, "<script(?![^>]*\\bsrc=\"/pages/)", System.Text.RegularExpressions.RegexOptions.IgnoreCase).ShouldBeFalse();
        html.ShouldContain("<title id=");

        foreach (var text in new[] { report.ToJsonString(), csv, html })
        {
            foreach (var secret in new[] { number, "Nobody", "Publicperson", "1991-05-17", Roles.PartnerAnalyst, "fbi.analyst", "arrange.ppd", "arrange.dao", "arrange.fjd", "Lagos" })
            {
                text.ShouldNotContain(secret);
            }
        }
    }

    [Theory, AllProviders]
    public async Task The_page_shows_the_stored_charter_in_force_and_its_amendments_by_agency_and_date_only(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: TestContext.Current.CancellationToken);
        var server = web.Server;
        var version = await CharterArrange.OpenAmendmentAsync(server);
        var inForce = (await CharterArrange.HistoryAsync(server)).InForce!;

        using var anonymous = server.Client();
        var html = await anonymous.GetStringAsync(new Uri("/transparency?month=2026-11", UriKind.Relative));
        html.ShouldContain("<h2>The charter above every agreement</h2>");
        html.ShouldContain($"version {inForce.Version}, in force since");
        html.ShouldContain($"enters into force with {inForce.Quorum.ConsentsToEnter} consents");
        html.ShouldContain($"ends when {inForce.Quorum.WithdrawalsToEnd} withdraw");
        html.ShouldContain($"Longest term: {inForce.LongestTerm.Months} months");
        foreach (var stakeholder in inForce.Stakeholders)
        {
            html.ShouldContain(stakeholder.Agency);
        }

        // The open amendment, by the proposing agency's code; never the representative's name or statement.
        html.ShouldContain($"Version {version}, proposed by PPD on");
        html.ShouldNotContain("arrange.ppd");
        html.ShouldNotContain("clarified title");
    }

    [Theory, AllProviders]
    public async Task A_bad_month_is_refused_with_the_field_and_the_rule(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: TestContext.Current.CancellationToken);
        using var anonymous = web.Server.Client();
        foreach (var month in new[] { "2026-13", "2026-1", "26-11", "2026-11-01", "november" })
        {
            using var response = await anonymous.GetAsync(new Uri($"/api/v1/transparency?month={month}", UriKind.Relative));
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, month);
            var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            problem["errors"]!["month"]![0]!["rule"]!.GetValue<string>().ShouldBe("month-format");
        }
    }

    [Fact]
    public void The_solver_is_not_blind_a_small_count_a_total_gives_away_is_found()
    {
        // Only the small counts masked, every total exact: 33 − 30 = 3.
        var naive = new Dictionary<(string, string), string>
        {
            [("ICE", "allowed")] = "30", [("ICE", "refused")] = "<11", [("ICE", "Total")] = "33",
            [("FBI", "allowed")] = "25", [("FBI", "refused")] = "<11", [("FBI", "Total")] = "30",
            [("Total", "allowed")] = "55", [("Total", "refused")] = "<11", [("Total", "Total")] = "63",
        };

        Should.Throw<ShouldAssertException>(() => IndependentSolver.AssertNothingRecoverable(naive, null)).Message.ShouldContain("recoverable");
    }

    private static async Task<(string Code, string Token)> PartnerWithAnalystAsync(OpenParsTestServer server)
    {
        var code = await AgreementArrange.NewPartnerAsync(server);
        await using var db = server.NewContext();
        var identity = new IdentityStore(db, server.Clock, TestAudit.Trail(server.Storage, server.Clock));
        var user = await identity.AddUserAsync(code, "fbi.analyst", [Roles.PartnerAnalyst]);
        return (code, (await identity.CreateTokenAsync(user.Id, TimeSpan.FromDays(30), "fbi.analyst")).Secret);
    }

    private static Dictionary<(string Row, string Column), string> Cells(JsonObject table)
    {
        var columns = table["columns"]!.AsArray().Select(c => c!.GetValue<string>()).ToList();
        var cells = new Dictionary<(string, string), string>();
        foreach (var line in table["lines"]!.AsArray())
        {
            var values = line!["cells"]!.AsArray().Select(c => c!.GetValue<string>()).ToList();
            for (var i = 0; i < columns.Count; i++)
            {
                cells[(line["row"]!.GetValue<string>(), columns[i])] = values[i];
            }
        }

        return cells;
    }
}

/// <summary>
/// The attacker's solver, written apart from the suppression: it enumerates every table of non-negative interior
/// counts that agrees with every published cell (a number exactly; &lt;11 as 1–10; * as 11 or more), each interior
/// count bounded by the largest exact total + 10 (a bound that only shrinks the attacker's space: each table found is
/// a real witness). For each cell not published exactly it collects the values it takes over those tables.
/// </summary>
internal static class IndependentSolver
{
    private const string Total = "Total";

    public static void AssertNothingRecoverable(IReadOnlyDictionary<(string Row, string Column), string> cells, IReadOnlyDictionary<(string, string), long>? truth)
    {
        var rows = cells.Keys.Select(k => k.Row).Where(r => r != Total).Distinct().ToList();
        var columns = cells.Keys.Select(k => k.Column).Where(c => c != Total).Distinct().ToList();
        var interior = (from r in rows from c in columns select (r, c)).ToList();
        var bound = cells.Values.Select(v => long.TryParse(v, out var n) ? n : 0).DefaultIfEmpty(0).Max() + 10;
        var ranges = interior.Select(k => Range(cells[k], bound)).ToList();
        var seen = cells.Keys.Where(k => cells[k] is "<11" or "*").ToDictionary(k => k, _ => new HashSet<long>());
        var value = new long[interior.Count];

        void Visit(int i)
        {
            if (i == interior.Count)
            {
                var sums = cells.Keys.ToDictionary(k => k, k => interior.Select((key, j) => (key, j))
                    .Where(x => (k.Row == Total || x.key.r == k.Row) && (k.Column == Total || x.key.c == k.Column)).Sum(x => value[x.j]));
                if (cells.All(cell => Fits(cell.Value, sums[cell.Key])))
                {
                    foreach (var (key, set) in seen)
                    {
                        set.Add(sums[key]);
                    }
                }

                return;
            }

            for (var v = ranges[i].Min; v <= ranges[i].Max; v++)
            {
                value[i] = v;
                Visit(i + 1);
            }
        }

        Visit(0);
        foreach (var (key, values) in seen)
        {
            values.Count.ShouldBeGreaterThan(1, $"{key} is recoverable: every table that fits the publication gives it {string.Join(",", values)}");
            if (truth is not null && cells[key] == "<11" && interior.Contains(key))
            {
                var v = truth[key];
                values.Min().ShouldBeLessThanOrEqualTo(Math.Max(1, v - 3), $"{key} = {v} is bounded below within 3");
                values.Max().ShouldBeGreaterThanOrEqualTo(Math.Min(10, v + 3), $"{key} = {v} is bounded above within 3");
            }
        }
    }

    private static (long Min, long Max) Range(string published, long bound) => published switch
    {
        "<11" => (1, 10),
        "*" => (11, bound),
        _ => (long.Parse(published, System.Globalization.CultureInfo.InvariantCulture), long.Parse(published, System.Globalization.CultureInfo.InvariantCulture)),
    };

    private static bool Fits(string published, long sum) => published switch
    {
        "<11" => sum is >= 1 and <= 10,
        "*" => sum >= 11,
        _ => sum == long.Parse(published, System.Globalization.CultureInfo.InvariantCulture),
    };
}
