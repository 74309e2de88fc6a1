using System.CommandLine;
using System.Globalization;
using OpenPars.App.Hosting;
using OpenPars.App.Identity;
using Spectre.Console;

namespace OpenPars.Cli.Commands;

/// <summary>
/// `agency add`, `user add`, `token enrol|revoke`: the operator's bootstrap (agencies and each agency's first
/// administrator), audited with the OS user; `token create|redeem`: a person obtaining their own token. Trust boundary:
/// whoever holds the database can do anything the database allows, these commands included; the audit log is what
/// proves what was done. The commands never hand the operator a credential for another person.
/// </summary>
public static class IdentityCommands
{
    /// <summary>`openpars agency add`.</summary>
    public static Command CreateAgency(IAnsiConsole console)
    {
        var storage = new StorageOptions();
        var code = new Option<string>("--code") { Description = "Short code, capitals and digits (PPD).", Required = true };
        var name = new Option<string>("--name") { Description = "Full name.", Required = true };
        var kind = new Option<string>("--kind") { Description = "police | district-attorney | courts | partner", Required = true };
        kind.AcceptOnlyFromAmong("police", "district-attorney", "courts", "partner");
        var partnerKind = new Option<string?>("--partner-kind") { Description = "For a partner: its kind as the charter names it (immigration-enforcement, federal-law-enforcement, …); the charter's partner rules bind by it." };
        var add = new Command("add", "Add an agency.") { code, name, kind, partnerKind };
        storage.AddTo(add, withReference: false);
        add.SetAction((result, ct) => WithIdentity(storage.Resolve(result), "agency add", async identity =>
        {
            var agency = await identity.AddAgencyAsync(CliApp.Operator, result.GetValue(code), result.GetValue(name), result.GetValue(kind), result.GetValue(partnerKind), ct);
            console.MarkupLineInterpolated($"Added agency [bold]{agency.Code}[/] ({agency.Name}, {result.GetValue(kind)}{(agency.PartnerKind is { } k ? ", " + k : "")}).");
        }, ct));
        return new Command("agency", "Manage agencies.") { add };
    }

    /// <summary>`openpars user add`.</summary>
    public static Command CreateUser(IAnsiConsole console)
    {
        var storage = new StorageOptions();
        var agency = new Option<string>("--agency") { Description = "Agency code.", Required = true };
        var name = new Option<string>("--name") { Description = "User name, unique in the agency.", Required = true };
        var roles = new Option<string>("--roles") { Description = "Comma-separated roles, e.g. booking-officer,records-admin.", Required = true };
        var password = new Option<string?>("--password")
        {
            Description = "An initial page password (12 to 256 characters); the user enrols their authenticator at their first sign-in.",
        };
        var add = new Command("add", "Add a user with roles.") { agency, name, roles, password };
        storage.AddTo(add, withReference: false);
        add.SetAction(async (result, ct) =>
        {
            var settings = storage.Resolve(result);
            long userId = 0;
            await WithIdentity(settings, "user add", async identity =>
            {
                var roleList = result.GetValue(roles)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                var user = await identity.AddUserAsync(CliApp.Operator, result.GetValue(agency), result.GetValue(name), roleList, ct);
                userId = user.Id;
                console.MarkupLineInterpolated($"Added user [bold]{user.Name}[/] (id {user.Id}) at {user.AgencyCode}: {string.Join(", ", user.Roles)}.");
            }, ct);

            // Its own command run and audit entry: the user exists even if the password is refused.
            if (result.GetValue(password) is { } initial)
            {
                await WithApp(settings, "user add --password", app => app.Get<App.Identity.SignInUseCases>().SetPasswordAsync(CliApp.Operator, userId, initial, ct), ct);
                console.MarkupLine("Initial password set: the user signs in at /sign-in and enrols an authenticator.");
            }

            return 0;
        });
        return new Command("user", "Manage users.") { add };
    }

