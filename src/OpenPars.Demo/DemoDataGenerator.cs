using System.Globalization;
using Faker = Bogus.Faker;
using Randomizer = Bogus.Randomizer;
using OpenPars.Core.Arraignment;
using OpenPars.Core.Arrests;
using OpenPars.Core.Arrests.Reference;
using OpenPars.Core.Charging;
using static OpenPars.Demo.DemoVocabulary;
using Gender = Bogus.DataSets.Name.Gender;

using OpenPars.Storage;
using OpenPars.Storage.Arrests;

namespace OpenPars.Demo;

/// <summary>
/// Synthetic arrests for demonstrations and load tests, deterministic from the seed: the same seed, reference data and
/// "now" give the same arrests, byte for byte. Nothing here reads a clock or a shared random source.
/// <para>
/// Bookings arrive at the rate that keeps about <see cref="ArraignmentsPerDay"/> arraignments a day (Philadelphia's
/// figure), over the most recent days, going back at most <see cref="Window"/>: 5,000 arrests cover about 34 days,
/// 13,000 the full 90. Offenses and districts are drawn by their <c>demoWeight</c>; people by a joint profile of race,
/// ethnicity and birthplace close to a large US city's arrest population (about 60% Black, 30% White, 3% Asian,
/// 20% Hispanic, 14% born outside the US — Puerto Rico counts as the US). About a third of the arrests
/// (<see cref="RearrestShare"/>) are re-arrests of an earlier person identified by SID and FBI number: the same person,
/// a later booking.
/// </para>
/// </summary>
public sealed class DemoDataGenerator
{
    /// <summary>Philadelphia's preliminary arraignments a day, the default rate.</summary>
    public const double DefaultArraignmentsPerDay = 136;

    // Share of bookings that reach arraignment once the pipeline has caught up (the rest are declined).
    private const double DeclineShare = 0.065;
    private const double ModifyShare = 0.15;

    /// <summary>The share of arrests that are re-arrests of an earlier person (issue 10 § Demo: real arrest data has many
    /// people arrested more than once, and a watch needs them to match).</summary>
    public const double RearrestShare = 1.0 / 3;

    private readonly ReferenceData _reference;
    private readonly int _seed;
    private readonly DateTimeOffset _now;

    /// <summary>A generator of arrests from <paramref name="seed"/>, drawn from <paramref name="reference"/>, ending at <paramref name="now"/>.</summary>
    public DemoDataGenerator(ReferenceData reference, int seed, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(reference);
        _reference = reference;
        _seed = seed;
        _now = now.ToUniversalTime();
    }

    /// <summary>How far back bookings go at most (default 90 days).</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromDays(90);

    /// <summary>The arraignment rate the booking rate is chosen for (default 136 a day).</summary>
    public double ArraignmentsPerDay { get; init; } = DefaultArraignmentsPerDay;

    /// <summary>The instant the data ends at; every event happens at or before it.</summary>
    public DateTimeOffset Now => _now;

    /// <summary>The first instant bookings may have for <paramref name="count"/> arrests.</summary>
    public DateTimeOffset StartFor(int count)
    {
        var bookingsPerDay = ArraignmentsPerDay / (1 - DeclineShare);
        var days = Math.Min(Window.TotalDays, Math.Max(1.0, count / bookingsPerDay));
        return _now - TimeSpan.FromDays(days);
    }

    /// <summary>Persons born in the US (Puerto Rico included) have the country "United States".</summary>
    public static bool IsBornInUnitedStates(Person person) =>
        person.PlaceOfBirth?.Country is null or UnitedStates;

    /// <summary><paramref name="count"/> arrests in booking order. Each call starts over from the seed.</summary>
    public IEnumerable<BulkArrest> Generate(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return new Run(this, count).Arrests();
    }

