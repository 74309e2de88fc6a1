using MathNet.Numerics.Distributions;
using MathNet.Numerics.RootFinding;

namespace OpenPars.Core.Oversight;

public enum RatioMethod
{
    /// <summary>Katz, Baptista, Azen &amp; Pike (1978), Biometrics 34:469–474: a normal interval on log(ratio).</summary>
    KatzLog,

    /// <summary>Koopman (1984), Biometrics 40:513–517: the inverted Pearson chi-squared score test.</summary>
    KoopmanScore,
}

/// <summary>
/// The ratio of two proportions, share₁ / share₂ = (x₁/n₁) / (x₂/n₂), with a two-sided confidence interval.
/// <see cref="Ratio"/> is null when it is undefined (x₁ = x₂ = 0 or an empty sample); <see cref="Upper"/> is
/// <see cref="double.PositiveInfinity"/> when nothing bounds it (x₂ = 0).
/// </summary>
public sealed record RatioInterval(double? Ratio, double Lower, double Upper, RatioMethod Method, double Confidence);

/// <summary>
/// Confidence intervals for the ratio of two binomial proportions. Katz's log interval for ordinary counts and
/// Koopman's score interval when a count is small, where the log interval is undefined (a zero) or too narrow.
/// Formulas and references: docs/oversight.md § Disparity.
/// </summary>
public static class RateRatio
{
    /// <summary>Below this many in any of the four cells (x₁, n₁−x₁, x₂, n₂−x₂), <see cref="Estimate"/> uses Koopman.</summary>
    public const int SmallCount = 10;

    private const double SearchFloor = 1e-10;
    private const double SearchCeiling = 1e10;

    /// <summary>Katz when every cell has at least <see cref="SmallCount"/>, Koopman otherwise.</summary>
    public static RatioInterval Estimate(long x1, long n1, long x2, long n2, double confidence = 0.95)
    {
        Validate(x1, n1, x2, n2, confidence);
        var small = Math.Min(Math.Min(x1, n1 - x1), Math.Min(x2, n2 - x2)) < SmallCount;
        return small ? Koopman(x1, n1, x2, n2, confidence) : KatzLog(x1, n1, x2, n2, confidence);
    }

    /// <summary>
    /// exp(ln R ± z·√(1/x₁ − 1/n₁ + 1/x₂ − 1/n₂)). Uninformative [0, ∞) when x₁ or x₂ is zero (the log is
    /// undefined): use <see cref="Koopman"/> there, as <see cref="Estimate"/> does.
    /// </summary>
    public static RatioInterval KatzLog(long x1, long n1, long x2, long n2, double confidence = 0.95)
    {
        Validate(x1, n1, x2, n2, confidence);
        var ratio = PointRatio(x1, n1, x2, n2);
        if (x1 == 0 || x2 == 0)
        {
            return new RatioInterval(ratio, 0, double.PositiveInfinity, RatioMethod.KatzLog, confidence);
        }

        var z = Normal.InvCDF(0, 1, 1 - ((1 - confidence) / 2));
        var standardError = Math.Sqrt((1.0 / x1) - (1.0 / n1) + (1.0 / x2) - (1.0 / n2));
        var log = Math.Log(ratio!.Value);
        return new RatioInterval(ratio, Math.Exp(log - (z * standardError)), Math.Exp(log + (z * standardError)), RatioMethod.KatzLog, confidence);
    }

