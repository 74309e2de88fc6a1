using System.CommandLine;
using System.Text.Json;
using OpenPars.Core.Common;
using OpenPars.Demo;
using OpenPars.App.Hosting;
using OpenPars.Storage.Common;
using Spectre.Console;

namespace OpenPars.Cli.Commands;

/// <summary>`openpars demo`: a ready-to-explore server on synthetic data, with a token for every role.</summary>
public static class DemoCommand
{
    /// <summary>The demo's own data folder, apart from a real store's.</summary>
    public const string DefaultDataFolder = ".openpars-demo";
    /// <summary>The file in the data folder that holds the demo users' tokens; its presence marks a complete demo.</summary>
    public const string CredentialsFileName = "demo-credentials.json";
    /// <summary>The seed unless told: the same demo every time.</summary>
    public const int DefaultSeed = 2026;

    private static readonly JsonSerializerOptions IndentedJson = new(OpenParsJson.Options) { WriteIndented = true };

    /// <summary>The command, starting <paramref name="server"/> once the demo is ready.</summary>
    public static Command Create(IAnsiConsole console, ServerStarter server)
    {
        var data = new Option<string>("--data") { Description = "Demo data folder.", DefaultValueFactory = _ => DefaultDataFolder };
        var arrests = new Option<int>("--arrests") { Description = "How many arrests to generate on first run.", DefaultValueFactory = _ => DemoSeeder.DefaultArrests };
        var seed = new Option<int>("--seed") { Description = "Random seed: the same seed gives the same demo.", DefaultValueFactory = _ => DefaultSeed };
        var urls = new Option<string>("--urls") { Description = "Where to listen.", DefaultValueFactory = _ => ServeCommand.DefaultUrls };
        var command = new Command("demo", "Serve synthetic demo data: seeds an empty folder (agencies, a user and token per role, arrests), then serves.")
        {
            data, arrests, seed, urls,
        };
        arrests.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 0 or > 2_000_000)
            {
                r.AddError("--arrests must be between 0 and 2,000,000.");
            }
        });
        command.Subcommands.Add(CreateCode(console));
        command.SetAction(async (result, ct) =>
        {
            var settings = StorageSettings.ForDataFolder(result.GetValue(data)!);
            var reference = Core.Arrests.ReferenceData.LoadDefault();
            var credentials = await PrepareAsync(console, settings, reference, result.GetValue(arrests), result.GetValue(seed), ct);
            PrintCredentials(console, credentials, Path.Combine(settings.DataDirectory!, CredentialsFileName), result.GetValue(urls)!);
            await ServeCommand.ServeAsync(console, server, new ServerRequest(settings, reference, result.GetValue(urls)!), ct);
            return 0;
        });
        return command;
    }

    /// <summary>`openpars demo code USER [--data DIR]`: the user's current TOTP code, to sign in at the pages.</summary>
    private static Command CreateCode(IAnsiConsole console)
    {
        var data = new Option<string>("--data") { Description = "Demo data folder.", DefaultValueFactory = _ => DefaultDataFolder };
        var user = new Argument<string>("user") { Description = "The demo user, e.g. dao.charging." };
        var code = new Command("code", "Print a demo user's current sign-in code (TOTP, valid for about 30 seconds).") { user, data };
        code.SetAction(async (result, ct) =>
        {
            var settings = StorageSettings.ForDataFolder(result.GetValue(data)!);
            if (!File.Exists(Path.Combine(settings.DataDirectory!, StorageSettings.DatabaseFileName)))
            {
                throw new CliException($"{settings.DataDirectory} holds no demo; run `openpars demo` first.");
            }

            await using var app = await CliApp.StartAsync(settings, "demo code", ct);
            var current = await app.Get<App.Identity.SignInUseCases>().CurrentCodeAsync(CliApp.Operator, result.GetValue(user)!, ct)
                ?? throw new CliException($"{result.GetValue(user)} has no second factor enrolled in {settings.DataDirectory}.");
            console.Profile.Out.Writer.WriteLine(current);
            console.Profile.Out.Writer.Flush();
            return 0;
        });
        return code;
    }

    /// <summary>Seeds an empty folder, or reads the credentials of the demo already there.</summary>
    public static async Task<IReadOnlyList<DemoCredential>> PrepareAsync(
        IAnsiConsole console, StorageSettings settings, Core.Arrests.ReferenceData reference, int arrests, int seed, CancellationToken ct)
    {
        var credentialsPath = Path.Combine(settings.DataDirectory!, CredentialsFileName);
        if (File.Exists(credentialsPath))
        {
            console.MarkupLineInterpolated($"Reusing the demo in [bold]{settings.DataDirectory}[/] (delete the folder to start afresh).");
            await OpenParsDatabase.MigrateAsync(settings, ct);
            return JsonSerializer.Deserialize<List<DemoCredential>>(await File.ReadAllTextAsync(credentialsPath, ct), OpenParsJson.Options) ?? [];
        }

        if (File.Exists(Path.Combine(settings.DataDirectory!, StorageSettings.DatabaseFileName)))
        {
            throw new CliException($"{settings.DataDirectory} holds a database but no {CredentialsFileName}; use `openpars serve --data` for it, or another folder for the demo.");
        }

        // The history migrates the store itself, under its own clock (the charter's adoption is its first entry).
        IReadOnlyList<DemoCredential> credentials = [];
        DemoHistoryFigures? figures = null;
        await console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask($"Seeding {arrests:N0} demo arrests", maxValue: Math.Max(1, arrests));
                (credentials, figures) = await DemoHistory.SeedAsync(settings, reference, TimeProvider.System, arrests, seed,
                    new Progress<int>(done => task.Value = done), ct);
                task.Value = task.MaxValue;
            });

        // Where the seed's time went, phase by phase (docs/benchmarks.md § Demo seed).
        if (figures is not null)
        {
            var total = figures.Phases.Sum(p => p.Took.TotalSeconds);
            var phases = string.Join(", ", figures.Phases.Select(p => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{p.Phase} {p.Took.TotalSeconds:F1} s")));
            console.MarkupLineInterpolated($"Seeded in {total.ToString("F1", System.Globalization.CultureInfo.InvariantCulture)} s ({phases}).");
        }

        // Written only once seeding succeeded: its presence is what marks a complete demo folder.
        await File.WriteAllTextAsync(credentialsPath, JsonSerializer.Serialize(credentials, IndentedJson), ct);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(credentialsPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return credentials;
    }

    private static void PrintCredentials(IAnsiConsole console, IReadOnlyList<DemoCredential> credentials, string path, string urls)
    {
        // Plain aligned lines, not a boxed table: tokens are copied by hand from here and must never wrap or be cut,
        // whatever the width of the terminal.
        var userWidth = credentials.Max(c => c.User.Length) + 2;
        var rolesWidth = credentials.Max(c => string.Join(",", c.Roles).Length) + 2;
        var output = console.Profile.Out.Writer;
        output.WriteLine($"{"user".PadRight(userWidth)}{"agency",-8}{"roles".PadRight(rolesWidth)}{"password",-18}token");
        foreach (var c in credentials)
        {
            output.WriteLine($"{c.User.PadRight(userWidth)}{c.Agency,-8}{string.Join(",", c.Roles).PadRight(rolesWidth)}{c.Password ?? "-",-18}{c.Token}");
        }

        output.Flush();

        var url = urls.Split(';')[0].TrimEnd('/');
        console.MarkupLineInterpolated($"Demo tokens, passwords and TOTP secrets are also in [bold]{path}[/].");
        console.MarkupLineInterpolated($"Sign in at {url}/sign-in with a user's password and the code of `openpars demo code USER` (or its totpSecret in an authenticator).");
        console.MarkupLineInterpolated($"Desk: {url}/desk   API reference: {url}/docs   Try: curl -H \"Authorization: Bearer <token>\" {url}/api/v1/arrests");
    }
}
