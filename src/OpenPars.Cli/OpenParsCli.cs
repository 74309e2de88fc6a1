using System.CommandLine;
using OpenPars.Cli.Commands;
using Spectre.Console;

namespace OpenPars.Cli;

/// <summary>The `openpars` command. Output goes to the given console, so tests can read what a person would see.</summary>
public static class OpenParsCli
{
    /// <summary>Parses and runs one command line; <paramref name="server"/> starts the web server for `serve` and `demo`
    /// (the executable passes the real one). Returns the process exit code: 0 done, 1 refused, 2 failed.</summary>
    public static async Task<int> RunAsync(string[] args, IAnsiConsole console, ServerStarter server, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(console);
        var root = new RootCommand("OpenPARS — the shared arrest database from booking to preliminary arraignment.");
        root.Subcommands.Add(ServeCommand.Create(console, server));
        root.Subcommands.Add(DemoCommand.Create(console, server));
        root.Subcommands.Add(MigrateCommand.Create(console));
        root.Subcommands.Add(SeedCommand.Create(console));
        root.Subcommands.Add(IdentityCommands.CreateAgency(console));
        root.Subcommands.Add(IdentityCommands.CreateUser(console));
        root.Subcommands.Add(IdentityCommands.CreateToken(console));
        root.Subcommands.Add(AuditCommands.Create(console));
        root.Subcommands.Add(AgreementCommands.Create(console));
        root.Subcommands.Add(CharterCommands.Create(console));
        root.Subcommands.Add(OversightCommands.Create(console));
        root.Subcommands.Add(ReportCommands.Create(console));
        root.Subcommands.Add(BackupCommands.CreateBackup(console));
        root.Subcommands.Add(BackupCommands.CreateRestore(console));

        var parsed = root.Parse(args);
        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { Output = console.Profile.Out.Writer, Error = console.Profile.Out.Writer, EnableDefaultExceptionHandler = false }, ct);
        }
        catch (Exception e) when (e is CliException or IOException or UnauthorizedAccessException or System.Data.Common.DbException)
        {
            // What a person at a terminal can act on: the message, not a stack trace. (Messages here name files and
            // servers, never a record's content.)
            console.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            return 2;
        }
        catch (App.Backup.BackupRefusedException e)
        {
            console.MarkupLineInterpolated($"[red]{e.Code}[/] {e.Message}");
            return 1;
        }
        catch (Core.Common.DomainException e)
        {
            // A refusal is stated as the API states it: the stable code, then each field and the rule it broke.
            console.MarkupLineInterpolated($"[red]{e.Code}[/] {e.Message}");
            foreach (var error in e.Errors?.All ?? [])
            {
                console.MarkupLineInterpolated($"  [yellow]{error.Field}[/] ({error.Rule}): {error.Message}");
            }

            return 1;
        }
    }
}

/// <summary>A failure to tell the person at the terminal, without a stack trace.</summary>
public sealed class CliException : Exception
{
    /// <summary>A failure stated by <paramref name="message"/>.</summary>
    public CliException(string message)
        : base(message)
    {
    }

    /// <summary>A failure with the default message.</summary>
    public CliException()
    {
    }

    /// <summary>A failure stated by <paramref name="message"/>, caused by <paramref name="innerException"/>.</summary>
    public CliException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
