namespace OpenPars.App.Feeds;

/// <summary>
/// The in-process wake-up of the feed dispatcher: raised after every committed write of this process (the audit
/// scope raises it when a write's transaction has committed). It carries nothing but "look again"; raises that come
/// while the dispatcher is busy collapse into one.
/// </summary>
public sealed class FeedSignal : IDisposable
{
    private readonly SemaphoreSlim _pending = new(0, 1);

    public void Raise()
    {
        try
        {
            if (_pending.CurrentCount == 0)
            {
                _pending.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Raised twice at once: one wake-up is pending, which is all a raise asks for.
        }
    }

    /// <summary>Waits for a raise, or <paramref name="timeout"/> (the polling fallback); true when raised.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => _pending.WaitAsync(timeout, ct);

    public void Dispose() => _pending.Dispose();
}
