using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using OpenPars.App.Agreements;
using OpenPars.App.Hosting;
using OpenPars.Core.Agencies;
using OpenPars.Core.Agreements;
using OpenPars.Storage.Agreements;
using Spectre.Console;

namespace OpenPars.Cli.Commands;

/// <summary>
/// `openpars agreement …`: the agreement API from a terminal, on the store directly. Every write acts as the OpenPARS
/// user whose token is presented (<c>--token</c> or OPENPARS_TOKEN, resolved like the API's bearer token), because a
/// vote needs a voter who proved who they are; naming someone is not enough. The same role rules as the API apply
/// (stakeholder representative; privacy officer to suspend) and the same governance. Every command, reads included,
/// writes its audit entry (channel cli, the token's user as the actor; the operator when a read has no token).
/// </summary>
public static class AgreementCommands
{
    /// <summary>`openpars agreement` and its subcommands, writing to <paramref name="console"/>.</summary>
    public static Command Create(IAnsiConsole console)
    {
        var agreement = new Command("agreement", "Draft, propose, vote on, renew, suspend and read data-sharing agreements.");
        agreement.Subcommands.Add(Draft(console));
        agreement.Subcommands.Add(Propose(console));
        agreement.Subcommands.Add(Vote(console));
        agreement.Subcommands.Add(Withdraw(console));
        agreement.Subcommands.Add(Renew(console));
        agreement.Subcommands.Add(Suspend(console));
        agreement.Subcommands.Add(Show(console));
        agreement.Subcommands.Add(List(console));
        agreement.Subcommands.Add(Notice(console));
        return agreement;
    }

    private static Option<string> Id() => new("--id") { Description = "Agreement id, e.g. ice-2026.", Required = true };


    private static Option<string> Statement() => new("--statement") { Description = "The vote's statement, in the voter's own words.", Required = true };

    private static Option<string> File() => new("--file") { Description = "The agreement document (JSON, see docs/agreements/agreement.schema.json).", Required = true };

    private static Command Draft(IAnsiConsole console)
    {
        var storage = new StorageOptions();
        var file = File();
        var user = CliCredentials.TokenOption();
        var command = new Command("draft", "Draft an agreement (or rewrite its draft) from a JSON document.") { file, user };
        storage.AddTo(command, withReference: false);
        command.SetAction((result, ct) => Run(console, storage.Resolve(result), "agreement draft", CliCredentials.RequiredToken(result, user), Roles.StakeholderRepresentative, async (agreements, caller) =>
            Print(console, await agreements.DraftAsync(caller, await ReadDocumentAsync(result.GetValue(file)!, ct), ct)), ct));
        return command;
    }

    private static Command Propose(IAnsiConsole console)
    {
        var storage = new StorageOptions();
        var id = Id();
        var user = CliCredentials.TokenOption();
        var command = new Command("propose", "Put the latest draft to the stakeholders' vote.") { id, user };
        storage.AddTo(command, withReference: false);
        command.SetAction((result, ct) => Run(console, storage.Resolve(result), "agreement propose", CliCredentials.RequiredToken(result, user), Roles.StakeholderRepresentative, async (agreements, caller) =>
            Print(console, await agreements.ProposeAsync(caller, result.GetValue(id)!, null, ct)), ct));
        return command;
    }

    private static Command Vote(IAnsiConsole console)
    {
        var storage = new StorageOptions();
        var id = Id();
        var user = CliCredentials.TokenOption();
        var statement = Statement();
        var vote = new Option<string>("--vote") { Description = "consent | reject | withdraw", Required = true };
        vote.AcceptOnlyFromAmong("consent", "reject", "withdraw");
        var noticeAt = NoticeAt();
        var command = new Command("vote", "Vote on an agreement as a stakeholder representative (one vote per agency per version).") { id, user, vote, statement, noticeAt };
        storage.AddTo(command, withReference: false);
        command.SetAction((result, ct) => Run(console, storage.Resolve(result), "agreement vote", CliCredentials.RequiredToken(result, user), Roles.StakeholderRepresentative, async (agreements, caller) =>
            Print(console, await agreements.VoteAsync(caller, result.GetValue(id)!, new VoteRequest(result.GetValue(vote), result.GetValue(statement), ParseInstant(result.GetValue(noticeAt)), null), ct)), ct));
        return command;
    }

    private static Command Withdraw(IAnsiConsole console)
    {
        var storage = new StorageOptions();
        var id = Id();
        var user = CliCredentials.TokenOption();
        var statement = Statement();
        var noticeAt = NoticeAt();
        var command = new Command("withdraw", "Withdraw your agency from the agreement in force, at once or at --notice-at.") { id, user, statement, noticeAt };
        storage.AddTo(command, withReference: false);
        command.SetAction((result, ct) => Run(console, storage.Resolve(result), "agreement withdraw", CliCredentials.RequiredToken(result, user), Roles.StakeholderRepresentative, async (agreements, caller) =>
            Print(console, await agreements.VoteAsync(caller, result.GetValue(id)!, new VoteRequest("withdraw", result.GetValue(statement), ParseInstant(result.GetValue(noticeAt)), null), ct)), ct));
        return command;
    }

    private static Command Renew(IAnsiConsole console)
    {
        var storage = new StorageOptions();
        var id = Id();
        var file = File();
        var user = CliCredentials.TokenOption();
        var command = new Command("renew", "Draft a renewal: the next version with a later expiry, for its own vote.") { id, file, user };
        storage.AddTo(command, withReference: false);
        command.SetAction((result, ct) => Run(console, storage.Resolve(result), "agreement renew", CliCredentials.RequiredToken(result, user), Roles.StakeholderRepresentative, async (agreements, caller) =>
            Print(console, await agreements.RenewAsync(caller, result.GetValue(id)!, await ReadDocumentAsync(result.GetValue(file)!, ct), ct)), ct));
        return command;
    }

