using System.Globalization;
using OpenPars.Core.Arrests;

namespace OpenPars.Core.Oversight.Simulation;

/// <summary>The surname a person carries, by the tradition it comes from: all a partner can see to choose by.</summary>
public enum SurnameOrigin { English, Spanish, Asian, Slavic, WestAfrican, French }

/// <summary>One booked person of the simulated city: what the partner can see (surname, date of birth, arrest
/// number) and what only the measure sees (<see cref="Person"/>).</summary>
public sealed record CityPerson(int Id, string ArrestNumber, DateTimeOffset BookedAt, string LastName, SurnameOrigin SurnameOrigin, DateOnly DateOfBirth, OversightPerson Person);

/// <summary>How the simulated city books people. Defaults: see docs/oversight.md § Evaluation.</summary>
public sealed record CitySettings
{
    public static CitySettings Default { get; } = new();

    /// <summary>Persons booked each day inside the agreement's row scope (the benchmark's daily intake).</summary>
    public int BookingsPerDay { get; init; } = 100;

    /// <summary>Days of bookings before the partner's traffic starts: the row scope's reach (bookedWithinDays).</summary>
    public int HistoryDays { get; init; } = 365;

    public int Days { get; init; } = 30;

    /// <summary>Midnight, local time, of the first day of partner traffic.</summary>
    public DateTimeOffset Start { get; init; } = new(2026, 3, 2, 0, 0, 0, TimeSpan.FromHours(-5));

    public TimeZoneInfo Zone { get; init; } = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    /// <summary>The instant of a local time on the given day from the start (negative: before it).</summary>
    public DateTimeOffset LocalInstant(int day, TimeSpan timeOfDay)
    {
        var local = DateTime.SpecifyKind(TimeZoneInfo.ConvertTime(Start, Zone).Date.AddDays(day).Add(timeOfDay), DateTimeKind.Unspecified);
        return new DateTimeOffset(local, Zone.GetUtcOffset(local));
    }

    /// <summary>[DayStart(d), DayStart(d + 1)) is day d: fixed 24-hour days from the start, so that rolling windows
    /// (now − N × 24 h) evaluated at a day's end cover whole days.</summary>
    public DateTimeOffset DayStart(int day) => Start.AddDays(day);
}

/// <summary>
/// A generated population of booked persons, deterministic from a seed. The attribute shares follow the demo's
/// generator (which follows Philadelphia's arrest statistics): about 14% born outside the United States, most
/// of them with Spanish, Asian, Slavic, West African or French surnames, while most people with such surnames
/// (Puerto Rico-born and U.S.-born Hispanics above all) were born in the United States.
/// </summary>
public sealed class SimulatedCity
{
    private sealed record Profile(Race? Race, Ethnicity? Ethnicity, double ForeignShare, (SurnameOrigin Origin, double Weight)[] Surnames, double Weight);

    private static readonly (SurnameOrigin, double)[] EnglishOnly = [(SurnameOrigin.English, 1)];
    private static readonly (SurnameOrigin, double)[] SpanishOnly = [(SurnameOrigin.Spanish, 1)];

    private static readonly Profile[] Profiles =
    [
        new(Race.Black, Ethnicity.NonHispanic, 0.00, EnglishOnly, 54.0),
        new(Race.Black, Ethnicity.NonHispanic, 1.00, [(SurnameOrigin.English, 0.45), (SurnameOrigin.French, 0.25), (SurnameOrigin.WestAfrican, 0.30)], 3.5),
        new(Race.Black, Ethnicity.Hispanic, 0.55, SpanishOnly, 2.5),
        new(Race.White, Ethnicity.NonHispanic, 0.00, EnglishOnly, 11.5),
        new(Race.White, Ethnicity.NonHispanic, 1.00, [(SurnameOrigin.Slavic, 0.8), (SurnameOrigin.English, 0.2)], 1.5),
        new(Race.White, Ethnicity.Hispanic, 0.00, SpanishOnly, 11.0),
        new(Race.White, Ethnicity.Hispanic, 1.00, SpanishOnly, 5.0),
        new(Race.Asian, Ethnicity.NonHispanic, 0.40, [(SurnameOrigin.Asian, 1)], 3.0),
        new(Race.Unknown, Ethnicity.Hispanic, 0.50, SpanishOnly, 1.0),
        new(Race.Unknown, Ethnicity.Unknown, 0.10, EnglishOnly, 6.0),
        new(Race.AmericanIndian, Ethnicity.NonHispanic, 0.00, EnglishOnly, 0.4),
        new(Race.PacificIslander, Ethnicity.NonHispanic, 0.00, EnglishOnly, 0.2),
    ];

    private static readonly (int Min, int Max, double Weight)[] AgeBands = [(18, 24, 27), (25, 34, 34), (35, 44, 20), (45, 54, 11), (55, 70, 6)];

