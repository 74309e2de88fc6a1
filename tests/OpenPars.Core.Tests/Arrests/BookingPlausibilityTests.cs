using OpenPars.Core.Agencies;
using OpenPars.Core.Arrests;
using OpenPars.Core.Common;
using OpenPars.Testing;
using Shouldly;
using Xunit;

namespace OpenPars.Core.Tests.Arrests;

/// <summary>Issue 9: identifiers are ASCII; a booking is not before the person's birth, and not older than the
/// backdating window unless a records admin states why (recorded in the event).</summary>
public class BookingPlausibilityTests
{
    private static readonly ReferenceData Reference = ReferenceData.LoadDefault();
    private static readonly DateTimeOffset Now = TestClock.Start;
    private static readonly string[] BookingOfficer = [Roles.BookingOfficer];
    private static readonly string[] RecordsAdmin = [Roles.RecordsAdmin];

    private static ArrestBooked Book(BookArrest request, IReadOnlyCollection<string>? roles = null, BookingOptions? options = null) =>
        Booking.Decide(request, "26-0000001", TestActors.BookingOfficer, roles ?? BookingOfficer, Reference, Now, options);

    private static FieldError Refusal(Func<ArrestBooked> book)
    {
        var refused = Should.Throw<DomainException>(() => book());
        refused.Code.ShouldBe(ErrorCodes.ValidationFailed);
        return refused.Errors!.All.ShouldHaveSingleItem();
    }

    public static TheoryData<string, string, Func<Person, Person>> NonAsciiIdentifiers => new()
    {
        { "SSN in Arabic-Indic digits", "person.ssn", p => p with { Ssn = "٢١٩-٠٩-٩٩٩٩" } },
        { "SSN in fullwidth digits", "person.ssn", p => p with { Ssn = "２１９-０９-９９９９" } },
        { "SSN in Devanagari digits", "person.ssn", p => p with { Ssn = "२१९-०९-९९९९" } },
        { "SSN with one Arabic-Indic digit", "person.ssn", p => p with { Ssn = "219-09-999٩" } },
        { "SID in Arabic-Indic digits", "person.identifiers.sid", p => p with { Identifiers = p.Identifiers with { Sid = "٢٨٥١٩٤٦٣" } } },
        { "FBI number in fullwidth", "person.identifiers.fbiNumber", p => p with { Identifiers = p.Identifiers with { FbiNumber = "１２３４５６ＡＢ１" } } },
        { "PID in Arabic-Indic digits", "person.identifiers.pid", p => p with { Identifiers = p.Identifiers with { Pid = "١٠٧٨٨٤٤" } } },
        { "PID with a Cyrillic letter", "person.identifiers.pid", p => p with { Identifiers = p.Identifiers with { Pid = "P\u04351" } } },
    };

    [Theory]
    [MemberData(nameof(NonAsciiIdentifiers))]
    public void An_identifier_in_non_ASCII_characters_is_refused_and_never_stored(string name, string field, Func<Person, Person> change)
    {
        var error = Refusal(() => Book(new ArrestBuilder(Reference).WithPerson(change).Build()));

        error.Field.ShouldBe(field, name);
        error.Rule.ShouldBe(PersonRules.AsciiOnlyRule, name);
        error.Message.ShouldNotContain("٩");
    }

    [Fact]
    public void ASCII_identifiers_are_accepted_as_written()
    {
        var booked = Book(new ArrestBuilder(Reference).WithPerson(p => p with
        {
            Ssn = "219-09-9999",
            Identifiers = new PersonIdentifiers { Pid = "1078844", Sid = "285-19-46-3", FbiNumber = "123456AB1" },
        }).Build());

        booked.Person.Ssn.ShouldBe("219-09-9999");
        booked.Person.Identifiers.Sid.ShouldBe("285-19-46-3");
    }

