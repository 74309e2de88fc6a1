using System.CommandLine;
using OpenPars.App.Hosting;
using Spectre.Console;

namespace OpenPars.Cli.Commands;

/// <summary>`openpars migrate`: brings the schema up to date and adopts events an older schema held.</summary>
public static class MigrateCommand
{
    /// <summary>The command, writing to <paramref name="console"/>.</summary>
    public static Command Create(IAnsiConsole console)
    {
        var storage = new StorageOptions();
        var command = new Command("migrate", "Bring the database schema up to date (serve does this too).");
        storage.AddTo(command, withReference: false);
        command.SetAction(async (result, ct) =>
        {
            var settings = storage.Resolve(result);
            await OpenParsDatabase.MigrateAsync(settings, ct);
            console.MarkupLineInterpolated($"Schema up to date: {settings.Describe()}.");
            return 0;
        });
        return command;
    }
}
