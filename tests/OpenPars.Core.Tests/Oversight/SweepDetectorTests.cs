using CsCheck;
using OpenPars.Core.Oversight;
using Shouldly;
using Xunit;

namespace OpenPars.Core.Tests.Oversight;

/// <summary>Each detector at its threshold and one short of it, and the ways round it an insider would try.</summary>
public class SweepDetectorTests
{
    private static readonly DateTimeOffset T = Observations.Tuesday10;
    private static readonly DateTimeOffset Later = T.AddDays(3);

    private static OversightAlert[] Of(IEnumerable<OversightAlert> alerts, AlertKind kind) => [.. alerts.Where(a => a.Kind == kind)];

    [Fact]
    public void A_run_of_nearly_consecutive_arrest_numbers_is_an_alert_at_the_request_completing_it()
    {
        var log = new Observations();
        var reads = new[] { 1000, 1001, 1003, 1004, 1006 }.Select((n, i) => log.Read(T.AddMinutes(i * 5), $"26-{n:D7}")).ToList();

        var alert = Of(log.Alerts(Later), AlertKind.ArrestNumberRun).ShouldHaveSingleItem();

        alert.RaisedAt.ShouldBe(reads[^1].Time);
        alert.Evidence.ShouldBe(reads.Select(r => r.EntryIndex));
        alert.Figures["runLength"].ShouldBe("5");
        alert.UserId.ShouldBe(7);
    }

    [Fact]
    public void Four_numbers_a_gap_of_three_another_year_or_a_day_apart_are_not_a_run()
    {
        var log = new Observations();
        foreach (var (n, i) in new[] { 1000, 1001, 1002, 1003 }.Select((n, i) => (n, i)))
        {
            log.Read(T.AddMinutes(i), $"26-{n:D7}");
        }

        log.Read(T.AddMinutes(10), "26-0001006"); // gap of 3
        log.Read(T.AddMinutes(11), "25-0001004"); // another year's sequence
        log.Read(T.AddHours(25), "26-0001004");  // the first ones have left the 24-hour window

        Of(log.Alerts(Later), AlertKind.ArrestNumberRun).ShouldBeEmpty();
    }

    [Fact]
    public void A_run_split_between_two_analysts_of_one_agency_is_the_agency_s_alert()
    {
        var log = new Observations();
        for (var i = 0; i < 6; i++)
        {
            log.Read(T.AddMinutes(i), $"26-{2000 + i:D7}", user: i % 2 == 0 ? 7 : 8);
        }

        var alert = Of(log.Alerts(Later), AlertKind.ArrestNumberRun).ShouldHaveSingleItem();
        alert.UserId.ShouldBeNull();
        alert.Key.ShouldContain("agency:ICE");
        alert.Figures["users"].ShouldBe("2");
    }

    [Fact]
    public void Ten_last_names_with_one_date_of_birth_is_surname_enumeration()
    {
        var log = new Observations();
        var names = new[] { "Garcia", "Nguyen", "Kowalski", "Okafor", "Li", "Haddad", "Petrov", "Silva", "Kim", "Mensah" };
        var searches = names.Select((n, i) => log.Search(T.AddMinutes(i), n, "1990-04-01", results: 0)).ToList();

        var alert = Of(log.Alerts(Later), AlertKind.SurnameEnumeration).ShouldHaveSingleItem();
        alert.RaisedAt.ShouldBe(searches[^1].Time);
        alert.Evidence.Count.ShouldBe(10);
        alert.Summary.ShouldNotContain("1990");
        alert.Summary.ShouldNotContain("Garcia");
    }

    [Fact]
    public void Retyping_one_surname_with_accents_case_or_look_alike_letters_is_not_a_new_surname()
    {
        var log = new Observations();
        var names = new[] { "García", "GARCIA", "gar-cia", "Gаrcia" /* Cyrillic а */, "Nguyễn", "NGUYEN", "Nguyen", "Li", "LI", "Kim", "KIM", "Kіm" /* Cyrillic і */ };
        foreach (var (n, i) in names.Select((n, i) => (n, i)))
        {
            log.Search(T.AddMinutes(i), n, "1990-04-01");
        }

        Of(log.Alerts(Later), AlertKind.SurnameEnumeration).ShouldBeEmpty();
    }

