using Spectre.Console;

namespace OpenPars.Cli;

public static class Program
{
    public static Task<int> Main(string[] args) => OpenParsCli.RunAsync(args, AnsiConsole.Console);
}
