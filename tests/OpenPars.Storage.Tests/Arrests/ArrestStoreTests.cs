using Microsoft.EntityFrameworkCore;
using OpenPars.Core.Arraignment;
using OpenPars.Core.Arrests;
using OpenPars.Core.Charging;
using OpenPars.Core.Common;
using OpenPars.Storage.Events;
using OpenPars.Testing;
using OpenPars.App.Hosting;
using Shouldly;
using Xunit;

namespace OpenPars.Storage.Tests.Arrests;

/// <summary>Booking, history, corrections and the desks' decisions through the real store, on every provider.</summary>
public sealed class ArrestStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, AllProviders]
    public async Task A_booking_reads_back_exactly_as_booked(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider, Ct);
        var request = new ArrestBuilder(db.Reference)
            .WithVictim("Jane Roe", "215-555-0100")
            .WithWitness("Richard Miles")
            .WithCharge(new ArrestBuilder(db.Reference).DefaultCitation, counts: 3, description: "Struck with a bottle", grade: Core.Arrests.Reference.OffenseGrade.M1)
            .Build();

        var booked = await db.Arrests().BookAsync(request, TestActors.BookingOfficer, null, Ct);

        booked.Created.ShouldBeTrue();
        booked.Record.Status.ShouldBe(ArrestStatus.AwaitingCharging);
        booked.Record.Version.ShouldBe(1);
        booked.Record.BookedAt.ShouldBe(TestClock.Start);
        booked.Record.BookedBy.ShouldBe(TestActors.BookingOfficer);
        booked.Record.Person.ShouldBeEquivalentTo(request.Person);
        booked.Record.InvolvedParties.ShouldBeEquivalentTo(request.InvolvedParties);
        var stored = await db.Arrests().GetAsync(booked.Record.ArrestNumber, Ct);
        stored.ShouldNotBeNull();
        stored.ShouldBeEquivalentTo(booked.Record);
    }

    [Theory, AllProviders]
    public async Task Names_in_any_script_are_kept_exactly(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider, Ct);
        (string Last, string First)[] names = [("Ñúñez", "Zoë"), ("王", "小明"), ("عبد الله", "محمد"), ("O'Brien-Łukasiewicz", "Ægir")];
        foreach (var (last, first) in names)
        {
            var request = new ArrestBuilder(db.Reference).WithName(last, first).WithVictim($"{first} {last}").Build();
            var booked = await db.Arrests().BookAsync(request, TestActors.BookingOfficer, null, Ct);

            var stored = await db.Arrests().GetAsync(booked.Record.ArrestNumber, Ct);

            stored.ShouldNotBeNull();
            stored.Person.LastName.ShouldBe(last);
            stored.Person.FirstName.ShouldBe(first);
            stored.InvolvedParties.Single().Name.ShouldBe($"{first} {last}");
            stored.ShouldBeEquivalentTo(booked.Record);
        }
    }

    [Theory, AllProviders]
    public async Task Arrest_numbers_are_sequential_per_year(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider, Ct);
        var store = db.Arrests();

        var first = await store.BookAsync(new ArrestBuilder(db.Reference).Build(), TestActors.BookingOfficer, null, Ct);
        var second = await store.BookAsync(new ArrestBuilder(db.Reference).Build(), TestActors.BookingOfficer, null, Ct);
        db.Clock.SetUtcNow(new DateTimeOffset(2027, 1, 1, 0, 0, 1, TimeSpan.Zero));
        var nextYear = await store.BookAsync(new ArrestBuilder(db.Reference).BookedAt(db.Clock.GetUtcNow()).Build(), TestActors.BookingOfficer, null, Ct);

        first.Record.ArrestNumber.ShouldBe("26-0000001");
        second.Record.ArrestNumber.ShouldBe("26-0000002");
        nextYear.Record.ArrestNumber.ShouldBe("27-0000001");
    }

    [Theory, AllProviders]
    public async Task Concurrent_bookings_get_unique_consecutive_numbers(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider, Ct);
        const int bookings = 50, tasks = 8;
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var workers = Enumerable.Range(0, tasks).Select(t => Task.Run(
            async () =>
            {
                var store = db.Arrests();
                var numbers = new List<string>();
                await start.Task;
                for (var i = t; i < bookings; i += tasks)
                {
                    var booked = await store.BookAsync(new ArrestBuilder(db.Reference).WithName($"Worker{t}", $"N{i}").Build(), TestActors.BookingOfficer, null, Ct);
                    numbers.Add(booked.Record.ArrestNumber);
                }

                return numbers;
            },
            Ct)).ToList();
        start.SetResult();
        var numbers = (await Task.WhenAll(workers)).SelectMany(n => n).ToList();

        numbers.Count.ShouldBe(bookings);
        numbers.Distinct().Count().ShouldBe(bookings);
        numbers.Order(StringComparer.Ordinal).ShouldBe(Enumerable.Range(1, bookings).Select(i => ArrestNumbers.Format(2026, i)));
        await using var ctx = db.NewContext();
        (await ctx.Arrests.CountAsync(Ct)).ShouldBe(bookings);
        (await ctx.Events.CountAsync(e => e.StreamType == EventStreams.Arrest, Ct)).ShouldBe(bookings);
    }

    [Theory, AllProviders]
    public async Task A_retry_with_the_same_idempotency_key_returns_the_first_booking(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider, Ct);
        var request = new ArrestBuilder(db.Reference).Build();

        var first = await db.Arrests().BookAsync(request, TestActors.BookingOfficer, "key-1", Ct);
        db.Clock.Advance(TimeSpan.FromMinutes(1));
        var retry = await db.Arrests().BookAsync(request, TestActors.BookingOfficer, "key-1", Ct);

        first.Created.ShouldBeTrue();
        retry.Created.ShouldBeFalse();
        retry.Record.ShouldBeEquivalentTo(first.Record);
        await using var ctx = db.NewContext();
        (await ctx.Arrests.CountAsync(Ct)).ShouldBe(1);
    }

    [Theory, AllProviders]
    public async Task Concurrent_retries_with_one_idempotency_key_book_one_arrest(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider, Ct);
        var request = new ArrestBuilder(db.Reference).Build();
        for (var round = 0; round < 3; round++)
        {
            var key = $"retry-{round}";
            var stores = Enumerable.Range(0, 4).Select(_ => db.Arrests()).ToArray();
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var attempts = stores.Select(store => Task.Run(
                async () =>
                {
                    await start.Task;
                    return await store.BookAsync(request, TestActors.BookingOfficer, key, Ct);
                },
                Ct)).ToArray();
            start.SetResult();
            var results = await Task.WhenAll(attempts);

            results.Count(r => r.Created).ShouldBe(1);
            results.Select(r => r.Record.ArrestNumber).Distinct().ShouldHaveSingleItem();
        }

        await using var ctx = db.NewContext();
        (await ctx.Arrests.CountAsync(Ct)).ShouldBe(3);
    }

    [Theory, AllProviders]
    public async Task A_different_booking_with_a_used_idempotency_key_is_refused(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider, Ct);
        await db.Arrests().BookAsync(new ArrestBuilder(db.Reference).Build(), TestActors.BookingOfficer, "key-1", Ct);

        var refused = await Should.ThrowAsync<DomainException>(() =>
            db.Arrests().BookAsync(new ArrestBuilder(db.Reference).WithName("Other", "Person").Build(), TestActors.BookingOfficer, "key-1", Ct));

        refused.Code.ShouldBe(ErrorCodes.IdempotencyKeyReused);
        await using var ctx = db.NewContext();
        (await ctx.Arrests.CountAsync(Ct)).ShouldBe(1);

        // The key belongs to its user: another officer may use the same key for their own booking.
        var other = await db.Arrests().BookAsync(new ArrestBuilder(db.Reference).Build(), TestActors.BookingOfficer with { UserId = 99 }, "key-1", Ct);
        other.Created.ShouldBeTrue();
    }

    [Theory, AllProviders]
    public async Task History_is_the_events_in_order_and_folds_to_the_stored_record(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider, Ct);
        var number = (await db.Arrests().BookAsync(new ArrestBuilder(db.Reference).WithVictim("Jane Roe").Build(), TestActors.BookingOfficer, null, Ct)).Record.ArrestNumber;
        db.Clock.Advance(TimeSpan.FromMinutes(10));
        await db.Arrests().CorrectAsync(number, 1, new CorrectArrest { Reason = "Misspelt name", Person = new ArrestBuilder(db.Reference).WithName("Doe", "Jon").Build().Person, InvolvedParties = [] }, TestActors.BookingOfficer, Ct);
        db.Clock.Advance(TimeSpan.FromHours(2));
        await db.Arrests().DecideChargingAsync(number, Decisions.Approve(), TestActors.ChargingAttorney, Ct);
        db.Clock.Advance(TimeSpan.FromHours(5));
        var last = await db.Arrests().RecordArraignmentAsync(number, Decisions.Arraignment(db.Clock.GetUtcNow()), TestActors.Magistrate, Ct);

        var history = await db.Arrests().HistoryAsync(number, Ct);
        var stored = await db.Arrests().GetAsync(number, Ct);

        history.ShouldNotBeNull();
        history.Select(e => e.GetType()).ShouldBe([typeof(ArrestBooked), typeof(ArrestCorrected), typeof(ChargingDecided), typeof(ArraignmentRecorded)]);
        history.Select(e => e.Sequence).ShouldBe([1, 2, 3, 4]);
        history.Select(e => e.Actor).ShouldBe([TestActors.BookingOfficer, TestActors.BookingOfficer, TestActors.ChargingAttorney, TestActors.Magistrate]);
        history.Select(e => e.RecordedAt).ShouldBeInOrder();
        stored.ShouldNotBeNull();
        stored.ShouldBeEquivalentTo(last);
        ArrestProjection.Fold(history).ShouldBeEquivalentTo(stored);
        stored.Person.FirstName.ShouldBe("Jon");
        stored.InvolvedParties.ShouldBeEmpty();
    }

    [Theory, AllProviders]
    public async Task Instants_finer_than_a_microsecond_do_not_split_the_history_from_the_record(StorageProvider provider)
    {
        // Real clocks tick in 100 ns; PostgreSQL keeps microseconds. The record, its history and what the command
        // answered must still agree.
        await using var db = await TestDatabase.CreateAsync(provider, Ct);
        db.Clock.Advance(TimeSpan.FromTicks(1_234_567));
        var request = new ArrestBuilder(db.Reference).OccurredAt(TestClock.Start.AddTicks(-4_321)).Build();
        var booked = await db.Arrests().BookAsync(request, TestActors.BookingOfficer, null, Ct);
        db.Clock.Advance(TimeSpan.FromTicks(7_654_321));
        await db.Arrests().DecideChargingAsync(booked.Record.ArrestNumber, Decisions.Approve(), TestActors.ChargingAttorney, Ct);
        db.Clock.Advance(TimeSpan.FromTicks(5_555_555));
        var arraignment = Decisions.Arraignment(db.Clock.GetUtcNow()) with { ArraignedAt = db.Clock.GetUtcNow().AddTicks(-3) };
        var arraigned = await db.Arrests().RecordArraignmentAsync(booked.Record.ArrestNumber, arraignment, TestActors.Magistrate, Ct);

        var stored = await db.Arrests().GetAsync(booked.Record.ArrestNumber, Ct);
        var history = await db.Arrests().HistoryAsync(booked.Record.ArrestNumber, Ct);

        stored.ShouldNotBeNull();
        history.ShouldNotBeNull();
        stored.ShouldBeEquivalentTo(arraigned);
        ArrestProjection.Fold(history).ShouldBeEquivalentTo(stored);
        booked.Record.ShouldBeEquivalentTo(ArrestProjection.Fold([history[0]]));
    }

    [Theory, AllProviders]
    public async Task A_correction_against_a_stale_version_changes_nothing(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider, Ct);
        var number = (await db.Arrests().BookAsync(new ArrestBuilder(db.Reference).Build(), TestActors.BookingOfficer, null, Ct)).Record.ArrestNumber;
        var corrected = await db.Arrests().CorrectAsync(number, 1, new CorrectArrest { Reason = "Wrong badge", ArrestingOfficer = new Officer { BadgeNumber = "9000", Name = "Kowalski" } }, TestActors.BookingOfficer, Ct);
        corrected.Version.ShouldBe(2);
        var before = await SnapshotAsync(db, number);

        var stale = await Should.ThrowAsync<DomainException>(() =>
            db.Arrests().CorrectAsync(number, 1, new CorrectArrest { Reason = "Wrong location", Incident = new Incident { OffenseLocation = "Elsewhere", OccurredAt = TestClock.Start.AddHours(-2) } }, TestActors.BookingOfficer, Ct));

        stale.Code.ShouldBe(ErrorCodes.ArrestStale);
        (await SnapshotAsync(db, number)).ShouldBeEquivalentTo(before);
        before.Record.ArrestingOfficer.BadgeNumber.ShouldBe("9000");
    }

    [Theory, AllProviders]
    public async Task A_correction_replaces_charges_and_parties_whole(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider, Ct);
        var citation = new ArrestBuilder(db.Reference).DefaultCitation;
        var number = (await db.Arrests().BookAsync(new ArrestBuilder(db.Reference).WithVictim("Jane Roe").WithWitness("Max Mustermann").Build(), TestActors.BookingOfficer, null, Ct)).Record.ArrestNumber;
        var request = new CorrectArrest
        {
            Reason = "Second count and the right victim",
            Charges = [new Charge { Citation = citation, Counts = 2 }, new Charge { Citation = citation, Counts = 1, Description = "Second incident" }],
            InvolvedParties = [new InvolvedParty { Role = InvolvementRole.Victim, Name = "Janet Roe", Contact = "janet@example.org" }],
        };

        var corrected = await db.Arrests().CorrectAsync(number, 1, request, TestActors.BookingOfficer, Ct);

        corrected.Charges.Select(c => (c.Citation, c.Counts)).ShouldBe([(citation, 2), (citation, 1)]);
        corrected.InvolvedParties.ShouldBeEquivalentTo(request.InvolvedParties);
        var stored = await db.Arrests().GetAsync(number, Ct);
        stored.ShouldBeEquivalentTo(corrected);
        ((ArrestCorrected)(await db.Arrests().HistoryAsync(number, Ct))![1]).ChangedSections.ShouldBe(["charges", "involvedParties"]);
        await using var ctx = db.NewContext();
        (await ctx.Charges.CountAsync(Ct)).ShouldBe(2);
        (await ctx.InvolvedParties.CountAsync(Ct)).ShouldBe(1);
    }

    [Theory, AllProviders]
    public async Task Charging_approve_keeps_the_booked_charges(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider, Ct);
        var booked = (await db.Arrests().BookAsync(new ArrestBuilder(db.Reference).Build(), TestActors.BookingOfficer, null, Ct)).Record;
        db.Clock.Advance(TimeSpan.FromHours(1));

        var charged = await db.Arrests().DecideChargingAsync(booked.ArrestNumber, Decisions.Approve("Evidence suffices"), TestActors.ChargingAttorney, Ct);

        charged.Status.ShouldBe(ArrestStatus.Charged);
        charged.Version.ShouldBe(2);
        charged.Charges.ShouldBeEquivalentTo(booked.Charges);
        charged.Charging.ShouldNotBeNull();
        charged.Charging.Outcome.ShouldBe(ChargingOutcome.Approve);
        charged.Charging.Reason.ShouldBe("Evidence suffices");
        charged.Charging.Attorney.ShouldBe(TestActors.ChargingAttorney.UserName);
        charged.Charging.AgencyCode.ShouldBe(TestActors.ChargingAttorney.AgencyCode);
        charged.Charging.DecidedAt.ShouldBe(TestClock.Start.AddHours(1));
        (await db.Arrests().GetAsync(booked.ArrestNumber, Ct)).ShouldBeEquivalentTo(charged);
    }

    [Theory, AllProviders]
    public async Task Charging_modify_replaces_the_charges(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider, Ct);
        var statute = db.Reference.Statutes.All[^1];
        var booked = (await db.Arrests().BookAsync(new ArrestBuilder(db.Reference).Build(), TestActors.BookingOfficer, null, Ct)).Record;

        var charged = await db.Arrests().DecideChargingAsync(booked.ArrestNumber, Decisions.Modify(new Charge { Citation = statute.Citation, Counts = 2 }), TestActors.ChargingAttorney, Ct);

        charged.Status.ShouldBe(ArrestStatus.Charged);
        charged.Charging!.Outcome.ShouldBe(ChargingOutcome.Modify);
        var charge = charged.Charges.ShouldHaveSingleItem();
        charge.Citation.ShouldBe(statute.Citation);
        charge.Counts.ShouldBe(2);
        charge.Grade.ShouldBe(statute.DefaultGrade);
        charge.Description.ShouldBe(statute.Title);
        (await db.Arrests().GetAsync(booked.ArrestNumber, Ct)).ShouldBeEquivalentTo(charged);
    }

    [Theory, AllProviders]
    public async Task Charging_decline_is_final(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider, Ct);
        var number = (await db.Arrests().BookAsync(new ArrestBuilder(db.Reference).Build(), TestActors.BookingOfficer, null, Ct)).Record.ArrestNumber;

        var declined = await db.Arrests().DecideChargingAsync(number, Decisions.Decline("Complainant recanted."), TestActors.ChargingAttorney, Ct);
        declined.Status.ShouldBe(ArrestStatus.Declined);
        declined.Charging!.Reason.ShouldBe("Complainant recanted.");
        var before = await SnapshotAsync(db, number);

        (await Should.ThrowAsync<DomainException>(() => db.Arrests().DecideChargingAsync(number, Decisions.Approve(), TestActors.ChargingAttorney, Ct)))
            .Code.ShouldBe(ErrorCodes.DeclinedIsFinal);
        (await Should.ThrowAsync<DomainException>(() => db.Arrests().RecordArraignmentAsync(number, Decisions.Arraignment(db.Clock.GetUtcNow()), TestActors.Magistrate, Ct)))
            .Code.ShouldBe(ErrorCodes.DeclinedIsFinal);
        (await SnapshotAsync(db, number)).ShouldBeEquivalentTo(before);
    }

    [Theory, AllProviders]
    public async Task Arraignment_after_charging_records_bail_and_next_hearing(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider, Ct);
        var number = (await db.Arrests().BookAsync(new ArrestBuilder(db.Reference).Build(), TestActors.BookingOfficer, null, Ct)).Record.ArrestNumber;
        await db.Arrests().DecideChargingAsync(number, Decisions.Approve(), TestActors.ChargingAttorney, Ct);
        db.Clock.Advance(TimeSpan.FromHours(6));
        var request = Decisions.Arraignment(db.Clock.GetUtcNow());

        var arraigned = await db.Arrests().RecordArraignmentAsync(number, request, TestActors.Magistrate, Ct);

        arraigned.Status.ShouldBe(ArrestStatus.Arraigned);
        arraigned.Version.ShouldBe(3);
        arraigned.Arraignment.ShouldBeEquivalentTo(request with { ArraignedAt = db.Clock.GetUtcNow() });
        var stored = await db.Arrests().GetAsync(number, Ct);
        stored.ShouldBeEquivalentTo(arraigned);
        stored!.Arraignment!.BailAmount.ShouldBe(2500.50m);
    }

    [Theory, AllProviders]
    public async Task Illegal_transitions_change_nothing(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider, Ct);
        var number = (await db.Arrests().BookAsync(new ArrestBuilder(db.Reference).Build(), TestActors.BookingOfficer, null, Ct)).Record.ArrestNumber;
        var booked = await SnapshotAsync(db, number);

        (await Should.ThrowAsync<DomainException>(() => db.Arrests().RecordArraignmentAsync(number, Decisions.Arraignment(db.Clock.GetUtcNow()), TestActors.Magistrate, Ct)))
            .Code.ShouldBe(ErrorCodes.IllegalTransition);
        (await SnapshotAsync(db, number)).ShouldBeEquivalentTo(booked);

        await db.Arrests().DecideChargingAsync(number, Decisions.Approve(), TestActors.ChargingAttorney, Ct);
        var charged = await SnapshotAsync(db, number);
        (await Should.ThrowAsync<DomainException>(() => db.Arrests().DecideChargingAsync(number, Decisions.Decline(), TestActors.ChargingAttorney, Ct)))
            .Code.ShouldBe(ErrorCodes.IllegalTransition);
        (await Should.ThrowAsync<DomainException>(() => db.Arrests().CorrectAsync(number, 2, new CorrectArrest { Reason = "Add a count", Charges = [new Charge { Citation = new ArrestBuilder(db.Reference).DefaultCitation, Counts = 2 }] }, TestActors.BookingOfficer, Ct)))
            .Code.ShouldBe(ErrorCodes.ValidationFailed);
        (await SnapshotAsync(db, number)).ShouldBeEquivalentTo(charged);

        (await Should.ThrowAsync<DomainException>(() => db.Arrests().DecideChargingAsync("26-9999999", Decisions.Approve(), TestActors.ChargingAttorney, Ct)))
            .Code.ShouldBe(ErrorCodes.ArrestNotFound);
    }

    [Theory, AllProviders]
    public async Task Of_two_concurrent_charging_decisions_exactly_one_wins(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider, Ct);
        for (var round = 0; round < 6; round++)
        {
            var number = (await db.Arrests().BookAsync(new ArrestBuilder(db.Reference).Build(), TestActors.BookingOfficer, null, Ct)).Record.ArrestNumber;
            ChargingDecision[] decisions = [Decisions.Approve(), Decisions.Decline()];
            var stores = decisions.Select(_ => db.Arrests()).ToArray();
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

            var attempts = decisions.Select((decision, i) => Task.Run(
                async () =>
                {
                    await start.Task;
                    return await stores[i].DecideChargingAsync(number, decision, TestActors.ChargingAttorney, Ct);
                },
                Ct)).ToArray();
            start.SetResult();
            await Task.WhenAll(attempts.Select(a => a.ContinueWith(_ => { }, Ct, TaskContinuationOptions.None, TaskScheduler.Default)));

            var won = attempts.Where(a => a.IsCompletedSuccessfully).Select(a => a.Result).ToList();
            var lost = attempts.Where(a => !a.IsCompletedSuccessfully).Select(a => a.Exception!.InnerException).ToList();
            won.Count.ShouldBe(1, $"round {round}: {string.Join("; ", lost.Select(e => e?.Message))}");
            var refusal = lost.ShouldHaveSingleItem().ShouldBeOfType<DomainException>();
            // Lost the race (ConcurrentChange), or came second and found the other's decision (IllegalTransition,
            // or DeclinedIsFinal after a decline).
            refusal.Code.ShouldBeOneOf(ErrorCodes.ConcurrentChange, ErrorCodes.IllegalTransition, ErrorCodes.DeclinedIsFinal);

            var stored = await db.Arrests().GetAsync(number, Ct);
            stored.ShouldBeEquivalentTo(won[0]);
            (await db.Arrests().HistoryAsync(number, Ct))!.Count.ShouldBe(2);
        }
    }

    [Theory, AllProviders]
    public async Task Invalid_bookings_change_nothing_and_take_no_number(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider, Ct);
        var invalid = new ArrestBuilder(db.Reference).WithDateOfBirth(null).WithCharge("18 § 0000(z)").Build();

        var refused = await Should.ThrowAsync<DomainException>(() => db.Arrests().BookAsync(invalid, TestActors.BookingOfficer, null, Ct));

        refused.Code.ShouldBe(ErrorCodes.ValidationFailed);
        refused.Errors!.ByField().Keys.ShouldBe(["person.dateOfBirth", "charges[0].citation"], ignoreOrder: true);
        var booked = await db.Arrests().BookAsync(new ArrestBuilder(db.Reference).Build(), TestActors.BookingOfficer, null, Ct);
        booked.Record.ArrestNumber.ShouldBe("26-0000001");
    }

    /// <summary>What a failed command must leave alone: the record and the number of events.</summary>
    private static async Task<Snapshot> SnapshotAsync(TestDatabase db, string number)
    {
        await using var ctx = db.NewContext();
        var record = await db.Arrests().GetAsync(number, Ct) ?? throw new InvalidOperationException($"No arrest {number}.");
        return new Snapshot(record, await ctx.Events.CountAsync(e => e.StreamType == EventStreams.Arrest, Ct));
    }

    private sealed record Snapshot(ArrestRecord Record, int EventRows);
}