    [Fact]
    public void Ten_dates_of_birth_for_one_surname_however_it_is_typed_is_date_of_birth_enumeration()
    {
        var log = new Observations();
        var spellings = new[] { "García", "GARCIA", "Garcia", "Gаrcia", "garcia " };
        for (var i = 0; i < 10; i++)
        {
            log.Search(T.AddMinutes(i), spellings[i % spellings.Length], $"1990-04-{i + 1:D2}", results: 0);
        }

        Of(log.Alerts(Later), AlertKind.DateOfBirthEnumeration).ShouldHaveSingleItem().Figures["variants"].ShouldBe("10");
    }

    [Fact]
    public void One_date_written_two_ways_is_one_date()
    {
        var log = new Observations();
        for (var i = 0; i < 9; i++)
        {
            log.Search(T.AddMinutes(i), "Garcia", $"1990-04-{i + 1:D2}");
        }

        log.Search(T.AddMinutes(20), "Garcia", "1990-4-1"); // the same as 1990-04-01

        Of(log.Alerts(Later), AlertKind.DateOfBirthEnumeration).ShouldBeEmpty();
    }

    [Fact]
    public void Refused_attempts_count_towards_enumeration()
    {
        var log = new Observations();
        for (var i = 0; i < 10; i++)
        {
            log.Refused(T.AddMinutes(i), "PARS-AGR-030", new Dictionary<string, string> { ["LastName"] = "Garcia", ["DateOfBirth"] = $"1990-05-{i + 1:D2}" });
        }

        Of(log.Alerts(Later), AlertKind.DateOfBirthEnumeration).ShouldHaveSingleItem();
    }

    [Fact]
    public void Half_of_twenty_requests_finding_nothing_is_fishing_and_nineteen_is_not_enough()
    {
        var log = new Observations();
        for (var i = 0; i < 19; i++)
        {
            log.Search(T.AddMinutes(i), $"Name{i}", $"1980-01-{i + 1:D2}", results: i % 2);
        }

        Of(log.Alerts(Later), AlertKind.ZeroResultFishing).ShouldBeEmpty();

        var twentieth = log.Read(T.AddMinutes(30), "26-0009999", found: false); // a read refused as not found found nothing
        var alert = Of(log.Alerts(Later), AlertKind.ZeroResultFishing).ShouldHaveSingleItem();
        alert.RaisedAt.ShouldBe(twentieth.Time);
        alert.Figures["zeroResult"].ShouldBe("11");
        alert.Figures["requests"].ShouldBe("20");
    }

    [Fact]
    public void Refusals_other_than_not_found_are_not_fishing()
    {
        var log = new Observations();
        for (var i = 0; i < 30; i++)
        {
            log.Refused(T.AddMinutes(i), "PARS-AGR-020", new Dictionary<string, string> { ["placeOfBirth"] = "Mexico" });
        }

        Of(log.Alerts(Later), AlertKind.ZeroResultFishing).ShouldBeEmpty();
    }

    [Fact]
    public void Ten_requests_within_an_hour_before_seven_in_the_morning_is_an_out_of_hours_burst()
    {
        var log = new Observations();
        var dawn = new DateTimeOffset(2026, 11, 3, 6, 0, 0, TimeSpan.FromHours(-5));
        for (var i = 0; i < 10; i++)
        {
            log.Search(dawn.AddMinutes(i * 6), $"N{i}", "1970-01-01");
        }

        var alert = Of(log.Alerts(Later), AlertKind.OutOfHoursBurst).ShouldHaveSingleItem();
        alert.Figures["requests"].ShouldBe("10");
    }

