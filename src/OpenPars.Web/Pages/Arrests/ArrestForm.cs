using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using OpenPars.Core.Arrests;
using OpenPars.Core.Arrests.Reference;
using OpenPars.Core.Common;
using OpenPars.Web.Pages.Shared;

namespace OpenPars.Web.Pages.Arrests;

/// <summary>The booking form: person, aliases, identifiers, officer, incident, charges, victims and witnesses. Its
/// controls are named by the paths of <see cref="BookArrest"/> (see <see cref="FormState"/>); the repeatable rows
/// (aliases, charges, parties) are as many as <c>rows.*</c> says, and "add another" submits the form to render one
/// more. A row left blank is no row; the refusals of the rows sent are mapped back to the rows typed.</summary>
public sealed partial class ArrestForm
{
    /// <summary>At most this many rows of one kind (the rules allow 20 aliases and 50 charges or parties).</summary>
    public const int MaxRows = 50;

    private readonly Dictionary<string, List<int>> _sent = new(StringComparer.Ordinal);

    private ArrestForm(FormState state, int aliases, int charges, int parties)
    {
        State = state;
        Aliases = aliases;
        Charges = charges;
        Parties = parties;
        Describe();
    }

    /// <summary>The values and refusals.</summary>
    public FormState State { get; }

    /// <summary>Alias rows shown.</summary>
    public int Aliases { get; private set; }

    /// <summary>Charge rows shown.</summary>
    public int Charges { get; private set; }

    /// <summary>Victim and witness rows shown.</summary>
    public int Parties { get; private set; }

    /// <summary>The empty form: one charge row, no alias, no party.</summary>
    public static ArrestForm Empty() => new(new FormState(), 0, 1, 0);

    /// <summary>The posted form (control characters refused; the narrative keeps its line breaks).</summary>
    public static ArrestForm Read(IFormCollection form)
    {
        var state = FormState.Read(form, key => key == "incident.narrative");
        return new ArrestForm(state, Rows(state, "rows.aliases", 0), Rows(state, "rows.charges", 1), Rows(state, "rows.parties", 0));
    }

    /// <summary>The form filled with <paramref name="record"/> as recorded, for its correction (times in the city's
    /// <paramref name="zone"/>; at least one charge row).</summary>
    public static ArrestForm From(ArrestRecord record, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(record);
        var s = new FormState
        {
            ["district"] = record.District,
            ["arrestingOfficer.badgeNumber"] = record.ArrestingOfficer.BadgeNumber,
            ["arrestingOfficer.name"] = record.ArrestingOfficer.Name,
            ["incident.offenseLocation"] = record.Incident.OffenseLocation,
            ["incident.occurredAt"] = FormState.LocalText(record.Incident.OccurredAt, zone),
            ["incident.narrative"] = record.Incident.Narrative ?? "",
            ["person.lastName"] = record.Person.LastName,
            ["person.firstName"] = record.Person.FirstName,
            ["person.middleName"] = record.Person.MiddleName ?? "",
            ["person.dateOfBirth"] = record.Person.DateOfBirth?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "",
            ["person.sex"] = FormState.Code(record.Person.Sex),
            ["person.race"] = FormState.Code(record.Person.Race),
            ["person.ethnicity"] = FormState.Code(record.Person.Ethnicity),
            ["person.placeOfBirth.city"] = record.Person.PlaceOfBirth?.City ?? "",
            ["person.placeOfBirth.country"] = record.Person.PlaceOfBirth?.Country ?? "",
            ["person.identifiers.sid"] = record.Person.Identifiers.Sid ?? "",
            ["person.identifiers.fbiNumber"] = record.Person.Identifiers.FbiNumber ?? "",
            ["person.identifiers.pid"] = record.Person.Identifiers.Pid ?? "",
        };
        for (var i = 0; i < record.Person.Aliases.Count; i++)
        {
            s[$"person.aliases[{i}].lastName"] = record.Person.Aliases[i].LastName;
            s[$"person.aliases[{i}].firstName"] = record.Person.Aliases[i].FirstName;
        }

        for (var i = 0; i < record.Charges.Count; i++)
        {
            s[$"charges[{i}].citation"] = record.Charges[i].Citation;
            s[$"charges[{i}].grade"] = record.Charges[i].Grade is { } grade ? OffenseGrades.ToCode(grade) : "";
            s[$"charges[{i}].counts"] = record.Charges[i].Counts.ToString(CultureInfo.InvariantCulture);
        }

        for (var i = 0; i < record.InvolvedParties.Count; i++)
        {
            s[$"involvedParties[{i}].role"] = FormState.Code(record.InvolvedParties[i].Role);
            s[$"involvedParties[{i}].name"] = record.InvolvedParties[i].Name;
            s[$"involvedParties[{i}].contact"] = record.InvolvedParties[i].Contact ?? "";
        }

        return new ArrestForm(s, Math.Min(MaxRows, record.Person.Aliases.Count), Math.Clamp(record.Charges.Count, 1, MaxRows), Math.Min(MaxRows, record.InvolvedParties.Count));
    }

