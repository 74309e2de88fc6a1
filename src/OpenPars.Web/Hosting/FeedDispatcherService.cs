using Microsoft.Extensions.Hosting;
using OpenPars.App.Feeds;

namespace OpenPars.Web.Hosting;

/// <summary>Runs this server process's one feed dispatcher for the server's lifetime. When the server begins to stop,
/// the open streams end at once (before Kestrel waits for open requests to finish, which a stream never would).</summary>
public sealed class FeedDispatcherService(FeedDispatcher dispatcher, IHostApplicationLifetime lifetime) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var stopping = lifetime.ApplicationStopping.Register(dispatcher.CloseAll);
        await dispatcher.RunAsync(stoppingToken);
    }
}
