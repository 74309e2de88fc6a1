using OpenPars.Core.Arraignment;
using OpenPars.Core.Arrests;
using OpenPars.Core.Arrests.Reference;

namespace OpenPars.Core.Tests.Policy;

/// <summary>Arrest records whose protected values are recognisable in any output (VICTIM-…, WITNESS-…, …),
/// so a test can search a partner response for them.</summary>
public static class TestArrests
{
    public const string VictimMarker = "VICTIM-";
    public const string WitnessMarker = "WITNESS-";
    public const string NarrativeMarker = "NARRATIVE-";
    public const string BirthplaceMarker = "BIRTHPLACE-";
    public const string AddressMarker = "ADDRESS-";

    public static ArrestRecord Record(
        string arrestNumber = "26-000001",
        ArrestStatus status = ArrestStatus.Charged,
        string district = "01",
        DateTimeOffset? bookedAt = null,
        DateOnly? dateOfBirth = null,
        OffenseGrade? grade = OffenseGrade.F2,
        string ssn = "123-45-6789") => new()
    {
        ArrestNumber = arrestNumber,
        Status = status,
        Version = 1,
        District = district,
        BookedAt = bookedAt ?? new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero),
        Incident = new Incident
        {
            OffenseLocation = "1400 block of Market St",
            OccurredAt = new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero),
            Narrative = NarrativeMarker + arrestNumber,
        },
        Person = new Person
        {
            LastName = "Doe",
            FirstName = "Jane",
            MiddleName = "Q",
            Aliases = [new PersonName { LastName = "Roe", FirstName = "Janet" }],
            DateOfBirth = dateOfBirth ?? new DateOnly(1987, 6, 5),
            Sex = Sex.Female,
            Race = Race.Unknown,
            Ethnicity = Ethnicity.Hispanic,
            Ssn = ssn,
            PlaceOfBirth = new PlaceOfBirth { City = BirthplaceMarker + "City", Country = BirthplaceMarker + "Country" },
            Address = new PostalAddress { Street = AddressMarker + "Street", City = "Philadelphia" },
            Identifiers = new PersonIdentifiers { Pid = "P1", Sid = "S1", FbiNumber = "F1" },
        },
        Charges = [new Charge { Citation = "18 § 2701(a)(1)", Description = "Simple assault", Grade = grade, Counts = 1 }],
        InvolvedParties =
        [
            new InvolvedParty { Role = InvolvementRole.Victim, Name = VictimMarker + arrestNumber, Contact = VictimMarker + "contact" },
            new InvolvedParty { Role = InvolvementRole.Witness, Name = WitnessMarker + arrestNumber },
        ],
        Arraignment = new ArraignmentRecord
        {
            Magistrate = "Judge",
            BailType = BailType.Monetary,
            BailAmount = 1000m,
            DocketNumber = "MC-51-CR-0001234-2026",
            NextHearingDate = new DateOnly(2026, 4, 1),
            NextHearingCourtroom = "1104",
            Custody = CustodyOutcome.Held,
        },
    };
}
