using OpenPars.App.Hosting;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using OpenPars.Core.Agencies;
using OpenPars.Core.Agreements;
using OpenPars.Core.Audit;
using OpenPars.Core.Common;
using OpenPars.Storage.Agencies;
using OpenPars.Storage.Agreements;
using OpenPars.Storage.Audit;
using OpenPars.Demo;
using OpenPars.Storage.Events;
using OpenPars.Testing;
using Shouldly;
using Xunit;

namespace OpenPars.Storage.Tests.Events;

/// <summary>
/// The one event log's promises, on both databases: positions are gapless and follow commit order (so a consumer
/// that has seen position p has seen every position below it), every event is bound to the entry that recorded it,
/// and a stream appended to concurrently takes exactly one of the competing events.
/// </summary>
public sealed class EventLogTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, AllProviders]
    public async Task Concurrent_appends_take_gapless_positions_in_the_order_of_their_entries(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider, Ct);
        var store = await ArrangeAsync(db);
        const int writers = 16, each = 4;
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var workers = Enumerable.Range(0, writers).Select(w => Task.Run(
            async () =>
            {
                var arrests = db.Arrests();
                await start.Task;
                for (var i = 0; i < each; i++)
                {
                    var booked = await arrests.BookAsync(new ArrestBuilder(db.Reference).WithName($"Writer{w}", $"N{i}").Build(), TestActors.BookingOfficer, null, Ct);
                    await arrests.DecideChargingAsync(booked.Record.ArrestNumber, Decisions.Approve(), TestActors.ChargingAttorney, Ct);
                }
            },
            Ct)).ToList();

        // Readers polling the log while it grows, as a feed would: whatever a reader sees is a prefix of the log.
        var done = false;
        var reader = Task.Run(
            async () =>
            {
                var prefixes = 0;
                while (!Volatile.Read(ref done))
                {
                    await using var ctx = db.NewContext();
                    var seen = await ctx.Events.AsNoTracking().OrderBy(e => e.Position).Select(e => e.Position).ToListAsync(Ct);
                    seen.ShouldBe(Enumerable.Range(1, seen.Count).Select(i => (long)i), "a reader never sees a position before a smaller one has committed");
                    prefixes++;
                }

                return prefixes;
            },
            Ct);

        start.SetResult();
        await Task.WhenAll(workers);
        Volatile.Write(ref done, true);
        (await reader).ShouldBeGreaterThan(0);

        await using var check = db.NewContext();
        var events = await check.Events.AsNoTracking().OrderBy(e => e.Position).ToListAsync(Ct);
        events.Count.ShouldBe(store.Events + (writers * each * 2));
        events.Select(e => e.Position).ShouldBe(Enumerable.Range(1, events.Count).Select(i => (long)i), "no gap");
        events.Select(e => e.AuditIndex!.Value).ShouldBe(events.Select(e => e.AuditIndex!.Value).Order(), "positions follow the entries that recorded them");
        events.ShouldAllBe(e => e.Hash != null);

        var verified = await VerifyAsync(db);
        verified.IsIntact.ShouldBeTrue(verified.Message);
        verified.EventsChecked.ShouldBe(events.Count);
    }

    [Theory, AllProviders]
    public async Task Competing_votes_on_one_agreement_take_one_version_each_and_the_losers_leave_nothing(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider, Ct);
        var store = await ArrangeAsync(db);
        await using var before = db.NewContext();
        var size = await new AuditReader(before).SizeAsync(Ct);

        // The three representatives consent to fbi-2026 at the same instant, each on a context of its own.
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var votes = store.Representatives.Select(voter => Task.Run(
            async () =>
            {
                await using var ctx = db.NewContext();
                var agreements = new AgreementStore(ctx, db.Clock, TestAudit.Trail(db.Settings, db.Clock));
                await start.Task;
                try
                {
                    await agreements.VoteAsync(DemoAgreements.FbiAgreement, VoteKind.Consent, $"{voter.AgencyCode} consents.", null, 1, voter, Ct);
                    return (string?)null;
                }
                catch (DomainException e)
                {
                    return e.Code;
                }
            },
            Ct)).ToList();
        start.SetResult();
        var outcomes = await Task.WhenAll(votes);

        outcomes.ShouldContain((string?)null);
        outcomes.Where(o => o is not null).ShouldAllBe(o => o == ErrorCodes.ConcurrentChange);
        var accepted = outcomes.Count(o => o is null);
        await using var check = db.NewContext();
        var fbi = await check.Events.AsNoTracking().Where(e => e.StreamId == DemoAgreements.FbiAgreement).OrderBy(e => e.Version).ToListAsync(Ct);
        fbi.Select(e => e.Version).ShouldBe(Enumerable.Range(1, 2 + accepted));
        (await check.Events.MaxAsync(e => e.Position, Ct)).ShouldBe(store.Events + accepted, "a refused append leaves no gap");
        (await new AuditReader(check).SizeAsync(Ct)).ShouldBe(size + accepted, "and no entry");
        (await VerifyAsync(db)).IsIntact.ShouldBeTrue();
    }

    [Theory, AllProviders]
    public async Task A_rolled_back_append_leaves_neither_a_position_nor_an_entry(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider, Ct);
        var evt = new NewEvent(EventStreams.Arrest, "26-0000001", 1, "arrest-booked", "{}", db.Clock.GetUtcNow(), 1, "PPD");
        // A migrated store holds one event already, the charter's adoption (position 1, entry 0).
        const long Adopted = 1;
        await using (var ctx = db.NewContext())
        {
            await using var tx = await ctx.Database.BeginTransactionAsync(Ct);
            (await EventLog.AppendAsync(ctx, TestAudit.Trail(db.Settings, db.Clock), AuditEventType.ArrestBooked, ["26-0000001"], [evt], Ct)).Single().Position.ShouldBe(Adopted + 1);
            await tx.RollbackAsync(Ct);
        }

        await using (var ctx = db.NewContext())
        {
            await using var tx = await ctx.Database.BeginTransactionAsync(Ct);
            var row = (await EventLog.AppendAsync(ctx, TestAudit.Trail(db.Settings, db.Clock), AuditEventType.ArrestBooked, ["26-0000001"], [evt], Ct)).Single();
            await tx.CommitAsync(Ct);
            row.Position.ShouldBe(Adopted + 1);
            row.AuditIndex.ShouldBe(Adopted);
        }

        await using (var ctx = db.NewContext())
        {
            await using var tx = await ctx.Database.BeginTransactionAsync(Ct);
            var stale = await Should.ThrowAsync<DomainException>(() => EventLog.AppendAsync(ctx, TestAudit.Trail(db.Settings, db.Clock), AuditEventType.ArrestBooked, [], [evt], Ct));
            stale.Code.ShouldBe(ErrorCodes.ConcurrentChange, "version 1 is taken");
        }
    }

    [Theory, AllProviders]
    public async Task Store_integrity_says_intact_then_names_an_event_bound_to_no_entry(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider, Ct);
        await ArrangeAsync(db);
        await db.Arrests().BookAsync(new ArrestBuilder(db.Reference).Build(), TestActors.BookingOfficer, null, Ct);
        await using var ctx = db.NewContext();
        (await StoreIntegrity.CheckAsync(ctx, Ct)).ShouldBe(StoreIntegrityReport.Ok);

        // An arrest event pointed at an entry that does not exist: the agreements are untouched, the store is not.
        var booked = await ctx.Events.FirstAsync(e => e.StreamType == EventStreams.Arrest, Ct);
        booked.AuditIndex = 1_000_000;
        await ctx.SaveChangesAsync(Ct);
        var report = await StoreIntegrity.CheckAsync(ctx, Ct);
        report.Intact.ShouldBeFalse();
        report.Code.ShouldBe(ErrorCodes.StoreDamaged);
        report.Damage.ShouldBe(AuditDamage.EventInserted);
        report.Problem!.ShouldContain($"position {booked.Position}");
    }

    private static async Task<AuditVerificationResult> VerifyAsync(TestDatabase db)
    {
        await using var ctx = db.NewContext();
        using var signing = AuditSigning.LoadOrCreate(db.Settings.AuditKeyPath());
        using var key = ECDsa.Create();
        key.ImportFromPem(signing.PublicKeyPem);
        return await new AuditReader(ctx).VerifyAsync(key, ct: Ct);
    }

    private sealed record Arranged(int Events, IReadOnlyList<AgreementActor> Representatives);

    /// <summary>The demo identities and agreements: ice-2026 active (5 events), fbi-2026 proposed (2).</summary>
    private static async Task<Arranged> ArrangeAsync(TestDatabase db)
    {
        await using var ctx = db.NewContext();
        await DemoIdentities.SeedAsync(ctx, new IdentityStore(ctx, db.Clock, TestAudit.Trail(db.Settings, db.Clock)), Ct);
        await DemoAgreements.SeedAsync(ctx, db.Clock, TestAudit.Trail(db.Settings, db.Clock), Ct);
        var representatives = new List<AgreementActor>();
        foreach (var (agency, kind) in new[] { ("PPD", AgencyKind.Police), ("DAO", AgencyKind.DistrictAttorney), ("FJD", AgencyKind.Courts) })
        {
            var name = agency.ToLowerInvariant() + ".representative";
            representatives.Add(new AgreementActor(await ctx.Users.Where(u => u.Name == name).Select(u => u.Id).SingleAsync(Ct), name, agency, kind));
        }

        return new Arranged(await ctx.Events.CountAsync(Ct), representatives);
    }
}
