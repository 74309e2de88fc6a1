using System.Net;
using System.Text.Json.Nodes;
using OpenPars.Core.Agencies;
using OpenPars.Core.Audit;
using OpenPars.Testing;
using OpenPars.Testing.Web;
using Shouldly;
using OpenPars.App.Hosting;
using static OpenPars.Web.Tests.Agreements.AgreementHttp;
using static OpenPars.Web.Tests.Oversight.OversightHttp;

namespace OpenPars.Web.Tests.Oversight;

/// <summary>
/// Issue 11, oversight: the usage and disparity views over real partner traffic (the partner use case writes the
/// looks; the views read them back only once a signed checkpoint proves them), each view an audit entry of its own.
/// </summary>
public sealed class OversightApiTests
{
    [Theory, AllProviders]
    public async Task Usage_counts_what_the_partner_asked_was_refused_and_received_per_day_and_per_user(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: TestContext.Current.CancellationToken);
        var server = web.Server;
        var agreementId = await AgreementArrange.AgreementAsync(server, "ICE", ArrangedState.Active);
        var first = await BookPersonAsync(server, "Usagea", "Nigeria");
        await BookPersonAsync(server, "Usagea", "United States");
        (await SearchAsync(server, "Usagea"))["records"]!.AsArray().Count.ShouldBe(2);
        await PartnerAsync(server, TestAgreementDocuments.PartnerGet($"/api/v1/partner/arrests/{first}"));
        await SearchAsync(server, "Usagea", expected: HttpStatusCode.Forbidden, extra: "&placeOfBirth=Lagos");
        await CheckpointAsync(server);

        var size = await server.AuditSizeAsync();
        var byDay = await GetAsync(server, "/api/v1/oversight/usage?agency=ICE");

        byDay["pendingEntries"]!.GetValue<int>().ShouldBe(0);
        byDay["provenThrough"]!.GetValue<long>().ShouldBeGreaterThanOrEqualTo(size);
        var row = byDay["rows"]!.AsArray().ShouldHaveSingleItem()!.AsObject();
        row["day"]!.GetValue<string>().ShouldBe("2026-11-23");
        row["agreementId"]!.GetValue<string>().ShouldBe(agreementId);
        row["requests"]!.GetValue<int>().ShouldBe(3);
        row["allowed"]!.GetValue<int>().ShouldBe(2);
        row["refusalsByCode"]!["PARS-AGR-020"]!.GetValue<int>().ShouldBe(1);
        row["recordsDisclosed"]!.GetValue<int>().ShouldBe(3);
        row["distinctPersons"]!.GetValue<int>().ShouldBe(2);
        row["criteriaUsed"]!["lastName"]!.GetValue<int>().ShouldBe(2);
        row["criteriaUsed"]!["placeOfBirth"]!.GetValue<int>().ShouldBe(1);
        row["criteriaUsed"]!["arrestNumber"]!.GetValue<int>().ShouldBe(1);
        row["queryHeadroom"]!.GetValue<int>().ShouldBe(1000 - 2);
        row["recordHeadroom"]!.GetValue<int>().ShouldBe(10000 - 3);
        row["userName"].ShouldBeNull();

        var entry = (await server.AuditEntriesSinceAsync(size)).ShouldHaveSingleItem();
        entry["event"]!.GetValue<string>().ShouldBe("oversight.usage-read");
        entry["payload"]!["agency"]!.GetValue<string>().ShouldBe("ICE");