    private sealed class Run
    {
        private static readonly (Profile Profile, double Weight)[] Profiles =
        [
            (new(Race.Black, Ethnicity.NonHispanic, Origin.UsGeneral, 0.00), 54.0),
            (new(Race.Black, Ethnicity.NonHispanic, Origin.Caribbean, 1.00), 3.5),
            (new(Race.Black, Ethnicity.Hispanic, Origin.Latin, 0.55), 2.5),
            (new(Race.White, Ethnicity.NonHispanic, Origin.UsGeneral, 0.00), 11.5),
            (new(Race.White, Ethnicity.NonHispanic, Origin.European, 1.00), 1.5),
            (new(Race.White, Ethnicity.Hispanic, Origin.Latin, 0.00), 11.0),
            (new(Race.White, Ethnicity.Hispanic, Origin.Latin, 1.00), 5.0),
            (new(Race.Asian, Ethnicity.NonHispanic, Origin.Asian, 0.40), 3.0),
            (new(Race.Unknown, Ethnicity.Hispanic, Origin.Latin, 0.50), 1.0),
            (new(Race.Unknown, Ethnicity.Unknown, Origin.UsGeneral, 0.10), 6.0),
            (new(Race.AmericanIndian, Ethnicity.NonHispanic, Origin.UsGeneral, 0.00), 0.4),
            (new(Race.PacificIslander, Ethnicity.NonHispanic, Origin.UsGeneral, 0.00), 0.2),
        ];

        private static readonly Dictionary<Origin, (string Country, double Weight)[]> Countries = new()
        {
            [Origin.Latin] = [("Dominican Republic", 35), ("Mexico", 30), ("Honduras", 10), ("Guatemala", 10), ("El Salvador", 8), ("Colombia", 7)],
            [Origin.Caribbean] = [("Jamaica", 35), ("Haiti", 25), ("Liberia", 20), ("Nigeria", 10), ("Trinidad and Tobago", 10)],
            [Origin.Asian] = [("China", 35), ("Vietnam", 30), ("India", 20), ("Cambodia", 10), ("South Korea", 5)],
            [Origin.European] = [("Ukraine", 35), ("Russia", 15), ("Poland", 15), ("Albania", 15), ("Ireland", 10), ("Italy", 10)],
            [Origin.UsGeneral] = [("Jamaica", 30), ("Mexico", 30), ("China", 20), ("Ukraine", 20)],
        };

        private static readonly (int Min, int Max, double Weight)[] AgeBands =
        [
            (16, 17, 2), (18, 24, 27), (25, 34, 34), (35, 44, 20), (45, 54, 11), (55, 70, 6),
        ];

        // Hour of day (Philadelphia standard time) → relative chance of a booking: quiet at dawn, busy evening and night.
        private static readonly double[] HourWeights =
        [
            1.2, 1.1, 1.0, 0.8, 0.6, 0.4, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.0, 1.1, 1.2, 1.3, 1.4, 1.5, 1.5, 1.5, 1.4, 1.3, 1.3,
        ];

        private static readonly long[] BailLadder =
        [
            500, 1_000, 1_500, 2_500, 5_000, 7_500, 10_000, 15_000, 25_000, 35_000, 50_000, 75_000, 100_000, 150_000, 250_000, 500_000, 1_000_000,
        ];

        private readonly DemoDataGenerator _owner;
        private readonly int _count;
        private readonly Randomizer _random;
        private readonly Faker _us;
        private readonly Faker _spanish;
        private readonly Faker _vietnamese;
        private readonly Faker _french;
        private readonly Faker _indian;
        private readonly Faker _westAfrican;
        private readonly Faker _italian;
        private readonly IReadOnlyList<Statute> _statutes;
        private readonly double[] _statuteWeights;
        private readonly Dictionary<string, (Statute[] Items, double[] Weights)> _byCategory;
        private readonly IReadOnlyList<District> _districts;
        private readonly double[] _districtWeights;
        private readonly Dictionary<string, Officer[]> _officers = new(StringComparer.Ordinal);
        private readonly double[] _profileWeights;
        private readonly double[] _usCityWeights;
        private long _docket;

        // Re-arrests draw from a random stream of their own, so the rest of the seed's output stays as it was.
        private readonly Randomizer _repeat;
        private readonly List<Person> _identified = [];
        private readonly HashSet<string> _sids = new(StringComparer.Ordinal);
        private readonly HashSet<string> _fbiNumbers = new(StringComparer.Ordinal);

