using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using OpenPars.Core.Arrests;
using OpenPars.Storage.Agencies;
using OpenPars.Storage.Arrests;
using OpenPars.Demo;
using Xunit;

using OpenPars.Testing;
using OpenPars.App.Hosting;

namespace OpenPars.Storage.Tests.Arrests;

/// <summary>
/// A timing run, not an assertion: OPENPARS_TIMING=1 dotnet test --project tests/OpenPars.Storage.Tests -- --filter-class '*BulkArrestWriterTiming'
/// (Release build for figures worth quoting). Prints generation and write rates for 20,000 arrests on SQLite.
/// </summary>
public sealed class BulkArrestWriterTiming(ITestOutputHelper output)
{
    [Fact]
    public async Task Twenty_thousand_arrests_on_sqlite()
    {
        Assert.SkipUnless(Environment.GetEnvironmentVariable("OPENPARS_TIMING") == "1", "timing run: set OPENPARS_TIMING=1");
        var ct = TestContext.Current.CancellationToken;
        var reference = ReferenceData.LoadDefault();
        var now = new DateTimeOffset(2026, 11, 20, 15, 30, 0, TimeSpan.Zero);
        await using var database = await TestDatabase.CreateAsync(StorageProvider.Sqlite, ct);
        BulkArrestActors actors;
        await using (var db = database.NewContext())
        {
            await DemoIdentities.SeedAsync(db, new IdentityStore(db, new FakeTimeProvider(now), TestAudit.Trail(database.Settings, TimeProvider.System)), ct);
            actors = await DemoIdentities.ActorsAsync(db, ct);
        }

        var watch = Stopwatch.StartNew();
        var arrests = new DemoDataGenerator(reference, 1, now).Generate(20_000).ToList();
        var generated = watch.Elapsed;

        watch.Restart();
        var i = 0;
        foreach (var a in arrests)
        {
            var h = BulkArrestHistory.Decide(a, ArrestNumbers.Format(2026, ++i), actors, reference);
            var row = new OpenPars.Storage.Arrests.ArrestRow();
            OpenPars.Storage.Arrests.ArrestRowMapping.Write(row, h.Record);
            foreach (var e in h.Events)
            {
                OpenPars.Storage.Arrests.ArrestStore.ToNewEvent(e);
            }
        }

        var prepared = watch.Elapsed;
        watch.Restart();
        await new BulkArrestWriter(database.NewContext, reference, actors, TestAudit.Trail(database.Settings, TimeProvider.System)).WriteAsync(arrests, null, ct);
        var written = watch.Elapsed;

        var line = $"generate: {20_000 / generated.TotalSeconds:N0} arrests/s ({generated.TotalSeconds:N2} s); "
            + $"prepare (one core): {20_000 / prepared.TotalSeconds:N0} arrests/s; "
            + $"write: {20_000 / written.TotalSeconds:N0} arrests/s ({written.TotalSeconds:N2} s); "
            + $"file {new FileInfo(Path.Combine(database.Settings.DataDirectory!, StorageSettings.DatabaseFileName)).Length / 1e6:N1} MB + WAL";
        output.WriteLine(line);
        await File.WriteAllTextAsync(Path.Combine(Path.GetTempPath(), "openpars-bulk-timing.txt"), line, ct);
    }
}
