using CsCheck;
using OpenPars.Core.Oversight;
using Shouldly;
using Xunit;

namespace OpenPars.Core.Tests.Oversight;

/// <summary>
/// The ratio intervals against published values (Fagerland, Lydersen &amp; Laake, Statistical Analysis of
/// Contingency Tables, 2017, ch. 4: the Perondi et al. 2004 trial, 7/34 vs 1/34) and values computed by hand,
/// and Koopman's defining property checked with a constrained maximum-likelihood estimate found independently
/// (golden-section search on the log-likelihood, not the closed-form root the product uses).
/// </summary>
public class RateRatioTests
{
    private const double ChiSquared95 = 3.841458820694124;

    [Fact]
    public void Katz_log_matches_the_published_Perondi_interval()
    {
        var interval = RateRatio.KatzLog(7, 34, 1, 34);

        interval.Ratio.ShouldBe(7.0);
        interval.Lower.ShouldBe(0.9096, 0.00005);
        interval.Upper.ShouldBe(53.8695, 0.00005);
        interval.Method.ShouldBe(RatioMethod.KatzLog);
    }

    [Fact]
    public void Koopman_matches_the_published_Perondi_interval()
    {
        var interval = RateRatio.Koopman(7, 34, 1, 34);

        interval.Ratio.ShouldBe(7.0);
        interval.Lower.ShouldBe(1.2209, 0.00005);
        interval.Upper.ShouldBe(42.5757, 0.00005);
    }

    [Fact]
    public void Katz_log_matches_a_hand_computed_interval()
    {
        // 36/40 vs 16/80: R = 4.5, SE = sqrt(1/36 − 1/40 + 1/16 − 1/80) = 0.229734, z = 1.959964.
        var interval = RateRatio.KatzLog(36, 40, 16, 80);

        interval.Ratio!.Value.ShouldBe(4.5, 1e-12);
        interval.Lower.ShouldBe(2.868550, 0.000001);
        interval.Upper.ShouldBe(7.059315, 0.000001);
    }

    [Fact]
    public void Estimate_uses_Katz_for_ordinary_counts_and_Koopman_for_small_ones()
    {
        RateRatio.Estimate(300, 1500, 400, 3000).Method.ShouldBe(RatioMethod.KatzLog);
        RateRatio.Estimate(9, 1500, 400, 3000).Method.ShouldBe(RatioMethod.KoopmanScore);
        RateRatio.Estimate(300, 1500, 3, 3000).Method.ShouldBe(RatioMethod.KoopmanScore);
        RateRatio.Estimate(35, 40, 400, 3000).Method.ShouldBe(RatioMethod.KoopmanScore); // only 5 without the attribute
    }

    [Fact]
    public void A_zero_count_is_bounded_on_the_side_the_data_allows()
    {
        var none = RateRatio.Koopman(0, 40, 12, 80);
        none.Ratio.ShouldBe(0);
        none.Lower.ShouldBe(0);
        none.Upper.ShouldBeInRange(0.01, 1.0);
        ScoreWithIndependentEstimate(0, 40, 12, 80, none.Upper).ShouldBe(ChiSquared95, 1e-5);

        var allOfThem = RateRatio.Koopman(5, 40, 0, 80);
        allOfThem.Ratio.ShouldBe(double.PositiveInfinity);
        allOfThem.Upper.ShouldBe(double.PositiveInfinity);
        allOfThem.Lower.ShouldBeGreaterThan(1.0);
        ScoreWithIndependentEstimate(5, 40, 0, 80, allOfThem.Lower).ShouldBe(ChiSquared95, 1e-5);

        var nothing = RateRatio.Koopman(0, 40, 0, 80);
        nothing.Ratio.ShouldBeNull();
        (nothing.Lower, nothing.Upper).ShouldBe((0, double.PositiveInfinity));
    }