        public Run(DemoDataGenerator owner, int count)
        {
            _owner = owner;
            _count = count;
            _random = new Randomizer(owner._seed);
            _repeat = new Randomizer(unchecked((owner._seed * 7919) + 104_729));
            _us = NewFaker("en_US");
            _spanish = NewFaker("es"); // es_MX has no gendered first names
            _vietnamese = NewFaker("vi");
            _french = NewFaker("fr");
            _indian = NewFaker("en_IND");
            _westAfrican = NewFaker("en_NG");
            _italian = NewFaker("it");

            _statutes = owner._reference.Statutes.All;
            _statuteWeights = [.. _statutes.Select(s => (double)s.DemoWeight)];
            _byCategory = _statutes.GroupBy(s => s.Category, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => (g.ToArray(), g.Select(s => (double)s.DemoWeight).ToArray()), StringComparer.Ordinal);
            _districts = owner._reference.Districts.All;
            _districtWeights = [.. _districts.Select(d => (double)d.DemoWeight)];
            _profileWeights = [.. Profiles.Select(p => p.Weight)];
            _usCityWeights = [.. UsCities.Select(c => (double)c.Weight)];
            _docket = _random.Number(100_000, 400_000);

            foreach (var district in _districts)
            {
                _officers[district.Code] = [.. Enumerable.Range(0, 12).Select(_ => NewOfficer())];
            }
        }

        public IEnumerable<BulkArrest> Arrests()
        {
            var start = _owner.StartFor(_count);
            var times = new DateTimeOffset[_count];
            for (var i = 0; i < _count; i++)
            {
                times[i] = BookingInstant(start);
            }

            Array.Sort(times);
            foreach (var bookedAt in times)
            {
                yield return Arrest(bookedAt);
            }
        }

        private Faker NewFaker(string locale) => new(locale) { Random = _random };

        private DateTimeOffset BookingInstant(DateTimeOffset start)
        {
            var span = (_owner._now - start).Ticks;
            while (true)
            {
                var at = start + TimeSpan.FromTicks((long)(_random.Double() * span));
                var localHour = (at.UtcDateTime.Hour + 19) % 24; // UTC-5
                if (_random.Double() * 1.5 <= HourWeights[localHour])
                {
                    return TruncateToSecond(at);
                }
            }
        }

        private BulkArrest Arrest(DateTimeOffset bookedAt)
        {
            var district = Pick(_districts, _districtWeights);
            var charges = Charges();
            var statutes = charges.Select(c => Statute(c.Citation)).ToList();
            var hasVictim = statutes.Exists(s => s.HasVictim);
            var lead = statutes[0];
            var officers = _officers[district.Code];
            var booking = new BookArrest
            {
                District = district.Code,
                BookedAt = bookedAt,
                ArrestingOfficer = officers[_random.Number(0, officers.Length - 1)],
                Incident = new Incident
                {
                    OffenseLocation = OffenseLocation(),
                    OccurredAt = bookedAt - TimeSpan.FromMinutes(_random.Number(20, 360)),
                    Narrative = Narratives.TryGetValue(lead.Category, out var texts) ? _random.ArrayElement(texts) : DefaultNarrative,
                },
                Person = PersonFor(bookedAt),
                Charges = charges,
                InvolvedParties = hasVictim ? Parties() : [],
            };

            var arrest = new BulkArrest { Booking = booking };
            var decidedAt = TruncateToSecond(bookedAt + TimeSpan.FromHours(2.5 + Math.Min(15, Exponential(7))));
            if (decidedAt > _owner._now)
            {
                return arrest;
            }

            var roll = _random.Double();
            if (roll < DeclineShare)
            {
                return arrest with
                {
                    ChargingDecidedAt = decidedAt,
                    Charging = new ChargingDecision { Outcome = ChargingOutcome.Decline, Reason = _random.ArrayElement(DeclineReasons) },
                };
            }

            var modified = roll < DeclineShare + ModifyShare ? Modify(charges) : null;
            arrest = arrest with
            {
                ChargingDecidedAt = decidedAt,
                Charging = modified is null
                    ? new ChargingDecision { Outcome = ChargingOutcome.Approve }
                    : new ChargingDecision { Outcome = ChargingOutcome.Modify, Charges = modified, Reason = "Charges amended after review of the investigation report." },
            };

            // Pennsylvania arraigns within about a day of the arrest; a late one is squeezed into the last hours.
            var arraignedAt = decidedAt + TimeSpan.FromHours(0.5 + Exponential(4));
            if (arraignedAt > bookedAt + TimeSpan.FromHours(23.5))
            {
                arraignedAt = Max(decidedAt + TimeSpan.FromMinutes(15), bookedAt + TimeSpan.FromHours(20 + (_random.Double() * 3.5)));
            }

            arraignedAt = TruncateToSecond(arraignedAt);
            if (arraignedAt > _owner._now)
            {
                return arrest;
            }

            var finalStatutes = modified?.Select(c => Statute(c.Citation)).ToList() ?? statutes;
            return arrest with { Arraignment = Arraignment(arraignedAt, finalStatutes, hasVictim) };
        }

