using System.Net.Http.Headers;
using System.Text.Json;
using OpenPars.Cli.Commands;
using OpenPars.Core.Arrests;
using OpenPars.Core.Common;
using OpenPars.Demo;
using OpenPars.Testing;
using OpenPars.App.Hosting;
using OpenPars.Web.Hosting;

namespace OpenPars.Bench;

/// <summary>Benchmark 3: POST /api/v1/arrests from 16 concurrent clients vs GET /healthz from 16 clients, same server, same run.</summary>
public static class BookingBench
{
    public const int Clients = 16;

    public static async Task RunAsync(BenchOptions options)
    {
        var total = options.Quick ? 400 : 4_000;
        var rows = new List<string[]>();
        foreach (var provider in options.Providers())
        {
            await using var store = await BenchStore.CreateAsync(provider, options);
            Report.Progress($"booking {Report.Name(provider)}: seeding the demo");
            var credentials = await DemoSeeder.SeedAsync(store.Context, ReferenceData.LoadDefault(), TimeProvider.System,
                CliAudit.Trail(store.Settings, "demo", TimeProvider.System), options.Quick ? 200 : 2_000, seed: 1);
            var token = credentials.First(c => c.User == DemoIdentities.BookingOfficer).Token;
            await using var server = await BenchServer.StartAsync(store.Settings);
            using var client = server.Client(token);

            var now = DateTimeOffset.UtcNow;
            var body = JsonSerializer.SerializeToUtf8Bytes(new ArrestBuilder().OccurredAt(now - TimeSpan.FromHours(1)).Build(), OpenParsJson.Options);
            async Task Book(int _)
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await client.PostAsync("/api/v1/arrests", content);
                if ((int)response.StatusCode != 201)
                {
                    throw new InvalidOperationException($"booking answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                }
            }

            async Task Health(int _)
            {
                using var response = await client.GetAsync("/healthz");
                response.EnsureSuccessStatusCode();
                await response.Content.ReadAsByteArrayAsync();
            }

            Report.Progress($"booking {Report.Name(provider)}: warm-up");
            await Latencies.ConcurrentAsync(Math.Max(64, total / 20), Clients, Health);
            await Latencies.ConcurrentAsync(Math.Max(64, total / 20), Clients, Book);

            Report.Progress($"booking {Report.Name(provider)}: {total:N0} × GET /healthz, then {total:N0} bookings, {Clients} clients");
            var (health, healthTime) = await Latencies.ConcurrentAsync(total, Clients, Health);
            var (book, bookTime) = await Latencies.ConcurrentAsync(total, Clients, Book);
            rows.Add([Report.Name(provider), "GET /healthz (baseline)", Report.F(total / healthTime.TotalSeconds), Report.Ms(health.P(50)), Report.Ms(health.P(99)), "1.00×"]);
            rows.Add([Report.Name(provider), "POST /api/v1/arrests (booking)", Report.F(total / bookTime.TotalSeconds), Report.Ms(book.P(50)), Report.Ms(book.P(99)), Report.Ratio(book.P(99) / health.P(99))]);
        }

        Report.Table($"Booking with {Clients} concurrent clients on loopback: {total:N0} requests each (client and server share the 2 cores); ms",
            ["store", "request", "requests/s", "p50", "p99", "p99 ÷ healthz p99"], rows);
    }
}
