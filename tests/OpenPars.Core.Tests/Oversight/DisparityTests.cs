using CsCheck;
using OpenPars.Core.Arrests;
using OpenPars.Core.Oversight;
using OpenPars.Core.Oversight.Simulation;
using OpenPars.Core.Tests.Policy;
using Shouldly;
using Xunit;

namespace OpenPars.Core.Tests.Oversight;

public class DisparityTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
    private static readonly DisparityWindow Week = DisparityWindow.Last(7, Now);
    private static readonly int Birthplace = OversightEvaluation.IndexOf(DisparityAttribute.BirthplaceFamily);

    private static OversightPerson P(string key, BirthOrigin origin, Race? race = Race.White) => new(key, origin, race, Ethnicity.NonHispanic, Sex.Male, 30);

    private static IEnumerable<OversightPerson> People(string prefix, int count, BirthOrigin origin) =>
        Enumerable.Range(0, count).Select(i => P($"{prefix}{i}", origin));

    private static List<DisclosedPerson> Disclose(IEnumerable<OversightPerson> persons) =>
        [.. persons.Select((p, i) => new DisclosedPerson(100 + i, Now.AddHours(-1 - (i % 100)), p))];

    private static List<BookedPerson> Book(IEnumerable<OversightPerson> persons) =>
        [.. persons.Select((p, i) => new BookedPerson(Now.AddHours(-2 - (i % 150)), p))];

    [Fact]
    public void Persons_born_abroad_three_times_their_share_with_enough_of_them_is_an_alert_with_its_evidence()
    {
        // Disclosed: 60 of 200 born abroad (30%); benchmark: 100 of 1000 (10%).
        var disclosed = Disclose(People("a", 60, BirthOrigin.OutsideUnitedStates).Concat(People("u", 140, BirthOrigin.UnitedStates)));
        var booked = Book(People("b", 100, BirthOrigin.OutsideUnitedStates).Concat(People("c", 900, BirthOrigin.UnitedStates)));

        var row = DisparityAnalysis.Evaluate(Week, disclosed, booked).Rows[Birthplace];

        (row.DisclosedWith, row.DisclosedKnown, row.BenchmarkWith, row.BenchmarkKnown).ShouldBe((60, 200, 100, 1000));
        row.DisclosedShare!.Value.ShouldBe(0.30, 1e-12);
        row.BenchmarkShare!.Value.ShouldBe(0.10, 1e-12);
        row.Interval!.Ratio!.Value.ShouldBe(3.0, 1e-12);
        row.Interval.Method.ShouldBe(RatioMethod.KatzLog);
        row.Interval.Lower.ShouldBeGreaterThan(1.25);
        row.Alert.ShouldBeTrue();
        row.Evidence.ShouldBe(disclosed.Take(60).Select(d => d.EntryIndex));
    }

    [Fact]
    public void An_alerting_row_becomes_an_alert_with_counts_and_entries_but_no_person()
    {
        var disclosed = Disclose(People("a", 60, BirthOrigin.OutsideUnitedStates).Concat(People("u", 140, BirthOrigin.UnitedStates)));
        var booked = Book(People("b", 100, BirthOrigin.OutsideUnitedStates).Concat(People("c", 900, BirthOrigin.UnitedStates)));
        var report = DisparityAnalysis.Evaluate(Week, disclosed, booked);

        var alert = DisparityAlerts.From(report, "ICE", "ice-2026", Now, Observations.Philadelphia).ShouldHaveSingleItem();

        alert.Kind.ShouldBe(AlertKind.Disparity);
        alert.Key.ShouldBe("disparity:ICE:ice-2026:7d:birthplace:outside-united-states:2026-11-30");
        alert.Figures["disclosedWith"].ShouldBe("60");
        alert.Figures["benchmarkKnown"].ShouldBe("1000");
        alert.Figures["ratio"].ShouldBe("3");
        alert.Evidence.Count.ShouldBe(60);
        alert.Summary.ShouldNotContain("pid:");
    }

    [Fact]
    public void A_person_booked_twice_in_the_window_is_one_person_of_the_benchmark()
    {
        var twice = P("twice", BirthOrigin.OutsideUnitedStates);
        var bookings = new[] { new BookedPerson(Now.AddDays(-1), twice), new BookedPerson(Now.AddDays(-2), twice), new BookedPerson(Now.AddDays(-3), P("other", BirthOrigin.UnitedStates)) };

        var report = DisparityAnalysis.Evaluate(Week, Disclose(People("a", 2, BirthOrigin.UnitedStates)), bookings);

        report.BenchmarkPersons.ShouldBe(2);
        report.Rows[Birthplace].BenchmarkWith.ShouldBe(1);
    }

    [Fact]
    public void Twenty_nine_persons_with_the_attribute_are_too_few_for_an_alert_however_lopsided()
    {
        var disclosed = Disclose(People("a", 29, BirthOrigin.OutsideUnitedStates).Concat(People("u", 11, BirthOrigin.UnitedStates)));
        var booked = Book(People("b", 100, BirthOrigin.OutsideUnitedStates).Concat(People("c", 900, BirthOrigin.UnitedStates)));

        var row = DisparityAnalysis.Evaluate(Week, disclosed, booked).Rows[Birthplace];

        row.Interval!.Lower.ShouldBeGreaterThan(1.25);
        row.SampleSufficient.ShouldBeFalse();
        row.Alert.ShouldBeFalse();
        DisparityAnalysis.Evaluate(Week, disclosed, booked, DisparityOptions.Default with { MinimumSample = 29 }).Rows[Birthplace].Alert.ShouldBeTrue();
    }

    [Fact]
    public void The_threshold_is_per_agreement()
    {
        var disclosed = Disclose(People("a", 60, BirthOrigin.OutsideUnitedStates).Concat(People("u", 140, BirthOrigin.UnitedStates)));
        var booked = Book(People("b", 100, BirthOrigin.OutsideUnitedStates).Concat(People("c", 900, BirthOrigin.UnitedStates)));

        var row = DisparityAnalysis.Evaluate(Week, disclosed, booked, DisparityOptions.Default with { Threshold = 2.5 }).Rows[Birthplace];

        row.Interval!.Lower.ShouldBeLessThan(2.5);
        row.Alert.ShouldBeFalse();
    }

    [Fact]
    public void A_person_looked_up_many_times_counts_once_and_only_inside_the_window()
    {
        var abroad = P("same", BirthOrigin.OutsideUnitedStates);
        var disclosures = Enumerable.Range(0, 50).Select(i => new DisclosedPerson(i, Now.AddMinutes(-10 - i), abroad))
            .Append(new DisclosedPerson(99, Now.AddDays(-8), P("old", BirthOrigin.OutsideUnitedStates)))
            .Append(new DisclosedPerson(98, Now, P("at-now", BirthOrigin.OutsideUnitedStates))) // [start, end): now is outside
            .Append(new DisclosedPerson(97, Now.AddHours(-3), P("us", BirthOrigin.UnitedStates)));

        var report = DisparityAnalysis.Evaluate(Week, disclosures, Book(People("b", 10, BirthOrigin.UnitedStates)));

        report.DisclosedPersons.ShouldBe(2);
        report.Rows[Birthplace].DisclosedWith.ShouldBe(1);
        report.Rows[Birthplace].Evidence.ShouldBe([49]); // the first disclosure of that person in the window
    }

    [Fact]
    public void Unknown_birthplaces_are_in_neither_share_and_are_counted_apart()
    {
        var disclosed = Disclose(People("a", 10, BirthOrigin.OutsideUnitedStates).Concat(People("u", 10, BirthOrigin.UnitedStates)).Concat(People("x", 80, BirthOrigin.Unknown)));
        var booked = Book(People("b", 50, BirthOrigin.OutsideUnitedStates).Concat(People("c", 50, BirthOrigin.UnitedStates)).Concat(People("y", 5, BirthOrigin.Unknown)));

        var row = DisparityAnalysis.Evaluate(Week, disclosed, booked).Rows[Birthplace];

        (row.DisclosedWith, row.DisclosedKnown, row.DisclosedUnknown).ShouldBe((10, 20, 80));
        (row.BenchmarkWith, row.BenchmarkKnown, row.BenchmarkUnknown).ShouldBe((50, 100, 5));
        row.Interval!.Ratio!.Value.ShouldBe(1.0, 1e-12);
    }

    [Fact]
    public void Each_race_ethnicity_sex_and_age_band_has_its_row()
    {
        var report = DisparityAnalysis.Evaluate(Week, Disclose(People("a", 3, BirthOrigin.UnitedStates)), Book(People("b", 3, BirthOrigin.UnitedStates)));

        report.Rows.Select(r => r.Attribute.Name).ShouldBe(
        [
            "birthplace:outside-united-states", "race:white", "race:black", "race:asian", "race:american-indian", "race:pacific-islander",
            "ethnicity:hispanic", "ethnicity:non-hispanic", "sex:male", "sex:female",
            "age-band:under-18", "age-band:18-24", "age-band:25-34", "age-band:35-44", "age-band:45-54", "age-band:55-64", "age-band:65-and-over",
        ]);
    }

    [Fact]
    public void Tallies_give_the_same_report_as_the_persons_they_were_made_from()
    {
        var city = SimulatedCity.Generate(7, CitySettings.Default with { HistoryDays = 10, Days = 3 });
        var traffic = SimulatedPartner.Run(city, PartnerBehaviour.Biased, 7);
        var window = DisparityWindow.Last(7, city.Settings.DayStart(3));
        var direct = DisparityAnalysis.Evaluate(window, traffic.Disclosures, city.Bookings);

        var disclosed = new AttributeTally();
        foreach (var d in traffic.Disclosures.Where(d => window.Contains(d.DisclosedAt)))
        {
            disclosed.Add(d.Person);
        }

        var booked = new AttributeTally();
        foreach (var b in city.Bookings.Where(b => window.Contains(b.BookedAt)))
        {
            booked.Add(b.Person);
        }

        var tallied = DisparityAnalysis.FromTallies(window, disclosed, booked);
        tallied.Rows.Select(r => (r.DisclosedWith, r.DisclosedKnown, r.BenchmarkWith, r.BenchmarkKnown, r.Interval, r.Alert))
            .ShouldBe(direct.Rows.Select(r => (r.DisclosedWith, r.DisclosedKnown, r.BenchmarkWith, r.BenchmarkKnown, r.Interval, r.Alert)));
    }

    [Theory]
    [InlineData("United States", BirthOrigin.UnitedStates)]
    [InlineData("U.S.A.", BirthOrigin.UnitedStates)]
    [InlineData("  usa ", BirthOrigin.UnitedStates)]
    [InlineData("Puerto Rico", BirthOrigin.UnitedStates)]
    [InlineData("Estados Unidos", BirthOrigin.UnitedStates)]
    [InlineData("Mexico", BirthOrigin.OutsideUnitedStates)]
    [InlineData("México", BirthOrigin.OutsideUnitedStates)]
    [InlineData("United Kingdom", BirthOrigin.OutsideUnitedStates)]
    [InlineData("Unknown", BirthOrigin.Unknown)]
    [InlineData("", BirthOrigin.Unknown)]
    [InlineData(null, BirthOrigin.Unknown)]
    public void Country_of_birth_is_read_without_case_punctuation_or_accents(string? country, BirthOrigin expected)
    {
        BirthCountries.OriginOf(country).ShouldBe(expected);
    }

    [Fact]
    public void A_person_is_keyed_by_the_photo_id_and_aged_at_booking()
    {
        var arrest = TestArrests.Record(bookedAt: new DateTimeOffset(2026, 4, 1, 3, 0, 0, TimeSpan.Zero), dateOfBirth: new DateOnly(1990, 4, 1));
        arrest = arrest with { Person = arrest.Person with { Identifiers = new PersonIdentifiers { Pid = "1234567", Sid = "9" }, PlaceOfBirth = new PlaceOfBirth { Country = "Vietnam" } } };

        var person = OversightPerson.FromArrest(arrest);

        person.PersonKey.ShouldBe("pid:1234567");
        person.AgeAtBooking.ShouldBe(36); // the birthday itself counts
        person.Origin.ShouldBe(BirthOrigin.OutsideUnitedStates);
        OversightPerson.PersonKeyOf(arrest with { Person = arrest.Person with { Identifiers = new PersonIdentifiers() } }).ShouldBe("arrest:" + arrest.ArrestNumber);
    }

    [Fact]
    public void Equal_shares_never_alert_whatever_the_counts()
    {
        Gen.Select(Gen.Int[1, 60], Gen.Int[1, 20], Gen.Int[1, 5]).Sample((with, without, scale) =>
        {
            var disclosed = Disclose(People("a", with, BirthOrigin.OutsideUnitedStates).Concat(People("u", without, BirthOrigin.UnitedStates)));
            var booked = Book(People("b", with * scale, BirthOrigin.OutsideUnitedStates).Concat(People("c", without * scale, BirthOrigin.UnitedStates)));
            var row = DisparityAnalysis.Evaluate(Week, disclosed, booked).Rows[Birthplace];
            row.Interval!.Lower.ShouldBeLessThanOrEqualTo(1.0 + 1e-9);
            row.Alert.ShouldBeFalse();
        }, iter: 200);
    }
}