        private List<Charge> Charges()
        {
            var count = Pick([1, 2, 3, 4], [0.45, 0.30, 0.17, 0.08]);
            var chosen = new List<Statute> { Pick(_statutes, _statuteWeights) };
            for (var attempts = 0; chosen.Count < count && attempts < 20; attempts++)
            {
                var (items, weights) = _byCategory[chosen[0].Category];
                var next = _random.Double() < 0.6 ? Pick(items, weights) : Pick(_statutes, _statuteWeights);
                if (!chosen.Contains(next))
                {
                    chosen.Add(next);
                }
            }

            return [.. chosen.Select(s => new Charge { Citation = s.Citation, Counts = _random.Double() < 0.85 ? 1 : _random.Number(2, 4) })];
        }

        /// <summary>A changed charge list: a count dropped, or the lead charge replaced by another of its kind.</summary>
        private List<Charge> Modify(List<Charge> booked)
        {
            if (booked.Count > 1 && _random.Bool())
            {
                return [.. booked.Take(booked.Count - 1).Select(c => new Charge { Citation = c.Citation, Counts = c.Counts })];
            }

            var lead = Statute(booked[0].Citation);
            var (items, weights) = _byCategory[lead.Category];
            var others = booked.Select(c => c.Citation).ToHashSet(StringComparer.Ordinal);
            Statute replacement = lead;
            for (var attempts = 0; attempts < 20 && others.Contains(replacement.Citation); attempts++)
            {
                replacement = attempts < 10 ? Pick(items, weights) : Pick(_statutes, _statuteWeights);
            }

            if (others.Contains(replacement.Citation))
            {
                return [new Charge { Citation = booked[0].Citation, Counts = booked[0].Counts }];
            }

            return [new Charge { Citation = replacement.Citation, Counts = 1 }, .. booked.Skip(1).Select(c => new Charge { Citation = c.Citation, Counts = c.Counts })];
        }

        private ArraignmentRecord Arraignment(DateTimeOffset arraignedAt, List<Statute> statutes, bool hasVictim)
        {
            var severity = statutes.Min(s => Rank(s));
            var murder = statutes.Exists(s => s.Category == "homicide" && s.DefaultGrade is OffenseGrade.Ungraded or OffenseGrade.F1);
            var violent = statutes.Exists(s => s.Category is "homicide" or "robbery" or "kidnapping" or "sexual-offense" or "assault" or "weapons");
            var dui = statutes.Exists(s => s.Category == "dui");

            BailType bail;
            if (murder)
            {
                bail = _random.Double() < 0.85 ? BailType.Denied : BailType.Monetary;
            }
            else
            {
                // Weights for ROR, unsecured, monetary, nonmonetary, denied.
                double[] weights = severity switch
                {
                    0 => [0.04, 0.04, 0.62, 0.12, violent ? 0.18 : 0.03],
                    1 or 2 => [0.18, 0.20, 0.42, 0.20, 0],
                    _ => [0.50, 0.20, 0.10, 0.20, 0],
                };
                bail = Pick([BailType.Ror, BailType.Unsecured, BailType.Monetary, BailType.Nonmonetary, BailType.Denied], weights);
            }

            decimal? amount = bail switch
            {
                BailType.Monetary => BailAmount(severity switch { 0 => (8, 16), 1 => (6, 13), 2 => (4, 11), _ => (1, 8) }),
                BailType.Unsecured => BailAmount((1, 8)),
                _ => null,
            };

            var custody = bail switch
            {
                BailType.Denied => CustodyOutcome.Held,
                BailType.Monetary => _random.Double() < 0.55 ? CustodyOutcome.Held : CustodyOutcome.Released,
                _ => CustodyOutcome.Released,
            };

            var conditionChance = bail switch { BailType.Nonmonetary => 1.0, BailType.Monetary => 0.35, BailType.Unsecured => 0.25, BailType.Ror => 0.1, _ => 0.0 };
            var conditions = new List<string>();
            if (_random.Double() < conditionChance)
            {
                if (hasVictim)
                {
                    conditions.Add(_random.ArrayElement(VictimConditions));
                }

                if (dui)
                {
                    conditions.Add(_random.ArrayElement(DuiConditions));
                }

                var more = _random.Number(conditions.Count == 0 ? 1 : 0, 2);
                foreach (var condition in _random.Shuffle(CommonConditions).Take(more))
                {
                    conditions.Add(condition);
                }
            }

            _docket += _random.Number(1, 3);
            var arraignedOn = DateOnly.FromDateTime(arraignedAt.UtcDateTime);
            var hearing = arraignedOn.AddDays(_random.Number(7, 21));
            if (hearing.DayOfWeek == DayOfWeek.Saturday)
            {
                hearing = hearing.AddDays(2);
            }
            else if (hearing.DayOfWeek == DayOfWeek.Sunday)
            {
                hearing = hearing.AddDays(1);
            }

            return new ArraignmentRecord
            {
                Magistrate = _random.ArrayElement(Magistrates),
                BailType = bail,
                BailAmount = amount,
                Conditions = conditions,
                DocketNumber = string.Create(CultureInfo.InvariantCulture, $"MC-51-CR-{_docket:D7}-{arraignedAt.UtcDateTime.Year:D4}"),
                NextHearingDate = hearing,
                NextHearingCourtroom = _random.ArrayElement(Courtrooms),
                Custody = custody,
                ArraignedAt = arraignedAt,
            };
        }

