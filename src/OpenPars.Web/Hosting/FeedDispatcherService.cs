using Microsoft.Extensions.Hosting;
using OpenPars.App.Feeds;

namespace OpenPars.Web.Hosting;

/// <summary>Runs this server process's one feed dispatcher for the server's lifetime.</summary>
public sealed class FeedDispatcherService(FeedDispatcher dispatcher) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => dispatcher.RunAsync(stoppingToken);
}
