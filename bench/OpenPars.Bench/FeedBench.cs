using OpenPars.Storage.Common;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using OpenPars.App.Webhooks;
using OpenPars.Cli.Commands;
using OpenPars.Core.Arrests;
using OpenPars.Core.Common;
using OpenPars.Core.Webhooks;
using OpenPars.Demo;
using OpenPars.Storage.Agencies;
using OpenPars.Testing;

namespace OpenPars.Bench;

/// <summary>
/// The live feeds (issue 10): (a) booking → charging-queue SSE delivery at 50 bookings a second with 100 subscribers,
/// against the same rate's booking latency with no subscriber (the baseline, same server, same run); (b) a booking
/// that matches a partner watch → the partner's signed webhook received (the matcher and the enqueuer wake on
/// commit); (c) a partner token revoked → the partner stream's final <c>revoked</c> event received.
/// </summary>
public static class FeedBench
{
    private const int Rate = 50;
    private const int Subscribers = 100;
    private const string Felony = "18 § 911(b)(3)";

    public static async Task RunAsync(BenchOptions options)
    {
        var seconds = options.Quick ? 6 : 30;
        var watchBookings = options.Quick ? 100 : 400;
        var revocations = options.Quick ? 20 : 100;
        var desk = new List<string[]>();
        var partner = new List<string[]>();
        foreach (var provider in options.Providers())
        {
            await using var store = await BenchStore.CreateAsync(provider, options);
            Report.Progress($"feeds {Report.Name(provider)}: seeding the demo");
            var credentials = await DemoSeeder.SeedAsync(store.Context, ReferenceData.LoadDefault(), TimeProvider.System,
                CliAudit.Trail(store.Settings, "demo", TimeProvider.System), new SecretBoxes(store.Settings.AuditKeyPath()), 200, seed: 1);
            string Token(string user) => credentials.First(c => c.User == user).Token;
            var received = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
            await using var receiver = await StartReceiverAsync(received);
            var webhooks = new WebhookOptions
            {
                Addresses = new WebhookAddressPolicy
                {
                    AllowedHosts = new Dictionary<string, IReadOnlyList<string>> { ["ICE"] = ["127.0.0.1"] },
                    HttpHosts = ["127.0.0.1"],
                    AllowLoopback = true,
                },
            };
            await using var server = await BenchServer.StartAsync(store.Settings, webhooks: webhooks);
            using var booking = server.Client(Token(DemoIdentities.BookingOfficer));

            // (a) The baseline, then the same rate with 100 charging-queue subscribers.
            Report.Progress($"feeds {Report.Name(provider)}: {Rate} bookings/s for {seconds} s, no subscriber");
            await PacedAsync(booking, Rate, Rate, _ => Arrest(null));
            var baseline = await PacedAsync(booking, Rate, Rate * seconds, _ => Arrest(null));
            Report.Progress($"feeds {Report.Name(provider)}: {Subscribers} charging-queue subscribers, {Rate} bookings/s for {seconds} s");
            using var stop = new CancellationTokenSource();
            var subscribers = new List<Subscriber>();
            for (var i = 0; i < Subscribers; i++)
            {
                subscribers.Add(await Subscriber.OpenAsync(server.Client(Token(DemoIdentities.ChargingAttorney)), "/api/v1/streams/charging-queue", null, stop.Token));
            }

            var loaded = await PacedAsync(booking, Rate, Rate * seconds, _ => Arrest(null));
            var until = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (DateTime.UtcNow < until && subscribers.Any(s => loaded.Any(b => !s.Seen.ContainsKey(b.Number))))
            {
                await Task.Delay(100);
            }

            var delivery = new List<double>();
            var missing = 0;
            foreach (var subscriber in subscribers)
            {
                foreach (var b in loaded)
                {
                    if (subscriber.Seen.TryGetValue(b.Number, out var at))
                    {
                        delivery.Add(Latencies.ToMs(at - b.Sent));
                    }
                    else
                    {
                        missing++;
                    }
                }
            }

            await stop.CancelAsync();
            foreach (var subscriber in subscribers)
            {
                subscriber.Dispose();
            }

            var bare = new Latencies(baseline.Select(b => b.Ms));
            var with = new Latencies(loaded.Select(b => b.Ms));
            var sse = new Latencies(delivery);
            desk.Add([Report.Name(provider), Report.F(bare.Count), Report.Ms(bare.P(50)), Report.Ms(bare.P(99)), Report.Ms(with.P(50)), Report.Ms(with.P(99)),
                Report.Ratio(with.P(99) / bare.P(99)), Report.F(sse.Count), Report.F(missing), Report.Ms(sse.P(50)), Report.Ms(sse.P(99)), Report.Ms(sse.P(100))]);

            // (b) Watches of ten SIDs; each booking re-arrests one of them: booked (201) → the partner's webhook received.
            using var analyst = server.Client(Token("ice.analyst"));
            using (var registered = await analyst.PostAsync("/api/v1/partner/webhooks", Json(new JsonObject { ["url"] = receiver.Urls.First() + "/hook" })))
            {
                await Ok(registered);
            }

            var sids = Enumerable.Range(0, 10).Select(i => $"PB{provider.ToString()[0]}{i:000000}").ToList();
            foreach (var sid in sids)
            {
                using var request = Partner(HttpMethod.Post, "/api/v1/partner/watches");
                request.Content = Json(new JsonObject { ["criteria"] = new JsonObject { ["sid"] = sid } });
                using var watched = await analyst.SendAsync(request);
                await Ok(watched);
            }

            Report.Progress($"feeds {Report.Name(provider)}: {watchBookings} re-arrests of watched persons, each until its partner webhook arrives");
            var matched = new List<double>();
            for (var i = 0; i < watchBookings + 10; i++)
            {
                var number = await BookAsync(booking, Arrest(sids[i % sids.Count]));
                var committed = Stopwatch.GetTimestamp();
                var wait = DateTime.UtcNow + TimeSpan.FromSeconds(30);
                long at;
                while (!received.TryGetValue(number, out at))
                {
                    if (DateTime.UtcNow > wait)
                    {
                        throw new TimeoutException($"No partner webhook for {number} in 30 s.");
                    }

                    await Task.Delay(1);
                }

                if (i >= 10)
                {
                    matched.Add(Latencies.ToMs(at - committed));
                }

                await Task.Delay(50);
            }

            // (c) A partner stream per token; the token revoked through the API → the stream's `revoked` event.
            Report.Progress($"feeds {Report.Name(provider)}: {revocations} partner streams, each until its token's revocation closes it");
            using var admin = server.Client(Token("ppd.records"));
            long analystId;
            await using (var db = store.Context())
            {
                analystId = await db.Users.Where(u => u.Name == "ice.analyst").Select(u => u.Id).SingleAsync();
            }

            var closed = new List<double>();
            for (var i = 0; i < revocations; i++)
            {
                await using var db = store.Context();
                var (token, secret) = await new IdentityStore(db, TimeProvider.System, CliAudit.Trail(store.Settings, "bench", TimeProvider.System))
                    .CreateTokenAsync(analystId, TimeSpan.FromDays(1), "bench stream");
                using var streamStop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                using var stream = await Subscriber.OpenAsync(server.Client(secret), "/api/v1/partner/stream", Partner(HttpMethod.Get, "/api/v1/partner/stream"), streamStop.Token);
                var start = Stopwatch.GetTimestamp();
                using (var revoked = await admin.DeleteAsync($"/api/v1/tokens/{token.Id}"))
                {
                    await Ok(revoked);
                }

                var end = await stream.RevokedAsync;
                closed.Add(Latencies.ToMs(end - start));
            }

            var m = new Latencies(matched);
            var c = new Latencies(closed);
            partner.Add([Report.Name(provider), Report.F(m.Count), Report.Ms(m.P(50)), Report.Ms(m.P(99)), Report.Ms(m.P(100)), Report.F(c.Count), Report.Ms(c.P(50)), Report.Ms(c.P(99)), Report.Ms(c.P(100))]);
        }

        Report.Table($"Feeds (a): {Rate} bookings/s (open loop) for {seconds} s, booking latency (sent → 201) without and with {Subscribers} charging-queue subscribers, and each subscriber's delivery (booking sent → event read); ms",
            ["database", "bookings", "p50 alone", "p99 alone", "p50 with subscribers", "p99 with subscribers", "p99 ratio", "deliveries", "missing", "delivery p50", "delivery p99", "delivery max"], desk);
        Report.Table("Feeds (b) and (c): a watched person re-arrested (201) → the partner's signed webhook received, one at a time; a partner token revoked (DELETE sent) → its open partner stream's `revoked` event read; ms",
            ["database", "matches", "webhook p50", "webhook p99", "webhook max", "revocations", "closed p50", "closed p99", "closed max"], partner);
    }

