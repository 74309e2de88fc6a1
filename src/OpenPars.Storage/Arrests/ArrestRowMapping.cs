using System.Text.Json;
using OpenPars.Core.Arraignment;
using OpenPars.Core.Arrests;
using OpenPars.Core.Arrests.Reference;
using OpenPars.Core.Charging;
using OpenPars.Core.Common;

namespace OpenPars.Storage.Arrests;

/// <summary>Between the domain's <see cref="ArrestRecord"/> and the flat columns that make it queryable.</summary>
public static class ArrestRowMapping
{
    public static void Write(ArrestRow row, ArrestRecord record)
    {
        row.ArrestNumber = record.ArrestNumber;
        row.Status = ArrestStatusMachine.ToCode(record.Status);
        row.Version = record.Version;
        row.District = record.District;
        row.BookedAt = record.BookedAt;
        row.LastChangedAt = record.LastChangedAt;
        row.BookedByUserId = record.BookedBy.UserId;
        row.BookedByName = record.BookedBy.UserName;
        row.BookedByAgency = record.BookedBy.AgencyCode;
        row.OfficerBadge = record.ArrestingOfficer.BadgeNumber;
        row.OfficerName = record.ArrestingOfficer.Name;
        row.OffenseLocation = record.Incident.OffenseLocation;
        row.OccurredAt = record.Incident.OccurredAt;
        row.Narrative = record.Incident.Narrative;

        var person = record.Person;
        row.LastName = person.LastName;
        row.FirstName = person.FirstName;
        row.MiddleName = person.MiddleName;
        row.LastNameKey = NameKey(person.LastName);
        row.FirstNameKey = NameKey(person.FirstName);
        row.AliasesJson = JsonSerializer.Serialize(person.Aliases, OpenParsJson.Options);
        row.DateOfBirth = person.DateOfBirth;
        row.AdultAtBooking = Core.Policy.RowScopeRules.IsAdultAtBooking(record);
        row.Sex = EnumCode(person.Sex);
        row.Race = EnumCode(person.Race);
        row.Ethnicity = EnumCode(person.Ethnicity);
        row.Ssn = person.Ssn;
        row.BirthCity = person.PlaceOfBirth?.City;
        row.BirthCountry = person.PlaceOfBirth?.Country;
        row.AddressStreet = person.Address?.Street;
        row.AddressCity = person.Address?.City;
        row.AddressState = person.Address?.State;
        row.AddressPostalCode = person.Address?.PostalCode;
        row.Pid = person.Identifiers.Pid;
        row.Sid = person.Identifiers.Sid;
        row.FbiNumber = person.Identifiers.FbiNumber;

        row.ChargingOutcome = EnumCode(record.Charging?.Outcome);
        row.ChargingReason = record.Charging?.Reason;
        row.ChargingAttorney = record.Charging?.Attorney;
        row.ChargingAgency = record.Charging?.AgencyCode;
        row.ChargedAt = record.Charging?.DecidedAt;

        var arraignment = record.Arraignment;
        row.Magistrate = arraignment?.Magistrate;
        row.BailType = EnumCode(arraignment?.BailType);
        row.BailAmount = arraignment?.BailAmount;
        row.BailConditionsJson = arraignment is null ? null : JsonSerializer.Serialize(arraignment.Conditions, OpenParsJson.Options);
        row.DocketNumber = arraignment?.DocketNumber;
        row.NextHearingDate = arraignment?.NextHearingDate;
        row.NextHearingCourtroom = arraignment?.NextHearingCourtroom;
        row.Custody = EnumCode(arraignment?.Custody);
        row.ArraignedAt = arraignment?.ArraignedAt;

        if (!SameCharges(row.Charges, record.Charges))
        {
            row.Charges.Clear();
            row.Charges.AddRange(record.Charges.Select((c, i) => new ChargeRow
            {
                Position = i,
                Citation = c.Citation,
                Description = c.Description ?? "",
                Grade = OffenseGrades.ToCode(c.Grade ?? OffenseGrade.Ungraded),
                Counts = c.Counts,
            }));
        }
    }

