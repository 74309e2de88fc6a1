using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using OpenPars.Cli.Commands;
using OpenPars.Core.Arrests;
using OpenPars.Storage;
using OpenPars.Storage.Agencies;
using OpenPars.Storage.Arrests;
using OpenPars.Demo;
using OpenPars.App.Hosting;
using OpenPars.Storage.Events;
using OpenPars.Web.Hosting;

namespace OpenPars.Bench;

/// <summary>
/// Benchmark 1: `openpars seed` (DemoSeeder.SeedArrestsAsync → BulkArrestWriter) in arrests/s, against baselines in the
/// same process: plain prepared INSERTs of the same arrest rows only, and of every row the seed writes.
/// </summary>
public static class IngestBench
{
    private const int Batch = 2000;
    private const string SqliteBulkPragmas = "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -131072;";

    public static async Task RunAsync(BenchOptions options)
    {
        var count = options.Quick ? 2_000 : 20_000;
        var rounds = options.Quick ? 1 : 2;
        var rows = new List<string[]>();
        foreach (var provider in options.Providers())
        {
            double bestSeed = 0, bestArrestsOnly = 0, bestAllRows = 0;
            TimeSpan generate = default, prepare = default;
            for (var round = 0; round < rounds; round++)
            {
                Report.Progress($"ingest {Report.Name(provider)} round {round + 1}: seed {count:N0}");
                bestSeed = Math.Max(bestSeed, count / (await SeedAsync(provider, options, count)).TotalSeconds);
                Report.Progress($"ingest {Report.Name(provider)} round {round + 1}: raw baselines");
                var (g, p, arrestsOnly, allRows) = await BaselineAsync(provider, options, count);
                generate = g;
                prepare = p;
                bestArrestsOnly = Math.Max(bestArrestsOnly, count / arrestsOnly.TotalSeconds);
                bestAllRows = Math.Max(bestAllRows, count / allRows.TotalSeconds);
            }

            rows.Add([Report.Name(provider), "`openpars seed` path (DemoSeeder → BulkArrestWriter)", Report.F(bestSeed), "1.00×", provider == StorageProvider.Sqlite ? (bestSeed >= 5000 ? "≥ 5,000/s: met" : "≥ 5,000/s: NOT met") : "—"]);
            rows.Add([Report.Name(provider), "baseline: raw prepared INSERTs, arrest rows only", Report.F(bestArrestsOnly), Report.Ratio(bestSeed / bestArrestsOnly), ""]);
            rows.Add([Report.Name(provider), "baseline: raw prepared INSERTs, every row (arrest+charges+parties+events)", Report.F(bestAllRows), Report.Ratio(bestSeed / bestAllRows), ""]);
            rows.Add([Report.Name(provider), $"sections: generate {count:N0} (1 core)", Report.F(count / generate.TotalSeconds), "", $"{generate.TotalSeconds:0.00} s"]);
            rows.Add([Report.Name(provider), $"sections: domain prepare {count:N0} (Parallel.For)", Report.F(count / prepare.TotalSeconds), "", $"{prepare.TotalSeconds:0.00} s"]);
        }

        Report.Table($"Bulk ingest: {count:N0} arrests per run, best of {rounds} (arrests/s; ratio = seed ÷ baseline)",
            ["store", "path", "arrests/s", "seed ÷ this", "target / note"], rows);
    }

    private static async Task<TimeSpan> SeedAsync(StorageProvider provider, BenchOptions options, int count)
    {
        await using var store = await BenchStore.CreateAsync(provider, options);
        var reference = ReferenceData.LoadDefault();
        var audit = CliAudit.Trail(store.Settings, "seed", TimeProvider.System);
        await using (var db = store.Context())
        {
            await DemoIdentities.SeedAsync(db, new IdentityStore(db, TimeProvider.System, audit));
        }

        var watch = Stopwatch.StartNew();
        var written = await DemoSeeder.SeedArrestsAsync(store.Context, reference, TimeProvider.System, audit, count, seed: 1);
        watch.Stop();
        if (written != count)
        {
            throw new InvalidOperationException($"seed wrote {written}, not {count}");
        }

        return watch.Elapsed;
    }

