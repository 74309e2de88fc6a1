namespace OpenPars.Storage.Common;

/// <summary>
/// Instants as the store keeps them: UTC, whole microseconds. PostgreSQL's timestamptz has microsecond precision while
/// clocks and requests carry 100 ns ticks; an instant finer than that would be answered and written into an event's
/// payload as it came but read back from the row truncated, so the record would not equal the fold of its history.
/// Every instant a command writes passes through here first, on every provider alike.
/// </summary>
public static class StoredTime
{
    public static DateTimeOffset Now(TimeProvider clock) => Truncate(clock.GetUtcNow());

    public static DateTimeOffset Truncate(DateTimeOffset instant)
    {
        var utc = instant.ToUniversalTime();
        return utc.AddTicks(-(utc.UtcTicks % TimeSpan.TicksPerMicrosecond));
    }

    public static DateTimeOffset? Truncate(DateTimeOffset? instant) => instant is { } value ? Truncate(value) : null;
}
