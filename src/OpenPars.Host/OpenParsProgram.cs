using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using OpenPars.Cli;
using OpenPars.Cli.Commands;
using OpenPars.Web.Hosting;
using Spectre.Console;

namespace OpenPars.Host;

/// <summary>The composition of the program: the command line, with the web host as the server `serve` and `demo`
/// start. Tests run commands through here to run exactly what the executable runs.</summary>
public static class OpenParsProgram
{
    /// <summary>Runs one command line with output to <paramref name="console"/>; returns the exit code.</summary>
    public static Task<int> RunAsync(string[] args, IAnsiConsole console, CancellationToken ct = default) =>
        OpenParsCli.RunAsync(args, console, StartWebServerAsync, ct);

    /// <summary>The <see cref="ServerStarter"/> of the executable: the OpenPARS web host on the requested store and URLs.</summary>
    public static async Task<IRunningServer> StartWebServerAsync(ServerRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var app = OpenParsHost.Build(new OpenParsHostOptions { Storage = request.Storage, Urls = request.Urls, Reference = request.Reference, Feeds = request.Feeds ?? new(), RateLimits = OpenPars.Web.Security.RateLimitSettings.FromEnvironment(), Webhooks = new OpenPars.App.Webhooks.WebhookOptions { Addresses = OpenPars.Core.Webhooks.WebhookSettings.Read(Environment.GetEnvironmentVariable) } });
        try
        {
            await app.StartAsync(ct);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return new RunningWebServer(app);
    }

    private sealed class RunningWebServer(WebApplication app) : IRunningServer
    {
        public IReadOnlyCollection<string> Urls => [.. app.Urls];

        public Task WaitForShutdownAsync(CancellationToken ct) => app.WaitForShutdownAsync(ct);

        public ValueTask DisposeAsync() => app.DisposeAsync();
    }
}
