using OpenPars.Storage.Common;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenPars.App.Webhooks;
using OpenPars.Cli.Commands;
using OpenPars.Core.Arrests;
using OpenPars.Core.Common;
using OpenPars.Core.Webhooks;
using OpenPars.Demo;
using OpenPars.Testing;

namespace OpenPars.Bench;

/// <summary>
/// Webhooks: a booking committed (its 201) → the stakeholder integration's receiver (Kestrel on loopback) has the
/// signed delivery: the enqueuer's poll, the claim, the signing, the POST and the attempt's record. Bookings are
/// made one after another at about 20 per second, so each is measured alone.
/// </summary>
public static class WebhookBench
{
    public static async Task RunAsync(BenchOptions options)
    {
        var total = options.Quick ? 100 : 500;
        var rows = new List<string[]>();
        foreach (var provider in options.Providers())
        {
            await using var store = await BenchStore.CreateAsync(provider, options);
            Report.Progress($"webhooks {Report.Name(provider)}: seeding the demo");
            var credentials = await DemoSeeder.SeedAsync(store.Context, ReferenceData.LoadDefault(), TimeProvider.System,
                CliAudit.Trail(store.Settings, "demo", TimeProvider.System), new SecretBoxes(store.Settings.AuditKeyPath()), 200, seed: 1);
            var received = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
            await using var receiver = await StartReceiverAsync(received);
            var webhooks = new WebhookOptions
            {
                Addresses = new WebhookAddressPolicy
                {
                    AllowedHosts = new Dictionary<string, IReadOnlyList<string>> { ["PPD"] = ["127.0.0.1"] },
                    HttpHosts = ["127.0.0.1"],
                    AllowLoopback = true,
                },
            };
            await using var server = await BenchServer.StartAsync(store.Settings, webhooks: webhooks);
            using var admin = server.Client(credentials.First(c => c.User == "ppd.records").Token);
            using var booking = server.Client(credentials.First(c => c.User == DemoIdentities.BookingOfficer).Token);
            var url = receiver.Urls.First() + "/hook";
            using (var registered = await admin.PostAsync("/api/v1/webhooks", Json(new JsonObject { ["url"] = url, ["eventKinds"] = new JsonArray("arrest-booked") })))
            {
                registered.EnsureSuccessStatusCode();
            }

            var body = JsonSerializer.SerializeToUtf8Bytes(new ArrestBuilder().OccurredAt(DateTimeOffset.UtcNow - TimeSpan.FromHours(1)).Build(), OpenParsJson.Options);
            var latencies = new List<double>();
            Report.Progress($"webhooks {Report.Name(provider)}: {total} bookings, each until its webhook arrives");
            for (var i = 0; i < total + 10; i++)
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await booking.PostAsync("/api/v1/arrests", content);
                var committed = Stopwatch.GetTimestamp();
                var number = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["arrestNumber"]!.GetValue<string>();
                var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
                long at;
                while (!received.TryGetValue(number, out at))
                {
                    if (DateTime.UtcNow > until)
                    {
                        throw new TimeoutException($"No webhook for {number} in 30 s.");
                    }

                    await Task.Delay(1);
                }

                if (i >= 10)
                {
                    latencies.Add(Latencies.ToMs(at - committed));
                }

                await Task.Delay(50);
            }

            var l = new Latencies(latencies);
            rows.Add([Report.Name(provider), Report.F(l.Count), Report.Ms(l.P(50)), Report.Ms(l.P(99)), Report.Ms(l.P(100))]);
        }

        Report.Table("Webhooks: booking committed → signed delivery received (ms), one booking at a time, default poll 250 ms",
            ["database", "deliveries", "p50", "p99", "max"], rows);
    }

    private static StringContent Json(JsonObject body) => new(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");

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
            received[body!["arrestNumber"]!.GetValue<string>()] = at;
            return Results.Ok();
        });
        await app.StartAsync();
        return app;
    }
}
