using OpenPars.Core.Arrests;

namespace OpenPars.Core.Oversight;

/// <summary>Where a person was born, as far as the record says.</summary>
public enum BirthOrigin { UnitedStates, OutsideUnitedStates, Unknown }

/// <summary>
/// One person as the disparity measure sees them: a stable key (so each person counts once however often they
/// were looked up or booked) and the attributes compared. Built from an arrest by <see cref="FromArrest"/>;
/// nothing here is ever shown to a partner.
/// </summary>
public sealed record OversightPerson(string PersonKey, BirthOrigin Origin, Race? Race, Ethnicity? Ethnicity, Sex? Sex, int? AgeAtBooking)
{
    /// <summary>The person of an arrest, aged at the (UTC) booking date.</summary>
    public static OversightPerson FromArrest(ArrestRecord arrest)
    {
        var person = arrest.Person;
        int? age = person.DateOfBirth is { } dob ? AgeOn(dob, DateOnly.FromDateTime(arrest.BookedAt.UtcDateTime)) : null;
        return new OversightPerson(PersonKeyOf(arrest), BirthCountries.OriginOf(person.PlaceOfBirth?.Country), person.Race, person.Ethnicity, person.Sex, age);
    }

    /// <summary>
    /// The person behind an arrest: the Philadelphia photo ID (PID) when recorded, else the state ID, else the
    /// FBI number, else the arrest itself (a person without any identifier counts once per arrest, which can
    /// only overstate the number of distinct persons, never merge two people).
    /// </summary>
    public static string PersonKeyOf(ArrestRecord arrest)
    {
        var ids = arrest.Person.Identifiers;
        return !string.IsNullOrWhiteSpace(ids.Pid) ? "pid:" + ids.Pid.Trim()
            : !string.IsNullOrWhiteSpace(ids.Sid) ? "sid:" + ids.Sid.Trim()
            : !string.IsNullOrWhiteSpace(ids.FbiNumber) ? "fbi:" + ids.FbiNumber.Trim()
            : "arrest:" + arrest.ArrestNumber;
    }

    public static int AgeOn(DateOnly dateOfBirth, DateOnly day)
    {
        var age = day.Year - dateOfBirth.Year;
        return dateOfBirth.AddYears(age) > day ? age - 1 : age;
    }
}
