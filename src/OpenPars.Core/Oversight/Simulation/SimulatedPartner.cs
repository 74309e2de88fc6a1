using System.Globalization;
using OpenPars.Core.Agreements;

namespace OpenPars.Core.Oversight.Simulation;

public enum PartnerBehaviour
{
    /// <summary>Looks up in-scope persons for genuine case reasons: uniformly, whatever their attributes.</summary>
    Fair,

    /// <summary>Looks up persons born abroad <see cref="PartnerSettings.BiasFactor"/> times as often as their share,
    /// choosing only by surname (never a prohibited criterion, never anything it cannot see).</summary>
    Biased,

    /// <summary>Sweeps: runs through consecutive arrest numbers and through dates of birth for one surname.</summary>
    Sweeper,
}

public sealed record PartnerSettings
{
    public static PartnerSettings Default { get; } = new();

    public int LookupsPerDay { get; init; } = 50;

    /// <summary>Analysts sharing the day's lookups (fair and biased partners).</summary>
    public int Analysts { get; init; } = 5;

    public double BiasFactor { get; init; } = 1.5;

    /// <summary>How far back the agreement's row scope reaches (bookedWithinDays): the persons a partner can look up.</summary>
    public int RowScopeDays { get; init; } = 365;

    /// <summary>Share of lookups by arrest number (a read); the others search by last name and date of birth.</summary>
    public double ReadShare { get; init; } = 0.2;

    public string AgencyCode { get; init; } = "ICE";

    public string AgreementId { get; init; } = "ice-2026";
}

/// <summary>What a simulated partner did: its requests as the audit log would hold them, and who was disclosed.</summary>
public sealed record PartnerTraffic(IReadOnlyList<PartnerAccessObservation> Observations, IReadOnlyList<DisclosedPerson> Disclosures);

/// <summary>
/// A partner's traffic over the city's days, deterministic from the seed. Lookups happen between 08:00 and 18:00
/// local time, spread over the analysts. Fair and biased partners never look the same person up twice, so the
/// distinct persons disclosed are the lookups (docs/oversight.md § Evaluation).
/// </summary>
public static class SimulatedPartner
{
    public static PartnerTraffic Run(SimulatedCity city, PartnerBehaviour behaviour, int seed, PartnerSettings? settings = null)
    {
        settings ??= PartnerSettings.Default;
        var run = new TrafficBuilder(settings);
        // Not HashCode.Combine: it is randomised per process, and a run must repeat exactly from its seed.
        var random = new Random(unchecked((seed * 31) + (int)behaviour + 0x5eed));
        if (behaviour == PartnerBehaviour.Sweeper)
        {
            Sweep(city, run, random, settings);
        }
        else
        {
            LookUp(city, run, random, settings, biased: behaviour == PartnerBehaviour.Biased);
        }

        return new PartnerTraffic(run.Observations, run.Disclosures);
    }

    private static void LookUp(SimulatedCity city, TrafficBuilder run, Random random, PartnerSettings settings, bool biased)
    {
        // The partner sees surnames; "marked" ones are those of the traditions it profiles by (all but English).
        var marked = new List<CityPerson>();
        var unmarked = new List<CityPerson>();
        var next = 0;
        for (var day = 0; day < city.Settings.Days; day++)
        {
            var dayStart = city.Settings.DayStart(day);
            var times = Enumerable.Range(0, settings.LookupsPerDay)
                .Select(_ => city.Settings.LocalInstant(day, TimeSpan.FromHours(8) + TimeSpan.FromSeconds(random.Next(0, 10 * 3600))))
                .Order().ToList();
            var scopeStart = dayStart.AddDays(-settings.RowScopeDays);
            marked.RemoveAll(p => p.BookedAt < scopeStart);
            unmarked.RemoveAll(p => p.BookedAt < scopeStart);
            var weightOfMarked = biased ? Calibrate(marked, unmarked, settings.BiasFactor) : 1.0;

            foreach (var time in times)
            {
                while (next < city.Persons.Count && city.Persons[next].BookedAt <= time)
                {
                    var booked = city.Persons[next++];
                    (booked.SurnameOrigin == SurnameOrigin.English ? unmarked : marked).Add(booked);
                }

                var markedChance = weightOfMarked * marked.Count / ((weightOfMarked * marked.Count) + unmarked.Count);
                var pool = random.NextDouble() < markedChance ? marked : unmarked;
                if (pool.Count == 0)
                {
                    continue;
                }

                var at = random.Next(pool.Count);
                var person = pool[at];
                pool[at] = pool[^1];
                pool.RemoveAt(pool.Count - 1);
                var analyst = random.Next(settings.Analysts);
                if (random.NextDouble() < settings.ReadShare)
                {
                    run.Request(time, analyst, new() { [SearchCriteria.ArrestNumber] = person.ArrestNumber }, [person], PartnerOperation.Read);
                }
                else
                {
                    run.Request(time, analyst, Search(person.LastName, person.DateOfBirth), [person], PartnerOperation.Search);
                }
            }
        }
    }

