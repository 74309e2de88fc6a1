using OpenPars.Storage.Common;
using System.Net.Http.Headers;
using System.Text.Json;
using OpenPars.Cli.Commands;
using Microsoft.EntityFrameworkCore;
using OpenPars.Core.Agencies;
using OpenPars.Core.Arrests;
using OpenPars.Storage.Arrests;
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

    private static async Task<Actor> OfficerAsync(BenchStore store)
    {
        await using var db = store.Context();
        var id = await db.Users.Where(u => u.Name == DemoIdentities.BookingOfficer).Select(u => u.Id).SingleAsync();
        return new Actor(id, DemoIdentities.BookingOfficer, "PPD");
    }

    public static async Task RunAsync(BenchOptions options)
    {
        var total = options.Quick ? 400 : 4_000;
        var rows = new List<string[]>();
        foreach (var provider in options.Providers())
        {
            await using var store = await BenchStore.CreateAsync(provider, options);
            Report.Progress($"booking {Report.Name(provider)}: seeding the demo");
            var credentials = await DemoSeeder.SeedAsync(store.Context, ReferenceData.LoadDefault(), TimeProvider.System,
                CliAudit.Trail(store.Settings, "demo", TimeProvider.System), new SecretBoxes(store.Settings.AuditKeyPath()), options.Quick ? 200 : 2_000, seed: 1);
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

            // Where 16 concurrent bookings wait (issue 13): the same booking one at a time; the store's transaction
            // alone (ArrestStore.BookAsync: number, rows, event, audit entry with its Merkle nodes, durable commit; no
            // HTTP, authentication or use case), one at a time and from 16 loops; and the floor of any write that
            // takes one counter row and commits durably (the lock every booking holds to its commit).
            Report.Progress($"booking {Report.Name(provider)}: profile");
            var sequential = new Latencies(await Latencies.SequentialAsync(Math.Max(50, total / 8), Book));
            var reference = ReferenceData.LoadDefault();
            var officer = await OfficerAsync(store);
            var request = new ArrestBuilder().OccurredAt(now - TimeSpan.FromHours(1)).Build();
            var busy = 0;
            async Task InStore(int _)
            {
                await using var db = store.Context();
                var trail = CliAudit.Trail(store.Settings, "bench", TimeProvider.System);
                try
                {
                    await new ArrestStore(db, reference, TimeProvider.System, trail).BookAsync(request, officer, [Roles.BookingOfficer], null);
                }
                catch (System.Data.Common.DbException e) when (e.Message.Contains("locked", StringComparison.Ordinal))
                {
                    // SQLite's busy timeout ran out: a booking that waited that long for the writer (counted, not fatal).
                    Interlocked.Increment(ref busy);
                }
            }

            async Task Floor(int _)
            {
                await using var db = store.Context();
                try
                {
                    await using var tx = await db.Database.BeginTransactionAsync();
                    await db.Database.SqlQuery<long>(db.AdvanceCounterSql("bench-floor", 1)).ToListAsync();
                    await tx.CommitAsync();
                }
                catch (System.Data.Common.DbException e) when (e.Message.Contains("locked", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref busy);
                }
            }

            var storeOne = new Latencies(await Latencies.SequentialAsync(Math.Max(50, total / 8), InStore));
            var (storeMany, storeManyTime) = await Latencies.ConcurrentAsync(total, Clients, InStore);
            var storeBusy = busy;
            var (floor, floorTime) = await Latencies.ConcurrentAsync(total, Clients, Floor);
            rows.Add([Report.Name(provider), "POST /api/v1/arrests, 1 client", Report.F(1000 / sequential.Mean), Report.Ms(sequential.P(50)), Report.Ms(sequential.P(99)), ""]);
            rows.Add([Report.Name(provider), "ArrestStore.BookAsync in-process, 1 at a time", Report.F(1000 / storeOne.Mean), Report.Ms(storeOne.P(50)), Report.Ms(storeOne.P(99)), ""]);
            rows.Add([Report.Name(provider), $"ArrestStore.BookAsync in-process, {Clients} loops ({storeBusy} of {total} gave up on SQLite's busy timeout)", Report.F((total - storeBusy) / storeManyTime.TotalSeconds), Report.Ms(storeMany.P(50)), Report.Ms(storeMany.P(99)), ""]);
            rows.Add([Report.Name(provider), $"floor: one counter row + durable commit, {Clients} loops ({busy - storeBusy} gave up)", Report.F((total - busy + storeBusy) / floorTime.TotalSeconds), Report.Ms(floor.P(50)), Report.Ms(floor.P(99)), ""]);
        }

        Report.Table($"Booking with {Clients} concurrent clients on loopback: {total:N0} requests each (client and server share the 2 cores); ms",
            ["store", "request", "requests/s", "p50", "p99", "p99 ÷ healthz p99"], rows);
    }
}
