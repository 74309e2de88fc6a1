using OpenPars.App.Hosting;
using Spectre.Console;

namespace OpenPars.Cli.Tests;

/// <summary>Runs the `openpars` command in-process, as a person at a terminal would, and keeps what it printed.</summary>
public static class CliRunner
{
    public sealed record Run(int ExitCode, string Output);

    public static async Task<Run> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 400;
        var code = await OpenPars.Host.OpenParsProgram.RunAsync(args, console, TestContext.Current.CancellationToken);
        return new Run(code, output.ToString());
    }

    /// <summary>The storage options that point a command at a test database (and its key folder).</summary>
    public static string[] StorageArgs(StorageSettings settings) => settings.Provider == StorageProvider.Sqlite
        ? ["--data", settings.DataDirectory!]
        : ["--postgres", settings.ConnectionString, "--data", settings.DataDirectory!];
}
