using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using OpenPars.Core.Arrests;
using OpenPars.Core.Common;
using OpenPars.Storage.Agencies;
using OpenPars.Storage.Arrests;
using OpenPars.Demo;
using OpenPars.Storage.Events;
using Shouldly;
using Xunit;

using OpenPars.Testing;
using OpenPars.App.Hosting;

using OpenPars.Storage.Common;

namespace OpenPars.Storage.Tests.Arrests;

public sealed class BulkArrestWriterTests
{
    private static readonly ReferenceData Reference = ReferenceData.LoadDefault();
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 15, 30, 0, TimeSpan.Zero);

    /// <summary>The demo users, created on the store, as the actors the writer books, charges and arraigns as.</summary>
    private static async Task<BulkArrestActors> SeedActorsAsync(TestDatabase database)
    {
        var clock = new FakeTimeProvider(Now);
        await using var db = database.NewContext();
        await DemoIdentities.SeedAsync(db, new IdentityStore(db, clock, TestAudit.Trail(database.Settings, clock)), TestContext.Current.CancellationToken);
        return await DemoIdentities.ActorsAsync(db, TestContext.Current.CancellationToken);
    }

    [Theory, AllProviders]
    public async Task Writes_every_row_and_each_projection_is_the_fold_of_its_events(StorageProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await TestDatabase.CreateAsync(provider, ct);
        var actors = await SeedActorsAsync(database);

        var arrests = new DemoDataGenerator(Reference, 11, Now).Generate(2000).ToList();
        var reported = new List<int>();
        var written = await new BulkArrestWriter(database.NewContext, Reference, actors, TestAudit.Trail(database.Settings, TimeProvider.System)) { BatchSize = 700 }
            .WriteAsync(arrests, new SyncProgress(reported), ct);

        written.ShouldBe(2000);
        reported.ShouldBe([700, 1400, 2000]);

        await using var check = database.NewContext();
        (await check.Arrests.CountAsync(ct)).ShouldBe(2000);
        (await check.Charges.CountAsync(ct)).ShouldBe(ExpectedCharges(arrests, actors));
        (await check.InvolvedParties.CountAsync(ct)).ShouldBe(arrests.Sum(a => a.Booking.InvolvedParties.Count));
        (await check.Events.CountAsync(e => e.StreamType == EventStreams.Arrest, ct)).ShouldBe(arrests.Sum(a => 1 + (a.Charging is null ? 0 : 1) + (a.Arraignment is null ? 0 : 1)));
        (await check.Arrests.Select(a => a.ArrestNumber).Distinct().CountAsync(ct)).ShouldBe(2000);
        (await check.Events.Where(e => e.StreamType == EventStreams.Arrest).Select(e => e.UserId).Distinct().OrderBy(id => id).ToListAsync(ct))
            .ShouldBe(new[] { actors.BookingOfficer.UserId, actors.ChargingAttorney.UserId, actors.Magistrate.UserId }.Order().ToList());

        var store = new ArrestStore(check, Reference, new FakeTimeProvider(Now), TestAudit.Trail(database.Settings, TimeProvider.System));
        var numbers = await check.Arrests.OrderBy(a => a.Id).Select(a => a.ArrestNumber).ToListAsync(ct);
        numbers.ShouldBe(numbers.Order(StringComparer.Ordinal).ToList(), "numbers follow booking order");
        var statuses = new HashSet<ArrestStatus>();
        foreach (var number in numbers.Where((_, i) => i % 97 == 0).Append(numbers[^1]))
        {
            var record = (await store.GetAsync(number, ct))!;
            var history = (await store.HistoryAsync(number, ct))!;
            Json(record).ShouldBe(Json(ArrestProjection.Fold(history)));
            statuses.Add(record.Status);
        }

        statuses.ShouldContain(ArrestStatus.Arraigned);
        statuses.ShouldContain(ArrestStatus.AwaitingCharging);

        // The live desk can take over where the demo left off: book one more arrest through the normal path.
        var booked = await store.BookAsync(arrests[0].Booking with { BookedAt = Now }, actors.BookingOfficer, null, ct);
        booked.Record.ArrestNumber.ShouldBe(ArrestNumbers.Format(2026, 2001));
    }

    [Theory, AllProviders]
    public async Task The_seeder_creates_identities_with_working_tokens_then_the_arrests(StorageProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await TestDatabase.CreateAsync(provider, ct);
        var clock = new FakeTimeProvider(Now);

        var credentials = await DemoSeeder.SeedAsync(database.NewContext, Reference, clock, TestAudit.Trail(database.Settings, clock), new SecretBoxes(database.Settings.AuditKeyPath()), arrests: 300, seed: 5, progress: null, ct);

        credentials.Select(c => c.User).ShouldBe(
        [
            "ppd.booking", "ppd.records", "ppd.representative", "ppd.privacy",
            "dao.admin", "dao.charging", "dao.representative", "dao.privacy",
            "fjd.admin", "fjd.magistrate", "fjd.representative", "fjd.privacy",
            "ice.analyst", "ice.analyst2", "ice.analyst3", "fbi.analyst", "fbi.analyst2",
        ]);
        await using var db = database.NewContext();
        var identity = new IdentityStore(db, clock, TestAudit.Trail(database.Settings, clock));
        foreach (var credential in credentials)
        {
            var caller = (await identity.AuthenticateAsync(credential.Token, ct))!;
            caller.UserName.ShouldBe(credential.User);
            caller.AgencyCode.ShouldBe(credential.Agency);
            caller.Roles.ShouldBe(credential.Roles);
        }

        (await db.Agencies.Where(a => a.Code == "ICE").Select(a => a.Kind).SingleAsync(ct)).ShouldBe(Core.Agencies.AgencyKind.Partner);
        (await db.Arrests.CountAsync(ct)).ShouldBe(300);

        // ICE holds an active agreement (three consents, 30 days from seeding); FBI's is proposed, awaiting votes.
        var agreements = new OpenPars.Storage.Agreements.AgreementStore(db, clock, TestAudit.Trail(database.Settings, clock));
        var ice = (await agreements.FindAsync(DemoAgreements.IceAgreement, ct))!.StatusAt(clock.GetUtcNow());
        ice.Status.ShouldBe(Core.Agreements.AgreementStatus.Active);
        ice.ExpiresAt.ShouldBe(ice.Document!.EffectiveAt.AddDays(30));
        ice.Document.Fields.ShouldNotContainKey("person.placeOfBirth");
        ice.Document.Fields["person.ssn"].ShouldBe(Core.Agreements.FieldMask.Last4);
        (await agreements.FindForPartnerAsync("ICE", ct))!.AgreementId.ShouldBe(DemoAgreements.IceAgreement);
        var fbi = (await agreements.FindAsync(DemoAgreements.FbiAgreement, ct))!.StatusAt(clock.GetUtcNow());
        fbi.Status.ShouldBe(Core.Agreements.AgreementStatus.Proposed);
        fbi.ConsentQuorumReached.ShouldBeFalse();

        // Seeding again keeps the agencies and users, issues new tokens and adds arrests.
        var again = await DemoSeeder.SeedAsync(database.NewContext, Reference, clock, TestAudit.Trail(database.Settings, clock), new SecretBoxes(database.Settings.AuditKeyPath()), arrests: 10, seed: 6, progress: null, ct);
        again.Count.ShouldBe(17);
        (await db.Users.CountAsync(ct)).ShouldBe(17);
        (await db.Arrests.CountAsync(ct)).ShouldBe(310);
        (await db.Agreements.CountAsync(ct)).ShouldBe(2);
    }

    [Theory, AllProviders]
    public async Task Numbers_taken_elsewhere_between_batches_leave_no_gap_and_every_event_names_its_arrest(StorageProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await TestDatabase.CreateAsync(provider, ct);
        var actors = await SeedActorsAsync(database);

        // After each batch a desk books (takes a number): the writer had already decided the next batch for the
        // numbers it expected, so it must decide it again with the ones it gets.
        var arrests = new DemoDataGenerator(Reference, 12, Now).Generate(900).ToList();
        var taken = new List<string>();
        var desk = new DeskProgress(() =>
        {
            using var db = database.NewContext();
            taken.AddRange(ArrestStore.TakeArrestNumbersAsync(db, Now, 1, ct).GetAwaiter().GetResult());
        });
        var written = await new BulkArrestWriter(database.NewContext, Reference, actors, TestAudit.Trail(database.Settings, TimeProvider.System)) { BatchSize = 300 }.WriteAsync(arrests, desk, ct);

        written.ShouldBe(900);
        await using var check = database.NewContext();
        var rows = await check.Arrests.Select(a => new { a.Id, a.ArrestNumber }).ToListAsync(ct);
        var all = rows.Select(r => r.ArrestNumber).Concat(taken).ToList();
        all.Distinct().Count().ShouldBe(all.Count);
        foreach (var year in all.GroupBy(n => n[..2]))
        {
            year.Order(StringComparer.Ordinal).ShouldBe(Enumerable.Range(1, year.Count()).Select(i => ArrestNumbers.Format(2000 + int.Parse(year.Key, System.Globalization.CultureInfo.InvariantCulture), i)), "no gap");
        }

        var numbers = rows.Select(r => r.ArrestNumber).ToHashSet(StringComparer.Ordinal);
        foreach (var evt in await check.Events.Where(e => e.StreamType == EventStreams.Arrest).Select(e => new { e.StreamId, e.Body }).ToListAsync(ct))
        {
            numbers.ShouldContain(evt.StreamId);
            JsonSerializer.Deserialize<ArrestEvent>(evt.Body, OpenParsJson.Options)!.ArrestNumber.ShouldBe(evt.StreamId);
        }
    }

    private static int ExpectedCharges(List<BulkArrest> arrests, BulkArrestActors actors) =>
        arrests.Select((a, i) => BulkArrestHistory.Decide(a, ArrestNumbers.Format(2026, i + 1), actors, Reference).Record.Charges.Count).Sum();

    /// <summary>
    /// The record as JSON, bail amount without trailing zeros: SQLite keeps decimals as text and Microsoft.Data.Sqlite
    /// writes 2500 as "2500.0", on the normal path as on this one, so the row reads back 2500.0 where the event says 2500.
    /// </summary>
    private static string Json(ArrestRecord record) => JsonSerializer.Serialize(
        record.Arraignment is { BailAmount: { } amount } a ? record with { Arraignment = a with { BailAmount = amount / 1.000000000000000000000000000000000m } } : record,
        OpenParsJson.Options);

    private sealed class DeskProgress(Action book) : IProgress<int>
    {
        public void Report(int value) => book();
    }

    /// <summary>Progress&lt;T&gt; posts to the thread pool; this one records at once.</summary>
    private sealed class SyncProgress(List<int> seen) : IProgress<int>
    {
        public void Report(int value) => seen.Add(value);
    }
}
