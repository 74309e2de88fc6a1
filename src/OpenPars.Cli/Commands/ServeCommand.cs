using System.CommandLine;
using Microsoft.Extensions.Hosting;
using OpenPars.App.Feeds;
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
        var poll = new Option<double?>("--feed-poll-seconds")
        {
            Description = "How often the live feeds read the event table when nothing woke them (default 1; commits of this process, and on PostgreSQL of every process, wake them at once).",
        };
        var command = new Command("serve", "Serve the API and web pages. Applies migrations on start.");
        storage.AddTo(command);
        command.Options.Add(urls);
        command.Options.Add(poll);
        command.SetAction(async (result, ct) =>
        {
            var settings = storage.Resolve(result);
            var feeds = result.GetValue(poll) is { } seconds and > 0 and <= 86_400 ? new FeedOptions { PollInterval = TimeSpan.FromSeconds(seconds) } : new FeedOptions();
            await ServeAsync(console, settings, storage.ResolveReference(result), result.GetValue(urls)!, feeds, ct);
            return 0;
        });
        return command;
    }

    public static Task ServeAsync(IAnsiConsole console, StorageSettings settings, Core.Arrests.ReferenceData reference, string urls, CancellationToken ct) =>
        ServeAsync(console, settings, reference, urls, null, ct);

    public static async Task ServeAsync(IAnsiConsole console, StorageSettings settings, Core.Arrests.ReferenceData reference, string urls, FeedOptions? feeds, CancellationToken ct)
    {
        await OpenParsDatabase.MigrateAsync(settings, ct);
        await using var app = OpenParsHost.Build(new OpenParsHostOptions { Storage = settings, Urls = urls, Reference = reference, Feeds = feeds ?? new() });
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
