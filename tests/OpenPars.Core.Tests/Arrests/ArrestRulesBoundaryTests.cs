using OpenPars.Core.Arrests;
using OpenPars.Core.Common;
using OpenPars.Testing;
using Shouldly;
using Xunit;

namespace OpenPars.Core.Tests.Arrests;

/// <summary>
/// The numeric rules of booking and correcting an arrest at n − 1, n and n + 1: the five-minute clock skew and
/// occurredAt against bookedAt to the tick, the date of birth (today, 120 years), the counts of aliases, parties,
/// charges and counts, the length of names and of a correction's reason.
/// </summary>
public class ArrestRulesBoundaryTests
{
    private static readonly ReferenceData Reference = ReferenceData.LoadDefault();
    private static readonly DateTimeOffset Now = TestClock.Start;
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    /// <summary>The field:rule pairs a booking breaks (none: it is accepted).</summary>
    private static List<string> Broken(BookArrest request, DateTimeOffset? now = null)
    {
        var errors = new ValidationErrors();
        Booking.Validate(request, [Agencies.Roles.BookingOfficer], Reference, now ?? Now, errors);
        return [.. errors.All.Select(e => $"{e.Field}:{e.Rule}")];
    }

    private static ArrestBuilder Valid() => new(Reference);

    [Fact]
    public void A_booking_up_to_exactly_five_minutes_ahead_of_the_server_clock_is_accepted()
    {
        Booking.ClockSkewAllowance.ShouldBe(TimeSpan.FromMinutes(5));
        var limit = Now + Booking.ClockSkewAllowance;
        Broken(Valid().BookedAt(limit - Tick).Build()).ShouldBeEmpty();
        Broken(Valid().BookedAt(limit).Build()).ShouldBeEmpty();
        Broken(Valid().BookedAt(limit + Tick).Build()).ShouldBe(["bookedAt:not-in-future"]);
    }

    [Fact]
    public void An_offense_may_have_happened_at_the_booking_instant_but_not_one_tick_after()
    {
        var bookedAt = Now.AddHours(-1);
        Broken(Valid().BookedAt(bookedAt).OccurredAt(bookedAt - Tick).Build()).ShouldBeEmpty();
        Broken(Valid().BookedAt(bookedAt).OccurredAt(bookedAt).Build()).ShouldBeEmpty();
        Broken(Valid().BookedAt(bookedAt).OccurredAt(bookedAt + Tick).Build()).ShouldBe(["incident.occurredAt:not-after-booking"]);
    }

    [Fact]
    public void A_date_of_birth_may_be_today_but_not_tomorrow_in_UTC()
    {
        var today = DateOnly.FromDateTime(Now.UtcDateTime);
        Broken(Valid().WithDateOfBirth(today.AddDays(-1)).Build()).ShouldBeEmpty();
        Broken(Valid().WithDateOfBirth(today).Build()).ShouldBeEmpty();
        // Born tomorrow is also booked before birth (the booking-time rule of the charter issue).
        Broken(Valid().WithDateOfBirth(today.AddDays(1)).Build()).ShouldBe(["person.dateOfBirth:not-in-future", "bookedAt:not-before-birth"]);
    }

    [Fact]
    public void A_date_of_birth_may_be_exactly_120_years_ago_but_not_a_day_more()
    {
        PersonRules.MaxAgeYears.ShouldBe(120);
        var limit = DateOnly.FromDateTime(Now.UtcDateTime).AddYears(-120);
        Broken(Valid().WithDateOfBirth(limit.AddDays(1)).Build()).ShouldBeEmpty();
        Broken(Valid().WithDateOfBirth(limit).Build()).ShouldBeEmpty();
        Broken(Valid().WithDateOfBirth(limit.AddDays(-1)).Build()).ShouldBe(["person.dateOfBirth:max-age"]);
    }

    [Theory]
    [InlineData(19, true)]
    [InlineData(20, true)]
    [InlineData(21, false)]
    public void At_most_20_aliases(int count, bool accepted) =>
        Broken(Valid().WithPerson(p => p with { Aliases = [.. Enumerable.Range(0, count).Select(i => new PersonName { LastName = $"Alias{i}", FirstName = "A" })] }).Build())
            .ShouldBe(accepted ? [] : ["person.aliases:max-items"]);

    [Theory]
    [InlineData(49, true)]
    [InlineData(50, true)]
    [InlineData(51, false)]
    public void At_most_50_involved_parties(int count, bool accepted)
    {
        var builder = Valid();
        for (var i = 0; i < count; i++)
        {
            builder.WithWitness($"Witness {i}");
        }

        Broken(builder.Build()).ShouldBe(accepted ? [] : ["involvedParties:max-items"]);
    }

    [Theory]
    [InlineData(0, "charges:at-least-one-charge")]
    [InlineData(1, null)]
    [InlineData(49, null)]
    [InlineData(50, null)]
    [InlineData(51, "charges:max-items")]
    public void One_to_50_charges(int count, string? broken)
    {
        ChargeRules.MaxCharges.ShouldBe(50);
        var request = Valid().Build() with { Charges = [.. Enumerable.Range(0, count).Select(_ => new Charge { Citation = Valid().DefaultCitation, Counts = 1 })] };
        Broken(request).ShouldBe(broken is null ? [] : [broken]);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(2, true)]
    [InlineData(998, true)]
    [InlineData(999, true)]
    [InlineData(1000, false)]
    public void A_charge_has_1_to_999_counts(int counts, bool accepted)
    {
        ChargeRules.MaxCounts.ShouldBe(999);
        Broken(Valid().WithCharge(Valid().DefaultCitation, counts).Build()).ShouldBe(accepted ? [] : ["charges[0].counts:counts-range"]);
    }

    [Theory]
    [InlineData(99, true)]
    [InlineData(100, true)]
    [InlineData(101, false)]
    public void A_name_is_at_most_100_characters(int length, bool accepted) =>
        Broken(Valid().WithName(new string('N', length), "Jane").Build()).ShouldBe(accepted ? [] : ["person.lastName:max-length"]);

    [Theory]
    [InlineData("", "reason:required")]
    [InlineData("abcd", "reason:min-length")] // 4
    [InlineData("abcde", null)]               // exactly the minimum, 5
    [InlineData("abcdef", null)]
    public void A_correction_states_its_reason_in_at_least_5_characters(string reason, string? broken)
    {
        var booked = Booking.Decide(Valid().Build(), "26-0000001", TestActors.BookingOfficer, [Agencies.Roles.BookingOfficer], Reference, Now);
        var current = ArrestProjection.Fold([booked]);
        var request = new CorrectArrest { Reason = reason, District = Reference.Districts.All[^1].Code };
        if (broken is null)
        {
            Correction.Decide(current, request, TestActors.BookingOfficer, Reference, Now).Reason.ShouldBe(reason);
            return;
        }

        var refused = Should.Throw<DomainException>(() => Correction.Decide(current, request, TestActors.BookingOfficer, Reference, Now));
        refused.Errors.ShouldNotBeNull().All.Select(e => $"{e.Field}:{e.Rule}").ShouldBe([broken]);
    }
}
