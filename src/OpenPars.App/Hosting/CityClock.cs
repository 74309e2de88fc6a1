namespace OpenPars.App.Hosting;

/// <summary>The city's calendar: what "today" and "that day" mean for the desks, in the city's zone.</summary>
public sealed class CityClock(TimeProvider clock, TimeZoneInfo zone)
{
    public TimeZoneInfo Zone => zone;

    public DateOnly Today() => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), zone).DateTime);

    /// <summary>[start, end) of a local calendar day as instants; correct across daylight-saving changes.</summary>
    public (DateTimeOffset Start, DateTimeOffset End) DayBounds(DateOnly date) =>
        (LocalMidnight(date), LocalMidnight(date.AddDays(1)));

    private DateTimeOffset LocalMidnight(DateOnly date)
    {
        var local = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
    }
}
