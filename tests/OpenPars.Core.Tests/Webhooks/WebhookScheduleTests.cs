using CsCheck;
using OpenPars.Core.Webhooks;
using Shouldly;
using Xunit;

namespace OpenPars.Core.Tests.Webhooks;

/// <summary>The retry schedule: exponential from 5 s to about 10 h, at most 20 % jitter, about a day in all, dead
/// after the 8th failure, Retry-After honoured within its bounds.</summary>
public sealed class WebhookScheduleTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 14, 0, 0, TimeSpan.Zero);
    private static readonly Gen<double> Unit = Gen.Double[0, 0.999999];

    [Fact]
    public void Every_delay_is_its_base_within_twenty_percent_and_grows_until_the_cap()
    {
        Gen.Select(Gen.Int[1, WebhookSchedule.MaxFailures - 1], Unit).Sample((failures, unit) =>
        {
            var retry = WebhookSchedule.Next(failures, Now, unit).ShouldBeOfType<WebhookNext.Retry>();
            var baseDelay = WebhookSchedule.BaseDelay(failures);
            retry.Delay.TotalMilliseconds.ShouldBeInRange(baseDelay.TotalMilliseconds * 0.8 - 1, baseDelay.TotalMilliseconds * 1.2 + 1);
            retry.At.ShouldBe(Now + retry.Delay);
            if (failures > 1)
            {
                baseDelay.ShouldBeGreaterThanOrEqualTo(WebhookSchedule.BaseDelay(failures - 1));
            }
        });
        WebhookSchedule.BaseDelay(1).ShouldBe(TimeSpan.FromSeconds(5));
        WebhookSchedule.BaseDelay(WebhookSchedule.MaxFailures - 1).ShouldBe(TimeSpan.FromHours(10));
    }

    [Fact]
    public void The_whole_schedule_takes_about_a_day_whatever_the_jitter()
    {
        Gen.Double[0, 0.999999].Array[WebhookSchedule.MaxFailures - 1].Sample(units =>
        {
            var at = Now;
            for (var failure = 1; failure < WebhookSchedule.MaxFailures; failure++)
            {
                at = WebhookSchedule.Next(failure, at, units[failure - 1]).ShouldBeOfType<WebhookNext.Retry>().At;
            }

            (at - Now).TotalHours.ShouldBeInRange(16, 30);
            WebhookSchedule.Next(WebhookSchedule.MaxFailures, at, units[0]).ShouldBeOfType<WebhookNext.Dead>();
        });
    }

    [Fact]
    public void The_eighth_failure_and_any_later_one_dead_letters()
    {
        Gen.Select(Gen.Int[WebhookSchedule.MaxFailures, 1000], Unit, Gen.Int[0, 100_000].Select(s => (TimeSpan?)TimeSpan.FromSeconds(s)))
            .Sample((failures, unit, retryAfter) => WebhookSchedule.Next(failures, Now, unit, retryAfter).ShouldBeOfType<WebhookNext.Dead>());
        WebhookSchedule.Next(WebhookSchedule.MaxFailures - 1, Now, 0.5).ShouldBeOfType<WebhookNext.Retry>();
    }

    [Fact]
    public void Retry_after_is_honoured_but_capped_and_floored()
    {
        Gen.Select(Gen.Int[1, WebhookSchedule.MaxFailures - 1], Unit, Gen.Long[-1000, 10_000_000]).Sample((failures, unit, seconds) =>
        {
            var asked = TimeSpan.FromSeconds(seconds);
            var retry = WebhookSchedule.Next(failures, Now, unit, asked).ShouldBeOfType<WebhookNext.Retry>();
            var expected = asked < WebhookSchedule.MinRetryAfter ? WebhookSchedule.MinRetryAfter : asked > WebhookSchedule.MaxRetryAfter ? WebhookSchedule.MaxRetryAfter : asked;
            retry.Delay.ShouldBe(expected);
        });
    }

    [Fact]
    public void Retry_after_reads_seconds_and_http_dates_and_ignores_the_rest()
    {
        WebhookSchedule.ParseRetryAfter("120", Now).ShouldBe(TimeSpan.FromSeconds(120));
        WebhookSchedule.ParseRetryAfter(Now.AddMinutes(3).ToString("r", System.Globalization.CultureInfo.InvariantCulture), Now).ShouldBe(TimeSpan.FromMinutes(3));
        WebhookSchedule.ParseRetryAfter(Now.AddMinutes(-3).ToString("r", System.Globalization.CultureInfo.InvariantCulture), Now).ShouldBe(TimeSpan.Zero);
        WebhookSchedule.ParseRetryAfter("99999999999999", Now).ShouldBe(WebhookSchedule.MaxRetryAfter);
        WebhookSchedule.ParseRetryAfter(null, Now).ShouldBeNull();
        WebhookSchedule.ParseRetryAfter("soon", Now).ShouldBeNull();
        WebhookSchedule.ParseRetryAfter("-5", Now).ShouldBeNull();
        Gen.String.Sample(text => WebhookSchedule.ParseRetryAfter(text, Now) is not { } d || d >= TimeSpan.Zero);
    }

    [Fact]
    public void A_jitter_unit_outside_zero_to_one_is_a_bug()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => WebhookSchedule.Next(1, Now, 1.0));
        Should.Throw<ArgumentOutOfRangeException>(() => WebhookSchedule.Next(1, Now, -0.1));
        Should.Throw<ArgumentOutOfRangeException>(() => WebhookSchedule.Next(0, Now, 0.5));
    }
}