    [Fact]
    public void Invalid_counts_are_refused()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => RateRatio.Estimate(5, 4, 1, 10));
        Should.Throw<ArgumentOutOfRangeException>(() => RateRatio.Estimate(0, 0, 1, 10));
        Should.Throw<ArgumentOutOfRangeException>(() => RateRatio.Estimate(-1, 4, 1, 10));
        Should.Throw<ArgumentOutOfRangeException>(() => RateRatio.Estimate(1, 4, 1, 10, confidence: 1));
    }

    [Fact]
    public void Koopman_limits_are_where_the_independently_computed_score_reaches_the_chi_squared_quantile()
    {
        Gen.Select(Gen.Int[1, 200], Gen.Int[1, 200]).SelectMany((n1, n2) =>
                Gen.Select(Gen.Int[0, n1], Gen.Int[0, n2], (x1, x2) => (x1, n1, x2, n2)))
            .Where(c => c.x1 + c.x2 > 0)
            .Sample(c =>
            {
                var interval = RateRatio.Koopman(c.x1, c.n1, c.x2, c.n2);
                var ratio = interval.Ratio!.Value;
                interval.Lower.ShouldBeLessThanOrEqualTo(ratio);
                interval.Upper.ShouldBeGreaterThanOrEqualTo(ratio);
                if (interval.Lower > 0)
                {
                    ScoreWithIndependentEstimate(c.x1, c.n1, c.x2, c.n2, interval.Lower).ShouldBe(ChiSquared95, 1e-4);
                }

                if (!double.IsPositiveInfinity(interval.Upper))
                {
                    ScoreWithIndependentEstimate(c.x1, c.n1, c.x2, c.n2, interval.Upper).ShouldBe(ChiSquared95, 1e-4);
                }
            }, iter: 300);
    }

    [Fact]
    public void Koopman_and_Katz_agree_when_counts_are_large()
    {
        var katz = RateRatio.KatzLog(300, 1500, 400, 3000);
        var koopman = RateRatio.Koopman(300, 1500, 400, 3000);

        koopman.Lower.ShouldBe(katz.Lower, 0.01);
        koopman.Upper.ShouldBe(katz.Upper, 0.01);
    }

    [Fact]
    public void The_interval_narrows_as_the_sample_grows_at_the_same_shares()
    {
        Gen.Int[1, 20].Sample(k =>
        {
            var small = RateRatio.Estimate(3 * k, 20 * k, 2 * k, 20 * k);
            var large = RateRatio.Estimate(6 * k, 40 * k, 4 * k, 40 * k);
            (large.Upper - large.Lower).ShouldBeLessThan(small.Upper - small.Lower);
        });
    }

    /// <summary>Pearson's chi-squared with p₁ = θ·p₂ fitted by maximising the binomial log-likelihood numerically.</summary>
    private static double ScoreWithIndependentEstimate(int x1, int n1, int x2, int n2, double theta)
    {
        double LogLikelihood(double p2)
        {
            var p1 = theta * p2;
            return Term(x1, p1) + Term(n1 - x1, 1 - p1) + Term(x2, p2) + Term(n2 - x2, 1 - p2);
        }

        static double Term(int count, double p) => count == 0 ? 0 : count * Math.Log(p);

        double lo = 1e-12, hi = Math.Min(1, 1 / theta) - 1e-12;
        var golden = (Math.Sqrt(5) - 1) / 2;
        for (var i = 0; i < 300; i++)
        {
            var a = hi - (golden * (hi - lo));
            var b = lo + (golden * (hi - lo));
            if (LogLikelihood(a) < LogLikelihood(b))
            {
                lo = a;
            }
            else
            {
                hi = b;
            }
        }

        var q2 = (lo + hi) / 2;
        var q1 = theta * q2;
        return (Math.Pow(x1 - (n1 * q1), 2) / (n1 * q1 * (1 - q1))) + (Math.Pow(x2 - (n2 * q2), 2) / (n2 * q2 * (1 - q2)));
    }
}
