using System.CommandLine;
using Microsoft.Extensions.Hosting;
using OpenPars.App.Hosting;
using OpenPars.Web.Hosting;
using Spectre.Console;

namespace OpenPars.Cli.Commands;

public static class ServeCommand
{
    public const string DefaultUrls = "http://127.0.0.1:5080";

    public static Command Create(IAnsiConsole console)
    {
        var storage = new StorageOptions();
        var urls = new Option<string>("--urls") { Description = "Where to listen.", DefaultValueFactory = _ => DefaultUrls };
        var command = new Command("serve", "Serve the API and web pages. Applies migrations on start.");
        storage.AddTo(command);
        command.Options.Add(urls);
        command.SetAction(async (result, ct) =>
        {
            var settings = storage.Resolve(result);
            await ServeAsync(console, settings, storage.ResolveReference(result), result.GetValue(urls)!, ct);
            return 0;
        });
        return command;
    }

    public static async Task ServeAsync(IAnsiConsole console, StorageSettings settings, Core.Arrests.ReferenceData reference, string urls, CancellationToken ct)
    {
        await OpenParsDatabase.MigrateAsync(settings, ct);
        await using var app = OpenParsHost.Build(new OpenParsHostOptions { Storage = settings, Urls = urls, Reference = reference });
        await app.StartAsync(ct);
        console.MarkupLineInterpolated($"OpenPARS is serving [bold]{string.Join(", ", app.Urls)}[/] on {settings.Describe()}. Press Ctrl-C to stop.");
        try
        {
            await app.WaitForShutdownAsync(ct);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
