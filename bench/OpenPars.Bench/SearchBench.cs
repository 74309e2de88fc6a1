using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OpenPars.Cli.Commands;
using OpenPars.Core.Arrests;
using OpenPars.Storage;
using OpenPars.Storage.Arrests;
using OpenPars.Demo;
using OpenPars.Storage.Agencies;
using OpenPars.App.Hosting;
using OpenPars.Web.Hosting;

namespace OpenPars.Bench;

/// <summary>
/// Benchmark 2: GET /api/v1/arrests (real server on loopback, audited as in production) against the SQL EF compiles
/// the same query to, run with plain ADO.NET on one open connection, reading every column.
/// </summary>
public static class SearchBench
{
    public const int Limit = 50;

    public static async Task RunAsync(BenchOptions options)
    {
        var count = options.Arrests ?? (options.Quick ? 5_000 : 100_000);
        var perShape = options.Requests ?? (options.Quick ? 100 : 1_000);
        var rows = new List<string[]>();
        var sqlNotes = new List<string>();
        foreach (var provider in options.Providers())
        {
            await using var store = await BenchStore.CreateAsync(provider, options);
            Report.Progress($"search {Report.Name(provider)}: seeding {count:N0} arrests");
            var audit = CliAudit.Trail(store.Settings, "seed", TimeProvider.System);
            var watch = Stopwatch.StartNew();
            await DemoSeeder.SeedArrestsAsync(store.Context, ReferenceData.LoadDefault(), TimeProvider.System, audit, count, seed: 1);
            watch.Stop();
            rows.Add([Report.Name(provider), $"(seed {count:N0} arrests: {count / watch.Elapsed.TotalSeconds:N0} arrests/s)", "", "", "", "", "", "", ""]);
            await using (var db = store.Context())
            {
                // Fresh statistics, as an operator would have after a load (PostgreSQL's autovacuum may not have run yet).
                await db.Database.ExecuteSqlRawAsync(provider == StorageProvider.Sqlite ? "ANALYZE;" : "ANALYZE;");
            }

            string token;
            await using (var db = store.Context())
            {
                var credentials = await DemoIdentities.SeedAsync(db, new IdentityStore(db, TimeProvider.System, audit));
                token = credentials.First(c => c.User == DemoIdentities.BookingOfficer).Token;
            }

            var shapes = await ShapesAsync(store);
            await using var server = await BenchServer.StartAsync(store.Settings);
            using var client = server.Client(token);
            await using var raw = store.Context();
            await raw.Database.OpenConnectionAsync();

            foreach (var shape in shapes)
            {
                Report.Progress($"search {Report.Name(provider)}: {shape.Name}");
                using var command = Build(raw, shape.Query).CreateDbCommand();
                sqlNotes.Add($"-- {Report.Name(provider)}, {shape.Name}\n{Build(raw, shape.Query).ToQueryString()}");
                command.Prepare();
                var returned = 0;

                async Task Api(int _)
                {
                    using var response = await client.GetAsync(shape.Url);
                    response.EnsureSuccessStatusCode();
                    await response.Content.ReadAsByteArrayAsync();
                }

                async Task Raw(int _)
                {
                    await using var reader = await command.ExecuteReaderAsync();
                    var values = new object[reader.FieldCount];
                    var n = 0;
                    while (await reader.ReadAsync())
                    {
                        reader.GetValues(values);
                        n++;
                    }

                    returned = n;
                }

                // Warm up both, then alternate blocks so drift in the machine's load hits both sides alike.
                await Latencies.SequentialAsync(Math.Max(20, perShape / 10), Api);
                await Latencies.SequentialAsync(Math.Max(20, perShape / 10), Raw);
                var api = new List<double>();
                var sql = new List<double>();
                const int blocks = 10;
                for (var b = 0; b < blocks; b++)
                {
                    api.AddRange(await Latencies.SequentialAsync(perShape / blocks, Api));
                    sql.AddRange(await Latencies.SequentialAsync(perShape / blocks, Raw));
                }

                var a = new Latencies(api);
                var s = new Latencies(sql);
                rows.Add([Report.Name(provider), shape.Name, returned.ToString(CultureInfo.InvariantCulture), Report.Ms(a.P(50)), Report.Ms(a.P(99)),
                    Report.Ms(s.P(50)), Report.Ms(s.P(99)), Report.Ratio(a.P(50) / s.P(50)), Report.Ratio(a.P(99) / s.P(99))]);
            }
        }

        Report.Table($"Search at {count:N0} arrests: API (HTTP, audited) vs the raw SQL EF compiles to (ADO.NET); {perShape:N0} sequential requests per shape after warm-up; ms",
            ["store", "query", "rows", "API p50", "API p99", "SQL p50", "SQL p99", "p50 ratio", "p99 ratio"], rows);
        Report.Note("\n<details><summary>SQL compiled by EF (ToQueryString)</summary>\n\n```sql\n" + string.Join("\n\n", sqlNotes) + "\n```\n</details>");
    }

    public sealed record Shape(string Name, string Url, ArrestQuery Query);

    /// <summary>Representative query shapes with parameters read from the seeded data.</summary>
    private static async Task<List<Shape>> ShapesAsync(BenchStore store)
    {
        await using var db = store.Context();
        var commonName = await db.Arrests.GroupBy(a => a.LastNameKey).OrderByDescending(g => g.Count()).Select(g => g.Key).FirstAsync();
        var prefix = commonName[..Math.Min(3, commonName.Length)];
        var district = await db.Arrests.GroupBy(a => a.District).OrderByDescending(g => g.Count()).Select(g => g.Key).FirstAsync();
        const ArrestStatus parsed = ArrestStatus.Charged;
        var status = ArrestStatusMachine.ToCode(parsed);
        var statute = await db.Charges.GroupBy(c => c.Citation).OrderBy(g => g.Count()).Select(g => g.Key).Skip(await db.Charges.Select(c => c.Citation).Distinct().CountAsync() / 2).FirstAsync();
        var latest = (await db.Arrests.MaxAsync(a => a.BookedAt)).ToUniversalTime();
        var from = latest - TimeSpan.FromDays(7);
        static string E(string s) => Uri.EscapeDataString(s);
        return
        [
            new($"lastName prefix `{prefix}`", $"/api/v1/arrests?lastName={E(prefix)}&limit={Limit}", new ArrestQuery { LastName = prefix, Limit = Limit }),
            new($"district `{district}` + status `{status}`", $"/api/v1/arrests?district={E(district)}&status={E(status)}&limit={Limit}", new ArrestQuery { District = district, Status = parsed, Limit = Limit }),
            new($"statute `{statute}` (median frequency)", $"/api/v1/arrests?statute={E(statute)}&limit={Limit}", new ArrestQuery { Statute = statute, Limit = Limit }),
            new("date range: last 7 days", $"/api/v1/arrests?bookedFrom={E(from.ToString("O", CultureInfo.InvariantCulture))}&bookedTo={E(latest.ToString("O", CultureInfo.InvariantCulture))}&limit={Limit}",
                new ArrestQuery { From = from, To = latest, Limit = Limit }),
        ];
    }

    /// <summary>The very query ArrestStore.SearchAsync runs (the store exposes it), so the SQL measured is the SQL served.</summary>
    public static IQueryable<object> Build(OpenParsDbContext db, ArrestQuery query) =>
        ArrestStore.SummaryRows(ArrestStore.SearchRows(db, query), query.Limit);
}