    [Fact]
    public void Working_hours_start_at_seven_local_time_to_the_minute_and_weekends_are_outside()
    {
        var thresholds = SweepThresholds.Default;
        var zone = Observations.Philadelphia;
        SweepDetectors.IsOutOfHours(new DateTimeOffset(2026, 11, 3, 6, 59, 59, TimeSpan.FromHours(-5)), zone, thresholds).ShouldBeTrue();
        SweepDetectors.IsOutOfHours(new DateTimeOffset(2026, 11, 3, 7, 0, 0, TimeSpan.FromHours(-5)), zone, thresholds).ShouldBeFalse();
        SweepDetectors.IsOutOfHours(new DateTimeOffset(2026, 11, 3, 18, 59, 59, TimeSpan.FromHours(-5)), zone, thresholds).ShouldBeFalse();
        SweepDetectors.IsOutOfHours(new DateTimeOffset(2026, 11, 3, 19, 0, 0, TimeSpan.FromHours(-5)), zone, thresholds).ShouldBeTrue();
        // The same instant written in UTC: 12:00Z is 07:00 in Philadelphia in November (EST) …
        SweepDetectors.IsOutOfHours(new DateTimeOffset(2026, 11, 3, 12, 0, 0, TimeSpan.Zero), zone, thresholds).ShouldBeFalse();
        // … and 11:30Z in July is 07:30 EDT.
        SweepDetectors.IsOutOfHours(new DateTimeOffset(2026, 7, 7, 11, 30, 0, TimeSpan.Zero), zone, thresholds).ShouldBeFalse();
        SweepDetectors.IsOutOfHours(new DateTimeOffset(2026, 11, 7, 12, 0, 0, TimeSpan.FromHours(-5)), zone, thresholds).ShouldBeTrue(); // Saturday noon
    }

    [Fact]
    public void Nine_requests_at_night_or_ten_spread_over_more_than_an_hour_are_not_a_burst()
    {
        var log = new Observations();
        var night = new DateTimeOffset(2026, 11, 3, 22, 0, 0, TimeSpan.FromHours(-5));
        for (var i = 0; i < 9; i++)
        {
            log.Search(night.AddMinutes(i), $"N{i}", "1970-01-01");
        }

        for (var i = 0; i < 10; i++)
        {
            log.Search(night.AddHours(3).AddMinutes(i * 7), $"M{i}", "1970-01-01"); // 63 minutes from first to last
        }

        Of(log.Alerts(Later), AlertKind.OutOfHoursBurst).ShouldBeEmpty();
    }

    [Fact]
    public void Twenty_five_distinct_persons_a_day_on_four_days_of_a_week_is_daily_probing()
    {
        var log = new Observations();
        PartnerAccessObservation? crossing = null;
        for (var day = 0; day < 4; day++)
        {
            for (var p = 0; p < 25; p++)
            {
                crossing = log.Disclosing(T.AddDays(day).AddMinutes(p), [$"pid:{day}-{p}"]);
            }
        }

        var alert = Of(log.Alerts(T.AddDays(10)), AlertKind.DailyProbing).ShouldHaveSingleItem();
        alert.RaisedAt.ShouldBe(crossing!.Time);
        alert.UserId.ShouldBe(7);
        alert.Figures["heavyDays"].ShouldBe("4");
        alert.Evidence.Count.ShouldBe(100);
    }

    [Fact]
    public void The_same_person_again_is_not_another_person_and_three_heavy_days_are_not_four()
    {
        var log = new Observations();
        for (var day = 0; day < 7; day++)
        {
            var distinct = day < 3 ? 25 : 24;
            for (var p = 0; p < 40; p++)
            {
                log.Disclosing(T.AddDays(day).AddMinutes(p), [$"pid:{day}-{p % distinct}"]);
            }
        }

        Of(log.Alerts(T.AddDays(10)), AlertKind.DailyProbing).ShouldBeEmpty();
    }

    [Fact]
    public void Heavy_days_more_than_a_week_apart_are_not_recurring()
    {
        var log = new Observations();
        foreach (var day in new[] { 0, 2, 4, 8 })
        {
            for (var p = 0; p < 25; p++)
            {
                log.Disclosing(T.AddDays(day).AddMinutes(p), [$"pid:{day}-{p}"]);
            }
        }

        Of(log.Alerts(T.AddDays(10)), AlertKind.DailyProbing).ShouldBeEmpty();
    }