    [Theory]
    [InlineData(-1, false)]
    [InlineData(0, true)]
    [InlineData(1, true)]
    public void A_booking_is_not_before_the_persons_birth(int daysAfterBirth, bool accepted)
    {
        var dob = DateOnly.FromDateTime(Now.UtcDateTime).AddDays(-3);
        var bookedAt = new DateTimeOffset(dob.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero).AddDays(daysAfterBirth);
        var request = new ArrestBuilder(Reference).WithDateOfBirth(dob).BookedAt(bookedAt).OccurredAt(bookedAt.AddMinutes(-5)).Build();

        if (accepted)
        {
            Book(request).BookedAt.ShouldBe(bookedAt);
        }
        else
        {
            var error = Refusal(() => Book(request));
            (error.Field, error.Rule).ShouldBe(("bookedAt", "not-before-birth"));
        }
    }

    [Theory]
    [InlineData(-1, null)]
    [InlineData(0, null)]
    [InlineData(1, "backdating-reason-required")]
    public void A_booking_up_to_the_window_in_the_past_needs_no_reason_and_one_second_more_does(int secondsPastTheWindow, string? rule)
    {
        var bookedAt = Now - BookingOptions.Default.BackdatingWindow - TimeSpan.FromSeconds(secondsPastTheWindow);
        var request = new ArrestBuilder(Reference).BookedAt(bookedAt).OccurredAt(bookedAt.AddHours(-1)).Build();

        if (rule is null)
        {
            Book(request).BackdatingReason.ShouldBeNull();
        }
        else
        {
            Refusal(() => Book(request)).Rule.ShouldBe(rule);
        }
    }

    [Fact]
    public void Only_a_records_admin_backdates_and_the_reason_is_recorded()
    {
        var bookedAt = Now.AddDays(-30);
        var request = new ArrestBuilder(Reference).BookedAt(bookedAt).OccurredAt(bookedAt.AddHours(-1)).Build() with
        {
            BackdatingReason = "  Paper booking from the district 24 outage, keyed from the original form  ",
        };

        var officer = Refusal(() => Book(request, BookingOfficer));
        (officer.Field, officer.Rule).ShouldBe(("backdatingReason", "backdating-records-admin-only"));

        var booked = Book(request, RecordsAdmin);
        booked.BookedAt.ShouldBe(bookedAt);
        booked.BackdatingReason.ShouldBe("Paper booking from the district 24 outage, keyed from the original form");
    }

    [Theory]
    [InlineData(9, false)]
    [InlineData(10, true)]
    [InlineData(11, true)]
    public void A_backdating_reason_has_the_minimum_length_and_one_less_is_refused(int length, bool accepted)
    {
        var bookedAt = Now.AddDays(-8);
        var request = new ArrestBuilder(Reference).BookedAt(bookedAt).OccurredAt(bookedAt.AddHours(-1)).Build() with { BackdatingReason = new string('r', length) };

        if (accepted)
        {
            Book(request, RecordsAdmin).BackdatingReason!.Length.ShouldBe(length);
        }
        else
        {
            Refusal(() => Book(request, RecordsAdmin)).Rule.ShouldBe("backdating-reason-length");
        }
    }

    [Fact]
    public void The_window_is_configurable_and_a_reason_inside_it_is_not_recorded()
    {
        var bookedAt = Now.AddDays(-2);
        var request = new ArrestBuilder(Reference).BookedAt(bookedAt).OccurredAt(bookedAt.AddHours(-1)).Build() with { BackdatingReason = "Entered late after the system outage" };

        Book(request, RecordsAdmin).BackdatingReason.ShouldBeNull(); // inside the default 7 days: nothing was backdated
        Refusal(() => Book(request with { BackdatingReason = null }, BookingOfficer, new BookingOptions { BackdatingWindow = TimeSpan.FromDays(1) }))
            .Rule.ShouldBe("backdating-reason-required");
    }

    [Fact]
    public void A_correction_cannot_move_the_birth_after_the_booking()
    {
        var booked = Book(new ArrestBuilder(Reference).Build());
        var record = ArrestProjection.Apply(null, booked);
        var correction = new CorrectArrest { Reason = "Date of birth keyed wrong", Person = booked.Person with { DateOfBirth = DateOnly.FromDateTime(Now.UtcDateTime).AddDays(1) } };

        var refused = Should.Throw<DomainException>(() => Correction.Decide(record, correction, TestActors.BookingOfficer, Reference, Now.AddDays(2)));
        refused.Errors!.All.ShouldContain(e => e.Field == "person.dateOfBirth" && e.Rule == "not-before-birth");
    }
}