    /// <summary>The same arrests, generated and decided by the domain as the seed does (timed as sections), then
    /// written with plain prepared INSERTs in transactions of 2,000: arrest rows only, then (on a second fresh store) every row.</summary>
    private static async Task<(TimeSpan Generate, TimeSpan Prepare, TimeSpan ArrestsOnly, TimeSpan AllRows)> BaselineAsync(StorageProvider provider, BenchOptions options, int count)
    {
        var reference = ReferenceData.LoadDefault();
        var now = DateTimeOffset.UtcNow;
        BulkArrestActors actors;
        await using var storeA = await BenchStore.CreateAsync(provider, options);
        await using (var db = storeA.Context())
        {
            await DemoIdentities.SeedAsync(db, new IdentityStore(db, TimeProvider.System, CliAudit.Trail(storeA.Settings, "seed", TimeProvider.System)));
            actors = await DemoIdentities.ActorsAsync(db);
        }

        var watch = Stopwatch.StartNew();
        var arrests = new DemoDataGenerator(reference, 1, now).Generate(count).ToList();
        var generate = watch.Elapsed;

        watch.Restart();
        var prepared = Prepare(arrests, reference, actors);
        var prepare = watch.Elapsed;

        var arrestsOnly = await WriteAsync(storeA, prepared, allRows: false);

        await using var storeB = await BenchStore.CreateAsync(provider, options);
        await using (var db = storeB.Context())
        {
            await DemoIdentities.SeedAsync(db, new IdentityStore(db, TimeProvider.System, CliAudit.Trail(storeB.Settings, "seed", TimeProvider.System)));
        }

        var allRowsTime = await WriteAsync(storeB, Prepare(arrests, reference, actors), allRows: true);
        return (generate, prepare, arrestsOnly, allRowsTime);
    }

    private static (ArrestRow Arrest, List<InvolvedPartyRow> Parties, List<EventRow> Events)[] Prepare(List<BulkArrest> arrests, ReferenceData reference, BulkArrestActors actors)
    {
        var prepared = new (ArrestRow, List<InvolvedPartyRow>, List<EventRow>)[arrests.Count];
        var perYear = new Dictionary<int, int>();
        var numbers = arrests.Select(a =>
        {
            var year = a.BookedAt.UtcDateTime.Year;
            perYear[year] = perYear.GetValueOrDefault(year) + 1;
            return ArrestNumbers.Format(year, perYear[year]);
        }).ToArray();
        Parallel.For(0, arrests.Count, i =>
        {
            var history = BulkArrestHistory.Decide(arrests[i], numbers[i], actors, reference);
            var row = new ArrestRow();
            ArrestRowMapping.Write(row, history.Record);
            prepared[i] = (row, ArrestRowMapping.PartyRows(0, history.Record.InvolvedParties), history.Events.Select(e => ToRow(ArrestStore.ToNewEvent(e))).ToList());
        });

        // The event log's rows as the seed stores them: positions in order, each with its hash (binding aside).
        long position = 0;
        var events = prepared.SelectMany(p => p.Item3).ToList();
        events.ForEach(e => e.Position = ++position);
        Parallel.ForEach(events, e => e.Hash = e.Envelope().Hash());
        return prepared;
    }

    private static EventRow ToRow(NewEvent e) => new()
    {
        StreamType = e.StreamType,
        StreamId = e.StreamId,
        Version = e.Version,
        Type = e.Type,
        Body = e.Body,
        RecordedAt = e.RecordedAt,
        UserId = e.UserId,
        AgencyCode = e.AgencyCode,
    };

    private static async Task<TimeSpan> WriteAsync(BenchStore store, (ArrestRow Arrest, List<InvolvedPartyRow> Parties, List<EventRow> Events)[] prepared, bool allRows)
    {
        await using var db = store.Context();
        await db.Database.OpenConnectionAsync();
        var connection = db.Database.GetDbConnection();
        if (store.Provider == StorageProvider.Sqlite)
        {
            await db.Database.ExecuteSqlRawAsync(SqliteBulkPragmas);
        }

        // The store starts with events of its own (the identities seeded, the adoption at migration): the prepared
        // positions (1, 2, …) follow them, as the seed's would. Their hashes were taken in the timed "prepare".
        var firstPosition = await db.Database.SqlQuery<long>($"SELECT COALESCE(MAX(position), 0) AS \"Value\" FROM events").SingleAsync();
        foreach (var (_, _, eventRows) in prepared)
        {
            eventRows.ForEach(e => e.Position += firstPosition);
        }

        var watch = Stopwatch.StartNew();
        for (var start = 0; start < prepared.Length; start += Batch)
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            var transaction = tx.GetDbTransaction();
            using var arrests = new RawInserter<ArrestRow>(db, connection, transaction, returnKey: true);
            using var charges = new RawInserter<ChargeRow>(db, connection, transaction, returnKey: false);
            using var parties = new RawInserter<InvolvedPartyRow>(db, connection, transaction, returnKey: false);
            using var events = new RawInserter<EventRow>(db, connection, transaction, returnKey: false);
            foreach (var (arrest, partyRows, eventRows) in prepared.AsSpan(start, Math.Min(Batch, prepared.Length - start)))
            {
                var id = arrests.Insert(arrest);
                if (!allRows)
                {
                    continue;
                }

                foreach (var charge in arrest.Charges)
                {
                    charge.ArrestId = id;
                    charges.Insert(charge);
                }

                foreach (var party in partyRows)
                {
                    party.ArrestId = id;
                    parties.Insert(party);
                }

                foreach (var evt in eventRows)
                {
                    events.Insert(evt);
                }
            }

            await tx.CommitAsync();
        }

        watch.Stop();
        return watch.Elapsed;
    }
}
