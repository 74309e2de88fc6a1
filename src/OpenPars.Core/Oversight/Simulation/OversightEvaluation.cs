namespace OpenPars.Core.Oversight.Simulation;

/// <summary>One seed's outcome: the largest lower bound the disparity measure reached over the run (over every
/// day's end, both rolling windows and, for "any", every attribute; only rows with the minimum sample count), and
/// how long after its first request the sweeper was first alerted.</summary>
public sealed record SeedOutcome(
    int Seed,
    double FairHighestLower,
    double BiasedHighestLowerBirthplace,
    double BiasedHighestLower,
    TimeSpan? SweeperAlertedAfter,
    IReadOnlyList<AlertKind> SweeperAlertKinds,
    int FairSweepAlerts,
    int BiasedSweepAlerts,
    double BiasedDisclosedShareBornAbroad,
    double BenchmarkShareBornAbroad)
{
    /// <summary>A disparity alert at this threshold sometime in the run (the rule is monotone in the threshold).</summary>
    public bool FairAlerted(double threshold) => FairHighestLower > threshold;

    public bool BiasedAlertedOnBirthplace(double threshold) => BiasedHighestLowerBirthplace > threshold;

    public bool BiasedAlerted(double threshold) => BiasedHighestLower > threshold;
}

/// <summary>
/// The evaluation of docs/oversight.md § Evaluation: per seed, one city, a fair, a biased and a sweeping partner
/// over its days; the disparity measure evaluated at the end of each day on the rolling windows, and the sweep
/// detectors over each partner's whole traffic.
/// </summary>
public static class OversightEvaluation
{
    /// <summary>How many days of bookings the in-scope benchmark holds: every person the agreement's row scope
    /// (booked within 365 days) holds at the evaluation.</summary>
    public const int InScopeBenchmarkDays = 365;

    public static SeedOutcome RunSeed(int seed, CitySettings? city = null, PartnerSettings? partner = null, DisparityOptions? options = null, SweepThresholds? thresholds = null) =>
        RunSeed(seed, [options ?? DisparityOptions.Default], city, partner, thresholds)[0];

    /// <summary>One city and its three partners, the disparity measure under each of <paramref name="variants"/>.</summary>
    /// <param name="seed">The city's and the partners' seed.</param>
    /// <param name="variants">The disparity rules to measure, one outcome each.</param>
    /// <param name="city">The city's settings (default: the evaluation's).</param>
    /// <param name="partner">The partners' settings (default: the evaluation's).</param>
    /// <param name="thresholds">The sweep detectors' thresholds (default: the defaults).</param>
    /// <param name="benchmarkDays">Null: the benchmark is the persons booked in the window (the definition,
    /// what the server measures). A number: the persons booked in that many days before the evaluation, i.e. with
    /// <see cref="InScopeBenchmarkDays"/> every person in the row scope — a measured alternative (docs/oversight.md).</param>
    public static IReadOnlyList<SeedOutcome> RunSeed(int seed, IReadOnlyList<DisparityOptions> variants, CitySettings? city = null, PartnerSettings? partner = null, SweepThresholds? thresholds = null, int? benchmarkDays = null)
    {
        var generated = SimulatedCity.Generate(seed, city);
        var fair = SimulatedPartner.Run(generated, PartnerBehaviour.Fair, seed, partner);
        var biased = SimulatedPartner.Run(generated, PartnerBehaviour.Biased, seed, partner);
        var sweeper = SimulatedPartner.Run(generated, PartnerBehaviour.Sweeper, seed, partner);

        var zone = generated.Settings.Zone;
        var end = generated.Settings.DayStart(generated.Settings.Days);
        var sweeperAlerts = SweepDetectors.Evaluate(sweeper.Observations, end, zone, thresholds);
        TimeSpan? alertedAfter = sweeperAlerts.Count == 0 ? null : sweeperAlerts[0].RaisedAt - sweeper.Observations[0].Time;
        var fairSweeps = SweepDetectors.Evaluate(fair.Observations, end, zone, thresholds).Count;
        var biasedSweeps = SweepDetectors.Evaluate(biased.Observations, end, zone, thresholds).Count;
        var benchmark = generated.Persons.Where(p => p.BookedAt >= generated.Settings.DayStart(0) && p.BookedAt < end).ToList();
        var benchmarkShare = (double)benchmark.Count(p => p.Person.Origin == BirthOrigin.OutsideUnitedStates) / benchmark.Count;

        var birthplace = IndexOf(DisparityAttribute.BirthplaceFamily);
        var booked = BookingsByDay(generated, benchmarkDays);
        return
        [
            .. variants.Select(options =>
            {
                var (fairAny, _, _) = HighestLowerBounds(generated, booked, fair, options, birthplace, benchmarkDays);
                var (biasedAny, biasedBirthplace, biasedShare) = HighestLowerBounds(generated, booked, biased, options, birthplace, benchmarkDays);
                return new SeedOutcome(seed, fairAny, biasedBirthplace, biasedAny, alertedAfter, [.. sweeperAlerts.Select(a => a.Kind).Distinct().Order()],
                    fairSweeps, biasedSweeps, biasedShare, benchmarkShare);
            }),
        ];
    }