    private sealed record Booked(string Number, long Sent, double Ms);

    /// <summary>Sends <paramref name="total"/> bookings at <paramref name="rate"/> a second, each on its own schedule
    /// (open loop: a slow answer does not delay the next booking).</summary>
    private static async Task<List<Booked>> PacedAsync(HttpClient client, int rate, int total, Func<int, BookArrest> make)
    {
        var start = Stopwatch.GetTimestamp();
        var tasks = new List<Task<Booked>>(total);
        for (var i = 0; i < total; i++)
        {
            var due = start + (long)(i * (double)Stopwatch.Frequency / rate);
            var wait = Latencies.ToMs(due - Stopwatch.GetTimestamp());
            if (wait > 1)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(wait));
            }

            var arrest = make(i);
            tasks.Add(Task.Run(async () =>
            {
                var sent = Stopwatch.GetTimestamp();
                var number = await BookAsync(client, arrest);
                return new Booked(number, sent, Latencies.ToMs(Stopwatch.GetTimestamp() - sent));
            }));
        }

        return [.. await Task.WhenAll(tasks)];
    }

    private static BookArrest Arrest(string? sid)
    {
        var builder = new ArrestBuilder().OccurredAt(DateTimeOffset.UtcNow - TimeSpan.FromHours(1)).WithCharge(Felony);
        if (sid is not null)
        {
            builder = builder.WithPerson(p => p with { Identifiers = new PersonIdentifiers { Sid = sid } });
        }

        return builder.Build();
    }

    private static async Task<string> BookAsync(HttpClient client, BookArrest arrest)
    {
        using var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(arrest, OpenParsJson.Options));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await client.PostAsync("/api/v1/arrests", content);
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"booking: {(int)response.StatusCode} {text}");
        }

        return JsonNode.Parse(text)!["arrestNumber"]!.GetValue<string>();
    }

    private static HttpRequestMessage Partner(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("OpenPars-Purpose", "criminal-investigation");
        request.Headers.Add("OpenPars-Reason", "Locating the suspect of a robbery series in district 24");
        request.Headers.Add("OpenPars-Case-Number", "ICE-PHL-2026-0142");
        return request;
    }

    private static StringContent Json(JsonObject body) => new(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");

    private static async Task Ok(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    private static async Task<WebApplication> StartReceiverAsync(ConcurrentDictionary<string, long> received)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.MapPost("/hook", async (HttpContext context) =>
        {
            var at = Stopwatch.GetTimestamp();
            var body = await JsonNode.ParseAsync(context.Request.Body);
            received.TryAdd(body!["arrestNumber"]!.GetValue<string>(), at);
            return Results.Ok();
        });
        await app.StartAsync();
        return app;
    }

    /// <summary>One open SSE stream read in the background: when each arrest's event arrived, and when (if) it was revoked.</summary>
    private sealed class Subscriber : IDisposable
    {
        private readonly HttpClient _client;
        private readonly HttpResponseMessage _response;
        private readonly TaskCompletionSource<long> _revoked = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private Subscriber(HttpClient client, HttpResponseMessage response)
        {
            _client = client;
            _response = response;
        }

        public ConcurrentDictionary<string, long> Seen { get; } = new(StringComparer.Ordinal);

        /// <summary>The instant the stream's <c>revoked</c> event (or its end) was read.</summary>
        public Task<long> RevokedAsync => _revoked.Task;

        /// <summary>Opens the stream and returns once its first item (the opening heartbeat) was read: it is subscribed.</summary>
        public static async Task<Subscriber> OpenAsync(HttpClient client, string path, HttpRequestMessage? request, CancellationToken ct)
        {
            request ??= new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Accept.ParseAdd("text/event-stream");
            var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            request.Dispose();
            await Ok(response);
            var subscriber = new Subscriber(client, response);
            var opened = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var body = await response.Content.ReadAsStreamAsync(ct);
            _ = Task.Run(async () =>
            {
                try
                {
                    await foreach (var item in SseParser.Create(body).EnumerateAsync(ct))
                    {
                        var at = Stopwatch.GetTimestamp();
                        opened.TrySetResult();
                        if (item.EventType == "revoked")
                        {
                            subscriber._revoked.TrySetResult(at);
                        }
                        else if (item.Data.Length > 0 && JsonNode.Parse(item.Data)?["arrestNumber"] is { } number)
                        {
                            subscriber.Seen.TryAdd(number.GetValue<string>(), at);
                        }
                    }
                }
                catch (Exception e) when (e is IOException or OperationCanceledException or HttpRequestException or ObjectDisposedException)
                {
                    // Closed by the benchmark.
                }

                opened.TrySetResult();
                subscriber._revoked.TrySetResult(Stopwatch.GetTimestamp());
            }, CancellationToken.None);
            await opened.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);
            return subscriber;
        }

        public void Dispose()
        {
            _response.Dispose();
            _client.Dispose();
        }
    }
}