    /// <summary>The correction of <paramref name="current"/> the form asks for: only the sections typed differently
    /// are sent (a correction lists what it changed), and what the form does not show — the person's SSN and address,
    /// an alias's middle name — is kept as recorded. Null when a value cannot be read (the refusals are then in
    /// <see cref="State"/>).</summary>
    public CorrectArrest? ToCorrection(ArrestRecord current, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(current);
        if (ToBooking(zone) is not { } typed)
        {
            return null;
        }

        var person = typed.Person with
        {
            Ssn = current.Person.Ssn,
            Address = current.Person.Address,
            Aliases = [.. typed.Person.Aliases.Select(a => current.Person.Aliases.FirstOrDefault(k => k.LastName == a.LastName && k.FirstName == a.FirstName) ?? a)],
        };
        var occurredAt = typed.Incident.OccurredAt;
        var sameIncident = typed.Incident.OffenseLocation == current.Incident.OffenseLocation
            && (typed.Incident.Narrative ?? "") == (current.Incident.Narrative ?? "")
            && FormState.LocalText(occurredAt, zone) == FormState.LocalText(current.Incident.OccurredAt, zone);
        return new CorrectArrest
        {
            Reason = State["reason"].Trim(),
            District = typed.District == current.District ? null : typed.District,
            ArrestingOfficer = typed.ArrestingOfficer == current.ArrestingOfficer ? null : typed.ArrestingOfficer,
            Incident = sameIncident ? null : typed.Incident,
            Person = Json(person) == Json(current.Person) ? null : person,
            Charges = typed.Charges.Select(c => (c.Citation, c.Grade, c.Counts)).SequenceEqual(current.Charges.Select(c => (c.Citation, c.Grade, c.Counts))) ? null : typed.Charges,
            InvolvedParties = typed.InvolvedParties.Select(p => (p.Role, p.Name, p.Contact ?? "")).SequenceEqual(current.InvolvedParties.Select(p => (p.Role, p.Name, p.Contact ?? ""))) ? null : typed.InvolvedParties,
        };
    }

    /// <summary>The charges typed, for the charging attorney's modification (null when a value cannot be read).</summary>
    public List<Charge>? ToChargesOnly()
    {
        var charges = ToCharges();
        return State.HasErrors ? null : charges;
    }

    /// <summary>A person as compared for "changed": records hold lists, which compare by reference.</summary>
    private static string Json(Person person) => JsonSerializer.Serialize(person);

