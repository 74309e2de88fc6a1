namespace OpenPars.Cli.Tests;

/// <summary>`--help` works on every command, one line per option, as the issue asks of the CLI.</summary>
public sealed class HelpTests
{
    public static TheoryData<string[]> Commands() => new(
        ["--help"], ["serve", "--help"], ["demo", "--help"], ["migrate", "--help"], ["seed", "--help"],
        ["agency", "add", "--help"], ["user", "add", "--help"], ["token", "create", "--help"], ["token", "enrol", "--help"], ["token", "redeem", "--help"], ["token", "revoke", "--help"],
        ["audit", "verify", "--help"], ["audit", "export", "--help"], ["audit", "rotate-key", "--help"], ["backup", "--help"], ["restore", "--help"], ["agreement", "--help"]);

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Every_command_explains_itself(string[] args)
    {
        var run = await CliRunner.RunAsync(args);
        Assert.Equal(0, run.ExitCode);
        var lines = run.Output.Split('\n');
        Assert.Contains(lines, l => l.StartsWith("Usage:", StringComparison.Ordinal));
        var help = Assert.Single(lines, l => l.TrimStart().StartsWith("-?, -h, --help", StringComparison.Ordinal));

        // One option per line: the help option's line names no other option (a lost newline joins them).
        Assert.Equal(1, help.Split("--", StringSplitOptions.None).Length - 1);
    }
}