    /// <summary>At the end of each day, both standard windows: the report of <see cref="DisparityAnalysis.FromTallies"/>
    /// over the window's daily tallies (fair and biased partners disclose each person once, so the tallies are of
    /// distinct persons), and the largest lower bound among rows with the minimum sample.</summary>
    public static Dictionary<int, AttributeTally> BookingsByDay(SimulatedCity city, int? benchmarkDays = null)
    {
        // Only the days a benchmark can reach: the longest window (or benchmark) ends with the first day of traffic at the earliest.
        var firstDay = 1 - (benchmarkDays ?? DisparityWindow.StandardDays.Max());
        var bookedByDay = new Dictionary<int, AttributeTally>();
        foreach (var person in city.Persons)
        {
            var day = (int)Math.Floor((person.BookedAt - city.Settings.DayStart(0)).TotalDays);
            if (day < firstDay)
            {
                continue;
            }

            (bookedByDay.TryGetValue(day, out var tally) ? tally : bookedByDay[day] = new AttributeTally()).Add(person.Person);
        }

        return bookedByDay;
    }

    public static (double Any, double Attribute, double DisclosedShare) HighestLowerBounds(
        SimulatedCity city, Dictionary<int, AttributeTally> bookedByDay, PartnerTraffic traffic, DisparityOptions options, int attribute, int? benchmarkDays = null)
    {
        var settings = city.Settings;
        var disclosedByDay = new Dictionary<int, AttributeTally>();
        foreach (var disclosure in traffic.Disclosures)
        {
            var day = (int)Math.Floor((disclosure.DisclosedAt - settings.DayStart(0)).TotalDays);
            (disclosedByDay.TryGetValue(day, out var tally) ? tally : disclosedByDay[day] = new AttributeTally()).Add(disclosure.Person);
        }

        double any = 0, chosen = 0;
        for (var day = 0; day < settings.Days; day++)
        {
            foreach (var days in DisparityWindow.StandardDays)
            {
                var window = DisparityWindow.Last(days, settings.DayStart(day + 1));
                var report = DisparityAnalysis.FromTallies(window, Sum(disclosedByDay, day, days), Sum(bookedByDay, day, benchmarkDays ?? days), options, alertableOnly: true);
                for (var i = 0; i < report.Rows.Count; i++)
                {
                    var row = report.Rows[i];
                    if (!row.SampleSufficient || row.Interval is null)
                    {
                        continue;
                    }

                    any = Math.Max(any, row.Interval.Lower);
                    if (i == attribute)
                    {
                        chosen = Math.Max(chosen, row.Interval.Lower);
                    }
                }
            }
        }

        var all = Sum(disclosedByDay, settings.Days - 1, settings.Days)[attribute];
        return (any, chosen, all.Known == 0 ? 0 : (double)all.With / all.Known);
    }

    public static int IndexOf(string family) =>
        DisparityAttribute.All.Select((a, i) => (a, i)).First(x => x.a.Family == family).i;

    private static AttributeTally Sum(Dictionary<int, AttributeTally> byDay, int lastDay, int days)
    {
        var sum = new AttributeTally();
        for (var day = lastDay - days + 1; day <= lastDay; day++)
        {
            if (byDay.TryGetValue(day, out var tally))
            {
                sum.Add(tally);
            }
        }

        return sum;
    }
}
