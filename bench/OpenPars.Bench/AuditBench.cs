using OpenPars.Storage.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using OpenPars.Cli.Commands;
using OpenPars.Core.Arrests;
using OpenPars.Core.Audit;
using OpenPars.Core.Common;
using OpenPars.Storage.Arrests;
using OpenPars.Storage.Audit;
using OpenPars.Demo;
using OpenPars.App.Hosting;
using OpenPars.Web.Hosting;

namespace OpenPars.Bench;

/// <summary>Benchmark 4 (a) and (b): audit append throughput, and what auditing adds to a read.</summary>
public static class AuditBench
{
    private static readonly AuditActor Actor = new(1, "ppd.booking", "PPD", ["booking-officer"], 1);

    public static async Task RunAsync(BenchOptions options)
    {
        await AppendAsync(options);
        await ReadAsync(options);
    }

    public static AuditEntry Entry(long i) => new()
    {
        Type = AuditEventType.ArrestRead,
        Time = DateTimeOffset.UtcNow,
        Outcome = AuditOutcome.Allowed,
        Status = 200,
        Actor = Actor,
        Channel = "http",
        ClientAddress = "127.0.0.1",
        Method = "GET",
        Path = $"/api/v1/arrests/26-{i % 10_000_000:0000000}",
        Records = [$"26-{i % 10_000_000:0000000}"],
    };

    private static async Task AppendAsync(BenchOptions options)
    {
        var rows = new List<string[]>();
        foreach (var provider in options.Providers())
        {
            foreach (var writers in new[] { 1, 32 })
            {
                var count = (options.Quick ? 200 : 2_000) * (writers == 1 ? 1 : 4);
                Report.Progress($"audit append {Report.Name(provider)}: {writers} writer(s), {count:N0} entries, group commit");
                var group = await GroupCommitAsync(provider, options, writers, count);
                Report.Progress($"audit append {Report.Name(provider)}: {writers} writer(s), {count:N0} entries, plain INSERT");
                var plain = await PlainAsync(provider, options, writers, count);
                var ratio = (count / group.TotalSeconds) / (count / plain.TotalSeconds);
                rows.Add([Report.Name(provider), writers.ToString(CultureInfo.InvariantCulture), count.ToString("N0", CultureInfo.InvariantCulture),
                    Report.F(count / group.TotalSeconds), Report.F(count / plain.TotalSeconds), Report.Ratio(ratio), ratio >= 0.8 ? "met" : "NOT met"]);
            }
        }

        Report.Table("Audit append: GroupCommitAuditWriter.AppendAsync (Merkle leaf + nodes + head, group commit) vs plain INSERTs of the same entry rows (one transaction per entry, no Merkle); entries/s",
            ["store", "writers", "entries", "group commit /s", "plain INSERT /s", "ratio", "target ≥ 0.8×"], rows);
    }

    private static async Task<TimeSpan> GroupCommitAsync(StorageProvider provider, BenchOptions options, int writers, int count)
    {
        await using var store = await BenchStore.CreateAsync(provider, options);
        using var signing = AuditSigning.LoadOrCreate(store.Settings.AuditKeyPath());
        var log = new AuditLog(signing, TimeProvider.System);
        await using var writer = new GroupCommitAuditWriter(store.Context, log, NullLogger<GroupCommitAuditWriter>.Instance);
        for (var i = 0; i < 20; i++)
        {
            await writer.AppendAsync(Entry(i));
        }

        var (_, elapsed) = await Latencies.ConcurrentAsync(count, writers, i => writer.AppendAsync(Entry(i)));
        return elapsed;
    }

