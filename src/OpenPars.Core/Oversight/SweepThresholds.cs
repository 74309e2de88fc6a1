namespace OpenPars.Core.Oversight;

/// <summary>
/// The rules of the sweep and probe detectors, each configurable (docs/oversight.md § Sweeps and probes gives
/// the reasoning behind every default). Days are calendar days in the city's time zone.
/// </summary>
public sealed record SweepThresholds
{
    public static SweepThresholds Default { get; } = new();

    /// <summary>Daily probing: a day is heavy when one user was disclosed this many distinct persons…</summary>
    public int ProbingUserPersonsPerDay { get; init; } = 25;

    /// <summary>…or the whole agency this many;</summary>
    public int ProbingAgencyPersonsPerDay { get; init; } = 150;

    /// <summary>an alert when at least this many of the last <see cref="ProbingLookbackDays"/> days (today included) are heavy.</summary>
    public int ProbingHeavyDays { get; init; } = 4;

    public int ProbingLookbackDays { get; init; } = 7;

    /// <summary>Enumeration: this many distinct last names tried with one date of birth (surname enumeration), or
    /// distinct dates of birth with one last name (date-of-birth enumeration), by one agency within the window.</summary>
    public int EnumerationVariants { get; init; } = 10;

    public TimeSpan EnumerationWindow { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Arrest-number run: this many distinct arrest numbers of one year, each within
    /// <see cref="ArrestRunMaxGap"/> of the next, asked for by one agency within the window.</summary>
    public int ArrestRunLength { get; init; } = 5;

    public int ArrestRunMaxGap { get; init; } = 2;

    public TimeSpan ArrestRunWindow { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Fishing: at least this many requests by one user within the window…</summary>
    public int FishingMinimumRequests { get; init; } = 20;

    /// <summary>…of which at least this share found nothing.</summary>
    public double FishingZeroShare { get; init; } = 0.5;

    public TimeSpan FishingWindow { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Working hours, local time, [start, end), Monday to Friday.</summary>
    public TimeOnly WorkdayStart { get; init; } = new(7, 0);

    public TimeOnly WorkdayEnd { get; init; } = new(19, 0);

    public bool WeekendsAreOutOfHours { get; init; } = true;

    /// <summary>Out-of-hours burst: this many requests by one user outside working hours within the window.</summary>
    public int OutOfHoursBurst { get; init; } = 10;

    public TimeSpan OutOfHoursWindow { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How far back the observations handed to <see cref="SweepDetectors.Evaluate"/> must reach.</summary>
    public TimeSpan Lookback => new[]
    {
        TimeSpan.FromDays(ProbingLookbackDays + 1), EnumerationWindow, ArrestRunWindow, FishingWindow, OutOfHoursWindow,
    }.Max();
}
