using CsCheck;
using OpenPars.Core.Agreements;
using OpenPars.Core.Arrests;
using OpenPars.Core.Policy;
using Shouldly;
using Xunit;

namespace OpenPars.Core.Tests.Policy;

/// <summary>
/// adultsOnly (18 or older on the UTC date of booking; no date of birth = not adult), checked against the test's
/// own age arithmetic (<see cref="PartnerOracle.AgeOn"/>), at the day boundary of the 18th birthday to the tick.
/// </summary>
public class AdulthoodTests
{
    private static readonly DateTimeOffset Now = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);
    private static readonly RowScope AdultsOnly = new() { AdultsOnly = true };

    private static bool Adult(DateOnly? birth, DateTimeOffset bookedAt)
    {
        var record = TestArrests.Record(bookedAt: bookedAt) with { Person = TestArrests.Record().Person with { DateOfBirth = birth } };
        var adult = RowScopeRules.IsAdultAtBooking(record);
        RowScopeRules.InScope(record, AdultsOnly, Now).ShouldBe(adult);
        return adult;
    }

    private static DateTimeOffset Utc(int year, int month, int day) => new(year, month, day, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Aged_17_years_364_days_is_a_minor_and_18_years_is_an_adult_from_the_first_tick_of_the_birthday()
    {
        var birth = new DateOnly(2008, 3, 1);
        Adult(birth, Utc(2026, 3, 1) - Tick).ShouldBeFalse(); // 17 years 364 days, last tick
        Adult(birth, Utc(2026, 3, 1)).ShouldBeTrue();
        Adult(birth, Utc(2026, 3, 1) + Tick).ShouldBeTrue();
        Adult(birth, Utc(2026, 3, 2)).ShouldBeTrue();
        Adult(birth, Utc(2026, 2, 28)).ShouldBeFalse();
    }

    [Fact]
    public void The_booking_date_is_the_UTC_date_whatever_the_offset_the_booking_was_written_with()
    {
        var birth = new DateOnly(2008, 3, 1);
        Adult(birth, new DateTimeOffset(2026, 2, 28, 19, 0, 0, TimeSpan.FromHours(-5))).ShouldBeTrue();  // 00:00 UTC on 1 March
        Adult(birth, new DateTimeOffset(2026, 2, 28, 18, 59, 59, TimeSpan.FromHours(-5))).ShouldBeFalse(); // 23:59:59 UTC on 28 February
        Adult(birth, new DateTimeOffset(2026, 3, 1, 0, 30, 0, TimeSpan.FromHours(1))).ShouldBeFalse();    // 23:30 UTC on 28 February
    }

    [Fact]
    public void A_person_born_on_29_February_is_adult_from_28_February_of_the_common_year_of_the_18th_birthday()
    {
        // The product's rule today (DateOnly.AddYears): a leap-day birthday falls on 28 February in a common year.
        // The more cautious reading (1 March) would keep such a person out of scope one day longer: see docs/testing.md.
        var birth = new DateOnly(2008, 2, 29);
        Adult(birth, Utc(2026, 2, 28) - Tick).ShouldBeFalse();
        Adult(birth, Utc(2026, 2, 28)).ShouldBeTrue();
        Adult(birth, Utc(2026, 3, 1)).ShouldBeTrue();
        PartnerOracle.IsAdult(birth, Utc(2026, 2, 28)).ShouldBeTrue();
        PartnerOracle.IsAdult(birth, Utc(2026, 2, 28) - Tick).ShouldBeFalse();
    }

    [Fact]
    public void Without_a_date_of_birth_nobody_is_an_adult()
    {
        Adult(null, Utc(2026, 3, 1)).ShouldBeFalse();
        RowScopeRules.InScope(TestArrests.Record() with { Person = new Person() }, AdultsOnly, Now).ShouldBeFalse();
        RowScopeRules.InScope(TestArrests.Record() with { Person = new Person() }, new RowScope { AdultsOnly = false }, Now).ShouldBeTrue();
    }

    /// <summary>Birth dates 0–40 years before bookings, half of them within two days of an 18th birthday (29 February
    /// births among them), bookings at any tick of the day and written with any whole-hour offset.</summary>
    private static readonly Gen<(DateOnly Birth, DateTimeOffset BookedAt)> GenBirthAndBooking =
        Gen.Select(Gen.Int[0, 365 * 12], Gen.Long[0, TimeSpan.TicksPerDay - 1], Gen.Int[-12, 14], Gen.Int[0, 40], Gen.Int[-2, 2], Gen.Int[0, 5])
            .Select((day, tick, offset, age, shift, dice) =>
            {
                var bookedUtc = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(day).AddTicks(tick);
                var bookingDay = DateOnly.FromDateTime(bookedUtc.UtcDateTime);
                var birth = dice switch
                {
                    0 => LeapDayNear(bookingDay.Year - PartnerOracle.AdultAge),
                    < 3 => bookingDay.AddYears(-PartnerOracle.AdultAge).AddDays(shift),
                    _ => bookingDay.AddYears(-age).AddDays(shift * 37),
                };
                return (birth, bookedUtc.ToOffset(TimeSpan.FromHours(offset)));
            });

    private static DateOnly LeapDayNear(int year) => new(Enumerable.Range(0, 8).Select(back => year - back).First(DateTime.IsLeapYear), 2, 29);

    [Fact]
    public void Adulthood_at_booking_is_what_the_birthday_arithmetic_says() =>
        GenBirthAndBooking.Sample((birth, bookedAt) => Adult(birth, bookedAt).ShouldBe(PartnerOracle.IsAdult(birth, bookedAt), $"born {birth}, booked {bookedAt:O}"),
            iter: 20_000);
}
