using System.CommandLine;
using System.Globalization;
using OpenPars.App.Hosting;
using OpenPars.App.Identity;
using Spectre.Console;

namespace OpenPars.Cli.Commands;

/// <summary>`agency add`, `user add`, `token create|revoke`: the records admin's work from a terminal.</summary>
public static class IdentityCommands
{
    public static Command CreateAgency(IAnsiConsole console)
    {
        var storage = new StorageOptions();
        var code = new Option<string>("--code") { Description = "Short code, capitals and digits (PPD).", Required = true };
        var name = new Option<string>("--name") { Description = "Full name.", Required = true };
        var kind = new Option<string>("--kind") { Description = "police | district-attorney | courts | partner", Required = true };
        kind.AcceptOnlyFromAmong("police", "district-attorney", "courts", "partner");
        var add = new Command("add", "Add an agency.") { code, name, kind };
        storage.AddTo(add, withReference: false);
        add.SetAction((result, ct) => WithIdentity(storage.Resolve(result), "agency add", async identity =>
        {
            var agency = await identity.AddAgencyAsync(CliApp.Operator, result.GetValue(code), result.GetValue(name), result.GetValue(kind), ct);
            console.MarkupLineInterpolated($"Added agency [bold]{agency.Code}[/] ({agency.Name}, {result.GetValue(kind)}).");
        }, ct));
        return new Command("agency", "Manage agencies.") { add };
    }

    public static Command CreateUser(IAnsiConsole console)
    {
        var storage = new StorageOptions();
        var agency = new Option<string>("--agency") { Description = "Agency code.", Required = true };
        var name = new Option<string>("--name") { Description = "User name, unique in the agency.", Required = true };
        var roles = new Option<string>("--roles") { Description = "Comma-separated roles, e.g. booking-officer,records-admin.", Required = true };
        var add = new Command("add", "Add a user with roles.") { agency, name, roles };
        storage.AddTo(add, withReference: false);
        add.SetAction((result, ct) => WithIdentity(storage.Resolve(result), "user add", async identity =>
        {
            var roleList = result.GetValue(roles)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var user = await identity.AddUserAsync(CliApp.Operator, result.GetValue(agency), result.GetValue(name), roleList, ct);
            console.MarkupLineInterpolated($"Added user [bold]{user.Name}[/] (id {user.Id}) at {user.AgencyCode}: {string.Join(", ", user.Roles)}.");
        }, ct));
        return new Command("user", "Manage users.") { add };
    }

    public static Command CreateToken(IAnsiConsole console)
    {
        var storage = new StorageOptions();
        var user = new Option<string>("--user") { Description = "User name (or numeric id).", Required = true };
        var expires = new Option<string>("--expires") { Description = "Lifetime: 90d, 12h (at most 400d).", DefaultValueFactory = _ => "90d" };
        var label = new Option<string?>("--label") { Description = "What the token is for." };
        var create = new Command("create", "Create a token. Its secret is printed once and only its SHA-256 is stored.") { user, expires, label };
        storage.AddTo(create, withReference: false);
        create.SetAction((result, ct) => WithIdentity(storage.Resolve(result), "token create", async identity =>
        {
            var lifetime = ParseLifetime(result.GetValue(expires)!);
            var named = result.GetValue(user)!;
            var userId = await identity.FindUserIdAsync(named, ct) ?? throw new CliException($"No user named '{named}'.");
            var (token, secret) = await identity.CreateTokenAsync(CliApp.Operator, userId, lifetime, result.GetValue(label), ct);
            console.MarkupLineInterpolated($"Token {token.Id} for user {userId}, expires {token.ExpiresAt:yyyy-MM-dd HH:mm}Z. Copy it now; it cannot be shown again:");
            console.WriteLine(secret);
        }, ct));

        var id = new Option<long>("--id") { Description = "Token id.", Required = true };
        var revoke = new Command("revoke", "Revoke a token at once.") { id };
        storage.AddTo(revoke, withReference: false);
        revoke.SetAction((result, ct) => WithIdentity(storage.Resolve(result), "token revoke", async identity =>
        {
            var token = await identity.RevokeTokenAsync(CliApp.Operator, result.GetValue(id), ct);
            console.MarkupLineInterpolated($"Token {token.Id} revoked at {token.RevokedAt:yyyy-MM-dd HH:mm:ss}Z.");
        }, ct));

        return new Command("token", "Manage bearer tokens.") { create, revoke };
    }

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
    private static async Task<int> WithIdentity(StorageSettings settings, string command, Func<IdentityUseCases, Task> action, CancellationToken ct)
    {
        await using var app = await CliApp.StartAsync(settings, command, ct);
        await action(app.Get<IdentityUseCases>());
        return 0;
    }
}