    /// <summary>
    /// Every θ whose Pearson chi-squared statistic U(θ), computed with the maximum-likelihood proportions
    /// constrained to p₁ = θ·p₂, stays within the χ²₁ quantile. The constrained p₂ is the smaller root of
    /// N·θ·p² − (θ(n₁ + x₂) + x₁ + n₂)·p + (x₁ + x₂) = 0 (N = n₁ + n₂). The limits are found by Brent's method on
    /// log θ; a limit the data cannot bound is 0 or ∞.
    /// </summary>
    public static RatioInterval Koopman(long x1, long n1, long x2, long n2, double confidence = 0.95)
    {
        Validate(x1, n1, x2, n2, confidence);
        var ratio = PointRatio(x1, n1, x2, n2);
        if (x1 == 0 && x2 == 0)
        {
            return new RatioInterval(null, 0, double.PositiveInfinity, RatioMethod.KoopmanScore, confidence);
        }

        var critical = ChiSquared.InvCDF(1, confidence);
        double Excess(double logTheta) => ScoreStatistic(x1, n1, x2, n2, Math.Exp(logTheta)) - critical;

        // The statistic is zero at the estimate and grows either side of it; where the estimate is 0 or ∞ the
        // search starts from the end of the range the data cannot rule out.
        var logEstimate = ratio switch
        {
            0 => Math.Log(SearchFloor),
            double.PositiveInfinity => Math.Log(SearchCeiling),
            { } r => Math.Log(r),
            null => 0,
        };

        var lower = ratio == 0 || Excess(Math.Log(SearchFloor)) <= 0
            ? 0
            : Math.Exp(Brent.FindRoot(Excess, Math.Log(SearchFloor), logEstimate, 1e-10, 200));
        var upper = double.IsPositiveInfinity(ratio ?? 0) || Excess(Math.Log(SearchCeiling)) <= 0
            ? double.PositiveInfinity
            : Math.Exp(Brent.FindRoot(Excess, logEstimate, Math.Log(SearchCeiling), 1e-10, 200));
        return new RatioInterval(ratio, lower, upper, RatioMethod.KoopmanScore, confidence);
    }

    /// <summary>Koopman's U(θ): Σᵢ (xᵢ − nᵢp̃ᵢ)² / (nᵢp̃ᵢ(1 − p̃ᵢ)) with p̃₁ = θ·p̃₂ the constrained estimates.</summary>
    public static double ScoreStatistic(long x1, long n1, long x2, long n2, double theta)
    {
        double total = n1 + n2;
        var b = (theta * (n1 + x2)) + x1 + n2;
        var discriminant = Math.Max(0, (b * b) - (4 * total * theta * (x1 + x2)));
        // The smaller root, written to avoid cancellation: 2C / (B + √D).
        // Clamped to [0, 1]: near a share of 100 % the discriminant cancels and rounding can put the root a hair
        // above 1, which would read as a zero variance with a non-zero deviation (a spurious spike in U).
        var p2 = Math.Clamp(2.0 * (x1 + x2) / (b + Math.Sqrt(discriminant)), 0, 1);
        var p1 = Math.Min(1, theta * p2);
        return PearsonTerm(x1, n1, p1) + PearsonTerm(x2, n2, p2);
    }

    private static double PearsonTerm(long x, long n, double p)
    {
        var deviation = x - (n * p);
        var variance = n * p * (1 - p);
        if (variance <= 1e-300)
        {
            // p̃ at 0 or 1 with the count at the same edge is the 0/0 whose limit is 0; relative to n, because the
            // rounding of p̃ scales with it.
            return Math.Abs(deviation) <= 1e-7 * Math.Max(1, n) ? 0 : double.MaxValue;
        }

        return deviation * deviation / variance;
    }

    private static double? PointRatio(long x1, long n1, long x2, long n2)
    {
        if (x1 == 0 && x2 == 0)
        {
            return null;
        }

        return x2 == 0 ? double.PositiveInfinity : ((double)x1 / n1) / ((double)x2 / n2);
    }

    private static void Validate(long x1, long n1, long x2, long n2, double confidence)
    {
        if (n1 <= 0 || n2 <= 0 || x1 < 0 || x2 < 0 || x1 > n1 || x2 > n2)
        {
            throw new ArgumentOutOfRangeException(nameof(x1), "Counts must satisfy 0 ≤ x ≤ n and n > 0 on both sides.");
        }

        if (confidence is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(confidence), "The confidence level is strictly between 0 and 1.");
        }
    }
}
