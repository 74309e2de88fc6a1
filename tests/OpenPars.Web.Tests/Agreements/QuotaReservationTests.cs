using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using OpenPars.App.Hosting;
using OpenPars.Core.Agreements;
using OpenPars.Core.Audit;
using OpenPars.Core.Audit.Payloads;
using OpenPars.Testing;
using OpenPars.Testing.Web;
using static OpenPars.Web.Tests.Agreements.AgreementHttp;

namespace OpenPars.Web.Tests.Agreements;

/// <summary>
/// Issue 9, defect 5: with 64 concurrent requests a partner got 7 answers on a 5-query quota and 350 records on a
/// 150-record quota. Quotas are reserved before the query, in the transaction of the decision's audit entry: no
/// interleaving exceeds a quota by one query or one record, and what was reserved is what the log shows.
/// </summary>
public sealed class QuotaReservationTests
{
    private const int Concurrent = 64;
    private const string Search = "/api/v1/partner/arrests?lastName=Okafor&dateOfBirth=1991-05-17";

    [Theory, AllProviders]
    public async Task Sixty_four_concurrent_searches_get_exactly_the_query_quota(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: TestContext.Current.CancellationToken);
        var server = web.Server;
        await BookAsync(server);
        var agreementId = await ActivateWithQuotasAsync(server, queries: 5, records: 10_000);

        var answers = await ConcurrentSearchesAsync(server);

        Assert.Equal(5, answers.Count(a => a.Status == HttpStatusCode.OK));
        Assert.Equal(Concurrent - 5, answers.Count(a => a.Status == HttpStatusCode.TooManyRequests
            && a.Body["code"]?.GetValue<string>() == AgreementErrorCodes.QuotaExceeded));
        var (allowed, records) = await AllowedEntriesAsync(server, agreementId);
        Assert.Equal(5, allowed);
        Assert.Equal(5, records);
        Assert.Equal(5, await CounterAsync(server, agreementId, "queries"));
        Assert.Equal(5, await CounterAsync(server, agreementId, "records"));
    }

    [Theory, AllProviders]
    public async Task Sixty_four_concurrent_searches_disclose_exactly_the_record_quota(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: TestContext.Current.CancellationToken);
        var server = web.Server;
        for (var i = 0; i < 10; i++)
        {
            await BookAsync(server);
        }

        // Each search finds the same 10 bookings: 25 records is two whole answers and one cut to the headroom (5).
        var agreementId = await ActivateWithQuotasAsync(server, queries: 1000, records: 25);

        var answers = await ConcurrentSearchesAsync(server);

        var ok = answers.Where(a => a.Status == HttpStatusCode.OK).ToList();
        Assert.Equal(25, ok.Sum(a => a.Body["records"]!.AsArray().Count));
        Assert.Equal(3, ok.Count);
        Assert.Equal(Concurrent - 3, answers.Count(a => a.Status == HttpStatusCode.TooManyRequests));
        var (allowed, records) = await AllowedEntriesAsync(server, agreementId);
        Assert.Equal(3, allowed);
        Assert.Equal(25, records);
        Assert.Equal(25, await CounterAsync(server, agreementId, "records"));
        Assert.Equal(3, await CounterAsync(server, agreementId, "queries"));
    }

    [Theory, AllProviders]
    public async Task A_refused_read_reserves_nothing(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: TestContext.Current.CancellationToken);
        var server = web.Server;
        await BookAsync(server);
        var agreementId = await ActivateWithQuotasAsync(server, queries: 2, records: 100);

        // A read of a number that is not there is refused as not found: it takes no query from the quota.
        for (var i = 0; i < 5; i++)
        {
            await ExpectRefusalAsync(server, TestAgreementDocuments.PartnerGet("/api/v1/partner/arrests/26-9999999"), "PARS-ARR-001", 404);
        }

        Assert.Equal(0, await CounterAsync(server, agreementId, "queries"));
        Assert.Equal(HttpStatusCode.OK, (await PartnerAsync(server, TestAgreementDocuments.PartnerGet(Search))).Status);
        Assert.Equal(HttpStatusCode.OK, (await PartnerAsync(server, TestAgreementDocuments.PartnerGet(Search))).Status);
        await ExpectRefusalAsync(server, TestAgreementDocuments.PartnerGet(Search), AgreementErrorCodes.QuotaExceeded, 429);
        Assert.Equal(2, await CounterAsync(server, agreementId, "queries"));
    }

    private static async Task<string> ActivateWithQuotasAsync(OpenParsTestServer server, int queries, int records)
    {
        var reps = await AgreementArrange.RepresentativesAsync(server);
        var now = server.Clock.GetUtcNow();
        var id = "ice-quota-" + Guid.NewGuid().ToString("N")[..6];
        var document = TestAgreementDocuments.Document(id, "ICE", now.AddDays(-1), now.AddDays(100))
            .With(d => d["quotas"] = new JsonObject { ["queriesPerUserPerDay"] = queries, ["recordsPerAgencyPerDay"] = records, ["maxActiveWatches"] = 50 });
        Assert.Equal("active", StatusOf(await ActivateAsync(server, reps, document)));
        return id;
    }

    private static async Task<IReadOnlyList<(HttpStatusCode Status, JsonObject Body)>> ConcurrentSearchesAsync(OpenParsTestServer server)
    {
        using var start = new ManualResetEventSlim(false);
        var requests = Enumerable.Range(0, Concurrent).Select(_ => Task.Run(async () =>
        {
            start.Wait(TestContext.Current.CancellationToken);
            return await PartnerAsync(server, TestAgreementDocuments.PartnerGet(Search));
        })).ToList();
        start.Set();
        var answers = await Task.WhenAll(requests);
        Assert.All(answers, a => Assert.True(a.Status is HttpStatusCode.OK or HttpStatusCode.TooManyRequests, $"{(int)a.Status}: {a.Body}"));
        return answers;
    }

    /// <summary>Allowed partner entries naming the agreement and the records they list, from the log itself.</summary>
    private static async Task<(int Allowed, int Records)> AllowedEntriesAsync(OpenParsTestServer server, string agreementId)
    {
        await using var db = server.NewContext();
        var entries = await db.AuditEntries.Where(e => e.EventType == (int)AuditEventType.PartnerSearch && e.Outcome == "allowed").Select(e => e.Entry).ToListAsync();
        var mine = entries.Select(b => JsonNode.Parse(b)!).Where(j => AuditPayloads.Read<PartnerAccessV1>(j)?.AgreementId == agreementId).ToList();
        return (mine.Count, mine.Sum(j => j["records"]?.AsArray().Count ?? 0));
    }

    private static async Task<long> CounterAsync(OpenParsTestServer server, string agreementId, string kind)
    {
        await using var db = server.NewContext();
        return await db.QuotaCounters.Where(c => c.AgreementId == agreementId && c.Kind == kind).SumAsync(c => c.Used);
    }
}
