using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenPars.App.Hosting;
using OpenPars.Core.Agencies;
using OpenPars.Storage.Agencies;
using OpenPars.Testing;
using OpenPars.Testing.Web;
using OpenPars.Web.Tests.Oversight;
using Shouldly;
using static OpenPars.Web.Tests.Agreements.AgreementHttp;
using static OpenPars.Web.Tests.Oversight.OversightHttp;

namespace OpenPars.Web.Tests.Webhooks;

/// <summary>
/// Issue 11's webhook kind: the oversight alerts go, signed and with the same retry machinery, to every stakeholder
/// agency that asked — the police's records admin (a stakeholder integration) and each stakeholder agency's privacy
/// officers (their own oversight endpoints) — and never to a partner. The alert is raised by the real evaluator from
/// biased partner traffic (lookups of persons born abroad only, never a prohibited criterion); the body is the alert
/// with its evidence, aggregates only.
/// </summary>
public sealed class AlertWebhookTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Theory, AllProviders]
    public async Task A_disparity_alert_reaches_every_stakeholders_receiver_signed_and_a_partner_may_not_ask_for_it(StorageProvider provider)
    {
        await using var police = await WebhookReceiver.StartAsync();
        await using var attorney = await WebhookReceiver.StartAsync();
        await using var courts = await WebhookReceiver.StartAsync();
        await using var web = await ProviderTestServer.StartAsync(provider, clock: null,
            configure: b => b.Services.AddSingleton(WebhookArrange.LoopbackOptions(["ICE", "PPD", "DAO", "FJD"])), ct: TestContext.Current.CancellationToken);
        var server = web.Server;
        await AgreementArrange.AgreementAsync(server, "ICE", ArrangedState.Active);
        using var daoOfficer = await PrivacyOfficerAtAsync(server, "DAO");
        using var fjdOfficer = server.Client(Roles.PrivacyOfficer);
        using var recordsAdmin = server.Client(Roles.RecordsAdmin);

        // A partner may never subscribe to alerts about partners: refused by its rule, nothing registered.
        using (var partner = server.Client(Roles.PartnerAnalyst))
        {
            var (status, body) = await RegisterAsync(partner, "/api/v1/partner/webhooks", "http://127.0.0.1:9/hook", ["oversight-alert-raised"]);
            status.ShouldBe(HttpStatusCode.Forbidden);
            body["code"]!.GetValue<string>().ShouldBe("PARS-HOOK-010");
            body["errors"]!.ToJsonString().ShouldContain("eventKinds");
        }

        // A privacy officer's endpoint carries the alerts only, not the desks' arrest events.
        var (refused, refusal) = await RegisterAsync(fjdOfficer, "/api/v1/oversight/webhooks", courts.Url, ["arrest-booked"]);
        refused.ShouldBe(HttpStatusCode.BadRequest);
        refusal["code"]!.GetValue<string>().ShouldBe("PARS-HOOK-004");
        (await EndpointCountAsync(server)).ShouldBe(0);

        await RegisteredAsync(recordsAdmin, "/api/v1/webhooks", police, ["oversight-alert-raised"]);
        var daoEndpoint = await RegisteredAsync(daoOfficer, "/api/v1/oversight/webhooks", attorney, null);
        var fjdEndpoint = await RegisteredAsync(fjdOfficer, "/api/v1/oversight/webhooks", courts, null);
        daoEndpoint["eventKinds"]!.AsArray().Select(k => k!.GetValue<string>()).ShouldBe(["oversight-alert-raised", "oversight-alert-acknowledged"]);

        // Biased traffic: 30 of 100 persons booked were born abroad; the partner looks up those 30 only.
        for (var i = 0; i < 100; i++)
        {
            await BookPersonAsync(server, Name(i < 30 ? "Abroad" : "Home", i), i < 30 ? "Nigeria" : "United States");
        }

        for (var i = 0; i < 30; i++)
        {
            await SearchAsync(server, Name("Abroad", i));
        }

        server.Clock.Advance(TimeSpan.FromMinutes(1));
        var raised = await Evaluator(server).RunOnceAsync(TestContext.Current.CancellationToken);
        raised.ShouldBeGreaterThan(0);
        var listed = (await GetAsync(server, "/api/v1/oversight/alerts?agency=ICE")).AsArrayOf();
        listed.Count.ShouldBe(raised);

        foreach (var receiver in new[] { police, attorney, courts })
        {
            var got = await EventuallyAsync(() => receiver.Received.Count >= raised ? receiver.Received.ToList() : null);
            got.ShouldAllBe(r => r.Verified);
            got.Select(r => r.Id).Distinct().Count().ShouldBe(got.Count);
            var bodies = got.Select(r => JsonNode.Parse(r.Body)!).ToList();
            bodies.ShouldAllBe(b => b["type"]!.GetValue<string>() == "oversight-alert-raised");
            bodies.Select(b => b["alertId"]!.GetValue<string>()).Order().ShouldBe(listed.Select(a => a["id"]!.GetValue<string>()).Order());
            var disparity = bodies.Select(b => b["alert"]!).First(a => a["kind"]!.GetValue<string>() == "disparity" && a["figures"]!["attribute"]!.GetValue<string>() == "birthplace:outside-united-states");
            disparity["agency"]!.GetValue<string>().ShouldBe("ICE");
            disparity["figures"]!["disclosedWith"]!.GetValue<string>().ShouldBe("30");
            disparity["evidence"]!.AsArray().Count.ShouldBe(30);

            // Aggregates only: no name, date of birth or arrest number of anyone looked up.
            got.ShouldAllBe(r => !r.Body.Contains("Abroad", StringComparison.Ordinal) && !r.Body.Contains("1991-05-17", StringComparison.Ordinal) && !r.Body.Contains("\"26-", StringComparison.Ordinal));
        }

        // An acknowledgement goes to the endpoints that asked for it (the privacy officers' defaults), not the police's.
        var alertId = listed[0]["id"]!.GetValue<string>();
        await SendOkAsync(server, Roles.PrivacyOfficer, TestAgreementDocuments.PostJson($"/api/v1/oversight/alerts/{alertId}/acknowledgements",
            new JsonObject { ["statement"] = "The courts asked ICE for its case files." }), HttpStatusCode.Created);
        foreach (var receiver in new[] { attorney, courts })
        {
            var ack = await EventuallyAsync(() => receiver.Received.FirstOrDefault(r => r.Body.Contains("oversight-alert-acknowledged", StringComparison.Ordinal)));
            ack.Verified.ShouldBeTrue();
            JsonNode.Parse(ack.Body)!["alertId"]!.GetValue<string>().ShouldBe(alertId);
        }

        // Each privacy officer sees its own agency's endpoint only; another agency's is not found. The records admin oversees all.
        var fjdList = JsonNode.Parse(await fjdOfficer.GetStringAsync("/api/v1/oversight/webhooks", TestContext.Current.CancellationToken))!.AsArray();
        fjdList.Select(e => e!["id"]!.GetValue<string>()).ShouldBe([fjdEndpoint["id"]!.GetValue<string>()]);
        using (var other = await daoOfficer.GetAsync($"/api/v1/oversight/webhooks/{fjdEndpoint["id"]!.GetValue<string>()}/deliveries", TestContext.Current.CancellationToken))
        {
            other.StatusCode.ShouldBe(HttpStatusCode.NotFound);
            (await other.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldContain("PARS-HOOK-005");
        }

        using (var delete = await daoOfficer.DeleteAsync($"/api/v1/oversight/webhooks/{fjdEndpoint["id"]!.GetValue<string>()}", TestContext.Current.CancellationToken))
        {
            delete.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        }

        var deliveries = JsonNode.Parse(await fjdOfficer.GetStringAsync($"/api/v1/oversight/webhooks/{fjdEndpoint["id"]!.GetValue<string>()}/deliveries", TestContext.Current.CancellationToken))!.AsArray();
        deliveries.Count.ShouldBe(raised + 1);
        deliveries.ShouldAllBe(d => d!["arrestNumber"] == null);
        JsonNode.Parse(await recordsAdmin.GetStringAsync("/api/v1/webhooks", TestContext.Current.CancellationToken))!.AsArray().Count.ShouldBe(3);
    }

    /// <summary>A client with the token of a new privacy officer of <paramref name="agency"/>.</summary>
    private static async Task<HttpClient> PrivacyOfficerAtAsync(OpenParsTestServer server, string agency)
    {
        await using var db = server.NewContext();
        var identity = new IdentityStore(db, server.Clock, TestAudit.Trail(server.Storage, server.Clock));
        var user = await identity.AddUserAsync(agency, "privacy." + agency.ToLowerInvariant(), [Roles.PrivacyOfficer]);
        var secret = (await identity.CreateTokenAsync(user.Id, TimeSpan.FromDays(3), "privacy")).Secret;
        var client = server.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return client;
    }

    private static async Task<(HttpStatusCode Status, JsonObject Body)> RegisterAsync(HttpClient client, string path, string url, string[]? kinds)
    {
        using var response = await client.PostJsonAsync(path, new { url, eventKinds = kinds });
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!.AsObject());
    }

    private static async Task<JsonNode> RegisteredAsync(HttpClient client, string path, WebhookReceiver receiver, string[]? kinds)
    {
        var (status, body) = await RegisterAsync(client, path, receiver.Url, kinds);
        status.ShouldBe(HttpStatusCode.Created, body.ToJsonString());
        receiver.Secret = body["secret"]!.GetValue<string>();
        return body["endpoint"]!;
    }

    private static async Task<int> EndpointCountAsync(OpenParsTestServer server)
    {
        await using var db = server.NewContext();
        return await db.WebhookEndpoints.CountAsync();
    }

    private static async Task<T> EventuallyAsync<T>(Func<T?> probe)
        where T : class
    {
        var until = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < until)
        {
            if (probe() is { } found)
            {
                return found;
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        throw new TimeoutException($"The expected webhook deliveries did not come within {Patience.TotalSeconds} s.");
    }
}