        private decimal BailAmount((int Low, int High) ladder) => BailLadder[_random.Number(ladder.Low, ladder.High)];

        /// <summary>0 for F1 and ungraded felonies such as murder, 1 F2, 2 F3, 3 misdemeanors and the rest.</summary>
        private static int Rank(Statute s) => s.DefaultGrade switch
        {
            OffenseGrade.F1 => 0,
            OffenseGrade.Ungraded when s.Category == "homicide" => 0,
            OffenseGrade.F2 => 1,
            OffenseGrade.F3 => 2,
            _ => 3,
        };

        private List<InvolvedParty> Parties()
        {
            var parties = new List<InvolvedParty>();
            var victims = _random.Double() < 0.85 ? 1 : 2;
            for (var i = 0; i < victims; i++)
            {
                parties.Add(Party(InvolvementRole.Victim));
            }

            if (_random.Double() < 0.4)
            {
                parties.Add(Party(InvolvementRole.Witness));
            }

            return parties;
        }

        private InvolvedParty Party(InvolvementRole role)
        {
            var faker = _random.Double() < 0.2 ? _spanish : _us;
            var gender = _random.Bool() ? Gender.Male : Gender.Female;
            return new InvolvedParty
            {
                Role = role,
                Name = $"{faker.Name.FirstName(gender)} {faker.Name.LastName()}",
                Contact = _random.Double() < 0.7
                    ? string.Create(CultureInfo.InvariantCulture, $"({_random.ArrayElement(["215", "267", "445"])}) 555-01{_random.Number(0, 99):D2}")
                    : null,
            };
        }

        /// <summary>A new person, or (a third of the time, once there is one) an earlier person identified by both SID
        /// and FBI number, arrested again: the same identifiers, name and date of birth, a later booking. The new person
        /// is drawn either way, so the main random stream advances as it always did.</summary>
        private Person PersonFor(DateTimeOffset bookedAt)
        {
            var person = NewPerson(bookedAt);
            if (_identified.Count > 0 && _repeat.Double() < RearrestShare)
            {
                var earlier = _identified[_repeat.Number(0, _identified.Count - 1)];
                if (earlier.DateOfBirth > DateOnly.FromDateTime(bookedAt.UtcDateTime).AddYears(-71))
                {
                    return earlier;
                }
            }

            // A SID or FBI number names one person: a new person drawn with one already given keeps none.
            var ids = person.Identifiers;
            var sid = ids.Sid is { } drawnSid && !_sids.Add(drawnSid) ? null : ids.Sid;
            var fbi = ids.FbiNumber is { } drawnFbi && !_fbiNumbers.Add(drawnFbi) ? null : ids.FbiNumber;
            if (sid != ids.Sid || fbi != ids.FbiNumber)
            {
                person = person with { Identifiers = ids with { Sid = sid, FbiNumber = fbi } };
            }

            if (person.Identifiers.Sid is not null && person.Identifiers.FbiNumber is not null)
            {
                _identified.Add(person);
            }

            return person;
        }

