using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenPars.App.Webhooks;

namespace OpenPars.Web.Hosting;

/// <summary>Runs this server process's webhook worker (enqueuer and sender) for the server's lifetime, unless the
/// configuration turns it off (<see cref="WebhookOptions.RunWorker"/>).</summary>
public sealed class WebhookWorkerService(IServiceProvider services) : BackgroundService
{
    /// <inheritdoc/>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        services.GetRequiredService<WebhookOptions>().RunWorker
            ? services.GetRequiredService<WebhookWorker>().RunAsync(stoppingToken)
            : Task.CompletedTask;
}