    /// <summary>`openpars token` and its subcommands.</summary>
    public static Command CreateToken(IAnsiConsole console)
    {
        var storage = new StorageOptions();
        var expires = Expires();
        var label = Label();
        var token = CliCredentials.TokenOption();
        var create = new Command("create", "Create a new token for yourself (authenticated by your current --token). Its secret is printed once and only its SHA-256 is stored.") { token, expires, label };
        storage.AddTo(create, withReference: false);
        create.SetAction((result, ct) => WithApp(storage.Resolve(result), "token create", async app =>
        {
            var lifetime = ParseLifetime(result.GetValue(expires)!);
            var caller = await CliCredentials.AuthenticateAsync(app, CliCredentials.RequiredToken(result, token), ct);
            var (created, secret) = await app.Get<IdentityUseCases>().CreateTokenAsync(caller, caller.UserId, lifetime, result.GetValue(label), ct);
            PrintToken(console, created, secret);
        }, ct));

        var user = new Option<string>("--user") { Description = "User name (or numeric id) of an agency administrator.", Required = true };
        var enrol = new Command("enrol", "Bootstrap: issue a one-time enrolment secret for an agency's administrator, who redeems it for their own token (7 days).") { user };
        storage.AddTo(enrol, withReference: false);
        enrol.SetAction((result, ct) => WithIdentity(storage.Resolve(result), "token enrol", async identity =>
        {
            var named = result.GetValue(user)!;
            var userId = await identity.FindUserIdAsync(named, ct) ?? throw new CliException($"No user named '{named}'.");
            var (enrolment, secret) = await identity.IssueEnrolmentAsync(CliApp.Operator, userId, ct);
            console.MarkupLineInterpolated($"Enrolment {enrolment.Id} for user {userId}, redeemable once until {enrolment.ExpiresAt:yyyy-MM-dd HH:mm}Z. Give it to its owner only:");
            console.WriteLine(secret);
        }, ct));

        var secretOption = new Option<string>("--secret") { Description = "The enrolment secret you were given (ope_…).", Required = true };
        var redeemExpires = Expires();
        var redeemLabel = Label();
        var redeem = new Command("redeem", "Redeem your enrolment secret, once, for your own token.") { secretOption, redeemExpires, redeemLabel };
        storage.AddTo(redeem, withReference: false);
        redeem.SetAction((result, ct) => WithIdentity(storage.Resolve(result), "token redeem", async identity =>
        {
            var (created, secret) = await identity.RedeemEnrolmentAsync(CliApp.Operator, result.GetValue(secretOption), ParseLifetime(result.GetValue(redeemExpires)!), result.GetValue(redeemLabel), ct);
            PrintToken(console, created, secret);
        }, ct));

        var id = new Option<long>("--id") { Description = "Token id.", Required = true };
        var revoke = new Command("revoke", "Revoke a token at once.") { id };
        storage.AddTo(revoke, withReference: false);
        revoke.SetAction((result, ct) => WithIdentity(storage.Resolve(result), "token revoke", async identity =>
        {
            var revoked = await identity.RevokeTokenAsync(CliApp.Operator, result.GetValue(id), ct);
            console.MarkupLineInterpolated($"Token {revoked.Id} revoked at {revoked.RevokedAt:yyyy-MM-dd HH:mm:ss}Z.");
        }, ct));

        return new Command("token", "Manage bearer tokens and enrolments.") { create, enrol, redeem, revoke };
    }

    private static Option<string> Expires() => new("--expires") { Description = "Lifetime: 90d, 12h (at most 400d).", DefaultValueFactory = _ => "90d" };

    private static Option<string?> Label() => new("--label") { Description = "What the token is for." };

    private static void PrintToken(IAnsiConsole console, Storage.Agencies.TokenView token, string secret)
    {
        console.MarkupLineInterpolated($"Token {token.Id} for user {token.UserId}, expires {token.ExpiresAt:yyyy-MM-dd HH:mm}Z. Copy it now; it cannot be shown again:");
        console.WriteLine(secret);
    }

    /// <summary>A token lifetime as the options write it: a number of days (<c>90d</c>) or hours (<c>12h</c>).</summary>
    public static TimeSpan ParseLifetime(string text)
    {
        var unit = text.Length > 1 ? text[^1] : ' ';
        if (int.TryParse(text.AsSpan(0, Math.Max(0, text.Length - 1)), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0)
        {
            switch (unit)
            {
                case 'd':
                    return TimeSpan.FromDays(n);
                case 'h':
                    return TimeSpan.FromHours(n);
            }
        }

        throw new CliException($"--expires must be a number of days or hours, like 90d or 12h (got '{text}').");
    }

    /// <summary>Runs an identity action through the application, audited as a CLI command.</summary>
    private static Task<int> WithIdentity(StorageSettings settings, string command, Func<IdentityUseCases, Task> action, CancellationToken ct) =>
        WithApp(settings, command, app => action(app.Get<IdentityUseCases>()), ct);

    private static async Task<int> WithApp(StorageSettings settings, string command, Func<CliApp, Task> action, CancellationToken ct)
    {
        await using var app = await CliApp.StartAsync(settings, command, ct);
        await action(app);
        return 0;
    }
}

/// <summary>How a CLI command acts for a person: their bearer token, from <c>--token</c> or OPENPARS_TOKEN, resolved
/// exactly as the API resolves `Authorization: Bearer` (unknown, revoked and expired tokens are refused).</summary>
public static class CliCredentials
{
    /// <summary>The variable a token is read from when <c>--token</c> is not given.</summary>
    public const string EnvironmentVariable = "OPENPARS_TOKEN";

    /// <summary>The <c>--token</c> option, described.</summary>
    public static Option<string?> TokenOption() =>
        new("--token") { Description = $"Your bearer token (opk_…); default ${EnvironmentVariable}. The command acts as its user." };

    /// <summary>The token given, or null when neither the option nor the variable is set.</summary>
    public static string? Token(ParseResult result, Option<string?> option) =>
        result.GetValue(option) is { Length: > 0 } given ? given
        : Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } env ? env
        : null;

    /// <summary>The token given; a <see cref="CliException"/> when there is none.</summary>
    public static string RequiredToken(ParseResult result, Option<string?> option) =>
        Token(result, option) ?? throw new CliException($"This command acts for a person: give your token with --token or ${EnvironmentVariable}.");

    /// <summary>The caller the token stands for, on channel <c>cli</c>; a <see cref="CliException"/> when it is unknown, revoked or expired.</summary>
    public static async Task<Core.Agencies.Caller> AuthenticateAsync(CliApp app, string token, CancellationToken ct) =>
        (await app.Get<Storage.Agencies.IdentityStore>().AuthenticateAsync(token, ct))?.Via(Core.Agencies.Channels.Cli)
        ?? throw new CliException("The token is unknown, revoked or expired.");
}
