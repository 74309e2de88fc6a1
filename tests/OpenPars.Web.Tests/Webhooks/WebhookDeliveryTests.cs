using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenPars.App.Hosting;
using OpenPars.App.Webhooks;
using OpenPars.Core.Agencies;
using OpenPars.Core.Audit;
using OpenPars.Core.Watches;
using OpenPars.Storage.Agencies;
using OpenPars.Storage.Events;
using OpenPars.Testing;
using OpenPars.Testing.Web;
using Shouldly;

namespace OpenPars.Web.Tests.Webhooks;

/// <summary>
/// Webhooks end to end, on both databases, with a real receiver (Kestrel on loopback, signatures verified with the
/// StandardWebhooks package): signed deliveries for stakeholder integrations and partner watch notices, retries
/// after 503 on a moved clock that survive a restart, cancellation when the agreement stops being in force, 410
/// disabling the endpoint, SSRF refusals, agencies kept apart, and the secret never shown twice.
/// </summary>
public sealed class WebhookDeliveryTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private static async Task<ProviderTestServer> StartAsync(StorageProvider provider, WebhookOptions? options = null, IEnumerable<string>? agencies = null) =>
        await ProviderTestServer.StartAsync(provider, clock: null,
            configure: b => b.Services.AddSingleton(options ?? WebhookArrange.LoopbackOptions(agencies ?? ["ICE", "PPD"])), ct: TestContext.Current.CancellationToken);

    [Theory, AllProviders]
    public async Task A_booking_reaches_the_jail_system_signed_and_the_secret_is_never_shown_again(StorageProvider provider)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var web = await StartAsync(provider);
        var server = web.Server;
        var (id, secret) = await RegisterAsync(server, Roles.RecordsAdmin, "/api/v1/webhooks", receiver, ["arrest-booked"]);
        secret.ShouldStartWith("whsec_");

        var number = await new WebServer(server).BookAsync();
        var got = await EventuallyAsync(() => receiver.Received.FirstOrDefault());
        got.Verified.ShouldBeTrue();
        var body = JsonNode.Parse(got.Body)!;
        body["type"]!.GetValue<string>().ShouldBe("arrest-booked");
        body["arrestNumber"]!.GetValue<string>().ShouldBe(number);
        body["event"]!["type"]!.GetValue<string>().ShouldBe("arrest-booked");

        var deliveries = await EventuallyAsync(async () =>
        {
            var list = await GetArrayAsync(server, Roles.RecordsAdmin, $"/api/v1/webhooks/{id}/deliveries");
            return list.Count == 1 && list[0]!["state"]!.GetValue<string>() == "delivered" ? list : null;
        });
        deliveries[0]!["id"]!.GetValue<string>().ShouldBe(got.Id);
        deliveries[0]!["attemptLog"]!.AsArray().Count.ShouldBe(1);

        // The secret: in the registration's answer and nowhere after it — lists, deliveries, audit entries, logs.
        var listed = await GetRawAsync(server, Roles.RecordsAdmin, "/api/v1/webhooks");
        listed.ShouldNotContain(secret);
        listed.ShouldNotContain(secret[6..]);
        (await GetRawAsync(server, Roles.RecordsAdmin, $"/api/v1/webhooks/{id}/deliveries")).ShouldNotContain(secret[6..]);
        var key = secret[6..];
        var entries = await server.AuditEntriesSinceAsync(0);
        entries.ShouldNotContain(e => e.ToJsonString().Contains(key, StringComparison.Ordinal));
        entries.ShouldContain(e => e["event"]!.GetValue<string>() == "webhooks.delivered" && e["channel"]!.GetValue<string>() == "webhook");
        server.Logs.GetSnapshot().ShouldNotContain(r => r.Message.Contains(key, StringComparison.Ordinal));
        await using var db = server.NewContext();
        (await db.WebhookEndpoints.SingleAsync(e => e.PublicId == id)).SecretSealed.ShouldNotBe(System.Text.Encoding.UTF8.GetBytes(secret));
    }

    /// <summary>
    /// Wake on commit: every poll in the chain — the feed dispatcher's, the watch matcher's, the webhook enqueuer's — is
    /// ten minutes, so a re-arrest that is matched, enqueued and delivered while the test waits (at most 20 s) can only
    /// have been carried by the wake-ups: the booking's commit wakes the dispatcher, its read wakes the matcher, the
    /// match's commit wakes the dispatcher again, and its read wakes the enqueuer, which wakes the sender.
    /// </summary>
    [Theory, AllProviders]
    public async Task A_watch_match_is_enqueued_and_sent_on_the_commit_wake_not_the_poll(StorageProvider provider)
    {
        var never = TimeSpan.FromMinutes(10);
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var web = await ProviderTestServer.StartAsync(provider, clock: null,
            configure: b =>
            {
                b.Services.AddSingleton(WebhookArrange.LoopbackOptions(["ICE"]) with { PollInterval = never });
                b.Services.AddSingleton(sp => new OpenPars.Web.Hosting.WatchMatcherService(sp, sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<OpenPars.Web.Hosting.WatchMatcherService>>(), never));
            },
            feeds: new OpenPars.App.Feeds.FeedOptions { PollInterval = never }, ct: TestContext.Current.CancellationToken);
        var server = web.Server;
        server.Services.GetRequiredService<WebhookOptions>().PollInterval.ShouldBe(never);
        await AgreementArrange.AgreementAsync(server, "ICE", ArrangedState.Active);
        var (id, _) = await RegisterAsync(server, Roles.PartnerAnalyst, "/api/v1/partner/webhooks", receiver, null);
        var sid = await WatchAsync(server);
        var size = await server.AuditSizeAsync();

        // Booked through the API, and nothing run by hand: the hosted matcher and worker do the rest.
        var booking = SampleBookings.Valid("Rearrestb");
        booking["person"]!["identifiers"]!["sid"] = sid;
        var number = await new WebServer(server).BookAsync(booking);

        var got = await EventuallyAsync(() => receiver.Received.FirstOrDefault());
        got.Verified.ShouldBeTrue();
        JsonNode.Parse(got.Body)!["arrestNumber"]!.GetValue<string>().ShouldBe(number);
        var entries = await EventuallyAsync(async () =>
        {
            var since = await server.AuditEntriesSinceAsync(size);
            return since.Any(e => e["event"]!.GetValue<string>() == "webhooks.delivered") ? since : null;
        });
        var events = entries.Select(e => e["event"]!.GetValue<string>()).ToList();
        events.IndexOf("arrest.booked").ShouldBeLessThan(events.IndexOf("watches.matched"));
        events.IndexOf("watches.matched").ShouldBeLessThan(events.IndexOf("webhooks.delivered"));
        var list = await GetArrayAsync(server, Roles.PartnerAnalyst, $"/api/v1/partner/webhooks/{id}/deliveries");
        list.Single()!["id"]!.GetValue<string>().ShouldBe(got.Id);
    }

    [Theory, AllProviders]
    public async Task A_partner_notice_is_retried_after_503_on_its_schedule_across_a_restart(StorageProvider provider)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var web = await StartAsync(provider);
        var server = web.Server;
        await AgreementArrange.AgreementAsync(server, "ICE", ArrangedState.Active);
        var (id, _) = await RegisterAsync(server, Roles.PartnerAnalyst, "/api/v1/partner/webhooks", receiver, null);
        receiver.Answer(503);
        var number = await RearrestAsync(server, await WatchAsync(server));

        var first = await EventuallyAsync(() => receiver.Received.FirstOrDefault());
        first.AnsweredWith.ShouldBe(503);
        first.Verified.ShouldBeTrue();
        var notice = JsonNode.Parse(first.Body)!.AsObject();
        notice.Select(m => m.Key).Order().ShouldBe(["arrestNumber", "eventKind", "occurredAt", "type", "watchId"]);
        notice["arrestNumber"]!.GetValue<string>().ShouldBe(number);
        var failed = await EventuallyAsync(async () => (await server.AuditEntriesSinceAsync(0)).FirstOrDefault(e => e["event"]!.GetValue<string>() == "webhooks.delivery-failed"));
        failed["payload"]!["status"]!.GetValue<string>().ShouldBe("503");

        // The next attempt is 5 s (no jitter in tests) after the failure, in the database: a restart keeps it.
        await server.RestartAsync();
        await Task.Delay(500, TestContext.Current.CancellationToken);
        receiver.Received.Count.ShouldBe(1);
        server.Clock.Advance(TimeSpan.FromSeconds(6));
        var second = await EventuallyAsync(() => receiver.Received.Skip(1).FirstOrDefault());
        second.Id.ShouldBe(first.Id);
        second.AnsweredWith.ShouldBe(200);
        second.Verified.ShouldBeTrue();
        var deliveries = await EventuallyAsync(async () =>
        {
            var list = await GetArrayAsync(server, Roles.PartnerAnalyst, $"/api/v1/partner/webhooks/{id}/deliveries");
            return list[0]!["state"]!.GetValue<string>() == "delivered" ? list : null;
        });
        deliveries[0]!["attempts"]!.GetValue<int>().ShouldBe(2);
    }

    [Theory, AllProviders]
    public async Task No_delivery_once_the_agreement_is_suspended_or_the_token_revoked(StorageProvider provider)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var web = await StartAsync(provider);
        var server = web.Server;
        var agreement = await AgreementArrange.AgreementAsync(server, "ICE", ArrangedState.Active);
        var (id, _) = await RegisterAsync(server, Roles.PartnerAnalyst, "/api/v1/partner/webhooks", receiver, null);
        receiver.Answer(503);
        await RearrestAsync(server, await WatchAsync(server));
        await EventuallyAsync(() => receiver.Received.FirstOrDefault());

        await AgreementArrange.Store(server).SuspendAsync(agreement, "Suspended pending review of a complaint.", AgreementArrange.Police);
        server.Clock.Advance(TimeSpan.FromSeconds(6));
        var cancelled = await EventuallyAsync(async () =>
            (await server.AuditEntriesSinceAsync(0)).FirstOrDefault(e => e["event"]!.GetValue<string>() == "webhooks.delivery-cancelled"));
        cancelled["payload"]!["reason"]!.GetValue<string>().ShouldBe("agreement-suspended");
        await Task.Delay(500, TestContext.Current.CancellationToken);
        receiver.Received.Count.ShouldBe(1);
        var list = await GetArrayAsync(server, Roles.PartnerAnalyst, $"/api/v1/partner/webhooks/{id}/deliveries");
        list[0]!["state"]!.GetValue<string>().ShouldBe("cancelled");

        // A cancelled delivery cannot be sent again by hand.
        using var client = server.Client(Roles.PartnerAnalyst);
        using var redeliver = await client.PostAsync($"/api/v1/partner/webhooks/deliveries/{list[0]!["id"]!.GetValue<string>()}/redeliver", null, TestContext.Current.CancellationToken);
        redeliver.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await redeliver.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldContain("PARS-HOOK-007");
    }

    public static TheoryData<StorageProvider, string> Revocations() => Providers.Each(["watch-cancelled", "agreement-suspended"]);

    /// <summary>A delivery waiting an hour for its retry (the receiver's Retry-After) is cancelled when its watch is
    /// deleted or its agreement suspended — at once, with the clock standing still, not at the attempt an hour on.</summary>
    [Theory]
    [MemberData(nameof(Revocations))]
    public async Task A_deleted_watch_or_a_suspension_cancels_a_waiting_delivery_at_once(StorageProvider provider, string reason)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var web = await StartAsync(provider);
        var server = web.Server;
        var agreement = await AgreementArrange.AgreementAsync(server, "ICE", ArrangedState.Active);
        var (id, _) = await RegisterAsync(server, Roles.PartnerAnalyst, "/api/v1/partner/webhooks", receiver, null);
        receiver.Answer(503, "3600");
        var sid = await WatchAsync(server);
        await RearrestAsync(server, sid);
        await EventuallyAsync(async () =>
        {
            var list = await GetArrayAsync(server, Roles.PartnerAnalyst, $"/api/v1/partner/webhooks/{id}/deliveries");
            return list.Count == 1 && list[0]!["attempts"]!.GetValue<int>() == 1 ? list : null;
        });

        if (reason == "watch-cancelled")
        {
            await using var db = server.NewContext();
            var watchId = await db.PartnerWatches.Where(w => w.AgencyCode == "ICE").Select(w => w.WatchId).SingleAsync();
            using var client = server.Client(Roles.PartnerAnalyst);
            using var deleted = await client.DeleteAsync($"/api/v1/partner/watches/{watchId}", TestContext.Current.CancellationToken);
            deleted.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }
        else
        {
            using var client = server.Client(Roles.PrivacyOfficer);
            using var suspended = await client.PostJsonAsync($"/api/v1/agreements/{agreement}/suspension", new JsonObject { ["statement"] = "Suspended pending review of a complaint." });
            suspended.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        var cancelled = await EventuallyAsync(async () =>
            (await server.AuditEntriesSinceAsync(0)).FirstOrDefault(e => e["event"]!.GetValue<string>() == "webhooks.delivery-cancelled"));
        cancelled["payload"]!["reason"]!.GetValue<string>().ShouldBe(reason);
        var list = await GetArrayAsync(server, Roles.PartnerAnalyst, $"/api/v1/partner/webhooks/{id}/deliveries");
        list[0]!["state"]!.GetValue<string>().ShouldBe("cancelled");
        list[0]!["cancelReason"]!.GetValue<string>().ShouldBe(reason);
        receiver.Received.Count.ShouldBe(1);
    }

    [Theory, AllProviders]
    public async Task A_revoked_registering_token_cancels_the_partner_deliveries(StorageProvider provider)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var web = await StartAsync(provider);
        var server = web.Server;
        await AgreementArrange.AgreementAsync(server, "ICE", ArrangedState.Active);
        await RegisterAsync(server, Roles.PartnerAnalyst, "/api/v1/partner/webhooks", receiver, null);
        var sid = await WatchAsync(server);
        await using (var db = server.NewContext())
        {
            var token = await db.Tokens.Where(t => t.UserId == server.UserIds[Roles.PartnerAnalyst]).Select(t => t.Id).FirstAsync();
            await new IdentityStore(db, server.Clock, TestAudit.Trail(server.Storage, server.Clock)).RevokeTokenAsync(token);
        }

        await RearrestAsync(server, sid);
        var cancelled = await EventuallyAsync(async () =>
            (await server.AuditEntriesSinceAsync(0)).FirstOrDefault(e => e["event"]!.GetValue<string>() == "webhooks.delivery-cancelled"));
        cancelled["payload"]!["reason"]!.GetValue<string>().ShouldBe("token-revoked");
        receiver.Received.ShouldBeEmpty();
    }

    [Theory, AllProviders]
    public async Task Gone_disables_the_endpoint(StorageProvider provider)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var web = await StartAsync(provider);
        var server = web.Server;
        var (id, _) = await RegisterAsync(server, Roles.RecordsAdmin, "/api/v1/webhooks", receiver, ["arrest-booked"]);
        receiver.Answer(410);
        await new WebServer(server).BookAsync();
        await EventuallyAsync(async () =>
        {
            var list = await GetArrayAsync(server, Roles.RecordsAdmin, "/api/v1/webhooks");
            var endpoint = list.Single(e => e!["id"]!.GetValue<string>() == id)!;
            return endpoint["enabled"]!.GetValue<bool>() ? null : endpoint;
        });
        (await server.AuditEntriesSinceAsync(0)).ShouldContain(e => e["event"]!.GetValue<string>() == "webhooks.endpoint-disabled");
        await new WebServer(server).BookAsync();
        await Task.Delay(1000, TestContext.Current.CancellationToken);
        receiver.Received.Count.ShouldBe(1);
    }

    [Theory, AllProviders]
    public async Task Private_ranges_and_names_resolving_to_loopback_are_refused_unless_configured(StorageProvider provider)
    {
        var strict = WebhookArrange.LoopbackOptions(["PPD"]);
        var rebinding = 0;
        strict = strict with
        {
            Addresses = strict.Addresses with { AllowLoopback = false, AllowedHosts = new Dictionary<string, IReadOnlyList<string>> { ["PPD"] = ["localhost", "10.0.0.5", "rebind.example"] } },
            // A name that is public when registered and loopback when connected (DNS rebinding).
            Resolve = (host, ct) => host == "rebind.example"
                ? Task.FromResult(Interlocked.Increment(ref rebinding) == 1 ? new[] { IPAddress.Parse("93.184.216.34") } : [IPAddress.Loopback])
                : System.Net.Dns.GetHostAddressesAsync(host, ct),
        };
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var web = await StartAsync(provider, strict);
        var server = web.Server;
        var countBefore = await EndpointCountAsync(server);
        await RefusedAsync(server, $"http://localhost:{new Uri(receiver.Url).Port}/hook", "PARS-HOOK-002");
        await RefusedAsync(server, "https://10.0.0.5/hook", "PARS-HOOK-002");
        await RefusedAsync(server, "https://169.254.169.254/latest", "PARS-HOOK-002");
        await RefusedAsync(server, "https://jms.elsewhere.example/hook", "PARS-HOOK-003");
        (await EndpointCountAsync(server)).ShouldBe(countBefore);

        using var client = server.Client(Roles.RecordsAdmin);
        using var registered = await client.PostJsonAsync("/api/v1/webhooks", new { url = $"https://rebind.example:{new Uri(receiver.Url).Port}/hook" });
        registered.StatusCode.ShouldBe(HttpStatusCode.Created);
        await new WebServer(server).BookAsync();
        var failed = await EventuallyAsync(async () =>
            (await server.AuditEntriesSinceAsync(0)).FirstOrDefault(e => e["event"]!.GetValue<string>() == "webhooks.delivery-failed"));
        failed["payload"]!["error"]!.GetValue<string>().ShouldContain("address refused");
        receiver.Received.ShouldBeEmpty();
    }

    [Theory, AllProviders]
    public async Task Another_agency_can_neither_see_nor_delete_an_endpoint(StorageProvider provider)
    {
        await using var web = await StartAsync(provider);
        var server = web.Server;
        await AgreementArrange.AgreementAsync(server, "ICE", ArrangedState.Active);
        await using var receiver = await WebhookReceiver.StartAsync();
        var (id, _) = await RegisterAsync(server, Roles.PartnerAnalyst, "/api/v1/partner/webhooks", receiver, null);

        var other = await AgreementArrange.NewPartnerAsync(server);
        string token;
        await using (var db = server.NewContext())
        {
            var identity = new IdentityStore(db, server.Clock, TestAudit.Trail(server.Storage, server.Clock));
            var user = await identity.AddUserAsync(other, "analyst." + other.ToLowerInvariant(), [Roles.PartnerAnalyst]);
            token = (await identity.CreateTokenAsync(user.Id, TimeSpan.FromDays(3), "other")).Secret;
        }

        using var client = server.Client();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        var list = JsonNode.Parse(await client.GetStringAsync("/api/v1/partner/webhooks", TestContext.Current.CancellationToken))!.AsArray();
        list.ShouldBeEmpty();
        using var deliveries = await client.GetAsync($"/api/v1/partner/webhooks/{id}/deliveries", TestContext.Current.CancellationToken);
        deliveries.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        using var delete = await client.DeleteAsync($"/api/v1/partner/webhooks/{id}", TestContext.Current.CancellationToken);
        delete.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await delete.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldContain("PARS-HOOK-005");

        // The records admin oversees every agency's endpoints but deletes only the police's.
        (await GetArrayAsync(server, Roles.RecordsAdmin, "/api/v1/webhooks")).ShouldContain(e => e!["id"]!.GetValue<string>() == id);
        using var admin = server.Client(Roles.RecordsAdmin);
        using var adminDelete = await admin.DeleteAsync($"/api/v1/webhooks/{id}", TestContext.Current.CancellationToken);
        adminDelete.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await GetArrayAsync(server, Roles.PartnerAnalyst, "/api/v1/partner/webhooks")).Single()!["enabled"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Theory, AllProviders]
    public async Task A_partner_without_an_agreement_in_force_registers_nothing(StorageProvider provider)
    {
        await using var web = await StartAsync(provider);
        var server = web.Server;
        using var client = server.Client(Roles.PartnerAnalyst);
        using var response = await client.PostJsonAsync("/api/v1/partner/webhooks", new { url = "http://127.0.0.1:9/hook" });
        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldContain("PARS-HOOK-008");
        (await EndpointCountAsync(server)).ShouldBe(0);
    }

    private static async Task RefusedAsync(OpenParsTestServer server, string url, string code)
    {
        using var client = server.Client(Roles.RecordsAdmin);
        using var response = await client.PostJsonAsync("/api/v1/webhooks", new { url });
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, body);
        body.ShouldContain(code);
        body.ShouldContain("\"url\"");
    }

    private static async Task<int> EndpointCountAsync(OpenParsTestServer server)
    {
        await using var db = server.NewContext();
        return await db.WebhookEndpoints.CountAsync();
    }

    private static async Task<(string Id, string Secret)> RegisterAsync(OpenParsTestServer server, string caller, string path, WebhookReceiver receiver, string[]? kinds)
    {
        using var client = server.Client(caller);
        using var response = await client.PostJsonAsync(path, new { url = receiver.Url, eventKinds = kinds });
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, text);
        var body = JsonNode.Parse(text)!;
        receiver.Secret = body["secret"]!.GetValue<string>();
        return (body["endpoint"]!["id"]!.GetValue<string>(), receiver.Secret);
    }

    /// <summary>A watch of ICE's analyst (the registering token's user) for a fresh SID; returns the SID.</summary>
    private static async Task<string> WatchAsync(OpenParsTestServer server)
    {
        var sid = Watches.WatchHttp.Sid();
        await Watches.WatchHttp.RegisterAsync(server, sid);
        return sid;
    }

    /// <summary>A re-arrest of the watched person, matched by the real matcher (its WatchMatched event and 11013 entry); returns the arrest number.</summary>
    private static async Task<string> RearrestAsync(OpenParsTestServer server, string sid)
    {
        var booking = SampleBookings.Valid("Rearresta");
        booking["person"]!["identifiers"]!["sid"] = sid;
        var number = await new WebServer(server).BookAsync(booking);
        await server.Services.GetRequiredService<OpenPars.Web.Hosting.WatchMatcherService>().RunOnceAsync(TestContext.Current.CancellationToken);
        return number;
    }

    private static async Task<JsonArray> GetArrayAsync(OpenParsTestServer server, string caller, string path) =>
        JsonNode.Parse(await GetRawAsync(server, caller, path))!.AsArray();

    private static async Task<string> GetRawAsync(OpenParsTestServer server, string caller, string path)
    {
        using var client = server.Client(caller);
        return await client.GetStringAsync(path, TestContext.Current.CancellationToken);
    }

    private static Task<T> EventuallyAsync<T>(Func<T?> probe)
        where T : class => EventuallyAsync(() => Task.FromResult(probe()));

    private static async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe)
        where T : class
    {
        var until = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < until)
        {
            if (await probe() is { } found)
            {
                return found;
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        throw new TimeoutException("The expected webhook outcome did not come within 20 s.");
    }
}