    private static Command Suspend(IAnsiConsole console)
    {
        var storage = new StorageOptions();
        var id = Id();
        var user = CliCredentials.TokenOption();
        var statement = Statement();
        var command = new Command("suspend", "Suspend an active agreement pending review (privacy officer).") { id, user, statement };
        storage.AddTo(command, withReference: false);
        command.SetAction((result, ct) => Run(console, storage.Resolve(result), "agreement suspend", CliCredentials.RequiredToken(result, user), Roles.PrivacyOfficer, async (agreements, caller) =>
            Print(console, await agreements.SuspendAsync(caller, result.GetValue(id)!, result.GetValue(statement), ct)), ct));
        return command;
    }

    private static Command Show(IAnsiConsole console)
    {
        var storage = new StorageOptions();
        var id = Id();
        var command = new Command("show", "Terms, votes, history and status now of one agreement (JSON).") { id };
        storage.AddTo(command, withReference: false);
        var user = CliCredentials.TokenOption();
        command.Options.Add(user);
        command.SetAction((result, ct) => Run(console, storage.Resolve(result), "agreement show", CliCredentials.Token(result, user), null, async (agreements, caller) =>
            Print(console, await agreements.GetAsync(caller, result.GetValue(id)!, ct)), ct));
        return command;
    }

    private static Command List(IAnsiConsole console)
    {
        var storage = new StorageOptions();
        var command = new Command("list", "Every agreement with its status now.");
        storage.AddTo(command, withReference: false);
        var user = CliCredentials.TokenOption();
        command.Options.Add(user);
        command.SetAction((result, ct) => Run(console, storage.Resolve(result), "agreement list", CliCredentials.Token(result, user), null, async (agreements, caller) =>
        {
            var all = await agreements.ListAsync(caller, ct);
            var now = TimeProvider.System.GetUtcNow();
            var table = new Table().AddColumns("agreement", "partner", "status", "version", "effective", "expires");
            foreach (var agreement in all)
            {
                var standing = agreement.StatusAt(now);
                table.AddRow(
                    Markup.Escape(agreement.AgreementId), Markup.Escape(agreement.PartnerAgency), JsonNamingPolicy.CamelCase.ConvertName(standing.Status.ToString()),
                    standing.Version.ToString(CultureInfo.InvariantCulture),
                    standing.EffectiveAt is { } e ? Short(e) : "—", standing.ExpiresAt is { } x ? Short(x) : "—");
            }

            console.Write(table);
        }, ct));
        return command;
    }

    private static Command Notice(IAnsiConsole console)
    {
        var storage = new StorageOptions();
        var id = Id();
        var html = new Option<bool>("--html") { Description = "HTML instead of Markdown." };
        var command = new Command("notice", "The termination or expiry notice, with access figures from the audit log.") { id, html };
        storage.AddTo(command, withReference: false);
        var user = CliCredentials.TokenOption();
        command.Options.Add(user);
        command.SetAction((result, ct) => Run(console, storage.Resolve(result), "agreement notice", CliCredentials.Token(result, user), null, async (agreements, caller) =>
        {
            var notice = await agreements.NoticeAsync(caller, result.GetValue(id)!, ct);
            console.Profile.Out.Writer.WriteLine(result.GetValue(html) ? notice.Html : notice.Markdown);
        }, ct));
        return command;
    }

    private static string Short(DateTimeOffset instant) => instant.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static Option<string?> NoticeAt() => new("--notice-at") { Description = "When the withdrawal takes effect (ISO 8601 instant with an offset); default at once." };

    private static DateTimeOffset? ParseInstant(string? text)
    {
        if (text is null)
        {
            return null;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant)
            ? instant
            : throw new CliException($"--notice-at must be an ISO 8601 instant with an offset, like 2026-12-31T23:59:59-05:00 (got '{text}').");
    }

    private static async Task<AgreementDocument> ReadDocumentAsync(string path, CancellationToken ct)
    {
        try
        {
            return AgreementJson.Parse(await System.IO.File.ReadAllTextAsync(path, ct));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"Cannot read {path}: {e.Message}");
        }
    }

    private static readonly JsonSerializerOptions IndentedJson = new(OpenPars.Core.Common.OpenParsJson.Options) { WriteIndented = true };

    private static void Print(IAnsiConsole console, StoredAgreement agreement) =>
        console.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(AgreementViews.Detail(agreement, TimeProvider.System.GetUtcNow()), IndentedJson));

    /// <summary>Runs one agreement command through the application as the token's user (when a token is given; the
    /// operator otherwise, who may only read), and prints a domain refusal the way the API states it.</summary>
    private static async Task<int> Run(
        IAnsiConsole console, StorageSettings settings, string command, string? token, string? role,
        Func<AgreementUseCases, Caller, Task> action, CancellationToken ct)
    {
        await using var app = await CliApp.StartAsync(settings, command, ct);
        var caller = token is null ? CliApp.Operator : await CliCredentials.AuthenticateAsync(app, token, ct);
        if (role is not null && !caller.HasRole(role))
        {
            console.MarkupLineInterpolated($"[red]error:[/] {caller.UserName} is not a {role}.");
            return 2;
        }

        // Refusals (DomainException, CliException) are printed by OpenParsCli, the same way for every command.
        await action(app.Get<AgreementUseCases>(), caller);
        return 0;
    }
}
