namespace OpenPars.Web.Hosting;

/// <summary>The loop of a background service that works in rounds: one round per tick of <c>interval</c> until the
/// server stops; a failed round is reported and the next tick tries again.</summary>
public static class PeriodicRounds
{
    /// <summary>Runs <paramref name="round"/> every <paramref name="interval"/> until <paramref name="stoppingToken"/>.</summary>
    /// <param name="interval">The time between rounds.</param>
    /// <param name="round">One round.</param>
    /// <param name="failed">Told the type of a round's failure (a damaged store, a lost connection).</param>
    /// <param name="stoppingToken">The server's stop.</param>
    public static async Task RunAsync(TimeSpan interval, Func<CancellationToken, Task> round, Action<string> failed, CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(round);
        ArgumentNullException.ThrowIfNull(failed);
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await round(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                failed(e.GetType().FullName ?? "?");
            }
        }
    }
}
