using System.CommandLine;
using System.Text.Json;
using OpenPars.App.Charter;
using OpenPars.App.Hosting;
using OpenPars.Core.Agencies;
using Spectre.Console;

namespace OpenPars.Cli.Commands;

/// <summary>
/// `openpars charter …`: the charter from a terminal, on the store directly. `show` prints the charter in force with
/// its history and votes; `propose` and `vote` act as the OpenPARS user whose token is presented (<c>--token</c> or
/// OPENPARS_TOKEN) — a stakeholder representative, voting for their own agency only; naming someone is not enough.
/// The same use cases as the API, so the same rules and the same audit (channel cli).
/// </summary>
public static class CharterCommands
{
    private static readonly JsonSerializerOptions IndentedJson = new(Core.Common.OpenParsJson.Options) { WriteIndented = true };

    public static Command Create(IAnsiConsole console)
    {
        var charter = new Command("charter", "Read the charter above every agreement; propose and vote on its amendments.");
        charter.Subcommands.Add(Show(console));
        charter.Subcommands.Add(Propose(console));
        charter.Subcommands.Add(Vote(console));
        return charter;
    }

    private static Command Show(IAnsiConsole console)
    {
        var storage = new StorageOptions();
        var user = CliCredentials.TokenOption();
        var command = new Command("show", "The charter in force, its versions and every amendment with its votes (JSON).") { user };
        storage.AddTo(command, withReference: false);
        command.SetAction((result, ct) => Run(storage.Resolve(result), "charter show", CliCredentials.Token(result, user), async (charter, caller) =>
            Print(console, await charter.GetAsync(caller, ct)), ct));
        return command;
    }

    private static Command Propose(IAnsiConsole console)
    {
        var storage = new StorageOptions();
        var user = CliCredentials.TokenOption();
        var file = new Option<string>("--file") { Description = "The whole next version of the charter (JSON, the format of data/README.md).", Required = true };
        var statement = new Option<string>("--statement") { Description = "Why, in the proposer's own words.", Required = true };
        var command = new Command("propose", "Propose the next version of the charter (stakeholder representative); in force only with every stakeholder agency's consent.") { file, statement, user };
        storage.AddTo(command, withReference: false);
        command.SetAction((result, ct) => Run(storage.Resolve(result), "charter propose", CliCredentials.RequiredToken(result, user), async (charter, caller) =>
        {
            var path = result.GetValue(file)!;
            string json;
            try
            {
                json = await File.ReadAllTextAsync(path, ct);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CliException($"Cannot read {path}: {e.Message}");
            }

            Print(console, await charter.ProposeAmendmentAsync(caller, json, result.GetValue(statement), ct));
        }, ct));
        return command;
    }

    private static Command Vote(IAnsiConsole console)
    {
        var storage = new StorageOptions();
        var user = CliCredentials.TokenOption();
        var version = new Option<int>("--version") { Description = "The version the open amendment would make (e.g. 2).", Required = true };
        var vote = new Option<string>("--vote") { Description = "consent | reject", Required = true };
        vote.AcceptOnlyFromAmong("consent", "reject");
        var statement = new Option<string>("--statement") { Description = "The vote's statement, in the voter's own words.", Required = true };
        var command = new Command("vote", "Your agency's vote on the open amendment (stakeholder representative; one vote per agency).") { version, vote, statement, user };
        storage.AddTo(command, withReference: false);
        command.SetAction((result, ct) => Run(storage.Resolve(result), "charter vote", CliCredentials.RequiredToken(result, user), async (charter, caller) =>
            Print(console, await charter.VoteAsync(caller, result.GetValue(version), new CharterVoteRequest(result.GetValue(vote), result.GetValue(statement)), ct)), ct));
        return command;
    }

    private static void Print(IAnsiConsole console, CharterView view) =>
        console.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(view, IndentedJson));

    /// <summary>Runs one charter command as the token's user (the operator, who may only read, when no token is given).
    /// Refusals are printed by OpenParsCli, the same way for every command.</summary>
    private static async Task<int> Run(StorageSettings settings, string command, string? token, Func<CharterUseCases, Caller, Task> action, CancellationToken ct)
    {
        await using var app = await CliApp.StartAsync(settings, command, ct);
        var caller = token is null ? CliApp.Operator : await CliCredentials.AuthenticateAsync(app, token, ct);
        await action(app.Get<CharterUseCases>(), caller);
        return 0;
    }
}