    /// <summary>Adds one row of <paramref name="kind"/> (aliases, charges, parties); false when the kind is unknown.</summary>
    public bool AddRow(string kind)
    {
        switch (kind)
        {
            case "aliases": Aliases = Math.Min(MaxRows, Aliases + 1); break;
            case "charges": Charges = Math.Min(MaxRows, Charges + 1); break;
            case "parties": Parties = Math.Min(MaxRows, Parties + 1); break;
            default: return false;
        }

        Describe();
        return true;
    }

    /// <summary>The booking typed, or null when a value cannot be read (the refusals are then in <see cref="State"/>).</summary>
    public BookArrest? ToBooking(TimeZoneInfo zone)
    {
        var booking = new BookArrest
        {
            District = State["district"].Trim(),
            ArrestingOfficer = new Officer { BadgeNumber = State["arrestingOfficer.badgeNumber"].Trim(), Name = State["arrestingOfficer.name"].Trim() },
            Incident = new Incident
            {
                OffenseLocation = State["incident.offenseLocation"].Trim(),
                OccurredAt = State.LocalDateTime("incident.occurredAt", zone),
                Narrative = State.Text("incident.narrative"),
            },
            Person = ToPerson(),
            Charges = ToCharges(),
            InvolvedParties = ToParties(),
        };
        return State.HasErrors ? null : booking;
    }

    /// <summary>Shows the use case's refusals next to the rows they are about (a blank row was not sent).</summary>
    public void Refused(IEnumerable<FieldError> errors) => State.Add(errors.Select(e => e with { Field = Remap(e.Field) }));

    /// <summary>The choices of the person's sex, race and ethnicity (the model's own values).</summary>
    public static IReadOnlyList<(string Value, string Label)> SexChoices { get; } = FormState.Choices<Sex>();

    /// <inheritdoc cref="SexChoices"/>
    public static IReadOnlyList<(string Value, string Label)> RaceChoices { get; } = FormState.Choices<Race>();

    /// <inheritdoc cref="SexChoices"/>
    public static IReadOnlyList<(string Value, string Label)> EthnicityChoices { get; } = FormState.Choices<Ethnicity>();

    /// <summary>Victim or witness.</summary>
    public static IReadOnlyList<(string Value, string Label)> RoleChoices { get; } = FormState.Choices<InvolvementRole>();

    /// <summary>The grades of the statute file.</summary>
    public static IReadOnlyList<(string Value, string Label)> GradeChoices { get; } = OffenseGrades.Codes.Select(c => (c, c)).ToList();

    private Person ToPerson() => new()
    {
        LastName = State["person.lastName"].Trim(),
        FirstName = State["person.firstName"].Trim(),
        MiddleName = State.Text("person.middleName"),
        DateOfBirth = State.Date("person.dateOfBirth"),
        Sex = State.Choice<Sex>("person.sex"),
        Race = State.Choice<Race>("person.race"),
        Ethnicity = State.Choice<Ethnicity>("person.ethnicity"),
        PlaceOfBirth = State.Text("person.placeOfBirth.city") is null && State.Text("person.placeOfBirth.country") is null
            ? null
            : new PlaceOfBirth { City = State.Text("person.placeOfBirth.city"), Country = State.Text("person.placeOfBirth.country") },
        Identifiers = new PersonIdentifiers
        {
            Sid = State.Text("person.identifiers.sid"),
            FbiNumber = State.Text("person.identifiers.fbiNumber"),
            Pid = State.Text("person.identifiers.pid"),
        },
        Aliases = Sent("person.aliases", Aliases, ["lastName", "firstName"])
            .Select(i => new PersonName { LastName = State[$"person.aliases[{i}].lastName"].Trim(), FirstName = State[$"person.aliases[{i}].firstName"].Trim() })
            .ToList(),
    };

    private List<Charge> ToCharges() =>
        Sent("charges", Charges, ["citation", "grade", "counts"]).Select(i => new Charge
        {
            Citation = State[$"charges[{i}].citation"].Trim(),
            Grade = State.Text($"charges[{i}].grade") is { } grade ? (OffenseGrades.TryParse(grade, out var g) ? g : Unknown($"charges[{i}].grade")) : null,
            Counts = State.Integer($"charges[{i}].counts") ?? (State.Text($"charges[{i}].counts") is null ? 1 : 0),
        }).ToList();