    private static async Task<TimeSpan> PlainAsync(StorageProvider provider, BenchOptions options, int writers, int count)
    {
        await using var store = await BenchStore.CreateAsync(provider, options);
        long next;
        await using (var db = store.Context())
        {
            // A new store already has entries (its creation, the adoptions of its migrations): indexes follow them.
            next = await db.AuditEntries.Select(e => (long?)e.Index).MaxAsync() ?? -1L;
        }

        var connections = new List<(System.Data.Common.DbConnection Connection, RawInserter<AuditEntryRow> Entries, RawInserter<AuditEntryRecordRow> Records, Storage.OpenParsDbContext Db)>();
        for (var w = 0; w < writers; w++)
        {
            var db = store.Context();
            var connection = store.RawConnection();
            await connection.OpenAsync();
            connections.Add((connection, new RawInserter<AuditEntryRow>(db, connection, null, false), new RawInserter<AuditEntryRecordRow>(db, connection, null, false), db));
        }

        var emptyLeaf = new byte[MerkleHash.Size];
        async Task One(int w)
        {
            var (connection, entries, records, _) = connections[w];
            var index = Interlocked.Increment(ref next);
            var entry = Entry(index);
            await using var tx = await connection.BeginTransactionAsync();
            entries.Transaction = tx;
            records.Transaction = tx;
            await entries.InsertAsync(new AuditEntryRow
            {
                Index = index,
                RecordedAt = entry.Time,
                EventType = (int)entry.Type,
                Outcome = "allowed",
                UserId = entry.Actor?.UserId,
                AgencyCode = entry.Actor?.AgencyCode,
                Entry = entry.CanonicalBytes(index),
                LeafHash = emptyLeaf,
            });
            foreach (var record in entry.Records)
            {
                await records.InsertAsync(new AuditEntryRecordRow { ArrestNumber = record, Index = index });
            }

            await tx.CommitAsync();
        }

        // Warm-up on writer 0, then each concurrent writer loops on its own connection.
        for (var i = 0; i < 20; i++)
        {
            await One(0);
        }

        var remaining = count;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            while (Interlocked.Decrement(ref remaining) >= 0)
            {
                await One(w);
            }
        })));
        watch.Stop();
        foreach (var (connection, entries, records, db) in connections)
        {
            entries.Dispose();
            records.Dispose();
            await connection.DisposeAsync();
            await db.DisposeAsync();
        }

        return watch.Elapsed;
    }

    private static async Task ReadAsync(BenchOptions options)
    {
        var perPath = options.Quick ? 100 : 1_000;
        var concurrent = options.Quick ? 400 : 2_000;
        var rows = new List<string[]>();
        var authRows = new List<string[]>();
        foreach (var provider in options.Providers())
        {
            await using var store = await BenchStore.CreateAsync(provider, options);
            Report.Progress($"audit read {Report.Name(provider)}: seeding the demo");
            var credentials = await DemoSeeder.SeedAsync(store.Context, ReferenceData.LoadDefault(), TimeProvider.System,
                CliAudit.Trail(store.Settings, "demo", TimeProvider.System), new SecretBoxes(store.Settings.AuditKeyPath()), options.Quick ? 200 : 2_000, seed: 1);
            var token = credentials.First(c => c.User == DemoIdentities.BookingOfficer).Token;
            List<string> numbers;
            await using (var db = store.Context())
            {
                numbers = await db.Arrests.OrderBy(a => a.Id).Select(a => a.ArrestNumber).Take(200).ToListAsync();
            }

            await using var server = await BenchServer.StartAsync(store.Settings);
            var noOp = new NoOpAuditSink();
            await using var bare = await BenchServer.StartAsync(store.Settings, noOp);
            using var client = server.Client(token);
            using var bareClient = bare.Client(token);

            async Task Get(HttpClient http, string path)
            {
                using var response = await http.GetAsync(path);
                response.EnsureSuccessStatusCode();
                await response.Content.ReadAsByteArrayAsync();
            }

            Task Audited(int i) => Get(client, $"/api/v1/arrests/{numbers[i % numbers.Count]}");
            Task NoAudit(int i) => Get(bareClient, $"/api/v1/arrests/{numbers[i % numbers.Count]}");
            Task Districts(int _) => Get(client, "/api/v1/districts");

            async Task InProcess(int i)
            {
                await using var scope = server.Services.CreateAsyncScope();
                var record = await scope.ServiceProvider.GetRequiredService<ArrestStore>().GetAsync(numbers[i % numbers.Count]);
                JsonSerializer.SerializeToUtf8Bytes(record, OpenParsJson.Options);
            }

            Report.Progress($"audit read {Report.Name(provider)}: sequential");
            Func<int, Task>[] paths = [Audited, NoAudit, Districts, InProcess];
            foreach (var path in paths)
            {
                await Latencies.SequentialAsync(100, path);
            }

            var samples = paths.Select(_ => new List<double>()).ToArray();
            for (var b = 0; b < 10; b++)
            {
                for (var k = 0; k < paths.Length; k++)
                {
                    samples[k].AddRange(await Latencies.SequentialAsync(perPath / 10, paths[k]));
                }
            }

            var (audited, noAudit, districts, inProcess) = (new Latencies(samples[0]), new Latencies(samples[1]), new Latencies(samples[2]), new Latencies(samples[3]));
            var name = Report.Name(provider);
            rows.Add([name, "1 (sequential)", "GET /api/v1/arrests/{n} (audited, HTTP)", Report.Ms(audited.P(50)), Report.Ms(audited.P(99)), "1.00×", "1.00×", ""]);
            rows.Add([name, "1 (sequential)", "the same GET, same host, the bench's no-op audit sink", Report.Ms(noAudit.P(50)), Report.Ms(noAudit.P(99)),
                Report.Ratio(audited.P(50) / noAudit.P(50)), Report.Ratio(audited.P(99) / noAudit.P(99)), audited.P(50) / noAudit.P(50) <= 1.3 ? "p50 ≤ 1.3×: met" : "p50 ≤ 1.3×: NOT met"]);
            rows.Add([name, "1 (sequential)", "ArrestStore.GetAsync + JSON, in-process (no HTTP, no audit commit)", Report.Ms(inProcess.P(50)), Report.Ms(inProcess.P(99)),
                Report.Ratio(audited.P(50) / inProcess.P(50)), Report.Ratio(audited.P(99) / inProcess.P(99)), ""]);
            rows.Add([name, "1 (sequential)", "GET /api/v1/districts (HTTP, not audited when allowed)", Report.Ms(districts.P(50)), Report.Ms(districts.P(99)),
                Report.Ratio(audited.P(50) / districts.P(50)), Report.Ratio(audited.P(99) / districts.P(99)), ""]);

            Report.Progress($"audit read {Report.Name(provider)}: 16 clients");
            var (ca, caTime) = await Latencies.ConcurrentAsync(concurrent, 16, Audited);
            var (cn, cnTime) = await Latencies.ConcurrentAsync(concurrent, 16, NoAudit);
            var (cd, cdTime) = await Latencies.ConcurrentAsync(concurrent, 16, Districts);
            var throughput = (concurrent / caTime.TotalSeconds) / (concurrent / cnTime.TotalSeconds);
            rows.Add([name, "16", $"GET /api/v1/arrests/{{n}} (audited): {concurrent / caTime.TotalSeconds:N0} req/s", Report.Ms(ca.P(50)), Report.Ms(ca.P(99)), "1.00×", "1.00×", ""]);
            rows.Add([name, "16", $"the same, no-op audit sink: {concurrent / cnTime.TotalSeconds:N0} req/s (audited ÷ this: {Report.Ratio(throughput)})", Report.Ms(cn.P(50)), Report.Ms(cn.P(99)),
                Report.Ratio(ca.P(50) / cn.P(50)), Report.Ratio(ca.P(99) / cn.P(99)), throughput >= 0.8 ? "throughput ≥ 0.8×: met" : "throughput ≥ 0.8×: NOT met"]);
            rows.Add([name, "16", $"GET /api/v1/districts: {concurrent / cdTime.TotalSeconds:N0} req/s", Report.Ms(cd.P(50)), Report.Ms(cd.P(99)),
                Report.Ratio(ca.P(50) / cd.P(50)), Report.Ratio(ca.P(99) / cd.P(99)), ""]);
            if (noOp.Dropped == 0)
            {
                throw new InvalidOperationException("The no-op host audited nothing: its sink was not the one composed.");
            }

            authRows.AddRange(await Wrk.CompareAsync(name, server.BaseAddress, token, options.Quick ? 3 : 10));
        }

        Report.Table($"Audited read: GET /api/v1/arrests/{{n}} vs the same GET on the same host composed with the bench's no-op audit sink, the same work in-process, and an unaudited GET; {perPath:N0} sequential requests per path (alternating blocks), then {concurrent:N0} at 16 clients; ms; ratio = audited ÷ this",
            ["store", "clients", "path", "p50", "p99", "p50 ratio", "p99 ratio", "target"], rows);
        if (authRows.Count > 0)
        {
            Report.Table("Authentication: an authenticated, unaudited GET (/api/v1/districts, bearer token) vs anonymous /healthz, 16 connections, wrk (2 threads), same server one after the other",
                ["store", "path", "req/s", "p50", "p99", "÷ /healthz", "target ≥ 0.5×"], authRows);
        }
    }
}
