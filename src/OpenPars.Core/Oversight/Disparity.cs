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

    /// <summary>…and at least this many in the sample <see cref="Sample"/> names.</summary>
    public int MinimumSample { get; init; } = 30;

    /// <summary>What the minimum sample counts (docs/oversight.md § Disparity explains the default).</summary>
    public SampleRule Sample { get; init; } = SampleRule.DisclosedWithAttribute;

    public double Confidence { get; init; } = 0.95;
}

public enum SampleRule
{
    /// <summary>Disclosed persons who have the attribute (x₁): no alert rests on a handful of persons.</summary>
    DisclosedWithAttribute,

    /// <summary>Disclosed persons whose value for the attribute's family is known (n₁).</summary>
    DisclosedKnown,
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
    SampleRule SampleRule,
    double Threshold,
    IReadOnlyList<long> Evidence)
{
    public double? DisclosedShare => DisclosedKnown == 0 ? null : (double)DisclosedWith / DisclosedKnown;

    public double? BenchmarkShare => BenchmarkKnown == 0 ? null : (double)BenchmarkWith / BenchmarkKnown;

    public bool SampleSufficient => (SampleRule == SampleRule.DisclosedWithAttribute ? DisclosedWith : DisclosedKnown) >= MinimumSample;

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
        var disclosedTally = new AttributeTally();
        foreach (var d in disclosed)
        {
            disclosedTally.Add(d.Person);
        }

        var benchmarkTally = new AttributeTally();
        foreach (var person in benchmark)
        {
            benchmarkTally.Add(person);
        }

        var report = FromTallies(window, disclosedTally, benchmarkTally, options);
        var rows = report.Rows.Select((row, i) => row with
        {
            Evidence = [.. disclosed.Where(d => DisparityAttribute.All[i].Has(d.Person) == true).Select(d => d.EntryIndex).Distinct().Order()],
        }).ToList();
        return report with { Rows = rows };
    }

    /// <summary>The comparison from tallies of distinct persons (each person added once to each side), for callers
    /// that keep running tallies; rows carry no evidence. With <paramref name="alertableOnly"/> the interval is
    /// computed only for rows with the minimum sample (the others cannot alert), for callers that only want alerts.</summary>
    public static DisparityReport FromTallies(DisparityWindow window, AttributeTally disclosed, AttributeTally benchmark, DisparityOptions? options = null, bool alertableOnly = false)
    {
        options ??= DisparityOptions.Default;
        var rows = new List<DisparityRow>(DisparityAttribute.All.Count);
        for (var i = 0; i < DisparityAttribute.All.Count; i++)
        {
            var (dWith, dKnown, dUnknown) = disclosed[i];
            var (bWith, bKnown, bUnknown) = benchmark[i];
            var sample = options.Sample == SampleRule.DisclosedWithAttribute ? dWith : dKnown;
            RatioInterval? interval = dKnown > 0 && bKnown > 0 && (!alertableOnly || sample >= options.MinimumSample)
                ? RateRatio.Estimate(dWith, dKnown, bWith, bKnown, options.Confidence)
                : null;
            rows.Add(new DisparityRow(DisparityAttribute.All[i], dWith, dKnown, dUnknown, bWith, bKnown, bUnknown, interval, options.MinimumSample, options.Sample, options.Threshold, []));
        }

        return new DisparityReport(window, disclosed.Persons, benchmark.Persons, rows);
    }
}

/// <summary>Per attribute of <see cref="DisparityAttribute.All"/> (same order): persons with it, with the family
/// known, and with it unknown. Tallies add up, so a window's tally is the sum of its days'.</summary>
public sealed class AttributeTally
{
    private readonly int[] _with = new int[DisparityAttribute.All.Count];
    private readonly int[] _known = new int[DisparityAttribute.All.Count];
    private readonly int[] _unknown = new int[DisparityAttribute.All.Count];

    public int Persons { get; private set; }

    public (int With, int Known, int Unknown) this[int attribute] => (_with[attribute], _known[attribute], _unknown[attribute]);

    public void Add(OversightPerson person)
    {
        Persons++;
        for (var i = 0; i < _with.Length; i++)
        {
            switch (DisparityAttribute.All[i].Has(person))
            {
                case true:
                    _with[i]++;
                    _known[i]++;
                    break;
                case false:
                    _known[i]++;
                    break;
                default:
                    _unknown[i]++;
                    break;
            }
        }
    }

    public void Add(AttributeTally other)
    {
        Persons += other.Persons;
        for (var i = 0; i < _with.Length; i++)
        {
            _with[i] += other._with[i];
            _known[i] += other._known[i];
            _unknown[i] += other._unknown[i];
        }
    }
}

/// <summary>The alerts of a disparity report, as <see cref="OversightAlert"/>s the wiring records like any other.</summary>
public static class DisparityAlerts
{
    /// <summary>One alert per alerting row. Key: kind, agency, agreement, window length, attribute and the local day
    /// of <paramref name="now"/>, so re-evaluating after every request raises each at most once a day.</summary>
    public static IReadOnlyList<OversightAlert> From(DisparityReport report, string agencyCode, string? agreementId, DateTimeOffset now, TimeZoneInfo zone) =>
    [
        .. report.Alerts.Select(row =>
        {
            var day = SweepDetectors.LocalDay(now, zone);
            var key = string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{AlertKinds.Name(AlertKind.Disparity)}:{agencyCode}:{agreementId ?? "-"}:{report.Window.Days}d:{row.Attribute.Name}:{day:yyyy-MM-dd}");
            var figures = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["attribute"] = row.Attribute.Name,
                ["windowDays"] = Invariant(report.Window.Days),
                ["disclosedWith"] = Invariant(row.DisclosedWith),
                ["disclosedKnown"] = Invariant(row.DisclosedKnown),
                ["disclosedUnknown"] = Invariant(row.DisclosedUnknown),
                ["benchmarkWith"] = Invariant(row.BenchmarkWith),
                ["benchmarkKnown"] = Invariant(row.BenchmarkKnown),
                ["benchmarkUnknown"] = Invariant(row.BenchmarkUnknown),
                ["ratio"] = Invariant(row.Interval!.Ratio ?? double.NaN),
                ["lower"] = Invariant(row.Interval.Lower),
                ["upper"] = Invariant(row.Interval.Upper),
                ["method"] = row.Interval.Method == RatioMethod.KatzLog ? "katz-log" : "koopman-score",
                ["threshold"] = Invariant(row.Threshold),
                ["minimumSample"] = Invariant(row.MinimumSample),
            };
            var summary = string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"Over the last {report.Window.Days} days, {row.Attribute.Name} is {row.Interval.Ratio:0.00} times as common among the persons disclosed to {agencyCode} ({row.DisclosedWith} of {row.DisclosedKnown}) as among those booked in scope ({row.BenchmarkWith} of {row.BenchmarkKnown}); 95% interval {row.Interval.Lower:0.00}–{row.Interval.Upper:0.00}, above the threshold {row.Threshold:0.00}.");
            return new OversightAlert(AlertKind.Disparity, key, now, agencyCode, agreementId, null, null, summary, row.Evidence, figures);
        }),
    ];

    private static string Invariant(double value) => value.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture);

    private static string Invariant(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
