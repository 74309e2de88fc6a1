using OpenPars.Core.Arraignment;
using OpenPars.Core.Arrests;
using OpenPars.Core.Charging;

namespace OpenPars.Testing;

/// <summary>Who does what in tests: one user at each desk of the three stakeholder agencies.</summary>
public static class TestActors
{
    public static Actor BookingOfficer { get; } = new(1, "officer.kowalski", "PPD");
    public static Actor ChargingAttorney { get; } = new(2, "ada.okafor", "DAO");
    public static Actor Magistrate { get; } = new(3, "magistrate.lindqvist", "FJD");
}

/// <summary>
/// A valid <see cref="BookArrest"/> with every section filled in (so a round-trip test covers every field), changed
/// one part at a time: <c>new ArrestBuilder().WithName("Ñúñez", "Zoë").WithVictim("Jane Roe").Build()</c>.
/// Statute and district come from the reference data, so the builder keeps working as the catalogs grow.
/// </summary>
public sealed class ArrestBuilder
{
    private readonly ReferenceData _reference;
    private string _district;
    private DateTimeOffset? _bookedAt;
    private DateTimeOffset? _occurredAt;
    private Officer _officer = new() { BadgeNumber = "4711", Name = "Kowalski" };
    private string _location = "1200 Market St";
    private string? _narrative = "Struck the complainant outside the station.";
    private Person _person;
    private readonly List<Charge> _charges = [];
    private readonly List<InvolvedParty> _parties = [];

    public ArrestBuilder(ReferenceData? reference = null)
    {
        _reference = reference ?? ReferenceData.LoadDefault();
        _district = _reference.Districts.All[0].Code;
        _person = new Person
        {
            LastName = "Doe",
            FirstName = "John",
            MiddleName = "Quincy",
            Aliases = [new PersonName { LastName = "Dough", FirstName = "Johnny" }],
            DateOfBirth = new DateOnly(1990, 5, 17),
            Sex = Sex.Male,
            Race = Race.White,
            Ethnicity = Ethnicity.NonHispanic,
            Ssn = "123-45-6789",
            PlaceOfBirth = new PlaceOfBirth { City = "Lagos", Country = "Nigeria" },
            Address = new PostalAddress { Street = "1 Elm St", City = "Philadelphia", State = "PA", PostalCode = "19107" },
            Identifiers = new PersonIdentifiers { Pid = "1234567", Sid = "PA123456", FbiNumber = "FBI9876543" },
        };
    }

    /// <summary>The citation of the first statute in the catalog: a charge any booking may carry.</summary>
    public string DefaultCitation => _reference.Statutes.All[0].Citation;

    public ArrestBuilder WithName(string lastName, string firstName, string? middleName = null) =>
        WithPerson(p => p with { LastName = lastName, FirstName = firstName, MiddleName = middleName });

    public ArrestBuilder WithDateOfBirth(DateOnly? dateOfBirth) => WithPerson(p => p with { DateOfBirth = dateOfBirth });

    public ArrestBuilder WithSsn(string? ssn) => WithPerson(p => p with { Ssn = ssn });

    /// <summary>Any other change to the person.</summary>
    public ArrestBuilder WithPerson(Func<Person, Person> change)
    {
        _person = change(_person);
        return this;
    }

    public ArrestBuilder InDistrict(string district)
    {
        _district = district;
        return this;
    }

    /// <summary>When the booking happened; without it, the server's clock at booking.</summary>
    public ArrestBuilder BookedAt(DateTimeOffset? bookedAt)
    {
        _bookedAt = bookedAt;
        return this;
    }

    public ArrestBuilder OccurredAt(DateTimeOffset occurredAt)
    {
        _occurredAt = occurredAt;
        return this;
    }

    public ArrestBuilder WithOfficer(string badgeNumber, string name)
    {
        _officer = new Officer { BadgeNumber = badgeNumber, Name = name };
        return this;
    }

    public ArrestBuilder WithIncident(string location, string? narrative)
    {
        _location = location;
        _narrative = narrative;
        return this;
    }

    /// <summary>Adds a charge; without any, the booking carries one count of <see cref="DefaultCitation"/>.</summary>
    public ArrestBuilder WithCharge(string citation, int counts = 1, string? description = null, Core.Arrests.Reference.OffenseGrade? grade = null)
    {
        _charges.Add(new Charge { Citation = citation, Counts = counts, Description = description, Grade = grade });
        return this;
    }

    public ArrestBuilder WithVictim(string name, string? contact = null) => WithParty(InvolvementRole.Victim, name, contact);

    public ArrestBuilder WithWitness(string name, string? contact = null) => WithParty(InvolvementRole.Witness, name, contact);

    public BookArrest Build() => new()
    {
        District = _district,
        BookedAt = _bookedAt,
        ArrestingOfficer = _officer,
        Incident = new Incident
        {
            OffenseLocation = _location,
            OccurredAt = _occurredAt ?? (_bookedAt ?? TestClock.Start) - TimeSpan.FromHours(1),
            Narrative = _narrative,
        },
        Person = _person,
        Charges = _charges.Count > 0 ? [.. _charges] : [new Charge { Citation = DefaultCitation, Counts = 1 }],
        InvolvedParties = [.. _parties],
    };

    private ArrestBuilder WithParty(InvolvementRole role, string name, string? contact)
    {
        _parties.Add(new InvolvedParty { Role = role, Name = name, Contact = contact });
        return this;
    }
}

/// <summary>Valid requests for the later desks.</summary>
public static class Decisions
{
    public static ChargingDecision Approve(string? reason = null) => new() { Outcome = ChargingOutcome.Approve, Reason = reason };

    public static ChargingDecision Decline(string reason = "Insufficient evidence.") => new() { Outcome = ChargingOutcome.Decline, Reason = reason };

    public static ChargingDecision Modify(params Charge[] charges) => new() { Outcome = ChargingOutcome.Modify, Charges = [.. charges] };

    /// <summary>Monetary bail, released, next hearing two weeks after <paramref name="today"/>.</summary>
    public static ArraignmentRecord Arraignment(DateTimeOffset today) => new()
    {
        Magistrate = "Lindqvist",
        BailType = BailType.Monetary,
        BailAmount = 2500.50m,
        Conditions = ["Stay away from the complainant", "Report weekly"],
        DocketNumber = "MC-51-CR-0001234-2026",
        NextHearingDate = DateOnly.FromDateTime(today.UtcDateTime).AddDays(14),
        NextHearingCourtroom = "1001",
        Custody = CustodyOutcome.Released,
    };
}
