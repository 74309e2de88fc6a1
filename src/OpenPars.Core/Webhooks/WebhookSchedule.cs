namespace OpenPars.Core.Webhooks;

/// <summary>What to do after a failed attempt: try again at <see cref="Retry.At"/>, or give up (dead-lettered).</summary>
public abstract record WebhookNext
{
    private WebhookNext()
    {
    }

    /// <summary>Try again at <paramref name="At"/>, <paramref name="Delay"/> after the failure.</summary>
    public sealed record Retry(DateTimeOffset At, TimeSpan Delay) : WebhookNext;

    /// <summary>The schedule is over: the delivery is dead-lettered (a manual redelivery may start it again).</summary>
    public sealed record Dead : WebhookNext;
}

/// <summary>
/// The retry schedule of a webhook delivery, pure (the clock and the jitter are given): after the n-th failure the
/// next attempt waits 5 s × 6^(n−1), capped at 10 h — 5 s, 30 s, 3 min, 18 min, 1.8 h, 10 h, 10 h — each ±20 %
/// jitter, about a day in all (≈ 22 h before jitter); the 8th failure dead-letters the delivery. A receiver's
/// <c>Retry-After</c> replaces the computed delay (it is the receiver's own word on when it is back), capped at
/// <see cref="MaxRetryAfter"/> and never less than <see cref="MinRetryAfter"/>.
/// </summary>
public static class WebhookSchedule
{
    /// <summary>The delay after the first failure.</summary>
    public static readonly TimeSpan First = TimeSpan.FromSeconds(5);

    /// <summary>The longest computed delay (before jitter).</summary>
    public static readonly TimeSpan Cap = TimeSpan.FromHours(10);

    /// <summary>The longest delay a <c>Retry-After</c> can ask for.</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromHours(10);

    /// <summary>The shortest delay a <c>Retry-After</c> can ask for (0 or a past date would make a busy loop).</summary>
    public static readonly TimeSpan MinRetryAfter = TimeSpan.FromSeconds(1);

    /// <summary>The growth of the delay from one failure to the next.</summary>
    public const double Factor = 6;

    /// <summary>The jitter: each delay is multiplied by a factor in [1 − Jitter, 1 + Jitter].</summary>
    public const double Jitter = 0.2;

    /// <summary>Failures before a delivery is dead-lettered: the 8th failure ends it.</summary>
    public const int MaxFailures = 8;

    /// <summary>The delay after failure <paramref name="failures"/> (1-based) before jitter.</summary>
    public static TimeSpan BaseDelay(int failures)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failures, 1);
        var seconds = First.TotalSeconds * Math.Pow(Factor, Math.Min(failures - 1, 30));
        return seconds >= Cap.TotalSeconds ? Cap : TimeSpan.FromSeconds(seconds);
    }

    /// <summary>
    /// What follows the <paramref name="failures"/>-th consecutive failure at <paramref name="now"/>.
    /// </summary>
    /// <param name="failures">Consecutive failures so far, this one included (1 after the first failed attempt).</param>
    /// <param name="now">When the failure was recorded.</param>
    /// <param name="unit">A number in [0, 1) (the caller's random source): 0 is −20 %, 0.5 no jitter, toward 1 is +20 %.</param>
    /// <param name="retryAfter">The receiver's <c>Retry-After</c>, as a delay from <paramref name="now"/>; null when none.</param>
    public static WebhookNext Next(int failures, DateTimeOffset now, double unit, TimeSpan? retryAfter = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failures, 1);
        if (double.IsNaN(unit) || unit < 0 || unit >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(unit), unit, "The jitter unit is in [0, 1).");
        }

        if (failures >= MaxFailures)
        {
            return new WebhookNext.Dead();
        }

        TimeSpan delay;
        if (retryAfter is { } asked)
        {
            delay = asked < MinRetryAfter ? MinRetryAfter : asked > MaxRetryAfter ? MaxRetryAfter : asked;
        }
        else
        {
            var jitter = 1 + (Jitter * ((2 * unit) - 1));
            delay = TimeSpan.FromMilliseconds(Math.Round(BaseDelay(failures).TotalMilliseconds * jitter));
        }

        return new WebhookNext.Retry(now + delay, delay);
    }

    /// <summary>
    /// A <c>Retry-After</c> value (RFC 9110 § 10.2.3: delay-seconds or an HTTP-date) as a delay from
    /// <paramref name="now"/>; null when absent or unreadable (the schedule's own delay then applies).
    /// </summary>
    public static TimeSpan? ParseRetryAfter(string? value, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var text = value.Trim();
        if (text.All(char.IsAsciiDigit))
        {
            return text.Length > 9 ? MaxRetryAfter : TimeSpan.FromSeconds(long.Parse(text, System.Globalization.CultureInfo.InvariantCulture));
        }

        return DateTimeOffset.TryParseExact(text, "r", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at)
            ? (at - now) < TimeSpan.Zero ? TimeSpan.Zero : at - now
            : null;
    }
}
