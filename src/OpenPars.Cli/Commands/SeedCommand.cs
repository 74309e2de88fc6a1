using System.CommandLine;
using System.Diagnostics;
using OpenPars.Core.Arrests;
using OpenPars.Demo;
using OpenPars.App.Hosting;
using Spectre.Console;

namespace OpenPars.Cli.Commands;

/// <summary>`openpars seed`: bulk synthetic arrests for benchmarks and load tests.</summary>
public static class SeedCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var storage = new StorageOptions();
        var arrests = new Option<int>("--arrests") { Description = "How many arrests to add.", Required = true };
        var seed = new Option<int>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 1 };
        var command = new Command("seed", "Add N synthetic arrests (bulk ingest). Creates the demo agencies and users first if missing.") { arrests, seed };
        storage.AddTo(command);
        command.SetAction(async (result, ct) =>
        {
            var settings = storage.Resolve(result);
            var reference = storage.ResolveReference(result);
            var count = result.GetValue(arrests);
            if (count is < 1 or > 10_000_000)
            {
                throw new CliException("--arrests must be between 1 and 10,000,000.");
            }

            await OpenParsDatabase.MigrateAsync(settings, ct);
            var watch = Stopwatch.StartNew();
            var written = 0;
            await console.Progress().StartAsync(async progress =>
            {
                var task = progress.AddTask($"Seeding {count:N0} arrests", maxValue: count);
                written = await DemoSeeder.SeedArrestsAsync(() => OpenParsDatabase.CreateContext(settings), reference, TimeProvider.System,
                    CliAudit.Trail(settings, "seed", TimeProvider.System), count,
                    result.GetValue(seed), new Progress<int>(done => task.Value = done), ct);
            });
            console.MarkupLineInterpolated($"Wrote {written:N0} arrests in {watch.Elapsed.TotalSeconds:0.0} s ({written / watch.Elapsed.TotalSeconds:N0} arrests/s) to {settings.Describe()}.");
            return 0;
        });
        return command;
    }
}
