using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenPars.App.Hosting;
using OpenPars.App.Oversight;
using OpenPars.Storage.Audit;

namespace OpenPars.Web.Hosting;

/// <summary>
/// Evaluates oversight alerts as partner traffic arrives: every <see cref="Interval"/> it signs a checkpoint if entries
/// arrived (so every look committed so far is proven), finds the partner agencies with looks since its last run and
/// evaluates each (<see cref="OversightAlertEvaluator"/>). An alert is therefore raised within one interval plus one
/// evaluation of the look that crosses its rule. The first run after a start evaluates every partner with looks:
/// alerts are keyed, so nothing is raised twice.
/// </summary>
public sealed partial class OversightEvaluatorService(IServiceProvider services, ILogger<OversightEvaluatorService> logger, TimeSpan interval) : BackgroundService
{
    public TimeSpan Interval => interval;

    /// <summary>The log size below which every look has been evaluated.</summary>
    public long Mark { get; private set; }

    /// <summary>One round: checkpoint, then each partner agency with new looks. Returns how many alerts it raised.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        await using (var scope = services.CreateAsyncScope())
        {
            var options = scope.ServiceProvider.GetRequiredService<OpenParsAppOptions>();
            await using var db = OpenParsDatabase.CreateContext(options.Storage);
            await scope.ServiceProvider.GetRequiredService<AuditLog>().CheckpointIfBehindAsync(db, ct);
        }

        IReadOnlyList<string> agencies;
        long size;
        await using (var scope = services.CreateAsyncScope())
        {
            (agencies, size) = await scope.ServiceProvider.GetRequiredService<OversightAlertEvaluator>().PartnersLookingSinceAsync(Mark, ct);
        }

        var raised = 0;
        foreach (var agency in agencies)
        {
            await using var scope = services.CreateAsyncScope();
            raised += (await scope.ServiceProvider.GetRequiredService<OversightAlertEvaluator>().EvaluateAsync(agency, ct)).Count;
        }

        Mark = size;
        return raised;
    }

    // A damaged store (PARS-AUD-004) or a failed round: the next round tries again; /healthz reports damage.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicRounds.RunAsync(interval, RunOnceAsync, type => LogRoundFailed(logger, type), stoppingToken);

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Oversight evaluation round failed ({ExceptionType}); retrying next round")]
    private static partial void LogRoundFailed(ILogger logger, string exceptionType);
}
