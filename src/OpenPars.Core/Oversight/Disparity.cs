namespace OpenPars.Core.Oversight;

/// <summary>A person disclosed to the partner, by the audit entry that disclosed them.</summary>
public sealed record DisclosedPerson(long EntryIndex, DateTimeOffset DisclosedAt, OversightPerson Person);

/// <summary>A person in the agreement's row scope, by when they were booked (the benchmark population).</summary>
public sealed record BookedPerson(DateTimeOffset BookedAt, OversightPerson Person);

/// <summary>Per agreement (or configuration): when a disparity is an alert.</summary>
public sealed record DisparityOptions
{
    public static DisparityOptions Default { get; } = new();

    /// <summary>An alert needs the interval's lower bound above this ratio.</summary>
    public double Threshold { get; init; } = 1.25;

    /// <summary>…and at least this many disclosed persons whose value for the attribute's family is known.</summary>
    public int MinimumSample { get; init; } = 30;

    public double Confidence { get; init; } = 0.95;
}

/// <summary>[Start, End): the rolling window ending at the evaluation instant.</summary>
public sealed record DisparityWindow(DateTimeOffset Start, DateTimeOffset End, int Days)
{
    /// <summary>The two windows the issue asks for.</summary>
    public static IReadOnlyList<int> StandardDays { get; } = [7, 30];

    public static DisparityWindow Last(int days, DateTimeOffset now)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        return new DisparityWindow(now - TimeSpan.FromDays(days), now, days);
    }

    public bool Contains(DateTimeOffset instant) => instant >= Start && instant < End;
}

/// <summary>One attribute's comparison: counts, shares, ratio, interval and whether it is an alert.</summary>
public sealed record DisparityRow(
    DisparityAttribute Attribute,
    int DisclosedWith,
    int DisclosedKnown,
    int DisclosedUnknown,
    int BenchmarkWith,
    int BenchmarkKnown,
    int BenchmarkUnknown,
    RatioInterval? Interval,
    int MinimumSample,
    double Threshold,
    IReadOnlyList<long> Evidence)
{
    public double? DisclosedShare => DisclosedKnown == 0 ? null : (double)DisclosedWith / DisclosedKnown;

    public double? BenchmarkShare => BenchmarkKnown == 0 ? null : (double)BenchmarkWith / BenchmarkKnown;

    public bool SampleSufficient => DisclosedKnown >= MinimumSample;

    /// <summary>The lower bound exceeds the threshold, on at least the minimum sample.</summary>
    public bool Alert => SampleSufficient && Interval is { } interval && interval.Lower > Threshold;
}

public sealed record DisparityReport(DisparityWindow Window, int DisclosedPersons, int BenchmarkPersons, IReadOnlyList<DisparityRow> Rows)
{
    public IEnumerable<DisparityRow> Alerts => Rows.Where(r => r.Alert);
}

/// <summary>
/// The disparity measure (docs/oversight.md § Disparity): for each attribute, its share among the distinct
/// persons disclosed to a partner in a window against its share among the persons in the agreement's row scope
/// booked in the same window, as a ratio with a 95% interval (<see cref="RateRatio.Estimate"/>).
/// </summary>
public static class DisparityAnalysis
{
    /// <summary>Distinct persons disclosed within the window against those booked within it. Each person counts
    /// once, by <see cref="OversightPerson.PersonKey"/> (their first disclosure in the window).</summary>
    public static DisparityReport Evaluate(DisparityWindow window, IEnumerable<DisclosedPerson> disclosures, IEnumerable<BookedPerson> bookings, DisparityOptions? options = null)
    {
        var disclosed = new Dictionary<string, DisclosedPerson>(StringComparer.Ordinal);
        foreach (var d in disclosures.Where(d => window.Contains(d.DisclosedAt)).OrderBy(d => d.DisclosedAt).ThenBy(d => d.EntryIndex))
        {
            disclosed.TryAdd(d.Person.PersonKey, d);
        }

        var benchmark = new Dictionary<string, OversightPerson>(StringComparer.Ordinal);
        foreach (var b in bookings.Where(b => window.Contains(b.BookedAt)).OrderBy(b => b.BookedAt))
        {
            benchmark.TryAdd(b.Person.PersonKey, b.Person);
        }

        return Compare(window, [.. disclosed.Values], [.. benchmark.Values], options);
    }

    /// <summary>The comparison itself over already-distinct persons.</summary>
    public static DisparityReport Compare(DisparityWindow window, IReadOnlyList<DisclosedPerson> disclosed, IReadOnlyList<OversightPerson> benchmark, DisparityOptions? options = null)
    {
        options ??= DisparityOptions.Default;
        var rows = new List<DisparityRow>(DisparityAttribute.All.Count);
        foreach (var attribute in DisparityAttribute.All)
        {
            var (dWith, dKnown, dUnknown) = Count(disclosed.Select(d => d.Person), attribute);
            var (bWith, bKnown, bUnknown) = Count(benchmark, attribute);
            RatioInterval? interval = dKnown > 0 && bKnown > 0
                ? RateRatio.Estimate(dWith, dKnown, bWith, bKnown, options.Confidence)
                : null;
            var evidence = disclosed.Where(d => attribute.Has(d.Person) == true).Select(d => d.EntryIndex).Distinct().Order().ToList();
            rows.Add(new DisparityRow(attribute, dWith, dKnown, dUnknown, bWith, bKnown, bUnknown, interval, options.MinimumSample, options.Threshold, evidence));
        }

        return new DisparityReport(window, disclosed.Count, benchmark.Count, rows);
    }

    private static (int With, int Known, int Unknown) Count(IEnumerable<OversightPerson> persons, DisparityAttribute attribute)
    {
        int with = 0, known = 0, unknown = 0;
        foreach (var person in persons)
        {
            switch (attribute.Has(person))
            {
                case true:
                    with++;
                    known++;
                    break;
                case false:
                    known++;
                    break;
                default:
                    unknown++;
                    break;
            }
        }

        return (with, known, unknown);
    }
}