        private Person NewPerson(DateTimeOffset bookedAt)
        {
            var profile = Pick(Profiles.Select(p => p.Profile).ToArray(), _profileWeights);
            var male = _random.Double() < 0.82;
            var gender = male ? Gender.Male : Gender.Female;
            var foreign = _random.Double() < profile.ForeignShare;
            var country = foreign ? PickWeighted(Countries[profile.Origin]) : null;
            var (first, last, middle) = Names(profile, country, gender);

            var band = Pick(AgeBands, [.. AgeBands.Select(b => b.Weight)]);
            var age = _random.Number(band.Min, band.Max);
            var bookedOn = DateOnly.FromDateTime(bookedAt.UtcDateTime);
            var dob = bookedOn.AddYears(-age).AddDays(-_random.Number(0, 364));

            PlaceOfBirth birthplace;
            if (country is not null)
            {
                birthplace = new PlaceOfBirth { City = _random.ArrayElement(ForeignCities[country]), Country = country };
            }
            else if (profile.Ethnicity == Ethnicity.Hispanic && _random.Double() < 0.35)
            {
                birthplace = new PlaceOfBirth { City = _random.ArrayElement(PuertoRicanCities), Country = UnitedStates };
            }
            else
            {
                birthplace = new PlaceOfBirth { City = PickWeighted(UsCities.Select(c => (c.City, (double)c.Weight)).ToArray(), _usCityWeights), Country = UnitedStates };
            }

            var aliases = new List<PersonName>();
            if (_random.Double() < 0.08)
            {
                var (aliasFirst, _, _) = Names(profile, country, gender);
                aliases.Add(new PersonName { LastName = last, FirstName = aliasFirst });
            }

            return new Person
            {
                LastName = last,
                FirstName = first,
                MiddleName = middle,
                Aliases = aliases,
                DateOfBirth = dob,
                Sex = male ? Sex.Male : Sex.Female,
                Race = profile.Race,
                Ethnicity = profile.Ethnicity,
                Ssn = _random.Double() < 0.85 ? Ssn() : null,
                PlaceOfBirth = birthplace,
                Address = _random.Double() < 0.94
                    ? new PostalAddress
                    {
                        Street = Street(withUnit: _random.Double() < 0.25),
                        City = "Philadelphia",
                        State = "PA",
                        PostalCode = _random.ArrayElement(ZipCodes),
                    }
                    : null,
                Identifiers = new PersonIdentifiers
                {
                    Pid = _random.Number(100_000, 1_299_999).ToString("D7", CultureInfo.InvariantCulture),
                    Sid = _random.Double() < 0.7
                        ? string.Create(CultureInfo.InvariantCulture, $"{_random.Number(100, 999)}-{_random.Number(10, 99)}-{_random.Number(10, 99)}-{_random.Number(0, 9)}")
                        : null,
                    FbiNumber = _random.Double() < 0.55
                        ? string.Create(CultureInfo.InvariantCulture, $"{_random.Number(10_000, 999_999)}{_random.Char('A', 'Z')}{_random.Char('A', 'Z')}{_random.Number(0, 9)}")
                        : null,
                },
            };
        }

        private (string First, string Last, string? Middle) Names(Profile profile, string? country, Gender gender)
        {
            var male = gender == Gender.Male;
            var (first, last, faker) = country switch
            {
                "China" => Listed(ChineseMale, ChineseFemale, ChineseSurnames),
                "South Korea" => Listed(KoreanMale, KoreanFemale, KoreanSurnames),
                "Cambodia" => Listed(KhmerMale, KhmerFemale, KhmerSurnames),
                "Ukraine" => Listed(UkrainianMale, UkrainianFemale, UkrainianSurnames),
                "Russia" => Listed(RussianMale, RussianFemale, RussianSurnames),
                "Albania" => Listed(AlbanianMale, AlbanianFemale, AlbanianSurnames),
                "Vietnam" => FromFaker(_vietnamese),
                "Haiti" => FromFaker(_french),
                "India" => FromFaker(_indian),
                "Liberia" or "Nigeria" => FromFaker(_westAfrican),
                "Poland" => Listed(PolishMale, PolishFemale, PolishSurnames),
                "Italy" => FromFaker(_italian),
                null when profile.Origin == Origin.Asian => _random.Double() < 0.6 ? FromFaker(_vietnamese) : Listed(ChineseMale, ChineseFemale, ChineseSurnames),
                _ when profile.Ethnicity == Ethnicity.Hispanic => FromFaker(_spanish),
                _ => FromFaker(_us),
            };

            // Some US-born people carry accented names (Zoë, André), and some of the US-born children of immigrants English first names.
            if (country is null && profile.Ethnicity != Ethnicity.Hispanic && _random.Double() < 0.03)
            {
                first = _random.ArrayElement(male ? AccentedMale : AccentedFemale);
            }

            string? middle = null;
            var middleRoll = _random.Double();
            if (middleRoll < 0.45)
            {
                middle = faker is not null ? faker.Name.FirstName(gender) : Listed(ChineseMale, ChineseFemale, ChineseSurnames).First;
            }
            else if (middleRoll < 0.6)
            {
                middle = string.Create(CultureInfo.InvariantCulture, $"{_random.Char('A', 'Z')}");
            }

            return (first, last, middle);

            (string First, string Last, Faker? Faker) Listed(string[] maleNames, string[] femaleNames, string[] surnames) =>
                (_random.ArrayElement(male ? maleNames : femaleNames), _random.ArrayElement(surnames), null);

            (string First, string Last, Faker? Faker) FromFaker(Faker f) => (f.Name.FirstName(gender), f.Name.LastName(), f);
        }

