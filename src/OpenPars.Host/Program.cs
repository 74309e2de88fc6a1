using Spectre.Console;

namespace OpenPars.Host;

/// <summary>The process entry point of `openpars`.</summary>
public static class Program
{
    /// <summary>Runs one command line on the terminal and returns its exit code.</summary>
    public static Task<int> Main(string[] args) => OpenParsProgram.RunAsync(args, AnsiConsole.Console);
}
