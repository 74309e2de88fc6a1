namespace OpenPars.Demo;

/// <summary>
/// The clock the demo's history is seeded under: it starts before the first booking and the seeder moves it forward
/// through the span, action by action, so every use case takes its time from it as it would from the wall clock. It
/// never goes back, so the audit log's entries are in time order; the seeder stops it at the real "now".
/// </summary>
public sealed class DemoClock(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _gate = new();
    private DateTimeOffset _now = start.ToUniversalTime();

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    /// <summary>Moves the clock to <paramref name="instant"/>, or leaves it where it is if it is already later.</summary>
    public void AdvanceTo(DateTimeOffset instant)
    {
        lock (_gate)
        {
            if (instant > _now)
            {
                _now = instant.ToUniversalTime();
            }
        }
    }
}