    /// <summary>
    /// The weight on marked surnames that makes the expected share born abroad among today's picks the bias
    /// factor times their share among the persons the partner can pick from. Solved from the pool's make-up:
    /// with a = P(abroad, marked), b = P(abroad, unmarked), s = P(marked), p = a + b and τ = factor × p,
    /// (k·a + b) / (k·s + 1 − s) = τ gives k = (τ(1 − s) − b) / (a − τ·s). The experimenter uses the hidden truth
    /// to set how strong the bias is; the partner's choice itself rests on the surname alone.
    /// </summary>
    private static double Calibrate(List<CityPerson> marked, List<CityPerson> unmarked, double factor)
    {
        double total = marked.Count + unmarked.Count;
        if (total == 0)
        {
            return 1;
        }

        var a = CountBornAbroad(marked) / total;
        var b = CountBornAbroad(unmarked) / total;
        var s = marked.Count / total;
        var target = factor * (a + b);
        var denominator = a - (target * s);
        return denominator <= 0 ? 1_000 : Math.Clamp(((target * (1 - s)) - b) / denominator, 0, 1_000);
    }

    private static int CountBornAbroad(List<CityPerson> persons)
    {
        var count = 0;
        foreach (var person in persons)
        {
            if (person.Person.Origin == BirthOrigin.OutsideUnitedStates)
            {
                count++;
            }
        }

        return count;
    }

    private static void Sweep(SimulatedCity city, TrafficBuilder run, Random random, PartnerSettings settings)
    {
        // It searches Spanish surnames only and reads numbers booked in the last 30 days or since.
        var spanishPersons = city.Persons.Where(p => p.SurnameOrigin == SurnameOrigin.Spanish).ToList();
        var spanish = spanishPersons.Select(p => p.LastName).Distinct().Order(StringComparer.Ordinal).ToList();
        var byNameAndBirth = spanishPersons.ToLookup(p => (p.LastName, p.DateOfBirth));
        var recentFrom = FirstBookedAtOrAfter(city.Persons, city.Settings.DayStart(-31));
        var byNumber = new Dictionary<string, CityPerson>(StringComparer.Ordinal);
        for (var i = recentFrom; i < city.Persons.Count; i++)
        {
            byNumber[city.Persons[i].ArrestNumber] = city.Persons[i];
        }

        for (var day = 0; day < city.Settings.Days; day++)
        {
            var time = city.Settings.LocalInstant(day, TimeSpan.FromHours(9));
            // A number from the first half of the last 30 days' bookings, so the run of numbers after it exists.
            var from = FirstBookedAtOrAfter(city.Persons, time.AddDays(-30));
            var to = FirstBookedAtOrAfter(city.Persons, time);
            var first = city.Persons[from + random.Next(Math.Max(1, (to - from) / 2))];
            SweeperReads(run, ref time, first.ArrestNumber, byNumber, settings.LookupsPerDay / 2);

            var surname = spanish[random.Next(spanish.Count)];
            var birth = new DateOnly(1980, 1, 1).AddDays(random.Next(0, 7_000));
            for (var i = 0; i < settings.LookupsPerDay - (settings.LookupsPerDay / 2); i++)
            {
                var dob = birth.AddDays(i);
                run.Request(time, 0, Search(surname, dob), [.. byNameAndBirth[(surname, dob)]], PartnerOperation.Search);
                time = time.AddMinutes(2);
            }
        }
    }

    private static int FirstBookedAtOrAfter(IReadOnlyList<CityPerson> persons, DateTimeOffset instant)
    {
        int low = 0, high = persons.Count;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (persons[middle].BookedAt < instant)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    private static void SweeperReads(TrafficBuilder run, ref DateTimeOffset time, string firstNumber, Dictionary<string, CityPerson> byNumber, int count)
    {
        if (!SweepDetectors.TryParseArrestNumber(firstNumber, out var year, out var sequence))
        {
            throw new InvalidOperationException("The city's arrest numbers are well formed.");
        }

        for (var i = 0; i < count; i++)
        {
            var number = $"{year:D2}-{sequence + i:D7}";
            run.Request(time, 0, new() { [SearchCriteria.ArrestNumber] = number }, byNumber.TryGetValue(number, out var p) ? [p] : [], PartnerOperation.Read);
            time = time.AddMinutes(2);
        }
    }

    private static Dictionary<string, string> Search(string lastName, DateOnly dateOfBirth) => new()
    {
        [SearchCriteria.LastName] = lastName,
        [SearchCriteria.DateOfBirth] = dateOfBirth.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
    };

    private sealed class TrafficBuilder(PartnerSettings settings)
    {
        public List<PartnerAccessObservation> Observations { get; } = [];

        public List<DisclosedPerson> Disclosures { get; } = [];

        public void Request(DateTimeOffset time, int analyst, Dictionary<string, string> criteria, IReadOnlyList<CityPerson> found, PartnerOperation operation)
        {
            var index = Observations.Count + 1L;
            var scopeStart = time.AddDays(-settings.RowScopeDays);
            var disclosed = found.Where(p => p.BookedAt <= time && p.BookedAt >= scopeStart).ToList();
            var notFound = operation == PartnerOperation.Read && disclosed.Count == 0;
            Observations.Add(new PartnerAccessObservation
            {
                EntryIndex = index,
                Time = time,
                UserId = 100 + analyst,
                UserName = $"{settings.AgencyCode.ToLowerInvariant()}.analyst{analyst}",
                AgencyCode = settings.AgencyCode,
                AgreementId = settings.AgreementId,
                Operation = operation,
                Allowed = !notFound,
                RefusalCode = notFound ? Common.ErrorCodes.ArrestNotFound : null,
                Criteria = criteria,
                Disclosed = [.. disclosed.Select(p => new DisclosedRecord(p.ArrestNumber, p.Person.PersonKey))],
            });
            Disclosures.AddRange(disclosed.Select(p => new DisclosedPerson(index, time, p.Person)));
        }
    }
}