        private string Ssn()
        {
            var area = _random.Number(1, 898);
            if (area >= 666)
            {
                area++; // 666 is never issued: skip it.
            }

            return string.Create(CultureInfo.InvariantCulture, $"{area:D3}-{_random.Number(1, 99):D2}-{_random.Number(1, 9999):D4}");
        }

        private Officer NewOfficer()
        {
            var gender = _random.Double() < 0.75 ? Gender.Male : Gender.Female;
            var faker = _random.Double() < 0.15 ? _spanish : _us;
            return new Officer
            {
                BadgeNumber = _random.Number(1000, 9999).ToString(CultureInfo.InvariantCulture),
                Name = $"{faker.Name.FirstName(gender)} {faker.Name.LastName()}",
            };
        }

        private string OffenseLocation()
        {
            if (_random.Double() < 0.35)
            {
                var a = _random.ArrayElement(Streets);
                var b = _random.ArrayElement(Streets);
                return a == b ? $"{_random.Number(1, 69) * 100} block of {a}" : $"{a} & {b}";
            }

            return string.Create(CultureInfo.InvariantCulture, $"{_random.Number(1, 69) * 100} block of {_random.ArrayElement(Streets)}");
        }

        private string Street(bool withUnit)
        {
            var street = string.Create(CultureInfo.InvariantCulture, $"{_random.Number(100, 6999)} {_random.ArrayElement(Streets)}");
            return withUnit ? string.Create(CultureInfo.InvariantCulture, $"{street}, Apt {_random.Number(1, 4)}{_random.Char('A', 'D')}") : street;
        }

        private Statute Statute(string citation) =>
            _owner._reference.Statutes.TryFind(citation, out var statute) ? statute : throw new InvalidOperationException($"Unknown statute {citation}.");

        private T Pick<T>(IReadOnlyList<T> items, double[] weights)
        {
            var total = 0.0;
            foreach (var w in weights)
            {
                total += w;
            }

            var x = _random.Double() * total;
            for (var i = 0; i < weights.Length; i++)
            {
                x -= weights[i];
                if (x < 0)
                {
                    return items[i];
                }
            }

            return items[^1];
        }

        private string PickWeighted((string Value, double Weight)[] options) => Pick(options.Select(o => o.Value).ToArray(), [.. options.Select(o => o.Weight)]);

        private string PickWeighted((string Value, double Weight)[] options, double[] weights) => Pick(options.Select(o => o.Value).ToArray(), weights);

        private double Exponential(double mean) => -mean * Math.Log(1 - _random.Double());

        private static DateTimeOffset TruncateToSecond(DateTimeOffset at) =>
            new(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

        private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
    }

    private enum Origin { UsGeneral, Latin, Caribbean, Asian, European }

    /// <param name="Race">The race drawn for the person.</param>
    /// <param name="Ethnicity">Hispanic or not.</param>
    /// <param name="Origin">Where a person of this profile born abroad comes from.</param>
    /// <param name="ForeignShare">Chance a person of this profile was born outside the US.</param>
    private sealed record Profile(Race Race, Ethnicity Ethnicity, Origin Origin, double ForeignShare);
}
