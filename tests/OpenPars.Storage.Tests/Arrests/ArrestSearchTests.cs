using OpenPars.Core.Arrests;
using OpenPars.Storage.Arrests;
using OpenPars.Testing;
using OpenPars.App.Hosting;
using Shouldly;
using Xunit;

namespace OpenPars.Storage.Tests.Arrests;

/// <summary>Stakeholder search, keyset paging and the desks' lists, on every provider.</summary>
public sealed class ArrestSearchTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, AllProviders]
    public async Task Last_name_matches_by_case_insensitive_prefix_in_any_script(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider, Ct);
        var store = db.Arrests();
        var numbers = new Dictionary<string, string>();
        foreach (var (last, first) in new[] { ("Smith", "Anna"), ("Smithers", "Bob"), ("Smyth", "Carl"), ("Ñúñez", "Zoë"), ("王", "小明"), ("محمد", "علي"), ("Doe", "John") })
        {
            numbers[last] = (await store.BookAsync(new ArrestBuilder(db.Reference).WithName(last, first).Build(), TestActors.BookingOfficer, null, Ct)).Record.ArrestNumber;
        }

        async Task<IEnumerable<string>> LastNames(string lastName) =>
            (await store.SearchAsync(new ArrestQuery { LastName = lastName }, Ct)).Items.Select(i => i.LastName);

        (await LastNames("smi")).ShouldBe(["Smith", "Smithers"], ignoreOrder: true);
        (await LastNames("SMITH")).ShouldBe(["Smith", "Smithers"], ignoreOrder: true);
        (await LastNames("sm")).ShouldBe(["Smith", "Smithers", "Smyth"], ignoreOrder: true);
        (await LastNames("ñú")).ShouldBe(["Ñúñez"]);
        (await LastNames("ÑÚÑEZ")).ShouldBe(["Ñúñez"]);
        (await LastNames("王")).ShouldBe(["王"]);
        (await LastNames("محم")).ShouldBe(["محمد"]);
        (await LastNames("mith")).ShouldBeEmpty();

        // LIKE wildcards in a name are letters, not patterns.
        (await LastNames("D_e")).ShouldBeEmpty();
        (await LastNames("%")).ShouldBeEmpty();
    }

    [Theory, AllProviders]
    public async Task Search_filters_by_first_name_date_of_birth_district_statute_and_status(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider, Ct);
        var store = db.Arrests();
        var statutes = db.Reference.Statutes.All;
        var district = db.Reference.Districts.All[0].Code;
        var people = new[] { ("Ann", new DateOnly(1980, 1, 1)), ("Annette", new DateOnly(1990, 2, 2)), ("Bea", new DateOnly(1980, 1, 1)), ("Cy", new DateOnly(2000, 3, 3)) };
        var booked = new List<ArrestRecord>();
        for (var i = 0; i < people.Length; i++)
        {
            var (first, dob) = people[i];
            var request = new ArrestBuilder(db.Reference).WithName("Lee", first).WithDateOfBirth(dob).WithCharge(statutes[i % statutes.Count].Citation).Build();
            booked.Add((await store.BookAsync(request, TestActors.BookingOfficer, null, Ct)).Record);
        }

        await store.DecideChargingAsync(booked[1].ArrestNumber, Decisions.Approve(), TestActors.ChargingAttorney, Ct);
        await store.DecideChargingAsync(booked[2].ArrestNumber, Decisions.Decline(), TestActors.ChargingAttorney, Ct);

        async Task<IEnumerable<string>> Find(ArrestQuery query) => (await store.SearchAsync(query, Ct)).Items.Select(i => i.ArrestNumber);
        string[] Numbers(params int[] indexes) => indexes.Select(i => booked[i].ArrestNumber).ToArray();

        (await Find(new ArrestQuery { FirstName = "ann" })).ShouldBe(Numbers(0, 1), ignoreOrder: true);
        (await Find(new ArrestQuery { FirstName = "annette" })).ShouldBe(Numbers(1));
        (await Find(new ArrestQuery { DateOfBirth = new DateOnly(1980, 1, 1) })).ShouldBe(Numbers(0, 2), ignoreOrder: true);
        (await Find(new ArrestQuery { DateOfBirth = new DateOnly(1980, 1, 2) })).ShouldBeEmpty();
        (await Find(new ArrestQuery { FirstName = "ann", DateOfBirth = new DateOnly(1980, 1, 1) })).ShouldBe(Numbers(0));
        (await Find(new ArrestQuery { District = district })).Count().ShouldBe(4);
        (await Find(new ArrestQuery { District = "no-such" })).ShouldBeEmpty();
        (await Find(new ArrestQuery { Status = ArrestStatus.AwaitingCharging })).ShouldBe(Numbers(0, 3), ignoreOrder: true);
        (await Find(new ArrestQuery { Status = ArrestStatus.Charged })).ShouldBe(Numbers(1));
        (await Find(new ArrestQuery { Status = ArrestStatus.Declined })).ShouldBe(Numbers(2));
        (await Find(new ArrestQuery { Status = ArrestStatus.Arraigned })).ShouldBeEmpty();
        var citation = statutes[0].Citation;
        (await Find(new ArrestQuery { Statute = citation })).ShouldBe(booked.Where(b => b.Charges.Any(c => c.Citation == citation)).Select(b => b.ArrestNumber), ignoreOrder: true);
        (await Find(new ArrestQuery { Statute = "18 § 0000(z)" })).ShouldBeEmpty();
    }

    [Theory, AllProviders]
    public async Task From_is_inclusive_and_to_is_exclusive(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider, Ct);
        var store = db.Arrests();
        var times = Enumerable.Range(0, 5).Select(h => TestClock.Start.AddHours(-h)).ToArray();
        var numbers = new List<string>();
        foreach (var t in times)
        {
            numbers.Add((await store.BookAsync(new ArrestBuilder(db.Reference).BookedAt(t).Build(), TestActors.BookingOfficer, null, Ct)).Record.ArrestNumber);
        }

        var page = await store.SearchAsync(new ArrestQuery { From = times[3], To = times[1] }, Ct);

        page.Items.Select(i => i.ArrestNumber).ShouldBe([numbers[2], numbers[3]]);
        page.Items.Select(i => i.BookedAt).ShouldBe([times[2], times[3]]);
    }

    [Theory, AllProviders]
    public async Task Keyset_paging_walks_every_arrest_once_newest_first(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider, Ct);
        var store = db.Arrests();
        const int total = 120;
        var expected = new List<(DateTimeOffset BookedAt, string Number)>();
        for (var i = 0; i < total; i++)
        {
            // Three bookings share each minute, out of booking order, so ties are broken by id.
            var bookedAt = TestClock.Start.AddMinutes(-((i * 7) % 40));
            var number = (await store.BookAsync(new ArrestBuilder(db.Reference).BookedAt(bookedAt).Build(), TestActors.BookingOfficer, null, Ct)).Record.ArrestNumber;
            expected.Add((bookedAt, number));
        }

        var seen = new List<ArrestSummary>();
        var pages = 0;
        PageCursor? after = null;
        while (true)
        {
            var page = await store.SearchAsync(new ArrestQuery { Limit = 25, After = after }, Ct);
            pages++;
            page.Items.Count.ShouldBeLessThanOrEqualTo(25);
            seen.AddRange(page.Items);
            if (page.NextCursor is null)
            {
                break;
            }

            PageCursor.TryDecode(page.NextCursor, out after).ShouldBeTrue();
            pages.ShouldBeLessThan(10, "paging does not end");
        }

        pages.ShouldBe(5);
        seen.Count.ShouldBe(total);
        seen.Select(s => s.ArrestNumber).Distinct().Count().ShouldBe(total);
        seen.Select(s => s.ArrestNumber).ShouldBe(expected.Select(e => e.Number), ignoreOrder: true);
        seen.Select(s => s.BookedAt).ShouldBeInOrder(SortDirection.Descending);

        // Within one instant, the later booking (higher id, higher number) comes first.
        foreach (var tie in seen.GroupBy(s => s.BookedAt))
        {
            tie.Select(s => s.ArrestNumber).ShouldBeInOrder(SortDirection.Descending, StringComparer.Ordinal);
        }
    }

    [Theory, AllProviders]
    public async Task The_charging_queue_is_oldest_first_and_holds_only_arrests_awaiting_charging(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider, Ct);
        var store = db.Arrests();
        int[] hoursAgo = [3, 1, 5, 2, 4];
        var numbers = new List<string>();
        foreach (var h in hoursAgo)
        {
            numbers.Add((await store.BookAsync(new ArrestBuilder(db.Reference).BookedAt(TestClock.Start.AddHours(-h)).Build(), TestActors.BookingOfficer, null, Ct)).Record.ArrestNumber);
        }

        await store.DecideChargingAsync(numbers[2], Decisions.Approve(), TestActors.ChargingAttorney, Ct); // the oldest
        await store.DecideChargingAsync(numbers[1], Decisions.Decline(), TestActors.ChargingAttorney, Ct);

        var first = await store.ChargingQueueAsync(null, 2, Ct);
        first.Items.Select(i => i.ArrestNumber).ShouldBe([numbers[4], numbers[0]]);
        first.NextCursor.ShouldNotBeNull();
        PageCursor.TryDecode(first.NextCursor, out var after).ShouldBeTrue();
        var second = await store.ChargingQueueAsync(after, 2, Ct);
        second.Items.Select(i => i.ArrestNumber).ShouldBe([numbers[3]]);
        second.NextCursor.ShouldBeNull();
        second.Items.ShouldAllBe(i => i.Status == ArrestStatus.AwaitingCharging);
    }

    [Theory, AllProviders]
    public async Task The_arraignment_list_holds_the_charged_and_the_day_s_arraigned(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider, Ct);
        var store = db.Arrests();
        var numbers = new List<string>();
        foreach (var h in new[] { 2, 4, 3, 1 })
        {
            numbers.Add((await store.BookAsync(new ArrestBuilder(db.Reference).BookedAt(TestClock.Start.AddHours(-h)).Build(), TestActors.BookingOfficer, null, Ct)).Record.ArrestNumber);
        }

        foreach (var n in numbers.Take(3))
        {
            await store.DecideChargingAsync(n, Decisions.Approve(), TestActors.ChargingAttorney, Ct);
        }

        db.Clock.Advance(TimeSpan.FromHours(3));
        await store.RecordArraignmentAsync(numbers[2], Decisions.Arraignment(db.Clock.GetUtcNow()), TestActors.Magistrate, Ct);
        var dayStart = new DateTimeOffset(TestClock.Start.Date, TimeSpan.Zero);

        var today = await store.ArraignmentListAsync(dayStart, dayStart.AddDays(1), Ct);
        var yesterday = await store.ArraignmentListAsync(dayStart.AddDays(-1), dayStart, Ct);

        today.Waiting.Select(i => i.ArrestNumber).ShouldBe([numbers[1], numbers[0]]);
        today.Arraigned.Select(i => i.ArrestNumber).ShouldBe([numbers[2]]);
        today.Arraigned.Single().Status.ShouldBe(ArrestStatus.Arraigned);
        yesterday.Waiting.ShouldBeEmpty();
        yesterday.Arraigned.ShouldBeEmpty();
    }
}
