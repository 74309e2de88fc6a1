using System.Text.Json;
using OpenPars.Core.Arrests;
using OpenPars.Core.Charging;
using OpenPars.Core.Common;
using OpenPars.Storage.Arrests;
using OpenPars.Demo;
using Shouldly;
using Xunit;

namespace OpenPars.Storage.Tests.Demo;

public sealed class DemoDataGeneratorTests
{
    private static readonly ReferenceData Reference = ReferenceData.LoadDefault();
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 15, 30, 0, TimeSpan.Zero);
    private static readonly BulkArrestActors Actors = new(new Actor(1, "ppd.booking", "PPD"), new Actor(2, "dao.charging", "DAO"), new Actor(3, "fjd.magistrate", "FJD"));

    // Generated once for the proportion tests; the generator is deterministic, so sharing it hides nothing.
    private static readonly Lazy<(BulkArrest Arrest, ArrestRecord Record)[]> FiveThousand = new(() =>
        [.. new DemoDataGenerator(Reference, 42, Now).Generate(5000).Select((a, i) => (a, BulkArrestHistory.Decide(a, ArrestNumbers.Format(2026, i + 1), Actors, Reference).Record))]);

    [Fact]
    public void The_same_seed_gives_the_same_arrests()
    {
        var first = Serialize(new DemoDataGenerator(Reference, 7, Now).Generate(200));
        var second = Serialize(new DemoDataGenerator(Reference, 7, Now).Generate(200));

        second.ShouldBe(first);
    }

    [Fact]
    public void Generating_twice_from_one_generator_starts_over()
    {
        var generator = new DemoDataGenerator(Reference, 7, Now);

        Serialize(generator.Generate(50)).ShouldBe(Serialize(generator.Generate(50)));
    }

    [Fact]
    public void Another_seed_gives_other_arrests()
    {
        var first = Serialize(new DemoDataGenerator(Reference, 7, Now).Generate(200));
        var other = Serialize(new DemoDataGenerator(Reference, 8, Now).Generate(200));

        other.ShouldNotBe(first);
    }

    [Fact]
    public void Every_generated_arrest_passes_the_desks_own_rules()
    {
        // Two seeds, 8,000 arrests: BulkArrestHistory.Decide runs Booking, ChargingReview and PreliminaryArraignment and throws on any broken rule.
        foreach (var (seed, count) in new[] { (42, 5000), (2026, 3000) })
        {
            var i = 0;
            foreach (var arrest in new DemoDataGenerator(Reference, seed, Now).Generate(count))
            {
                var errors = new ValidationErrors();
                // Validated when it happened, as BulkArrestHistory books it (a year-old booking entered today is backdating).
                Booking.Validate(arrest.Booking, [Core.Agencies.Roles.BookingOfficer], Reference, arrest.BookedAt, errors);
                errors.All.ShouldBeEmpty();
                Should.NotThrow(() => BulkArrestHistory.Decide(arrest, ArrestNumbers.Format(2026, ++i), Actors, Reference));
            }
        }
    }

    [Fact]
    public void Arrests_are_in_booking_order_and_nothing_happens_after_now()
    {
        var all = FiveThousand.Value;
        all.Select(x => x.Arrest.BookedAt).ShouldBeInOrder(SortDirection.Ascending);
        all.ShouldAllBe(x => x.Record.LastChangedAt <= Now);
        all.Min(x => x.Arrest.BookedAt).ShouldBeGreaterThanOrEqualTo(Now - TimeSpan.FromDays(90));
    }

    [Fact]
    public void About_a_third_are_re_arrests_of_an_earlier_person_with_the_same_identifiers_name_and_birth_date()
    {
        var people = FiveThousand.Value.Select(x => x.Arrest.Booking).GroupBy(b => (b.Person.Identifiers.Sid, b.Person.Identifiers.FbiNumber, b.Person.LastName, b.Person.FirstName, b.Person.DateOfBirth)).ToList();
        var rearrests = people.Sum(g => g.Count() - 1);
        ((double)rearrests / FiveThousand.Value.Length).ShouldBeInRange(0.28, 0.38);
        foreach (var person in people.Where(g => g.Count() > 1))
        {
            person.Key.Sid.ShouldNotBeNull();
            person.Key.FbiNumber.ShouldNotBeNull();
            person.Select(b => b.BookedAt).ShouldBe(person.Select(b => b.BookedAt).Order());
        }

        // A SID names one person: nobody new is given an earlier person's SID.
        FiveThousand.Value.Select(x => x.Arrest.Booking.Person).Where(p => p.Identifiers.Sid is not null)
            .GroupBy(p => p.Identifiers.Sid).Where(g => g.Select(p => (p.LastName, p.DateOfBirth)).Distinct().Count() > 1).ShouldBeEmpty();
    }

    [Fact]
    public void About_fourteen_percent_are_born_outside_the_United_States()
    {
        var share = FiveThousand.Value.Count(x => !DemoDataGenerator.IsBornInUnitedStates(x.Record.Person)) / 5000.0;

        share.ShouldBeInRange(0.10, 0.18);
        FiveThousand.Value.ShouldContain(x => x.Record.Person.PlaceOfBirth!.City!.EndsWith(", PR", StringComparison.Ordinal)
            && x.Record.Person.PlaceOfBirth.Country == "United States");
    }

    [Fact]
    public void Race_and_ethnicity_are_close_to_a_large_city_arrest_population()
    {
        var people = FiveThousand.Value.Select(x => x.Record.Person).ToList();
        double Share(Func<Person, bool> f) => people.Count(f) / (double)people.Count;

        Share(p => p.Race == Race.Black).ShouldBeInRange(0.55, 0.65);
        Share(p => p.Race == Race.White).ShouldBeInRange(0.25, 0.35);
        Share(p => p.Race == Race.Asian).ShouldBeInRange(0.015, 0.05);
        Share(p => p.Ethnicity == Ethnicity.Hispanic).ShouldBeInRange(0.16, 0.24);
        Share(p => p.Ssn is not null).ShouldBeInRange(0.80, 0.90);
        Share(p => p.Sex == Sex.Male).ShouldBeInRange(0.77, 0.87);
    }

    [Fact]
    public void Names_include_accents_and_stay_in_latin_script()
    {
        var names = FiveThousand.Value.SelectMany(x => new[] { x.Record.Person.FirstName, x.Record.Person.LastName }).ToList();

        names.ShouldContain(n => n.Any(c => c > 127 && char.IsLetter(c)));
        names.ShouldAllBe(n => n.All(c => c < 0x0250 || (c >= 0x1E00 && c <= 0x1EFF)), "Latin letters, with Vietnamese diacritics");
    }

    [Fact]
    public void Ages_are_mostly_18_to_70_with_a_few_juveniles()
    {
        var ages = FiveThousand.Value.Select(x => Age(x.Record.Person.DateOfBirth!.Value, x.Record.BookedAt)).ToList();

        ages.ShouldAllBe(a => a >= 16 && a <= 70);
        (ages.Count(a => a < 18) / 5000.0).ShouldBeInRange(0.005, 0.04);
    }

    [Fact]
    public void Every_status_is_present_and_declines_are_a_small_share()
    {
        var records = FiveThousand.Value.Select(x => x.Record).ToList();

        foreach (var status in Enum.GetValues<ArrestStatus>())
        {
            records.ShouldContain(r => r.Status == status, $"no {status}");
        }

        var decided = records.Where(r => r.Charging is not null).ToList();
        (decided.Count(r => r.Status == ArrestStatus.Declined) / (double)decided.Count).ShouldBeInRange(0.04, 0.09);
        (decided.Count(r => r.Charging!.Outcome == ChargingOutcome.Modify) / (double)decided.Count).ShouldBeInRange(0.11, 0.19);

        var lastTwelveHours = records.Where(r => r.BookedAt > Now - TimeSpan.FromHours(12)).ToList();
        (lastTwelveHours.Count(r => r.Status == ArrestStatus.AwaitingCharging) / (double)lastTwelveHours.Count).ShouldBeGreaterThan(0.5);
        records.Where(r => r.BookedAt < Now - TimeSpan.FromDays(2)).ShouldAllBe(r => r.Status == ArrestStatus.Declined || r.Status == ArrestStatus.Arraigned);
    }

    [Fact]
    public void About_136_arraignments_a_day()
    {
        var records = FiveThousand.Value.Select(x => x.Record).ToList();
        var first = records.Min(r => r.BookedAt).UtcDateTime.Date.AddDays(2); // the first days only fill up
        var today = Now.UtcDateTime.Date;
        var perDay = records.Where(r => r.Arraignment is not null)
            .GroupBy(r => r.Arraignment!.ArraignedAt!.Value.UtcDateTime.Date)
            .Where(g => g.Key >= first && g.Key < today)
            .Select(g => g.Count())
            .ToList();

        perDay.Count.ShouldBeGreaterThan(20);
        perDay.Average().ShouldBeInRange(136 * 0.75, 136 * 1.25);
    }

    [Fact]
    public void Arraignments_follow_booking_within_a_day_with_every_kind_of_bail()
    {
        var arraigned = FiveThousand.Value.Select(x => x.Record).Where(r => r.Arraignment is not null).ToList();

        arraigned.ShouldAllBe(r => r.Arraignment!.ArraignedAt! - r.BookedAt <= TimeSpan.FromHours(24));
        arraigned.ShouldAllBe(r => r.Charging!.DecidedAt <= r.Arraignment!.ArraignedAt);
        arraigned.Select(r => r.Arraignment!.BailType).Distinct().Count().ShouldBe(5);
        arraigned.Select(r => r.Arraignment!.DocketNumber).ShouldBeUnique();
        arraigned.ShouldAllBe(r => r.Arraignment!.NextHearingDate!.Value.DayNumber - DateOnly.FromDateTime(r.Arraignment.ArraignedAt!.Value.UtcDateTime).DayNumber >= 7);
    }

    [Fact]
    public void Victims_appear_only_on_offenses_that_have_them()
    {
        var all = FiveThousand.Value;
        bool HasVictim(BulkArrest a) => a.Booking.Charges.Any(c => Reference.Statutes.TryFind(c.Citation, out var s) && s.HasVictim);

        all.Where(x => !HasVictim(x.Arrest)).ShouldAllBe(x => x.Record.InvolvedParties.Count == 0);
        all.Where(x => HasVictim(x.Arrest)).ShouldAllBe(x => x.Record.InvolvedParties.Any(p => p.Role == InvolvementRole.Victim));
        all.ShouldContain(x => x.Record.InvolvedParties.Any(p => p.Role == InvolvementRole.Witness));
    }

    [Fact]
    public void All_21_districts_are_used_and_charges_number_one_to_four()
    {
        var all = FiveThousand.Value;

        all.Select(x => x.Record.District).Distinct().Count().ShouldBe(Reference.Districts.All.Count);
        Reference.Districts.All.Count.ShouldBe(21);
        all.ShouldAllBe(x => x.Arrest.Booking.Charges.Count >= 1 && x.Arrest.Booking.Charges.Count <= 4);
        all.Select(x => x.Arrest.Booking.Charges[0].Citation).Distinct().Count().ShouldBeGreaterThan(100);
    }

    private static string Serialize(IEnumerable<BulkArrest> arrests) => JsonSerializer.Serialize(arrests.ToList(), OpenParsJson.Options);

    private static int Age(DateOnly dob, DateTimeOffset at)
    {
        var on = DateOnly.FromDateTime(at.UtcDateTime);
        var age = on.Year - dob.Year;
        return dob.AddYears(age) > on ? age - 1 : age;
    }
}