        var byUser = await GetAsync(server, "/api/v1/oversight/usage?agency=ICE&groupBy=user&from=2026-11-01&to=2026-11-23", Roles.StakeholderRepresentative);
        var userRow = byUser["rows"]!.AsArray().ShouldHaveSingleItem()!;
        userRow["userName"]!.GetValue<string>().ShouldBe(Roles.PartnerAnalyst);
        userRow["userId"]!.GetValue<long>().ShouldBe(server.UserIds[Roles.PartnerAnalyst]);
        (await GetAsync(server, "/api/v1/oversight/usage?agency=ICE&from=2026-11-24&to=2026-11-30"))["rows"]!.AsArray().ShouldBeEmpty();
    }

    [Theory, AllProviders]
    public async Task Disparity_compares_the_persons_disclosed_with_those_booked_in_the_agreements_scope(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: TestContext.Current.CancellationToken);
        var server = web.Server;
        var agreementId = await AgreementArrange.AgreementAsync(server, "ICE", ArrangedState.Active);
        var numbers = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            numbers.Add(await BookPersonAsync(server, Name("Abroad", i), "Nigeria"));
            numbers.Add(await BookPersonAsync(server, Name("Home", i), "United States"));
        }

        // A minor is outside an adults-only scope: never in the benchmark, whatever was booked.
        await BookPersonAsync(server, "Minorperson", "Nigeria", dateOfBirth: "2012-01-01");
        for (var i = 0; i < 6; i++)
        {
            await SearchAsync(server, Name("Abroad", i));
        }

        await SearchAsync(server, Name("Home", 0));
        await CheckpointAsync(server);
        server.Clock.Advance(TimeSpan.FromMinutes(1)); // a window ends at "now", and a test clock stands still

        var view = await GetAsync(server, "/api/v1/oversight/disparity?agency=ICE&window=7", Roles.StakeholderRepresentative);

        view["agreementId"]!.GetValue<string>().ShouldBe(agreementId);
        view["pendingEntries"]!.GetValue<int>().ShouldBe(0);
        var window = view["windows"]!.AsArray().ShouldHaveSingleItem()!.AsObject();
        window["days"]!.GetValue<int>().ShouldBe(7);
        window["disclosedPersons"]!.GetValue<int>().ShouldBe(7);
        window["benchmarkPersons"]!.GetValue<int>().ShouldBe(12);
        var abroad = Row(window, "birthplace:outside-united-states");
        abroad["disclosedWith"]!.GetValue<int>().ShouldBe(6);
        abroad["disclosedKnown"]!.GetValue<int>().ShouldBe(7);
        abroad["benchmarkWith"]!.GetValue<int>().ShouldBe(6);
        abroad["benchmarkKnown"]!.GetValue<int>().ShouldBe(12);
        abroad["ratio"]!.GetValue<double>().ShouldBe(6.0 / 7 / 0.5, 1e-6);
        abroad["method"]!.GetValue<string>().ShouldBe("koopman-score");
        abroad["lower"]!.GetValue<double>().ShouldBeLessThan(abroad["ratio"]!.GetValue<double>());
        abroad["sampleSufficient"]!.GetValue<bool>().ShouldBeFalse();
        abroad["alert"]!.GetValue<bool>().ShouldBeFalse();
        abroad["evidence"]!.AsArray().ShouldBeEmpty();

        // Both windows by default; the view names no person, arrest, name or date of birth.
        var both = await GetAsync(server, "/api/v1/oversight/disparity?agency=ICE");
        both["windows"]!.AsArray().Select(w => w!["days"]!.GetValue<int>()).ShouldBe([7, 30]);
        var json = both.ToJsonString();
        foreach (var number in numbers.Concat(["Abroad", "Home", "1991-05-17", "Lagos", "Nigeria"]))
        {
            json.ShouldNotContain(number);
        }
    }

    [Theory, AllProviders]
    public async Task Bad_input_is_refused_with_the_field_and_the_rule_and_is_itself_on_the_record(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: TestContext.Current.CancellationToken);
        var server = web.Server;
        (string Path, string Field, string Rule)[] cases =
        [
            ("/api/v1/oversight/usage", "agency", "required"),
            ("/api/v1/oversight/usage?agency=PPD", "agency", "unknown-partner-agency"),
            ("/api/v1/oversight/usage?agency=%D0%86CE", "agency", "unknown-partner-agency"),
            ("/api/v1/oversight/usage?agency=ICE&groupBy=week", "groupBy", "group-by-value"),
            ("/api/v1/oversight/usage?agency=ICE&from=2026-13-01", "from", "date-format"),
            ("/api/v1/oversight/usage?agency=ICE&from=2026-11-23&to=2026-11-22", "to", "range-order"),
            ("/api/v1/oversight/usage?agency=ICE&from=2025-01-01&to=2026-11-22", "to", "range-length"),
            ("/api/v1/oversight/disparity?agency=ICE&window=14", "window", "window-days"),
            ("/api/v1/oversight/disparity", "agency", "required"),
        ];
        foreach (var (path, field, rule) in cases)
        {
            var size = await server.AuditSizeAsync();
            var problem = await GetAsync(server, path, expected: HttpStatusCode.BadRequest);
            problem["code"]!.GetValue<string>().ShouldBe("PARS-REQ-006", path);
            problem["errors"]![field]!.AsArray().Select(e => e!["rule"]!.GetValue<string>()).ShouldContain(rule, path);
            var entry = (await server.AuditEntriesSinceAsync(size)).ShouldHaveSingleItem();
            entry["outcome"]!.GetValue<string>().ShouldBe("refused");
        }

        // A partner without any agreement has nothing to be measured against.
        var none = await GetAsync(server, "/api/v1/oversight/disparity?agency=ICE", expected: HttpStatusCode.NotFound);
        none["code"]!.GetValue<string>().ShouldBe("PARS-OVS-001");
    }

    private static JsonObject Row(JsonObject window, string attribute) =>
        window["rows"]!.AsArray().Single(r => r!["attribute"]!.GetValue<string>() == attribute)!.AsObject();
}
