using System.CommandLine;
using OpenPars.App.Hosting;
using OpenPars.Storage.Charter;
using Spectre.Console;

namespace OpenPars.Cli.Commands;

public static class MigrateCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var storage = new StorageOptions();
        var charter = new Option<string?>("--charter")
        {
            Description = $"The charter to adopt if the store has none yet (JSON, see data/README.md; default ${CharterSource.EnvironmentVariable}, else data/charters/philadelphia.json). Ignored once a charter is adopted: it then changes only by amendment.",
        };
        var command = new Command("migrate", "Bring the database schema up to date and adopt the first charter on a store that has none (serve does this too).") { charter };
        storage.AddTo(command, withReference: false);
        command.SetAction(async (result, ct) =>
        {
            var settings = storage.Resolve(result);
            CharterSource source;
            try
            {
                source = CharterSource.Configured(result.GetValue(charter) ?? Environment.GetEnvironmentVariable(CharterSource.EnvironmentVariable));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CliException(e.Message);
            }

            await OpenParsDatabase.MigrateAsync(settings, TimeProvider.System, source, ct);
            console.MarkupLineInterpolated($"Schema up to date: {settings.Describe()}.");
            return 0;
        });
        return command;
    }
}
