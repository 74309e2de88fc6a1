using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenPars.App.Feeds;
using OpenPars.App.Watches;

namespace OpenPars.Web.Hosting;

/// <summary>Runs the partner watch matcher (<see cref="WatchMatcher"/>) for the server's lifetime, woken whenever this
/// process's feed dispatcher has read newly committed events (a commit of this process; on PostgreSQL any process's
/// <c>NOTIFY</c>) and at least every <paramref name="interval"/> (the fallback): each round handles every event
/// committed above its durable mark, so a match is appended as soon as the arrest event that makes it commits.</summary>
public sealed partial class WatchMatcherService(IServiceProvider services, ILogger<WatchMatcherService> logger, TimeSpan interval) : BackgroundService
{
    /// <summary>One round in a scope of its own; returns the matches appended.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<WatchMatcher>().RunOnceAsync(ct);
    }

    /// <inheritdoc/>
    /// <remarks>A failed round (a damaged store, a lost connection) has not moved the mark; the next round tries again.</remarks>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicRounds.RunAsync(interval, services.GetRequiredService<FeedDispatcher>().NextCycleAsync, RunOnceAsync, type => LogRoundFailed(logger, type), stoppingToken);

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Watch matching round failed ({ExceptionType}); retrying next round")]
    private static partial void LogRoundFailed(ILogger logger, string exceptionType);
}