    public static ArrestRecord Read(ArrestRow row, IReadOnlyList<InvolvedPartyRow> parties) => new()
    {
        ArrestNumber = row.ArrestNumber,
        Status = ArrestStatusMachine.TryParse(row.Status, out var status) ? status : throw new InvalidOperationException($"Unknown status in arrest {row.ArrestNumber}."),
        Version = row.Version,
        District = row.District,
        BookedAt = row.BookedAt,
        LastChangedAt = row.LastChangedAt,
        BookedBy = new Actor(row.BookedByUserId, row.BookedByName, row.BookedByAgency),
        ArrestingOfficer = new Officer { BadgeNumber = row.OfficerBadge, Name = row.OfficerName },
        Incident = new Incident { OffenseLocation = row.OffenseLocation, OccurredAt = row.OccurredAt, Narrative = row.Narrative },
        Person = new Person
        {
            LastName = row.LastName,
            FirstName = row.FirstName,
            MiddleName = row.MiddleName,
            Aliases = JsonSerializer.Deserialize<List<PersonName>>(row.AliasesJson, OpenParsJson.Options) ?? [],
            DateOfBirth = row.DateOfBirth,
            Sex = ParseEnum<Sex>(row.Sex),
            Race = ParseEnum<Race>(row.Race),
            Ethnicity = ParseEnum<Ethnicity>(row.Ethnicity),
            Ssn = row.Ssn,
            PlaceOfBirth = row.BirthCity is null && row.BirthCountry is null ? null : new PlaceOfBirth { City = row.BirthCity, Country = row.BirthCountry },
            Address = row.AddressStreet is null ? null : new PostalAddress
            {
                Street = row.AddressStreet,
                City = row.AddressCity ?? "",
                State = row.AddressState,
                PostalCode = row.AddressPostalCode,
            },
            Identifiers = new PersonIdentifiers { Pid = row.Pid, Sid = row.Sid, FbiNumber = row.FbiNumber },
        },
        Charges = row.Charges.OrderBy(c => c.Position).Select(ReadCharge).ToList(),
        InvolvedParties = parties.OrderBy(p => p.Position).Select(p => new InvolvedParty
        {
            Role = ParseEnum<InvolvementRole>(p.Role),
            Name = p.Name,
            Contact = p.Contact,
        }).ToList(),
        Charging = row.ChargingOutcome is null ? null : new ChargingRecord
        {
            Outcome = ParseEnum<ChargingOutcome>(row.ChargingOutcome)!.Value,
            Reason = row.ChargingReason,
            Attorney = row.ChargingAttorney ?? "",
            AgencyCode = row.ChargingAgency ?? "",
            DecidedAt = row.ChargedAt ?? default,
        },
        Arraignment = row.BailType is null ? null : new ArraignmentRecord
        {
            Magistrate = row.Magistrate ?? "",
            BailType = ParseEnum<BailType>(row.BailType),
            BailAmount = row.BailAmount,
            Conditions = row.BailConditionsJson is null ? [] : JsonSerializer.Deserialize<List<string>>(row.BailConditionsJson, OpenParsJson.Options) ?? [],
            DocketNumber = row.DocketNumber ?? "",
            NextHearingDate = row.NextHearingDate,
            NextHearingCourtroom = row.NextHearingCourtroom,
            Custody = ParseEnum<CustodyOutcome>(row.Custody),
            ArraignedAt = row.ArraignedAt,
        },
    };

    public static List<InvolvedPartyRow> PartyRows(long arrestId, IReadOnlyList<InvolvedParty> parties) =>
        parties.Select((p, i) => new InvolvedPartyRow
        {
            ArrestId = arrestId,
            Position = i,
            Role = EnumCode(p.Role) ?? "",
            Name = p.Name,
            Contact = p.Contact,
        }).ToList();

    public static Charge ReadCharge(ChargeRow c) => new()
    {
        Citation = c.Citation,
        Description = c.Description,
        Grade = OffenseGrades.TryParse(c.Grade, out var grade) ? grade : OffenseGrade.Ungraded,
        Counts = c.Counts,
    };

    /// <summary>Invariant upper case: the same key on SQLite and PostgreSQL, whatever the script.</summary>
    public static string NameKey(string name) => name.Trim().ToUpperInvariant();

    /// <summary>The wire/stored spelling of an enum value (kebab-case), e.g. NonHispanic → non-hispanic.</summary>
    public static string? EnumCode<T>(T? value)
        where T : struct, Enum =>
        value is { } v ? JsonNamingPolicy.KebabCaseLower.ConvertName(v.ToString()) : null;

    public static T? ParseEnum<T>(string? code)
        where T : struct, Enum
    {
        if (code is null)
        {
            return null;
        }

        foreach (var value in Enum.GetValues<T>())
        {
            if (EnumCode<T>(value) == code)
            {
                return value;
            }
        }

        throw new InvalidOperationException($"Unknown {typeof(T).Name} value in the store.");
    }

    private static bool SameCharges(List<ChargeRow> rows, List<Charge> charges) =>
        rows.Count == charges.Count && rows.OrderBy(r => r.Position).Zip(charges).All(p =>
            p.First.Citation == p.Second.Citation && p.First.Description == (p.Second.Description ?? "") &&
            p.First.Grade == OffenseGrades.ToCode(p.Second.Grade ?? OffenseGrade.Ungraded) && p.First.Counts == p.Second.Counts);
}