    private static readonly Dictionary<SurnameOrigin, string[]> Surnames = new()
    {
        [SurnameOrigin.English] = ["Smith", "Johnson", "Williams", "Brown", "Jones", "Davis", "Miller", "Wilson", "Moore", "Taylor", "Anderson", "Thomas", "Jackson", "White", "Harris", "Martin", "Thompson", "Robinson", "Clark", "Lewis", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Green", "Baker", "Adams", "Nelson"],
        [SurnameOrigin.Spanish] = ["Rodriguez", "Martinez", "Garcia", "Hernandez", "Lopez", "Gonzalez", "Perez", "Sanchez", "Ramirez", "Torres", "Flores", "Rivera", "Gomez", "Diaz", "Cruz", "Morales", "Reyes", "Ortiz", "Vasquez", "Castillo", "Jimenez", "Santiago", "Colon", "Rosario", "Medina"],
        [SurnameOrigin.Asian] = ["Nguyen", "Tran", "Le", "Pham", "Chen", "Wang", "Li", "Zhang", "Liu", "Huang", "Kim", "Park", "Patel", "Shah", "Singh", "Chhay", "Sok", "Lim"],
        [SurnameOrigin.Slavic] = ["Kowalski", "Nowak", "Shevchenko", "Kovalenko", "Bondarenko", "Ivanov", "Petrov", "Smirnov", "Hoxha", "Krasniqi", "Melnyk", "Wisniewski"],
        [SurnameOrigin.WestAfrican] = ["Okafor", "Mensah", "Adeyemi", "Kamara", "Johnson-Sirleaf", "Doe", "Kollie", "Eze", "Balogun", "Kpoto"],
        [SurnameOrigin.French] = ["Jean-Baptiste", "Pierre", "Joseph", "Louis", "Charles", "Etienne", "Desir", "Toussaint", "Francois", "Augustin"],
    };

    private readonly Lazy<IReadOnlyList<BookedPerson>> _bookings;

    private SimulatedCity(CitySettings settings, List<CityPerson> persons)
    {
        Settings = settings;
        Persons = persons;
        _bookings = new Lazy<IReadOnlyList<BookedPerson>>(() => [.. persons.Select(p => new BookedPerson(p.BookedAt, p.Person))]);
    }

    public CitySettings Settings { get; }

    /// <summary>Everyone booked, in booking order, from <see cref="CitySettings.HistoryDays"/> before the start to its last day.</summary>
    public IReadOnlyList<CityPerson> Persons { get; }

    public IReadOnlyList<BookedPerson> Bookings => _bookings.Value;

    /// <summary>A city of persons booked elsewhere (the demo's arrests), so that <see cref="SimulatedPartner"/> picks from
    /// them: <paramref name="persons"/> in booking order, each <see cref="CityPerson.BookedAt"/> the instant the partner can
    /// first find them; <paramref name="settings"/> say which days the partner's traffic covers.</summary>
    public static SimulatedCity Of(CitySettings settings, IReadOnlyList<CityPerson> persons)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(persons);
        var ordered = persons.OrderBy(p => p.BookedAt).ToList();
        return new SimulatedCity(settings, ordered);
    }

    public static SimulatedCity Generate(int seed, CitySettings? settings = null)
    {
        settings ??= CitySettings.Default;
        var random = new Random(seed);
        var profileWeights = Profiles.Select(p => p.Weight).ToArray();
        var surnameWeights = Profiles.Select(p => p.Surnames.Select(x => x.Weight).ToArray()).ToArray();
        var ageWeights = AgeBands.Select(b => b.Weight).ToArray();
        var persons = new List<CityPerson>(settings.BookingsPerDay * (settings.HistoryDays + settings.Days));
        var sequenceByYear = new Dictionary<int, int>();
        for (var day = -settings.HistoryDays; day < settings.Days; day++)
        {
            var midnight = settings.DayStart(day);
            // Arrest numbers follow booking order, as the server assigns them.
            var seconds = Enumerable.Range(0, settings.BookingsPerDay).Select(_ => random.Next(0, 86_400)).Order().ToList();
            foreach (var second in seconds)
            {
                var bookedAt = midnight.AddSeconds(second);
                var profileIndex = PickIndex(random, profileWeights);
                var profile = Profiles[profileIndex];
                var foreign = random.NextDouble() < profile.ForeignShare;
                var surnameOrigin = profile.Surnames[PickIndex(random, surnameWeights[profileIndex])].Origin;
                var names = Surnames[surnameOrigin];
                var band = AgeBands[PickIndex(random, ageWeights)];
                var bookedOn = DateOnly.FromDateTime(bookedAt.UtcDateTime);
                var dob = bookedOn.AddYears(-random.Next(band.Min, band.Max + 1)).AddDays(-random.Next(0, 365));
                var year = bookedAt.UtcDateTime.Year;
                var sequence = sequenceByYear[year] = sequenceByYear.GetValueOrDefault(year) + 1;
                var id = persons.Count;
                var person = new OversightPerson(
                    "pid:" + id.ToString(CultureInfo.InvariantCulture),
                    foreign ? BirthOrigin.OutsideUnitedStates : BirthOrigin.UnitedStates,
                    profile.Race,
                    profile.Ethnicity,
                    random.NextDouble() < 0.82 ? Sex.Male : Sex.Female,
                    OversightPerson.AgeOn(dob, bookedOn));
                persons.Add(new CityPerson(id, ArrestNumbers.Format(year, sequence), bookedAt, names[random.Next(names.Length)], surnameOrigin, dob, person));
            }
        }

        return new SimulatedCity(settings, persons);
    }

    internal static int PickIndex(Random random, double[] weights)
    {
        var roll = random.NextDouble() * weights.Sum();
        for (var i = 0; i < weights.Length; i++)
        {
            roll -= weights[i];
            if (roll < 0)
            {
                return i;
            }
        }

        return weights.Length - 1;
    }
}