    private List<InvolvedParty> ToParties() =>
        Sent("involvedParties", Parties, ["role", "name", "contact"]).Select(i => new InvolvedParty
        {
            Role = State.Choice<InvolvementRole>($"involvedParties[{i}].role"),
            Name = State[$"involvedParties[{i}].name"].Trim(),
            Contact = State.Text($"involvedParties[{i}].contact"),
        }).ToList();

    private OffenseGrade? Unknown(string path)
    {
        State.Add(path, "unknown-choice", $"{path} is not one of the choices offered.");
        return null;
    }

    /// <summary>The rows of <paramref name="prefix"/> that are not blank, remembered so refusals map back.</summary>
    private List<int> Sent(string prefix, int rows, string[] members)
    {
        var sent = Enumerable.Range(0, rows).Where(i => !State.Blank(members.Select(m => $"{prefix}[{i}].{m}"))).ToList();
        _sent[prefix] = sent;
        return sent;
    }

    private string Remap(string field)
    {
        var match = RowPattern().Match(field);
        if (!match.Success || !_sent.TryGetValue(match.Groups[1].Value, out var sent))
        {
            return field;
        }

        var index = int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
        return index < sent.Count ? $"{match.Groups[1].Value}[{sent[index]}]{field[match.Length..]}" : field;
    }

    private static int Rows(FormState state, string path, int least) =>
        int.TryParse(state[path], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? Math.Clamp(n, least, MaxRows) : least;

    private void Describe()
    {
        var s = State;
        s.Label("district", "District");
        s.Label("arrestingOfficer.badgeNumber", "Badge number");
        s.Label("arrestingOfficer.name", "Officer's name");
        s.Label("incident.offenseLocation", "Offense location");
        s.Label("incident.occurredAt", "Occurred at (local time)");
        s.Label("incident.narrative", "Narrative");
        s.Label("bookedAt", "Booked at");
        s.Label("reason", "Reason for the correction");
        s.Label("person.lastName", "Last name");
        s.Label("person.firstName", "First name");
        s.Label("person.middleName", "Middle name");
        s.Label("person.dateOfBirth", "Date of birth");
        s.Label("person.sex", "Sex");
        s.Label("person.race", "Race");
        s.Label("person.ethnicity", "Ethnicity");
        s.Label("person.placeOfBirth.city", "Place of birth: city");
        s.Label("person.placeOfBirth.country", "Place of birth: country");
        s.Label("person.identifiers.sid", "State ID (SID)");
        s.Label("person.identifiers.fbiNumber", "FBI number");
        s.Label("person.identifiers.pid", "Photo ID (PID)");
        for (var i = 0; i < Aliases; i++)
        {
            s.Label($"person.aliases[{i}].lastName", $"Alias {i + 1}: last name");
            s.Label($"person.aliases[{i}].firstName", $"Alias {i + 1}: first name");
        }

        for (var i = 0; i < Charges; i++)
        {
            s.Label($"charges[{i}].citation", $"Charge {i + 1}: statute");
            s.Label($"charges[{i}].grade", $"Charge {i + 1}: grade");
            s.Label($"charges[{i}].counts", $"Charge {i + 1}: counts");
        }

        for (var i = 0; i < Parties; i++)
        {
            s.Label($"involvedParties[{i}].role", $"Person {i + 1}: victim or witness");
            s.Label($"involvedParties[{i}].name", $"Person {i + 1}: name");
            s.Label($"involvedParties[{i}].contact", $"Person {i + 1}: contact");
        }
    }

    [GeneratedRegex(@"^(person\.aliases|charges|involvedParties)\[(\d+)\]")]
    private static partial Regex RowPattern();
}
