using System.Diagnostics;
using System.Globalization;
using OpenPars.Core.Oversight;
using OpenPars.Core.Oversight.Simulation;
using Shouldly;
using Xunit;

namespace OpenPars.Core.Tests.Oversight;

/// <summary>
/// The issue's evaluation over 100 seeds with the issue's defaults (threshold 1.25, minimum sample 30, 50 lookups
/// a day, 30 days). The outcomes are computed once for the class; each test asserts one target.
/// </summary>
public class EvaluationTests(EvaluationTests.Outcomes outcomes, ITestOutputHelper output) : IClassFixture<EvaluationTests.Outcomes>
{
    public sealed class Outcomes
    {
        public Outcomes()
        {
            var clock = Stopwatch.StartNew();
            var all = new IReadOnlyList<SeedOutcome>[100];
            Parallel.For(0, all.Length, seed => all[seed] = OversightEvaluation.RunSeed(seed, [DisparityOptions.Default]));
            Seeds = [.. all.Select(a => a[0])];
            var inScope = new IReadOnlyList<SeedOutcome>[100];
            Parallel.For(0, inScope.Length, seed => inScope[seed] = OversightEvaluation.RunSeed(seed, [DisparityOptions.Default], benchmarkDays: OversightEvaluation.InScopeBenchmarkDays));
            InScopeSeeds = [.. inScope.Select(a => a[0])];
            Elapsed = clock.Elapsed;
        }

        public IReadOnlyList<SeedOutcome> Seeds { get; }

        /// <summary>The same seeds with the benchmark of every person in the row scope (booked within 365 days).</summary>
        public IReadOnlyList<SeedOutcome> InScopeSeeds { get; }

        public TimeSpan Elapsed { get; }
    }

    private static double Rate(IEnumerable<SeedOutcome> seeds, Func<SeedOutcome, bool> alerted) => seeds.Count(alerted) / (double)seeds.Count();

    [Fact]
    public void Report_of_the_measured_rates()
    {
        output.WriteLine($"100 seeds in {outcomes.Elapsed.TotalSeconds:0.0} s");
        foreach (var (name, seeds) in new[] { ("x1 >= 30 (default), benchmark booked in the window", outcomes.Seeds), ("benchmark every person in the row scope", outcomes.InScopeSeeds) })
        {
            output.WriteLine(name);
            output.WriteLine("| threshold | fair partner: alert rate | biased partner: recall (birthplace) | biased partner: recall (any attribute) |");
            output.WriteLine("|---|---|---|---|");
            foreach (var threshold in new[] { 1.1, 1.25, 1.5, 2.0 })
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {threshold:0.00} | {Rate(seeds, s => s.FairAlerted(threshold)):P0} | {Rate(seeds, s => s.BiasedAlertedOnBirthplace(threshold)):P0} | {Rate(seeds, s => s.BiasedAlerted(threshold)):P0} |"));
            }
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"born abroad: benchmark {outcomes.Seeds.Average(s => s.BenchmarkShareBornAbroad):P1}, disclosed by the biased partner {outcomes.Seeds.Average(s => s.BiasedDisclosedShareBornAbroad):P1}"));
        output.WriteLine($"sweeper alerted after (max) {outcomes.Seeds.Max(s => s.SweeperAlertedAfter ?? TimeSpan.MaxValue)}; kinds {string.Join(", ", outcomes.Seeds.SelectMany(s => s.SweeperAlertKinds).Distinct())}");
        output.WriteLine($"sweep alerts on fair traffic: {outcomes.Seeds.Sum(s => s.FairSweepAlerts)}, on biased traffic: {outcomes.Seeds.Sum(s => s.BiasedSweepAlerts)}");
        outcomes.Seeds.Count.ShouldBe(100);
    }

    [Fact]
    public void The_biased_partner_really_is_biased_by_one_and_a_half()
    {
        var ratio = outcomes.Seeds.Average(s => s.BiasedDisclosedShareBornAbroad / s.BenchmarkShareBornAbroad);
        ratio.ShouldBeInRange(1.4, 1.6);
    }

    [Fact]
    public void A_fair_partner_raises_a_disparity_alert_in_at_most_5_percent_of_30_day_runs()
    {
        Rate(outcomes.Seeds, s => s.FairAlerted(DisparityOptions.Default.Threshold)).ShouldBeLessThanOrEqualTo(0.05);
    }

    [Fact]
    public void A_biased_partner_raises_a_disparity_alert_within_30_days_in_at_least_95_percent_of_runs()
    {
        Rate(outcomes.Seeds, s => s.BiasedAlerted(DisparityOptions.Default.Threshold)).ShouldBeGreaterThanOrEqualTo(0.95);
    }

    /// <summary>
    /// The issue's target (95%) is not met by the birthplace attribute on its own at the defaults: 92 of 100 runs
    /// (docs/oversight.md § Evaluation explains why and what would meet it). This pins the measured rate so a
    /// change that lowers it is seen; it does not claim the target.
    /// </summary>
    [Fact]
    public void Recall_on_the_birthplace_attribute_alone_stays_at_its_measured_92_percent_short_of_the_95_percent_target()
    {
        Rate(outcomes.Seeds, s => s.BiasedAlertedOnBirthplace(DisparityOptions.Default.Threshold)).ShouldBeGreaterThanOrEqualTo(0.92);
    }

    /// <summary>
    /// The measured alternative: with every person in the row scope as the benchmark (≈ 36,500 persons instead of the
    /// ≈ 3,000 booked in the window), the birthplace row alone meets the target and the fair partner alerts less
    /// (measured 97% and 1%). The server still measures against the window's bookings (the issue's definition).
    /// </summary>
    [Fact]
    public void With_every_person_in_scope_as_the_benchmark_birthplace_recall_meets_95_percent_and_a_fair_partner_stays_under_5()
    {
        Rate(outcomes.InScopeSeeds, s => s.BiasedAlertedOnBirthplace(DisparityOptions.Default.Threshold)).ShouldBeGreaterThanOrEqualTo(0.95);
        Rate(outcomes.InScopeSeeds, s => s.FairAlerted(DisparityOptions.Default.Threshold)).ShouldBeLessThanOrEqualTo(0.05);
    }

    [Fact]
    public void A_sweeper_is_alerted_within_one_day_in_every_run()
    {
        outcomes.Seeds.ShouldAllBe(s => s.SweeperAlertedAfter != null && s.SweeperAlertedAfter < TimeSpan.FromDays(1));
    }

    [Fact]
    public void Fair_and_biased_traffic_raise_no_sweep_alert()
    {
        outcomes.Seeds.Sum(s => s.FairSweepAlerts + s.BiasedSweepAlerts).ShouldBe(0);
    }
}
