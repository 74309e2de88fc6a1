using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenPars.App.Watches;

namespace OpenPars.Web.Hosting;

/// <summary>Runs the partner watch matcher (<see cref="WatchMatcher"/>) every <paramref name="interval"/> for the
/// server's lifetime: each round handles every event committed above its durable mark, so a match is appended within
/// one interval of the arrest event that makes it.</summary>
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
        PeriodicRounds.RunAsync(interval, RunOnceAsync, type => LogRoundFailed(logger, type), stoppingToken);

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Watch matching round failed ({ExceptionType}); retrying next round")]
    private static partial void LogRoundFailed(ILogger logger, string exceptionType);
}