    [Fact]
    public void Seven_analysts_six_of_them_under_the_user_threshold_still_make_the_agency_a_prober()
    {
        var log = new Observations();
        for (var day = 0; day < 4; day++)
        {
            for (var user = 1; user <= 7; user++)
            {
                log.Disclosing(T.AddDays(day).AddMinutes(user), Enumerable.Range(0, 25).Select(p => $"pid:{day}-{user}-{p}").Take(user == 7 ? 25 : 24), user: user); // 169 a day in all
            }
        }

        var alerts = Of(log.Alerts(T.AddDays(10)), AlertKind.DailyProbing);
        alerts.ShouldContain(a => a.UserId == null && a.Key.Contains("agency:ICE", StringComparison.Ordinal));
        alerts.ShouldContain(a => a.UserId == 7);
        alerts.ShouldNotContain(a => a.UserId == 1);
    }

    [Fact]
    public void Evaluating_again_later_gives_the_same_keys_and_ignores_requests_after_now()
    {
        var log = new Observations();
        for (var i = 0; i < 5; i++)
        {
            log.Read(T.AddMinutes(i), $"26-{3000 + i:D7}");
        }

        var first = log.Alerts(T.AddMinutes(4)).Select(a => a.Key).ToList();
        log.Read(T.AddMinutes(30), "26-0003005");
        var second = log.Alerts(T.AddHours(2)).Select(a => a.Key).ToList();

        first.ShouldHaveSingleItem();
        second.ShouldBe(first);
        log.Alerts(T.AddMinutes(3)).ShouldBeEmpty(); // the fifth read is after "now"
    }

    [Fact]
    public void Alerts_do_not_depend_on_the_order_observations_arrive_in_and_cite_only_what_they_were_given()
    {
        var names = new[] { "Garcia", "Nguyen", "Li", "Kim" };
        var alerted = 0;
        var genRequest = Gen.Select(Gen.Int[0, 3 * 24 * 60], Gen.Int[0, 3], Gen.Int[0, 40], Gen.Int[0, 2], Gen.Int[1, 2]);
        Gen.Select(genRequest.Array[10, 120], Gen.Int[0, int.MaxValue]).Sample((requests, shuffleSeed) =>
        {
            var log = new Observations();
            foreach (var (minute, name, number, kind, user) in requests)
            {
                var at = T.AddMinutes(minute);
                _ = kind switch
                {
                    0 => log.Read(at, $"26-{5000 + number:D7}", user: user),
                    1 => log.Search(at, names[name], $"1990-01-{(number % 28) + 1:D2}", results: number % 2, user: user),
                    _ => log.Disclosing(at, [$"pid:{number}"], user: user),
                };
            }

            var now = T.AddDays(2);
            var inOrder = log.Alerts(now);
            var random = new Random(shuffleSeed);
            var shuffled = log.All.OrderBy(_ => random.Next()).ToList();
            var again = SweepDetectors.Evaluate(shuffled, now, Observations.Philadelphia);

            again.Select(a => (a.Key, a.RaisedAt, string.Join(",", a.Evidence))).ShouldBe(inOrder.Select(a => (a.Key, a.RaisedAt, string.Join(",", a.Evidence))));
            var given = log.All.Where(o => o.Time <= now).Select(o => o.EntryIndex).ToHashSet();
            inOrder.ShouldAllBe(a => a.RaisedAt <= now && a.Evidence.Count > 0 && a.Evidence.All(given.Contains));
            Interlocked.Add(ref alerted, inOrder.Count);
        }, iter: 200);

        // The random traffic does cross the rules (the property is not vacuous). How often varies with the run's
        // seed (41 to well over 100 in 200 samples seen); 10 keeps the check without making the suite flaky.
        alerted.ShouldBeGreaterThan(10);

    }
}
