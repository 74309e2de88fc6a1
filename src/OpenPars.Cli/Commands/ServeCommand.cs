using System.CommandLine;
using OpenPars.App.Hosting;
using OpenPars.Core.Arrests;
using Spectre.Console;

namespace OpenPars.Cli.Commands;

/// <summary>What `serve` and `demo` ask of the web server: the migrated store, the reference data, where to listen.</summary>
public sealed record ServerRequest(StorageSettings Storage, ReferenceData Reference, string Urls);

/// <summary>A started web server: the addresses it listens on, and a wait that ends when it is stopped.</summary>
public interface IRunningServer : IAsyncDisposable
{
    /// <summary>The addresses the server listens on, as bound (a port of 0 resolved).</summary>
    IReadOnlyCollection<string> Urls { get; }

    /// <summary>Completes when the server shuts down (Ctrl-C, SIGTERM) or <paramref name="ct"/> is cancelled.</summary>
    Task WaitForShutdownAsync(CancellationToken ct);
}

/// <summary>
/// Starts the web server. The command line defines it and the executable (src/OpenPars.Host) supplies it, so the
/// commands do not depend on the web host and the web host does not depend on the commands.
/// </summary>
public delegate Task<IRunningServer> ServerStarter(ServerRequest request, CancellationToken ct);

/// <summary>`openpars serve`: migrates the store, then serves the API and pages until stopped.</summary>
public static class ServeCommand
{
    public const string DefaultUrls = "http://127.0.0.1:5080";

    public static Command Create(IAnsiConsole console, ServerStarter server)
    {
        var storage = new StorageOptions();
        var urls = new Option<string>("--urls") { Description = "Where to listen.", DefaultValueFactory = _ => DefaultUrls };
        var command = new Command("serve", "Serve the API and web pages. Applies migrations on start.");
        storage.AddTo(command);
        command.Options.Add(urls);
        command.SetAction(async (result, ct) =>
        {
            var settings = storage.Resolve(result);
            await ServeAsync(console, server, new ServerRequest(settings, storage.ResolveReference(result), result.GetValue(urls)!), ct);
            return 0;
        });
        return command;
    }

    /// <summary>Migrates the store, starts the server, says where it listens, and waits until it is stopped.</summary>
    public static async Task ServeAsync(IAnsiConsole console, ServerStarter server, ServerRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(request);
        await OpenParsDatabase.MigrateAsync(request.Storage, ct);
        await using var app = await server(request, ct);
        console.MarkupLineInterpolated($"OpenPARS is serving [bold]{string.Join(", ", app.Urls)}[/] on {request.Storage.Describe()}. Press Ctrl-C to stop.");
        try
        {
            await app.WaitForShutdownAsync(ct);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
