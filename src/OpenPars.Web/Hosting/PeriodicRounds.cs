namespace OpenPars.Web.Hosting;

/// <summary>The loop of a background service that works in rounds: one round per tick of <c>interval</c> (or, for a
/// consumer of the event log, whenever the log has committed, the interval as the fallback) until the server stops;
/// a failed round is reported and the next tick tries again.</summary>
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
            if (!await RoundAsync(round, failed, stoppingToken))
            {
                return;
            }
        }
    }

    /// <summary>Runs <paramref name="round"/> whenever <paramref name="wake"/> completes (the next one is taken before
    /// each round, so what happens during a round starts another) and at least every <paramref name="interval"/>
    /// (the fallback), until <paramref name="stoppingToken"/>.</summary>
    /// <param name="interval">The longest time between rounds.</param>
    /// <param name="wake">The next wake-up (the feed dispatcher's next read of the event log).</param>
    /// <param name="round">One round.</param>
    /// <param name="failed">Told the type of a round's failure.</param>
    /// <param name="stoppingToken">The server's stop.</param>
    public static async Task RunAsync(TimeSpan interval, Func<Task> wake, Func<CancellationToken, Task> round, Action<string> failed, CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(wake);
        ArgumentNullException.ThrowIfNull(round);
        ArgumentNullException.ThrowIfNull(failed);
        while (!stoppingToken.IsCancellationRequested)
        {
            var woken = wake();
            if (!await RoundAsync(round, failed, stoppingToken))
            {
                return;
            }

            using var poll = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var delay = Task.Delay(interval, poll.Token);
            if (await Task.WhenAny(woken, delay) == woken)
            {
                await poll.CancelAsync();
            }
        }
    }

    /// <summary>One round; false when the server is stopping.</summary>
    private static async Task<bool> RoundAsync(Func<CancellationToken, Task> round, Action<string> failed, CancellationToken stoppingToken)
    {
        {
            try
            {
                await round(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return false;
            }
            catch (Exception e)
            {
                failed(e.GetType().FullName ?? "?");
            }

            return true;
        }
    }
}
