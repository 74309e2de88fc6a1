using OpenPars.App.Hosting;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
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
using OpenPars.Web.Hosting;

namespace OpenPars.Cli.Tests.Audit;

/// <summary>
/// What an insider with the database could do beside the Merkle chain — edit a query column the privacy officer
/// filters on, drop or add a records-index row, forge, change, move or delete an event — each caught by
/// `openpars audit verify` with its kind and entry index, on both databases. The store: the demo identities, ice-2026
/// active and fbi-2026 proposed, three arrests booked (one corrected, one charged), a read and a partner's refusal,
/// and a signed checkpoint.
/// </summary>
public sealed class StoreTamperTests
{
    private static readonly string[] DerivedColumns = ["recorded_at", "event_type", "outcome", "code", "user_id", "agency_code"];

    public static TheoryData<StorageProvider, string> ColumnEdits => new(Providers.All.SelectMany(p => DerivedColumns.Select(c => (p, c))));

    [Theory, AllProviders]
    public async Task An_untouched_store_verifies_every_column_and_event(StorageProvider provider)
    {
        await using var store = await TamperStore.CreateAsync(provider);
        var run = await VerifyAsync(store);
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains($"intact: {store.Size:N0} entries", run.Output, StringComparison.Ordinal);
        await using var db = store.Db.NewContext();
        Assert.Equal(13, await db.Events.CountAsync()); // the charter's adoption, ice-2026 5, fbi-2026 2, three bookings, a correction, a charging decision
        Assert.Contains("every query column and records-index row matches its entry; 13 events bound", run.Output, StringComparison.Ordinal);
    }

    [Theory, AllProviders]
    public async Task A_partner_refusal_turned_allowed_in_the_outcome_column(StorageProvider provider)
    {
        await using var store = await TamperStore.CreateAsync(provider);
        await using (var db = store.Db.NewContext())
        {
            // The privacy officer's "refused partner requests" view reads this column, not the bytes.
            var row = await db.AuditEntries.SingleAsync(e => e.Index == store.Refusal);
            Assert.Equal("refused", row.Outcome);
            row.Outcome = "allowed";
            row.Code = null;
            await db.SaveChangesAsync();
            var refusals = await new AuditReader(db).EntriesAsync(new AuditEntryFilter { Outcome = "refused", Agency = "ICE" });
            Assert.Empty(refusals.Items); // what the insider wanted: the refusal no longer shows
        }

        var run = await AssertDamageAsync(store, AuditDamage.ColumnMismatch, store.Refusal);
        Assert.Contains($"Entry {store.Refusal}: column outcome holds allowed, but the entry says refused.", run.Output, StringComparison.Ordinal);
        Assert.Contains($"Entry {store.Refusal}: column code holds null, but the entry says PARS-AGR-011.", run.Output, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(ColumnEdits))]
    public async Task Each_derived_column_edited(StorageProvider provider, string column)
    {
        await using var store = await TamperStore.CreateAsync(provider);
        await using (var db = store.Db.NewContext())
        {
            var row = await db.AuditEntries.SingleAsync(e => e.Index == store.Read);
            switch (column)
            {
                case "recorded_at": row.RecordedAt = row.RecordedAt.AddSeconds(-1); break;
                case "event_type": row.EventType = (int)AuditEventType.ArrestsSearched + 1; break;
                case "outcome": row.Outcome = "refused"; break;
                case "code": row.Code = "PARS-AUTH-002"; break;
                case "user_id": row.UserId = 999; break;
                case "agency_code": row.AgencyCode = "PPD"; break;
                default: throw new ArgumentOutOfRangeException(nameof(column));
            }

            await db.SaveChangesAsync();
        }

        var run = await AssertDamageAsync(store, AuditDamage.ColumnMismatch, store.Read);
        Assert.Contains($"Entry {store.Read}: column {column} holds", run.Output, StringComparison.Ordinal);
    }

    [Theory, AllProviders]
    public async Task A_records_index_row_deleted(StorageProvider provider)
    {
        await using var store = await TamperStore.CreateAsync(provider);
        await using (var db = store.Db.NewContext())
        {
            // "Who looked at this record" would no longer list the read.
            Assert.Equal(1, await db.AuditEntryRecords.Where(r => r.Index == store.Read && r.ArrestNumber == store.Arrests[0]).ExecuteDeleteAsync());
        }

        var run = await AssertDamageAsync(store, AuditDamage.RecordIndexMissing, store.Read);
        Assert.Contains($"Entry {store.Read} touched {store.Arrests[0]}, but the records index has no row for it.", run.Output, StringComparison.Ordinal);
    }

    [Theory, AllProviders]
    public async Task Records_index_rows_inserted(StorageProvider provider)
    {
        await using var store = await TamperStore.CreateAsync(provider);
        await using (var db = store.Db.NewContext())
        {
            // Blame a read on a record it never touched, and on an entry that does not exist.
            db.AuditEntryRecords.Add(new AuditEntryRecordRow { Index = store.Read, ArrestNumber = store.Arrests[2] });
            db.AuditEntryRecords.Add(new AuditEntryRecordRow { Index = 5000, ArrestNumber = store.Arrests[2] });
            await db.SaveChangesAsync();
        }

        var run = await AssertDamageAsync(store, AuditDamage.RecordIndexExtra, store.Read);
        Assert.Contains($"RecordIndexExtra at index 5000: The records index says entry 5000 touched {store.Arrests[2]}, but there is no entry 5000.", run.Output, StringComparison.Ordinal);
    }

    /// <summary>The attack: three consents inserted straight into the table make fbi-2026 active, as read without bindings.</summary>
    [Theory, AllProviders]
    public async Task Three_forged_consents_for_an_agreement(StorageProvider provider)
    {
        await using var store = await TamperStore.CreateAsync(provider);
        var forged = await store.ForgeConsentsAsync(bindTo: null);
        Assert.Equal(AgreementStatus.Active, AgreementStatusCalculator.StatusAt(forged, Core.Charter.CharterTimeline.Default, store.Db.Clock.GetUtcNow()).Status);

        await AssertRefusedAsync(store);
        var run = await AssertDamageAsync(store, AuditDamage.EventUnbound, null);
        Assert.Equal(3, run.Output.Split('\n').Count(l => l.StartsWith("  EventUnbound at index -", StringComparison.Ordinal)));
    }

    /// <summary>The same, done with care: each forged row carries its correct hash and names the entry of the real proposal.</summary>
    [Theory, AllProviders]
    public async Task Three_forged_consents_bound_to_a_real_entry(StorageProvider provider)
    {
        await using var store = await TamperStore.CreateAsync(provider);
        await store.ForgeConsentsAsync(bindTo: store.FbiProposal);

        await AssertRefusedAsync(store);
        var run = await AssertDamageAsync(store, AuditDamage.EventInserted, store.FbiProposal);
        Assert.Equal(3, run.Output.Split('\n').Count(l => l.StartsWith($"  EventInserted at index {store.FbiProposal}", StringComparison.Ordinal)));
    }

    /// <summary>The same attack on the charter: an amendment that would drop every safeguard and the three consents
    /// that would put it in force, inserted as rows with correct hashes, bound to the real adoption entry. It never
    /// takes effect: every decision that needs the charter refuses (PARS-AUD-004), and audit verify names the entry.</summary>
    [Theory, AllProviders]
    public async Task A_forged_charter_amendment_with_every_consent(StorageProvider provider)
    {
        await using var store = await TamperStore.CreateAsync(provider);
        long adoption;
        await using (var db = store.Db.NewContext())
        {
            var adopted = await db.Events.SingleAsync(e => e.StreamType == EventStreams.Charter);
            adoption = adopted.AuditIndex!.Value;
            var charter = JsonSerializer.Deserialize<Core.Charter.CharterEvent>(adopted.Body, Core.Charter.CharterJson.Options) as Core.Charter.CharterAdopted;
            var weaker = charter!.Charter with
            {
                Version = 2,
                Safeguards = charter.Charter.Safeguards with { AdultsOnly = false, ReasonRequired = false, CaseNumberRequired = false, NeverShared = [] },
            };
            var position = await db.Events.MaxAsync(e => e.Position);
            var now = store.Db.Clock.GetUtcNow();
            var events = new List<Core.Charter.CharterEvent>
            {
                new Core.Charter.CharterAmendmentProposed { Sequence = 2, RecordedAt = now, Actor = store.RepresentativeOf("PPD"), Charter = weaker, Statement = "Fewer rules." },
            };
            events.AddRange(new[] { "PPD", "DAO", "FJD" }.Select((agency, i) => (Core.Charter.CharterEvent)new Core.Charter.CharterAmendmentVoteCast
            {
                Sequence = 3 + i, RecordedAt = now, Actor = store.RepresentativeOf(agency), Version = 2, Kind = VoteKind.Consent, Statement = $"{agency} consents.",
            }));
            foreach (var e in events)
            {
                var row = new EventRow
                {
                    Position = ++position, StreamType = EventStreams.Charter, StreamId = "charter", Version = e.Sequence,
                    Type = e is Core.Charter.CharterAmendmentProposed ? "charter-amendment-proposed" : "charter-amendment-vote-cast",
                    Body = JsonSerializer.Serialize(e, Core.Charter.CharterJson.Options), RecordedAt = e.RecordedAt, UserId = e.Actor.UserId, AgencyCode = e.Actor.AgencyCode,
                    AuditIndex = adoption,
                };
                row.Hash = row.Envelope().Hash();
                db.Events.Add(row);
            }

            await db.SaveChangesAsync();
        }

        await using (var db = store.Db.NewContext())
        {
            var charters = new Storage.Charter.CharterStore(db, store.Db.Clock, TestAudit.Trail(store.Db.Settings, store.Db.Clock));
            Assert.Equal(ErrorCodes.StoreDamaged, (await Assert.ThrowsAsync<DomainException>(() => charters.TimelineAsync())).Code);
            var agreements = new AgreementStore(db, store.Db.Clock, TestAudit.Trail(store.Db.Settings, store.Db.Clock));
            Assert.Equal(ErrorCodes.StoreDamaged, (await Assert.ThrowsAsync<DomainException>(() => agreements.FindForPartnerAsync("ICE"))).Code);
            var health = await StoreIntegrity.CheckAsync(db);
            Assert.Equal((false, ErrorCodes.StoreDamaged), (health.Intact, health.Code));
        }

        var run = await AssertDamageAsync(store, AuditDamage.EventInserted, adoption);
        Assert.Equal(4, run.Output.Split('\n').Count(l => l.StartsWith($"  EventInserted at index {adoption}", StringComparison.Ordinal)));
    }

    [Theory, AllProviders]
    public async Task An_arrest_event_body_altered(StorageProvider provider)
    {
        await using var store = await TamperStore.CreateAsync(provider);
        long index;
        await using (var db = store.Db.NewContext())
        {
            var booked = await db.Events.SingleAsync(e => e.StreamId == store.Arrests[1] && e.Version == 1);
            booked.Body = booked.Body.Replace("\"district\":\"01\"", "\"district\":\"02\"", StringComparison.Ordinal);
            Assert.Contains("\"district\":\"02\"", booked.Body, StringComparison.Ordinal);
            index = booked.AuditIndex!.Value;
            await db.SaveChangesAsync();
        }

        var refused = await Assert.ThrowsAsync<DomainException>(() => store.Db.Arrests().HistoryAsync(store.Arrests[1]));
        Assert.Equal(ErrorCodes.StoreDamaged, refused.Code);
        var run = await AssertDamageAsync(store, AuditDamage.EventAltered, index);
        Assert.Contains("no longer hashes to its stored hash", run.Output, StringComparison.Ordinal);
    }

    [Theory, AllProviders]
    public async Task An_arrest_event_body_altered_and_its_hash_rewritten(StorageProvider provider)
    {
        await using var store = await TamperStore.CreateAsync(provider);
        long index;
        await using (var db = store.Db.NewContext())
        {
            var booked = await db.Events.SingleAsync(e => e.StreamId == store.Arrests[1] && e.Version == 1);
            booked.Body = booked.Body.Replace("\"district\":\"01\"", "\"district\":\"02\"", StringComparison.Ordinal);
            booked.Hash = booked.Envelope().Hash();
            index = booked.AuditIndex!.Value;
            await db.SaveChangesAsync();
        }

        var run = await AssertDamageAsync(store, AuditDamage.EventAltered, index);
        Assert.Contains("it was changed and its hash rewritten", run.Output, StringComparison.Ordinal);
    }

    [Theory, AllProviders]
    public async Task An_event_deleted(StorageProvider provider)
    {
        await using var store = await TamperStore.CreateAsync(provider);
        long index;
        await using (var db = store.Db.NewContext())
        {
            // The booking of the first arrest: who booked it, and as what, would be gone from its history.
            var booked = await db.Events.SingleAsync(e => e.StreamId == store.Arrests[0] && e.Version == 1);
            index = booked.AuditIndex!.Value;
            db.Events.Remove(booked);
            await db.SaveChangesAsync();
        }

        var refused = await Assert.ThrowsAsync<DomainException>(() => store.Db.Arrests().HistoryAsync(store.Arrests[0]));
        Assert.Equal(ErrorCodes.StoreDamaged, refused.Code);
        var run = await AssertDamageAsync(store, AuditDamage.EventMissing, index);
        Assert.Contains("which is not in the event log: it was deleted.", run.Output, StringComparison.Ordinal);
    }

    [Theory, AllProviders]
    public async Task An_agreement_suspension_deleted_where_nothing_follows_it(StorageProvider provider)
    {
        await using var store = await TamperStore.CreateAsync(provider);
        long index;
        await using (var db = store.Db.NewContext())
        {
            var suspended = await new AgreementStore(db, store.Db.Clock, TestAudit.Trail(store.Db.Settings, store.Db.Clock))
                .SuspendAsync(DemoAgreements.IceAgreement, "Suspended pending review.", store.Privacy);
            Assert.Equal(AgreementStatus.Suspended, suspended.StatusAt(store.Db.Clock.GetUtcNow()).Status);
        }

        await using (var db = store.Db.NewContext())
        {
            // The last event of its stream: a load sees a clean history 1…5 and ice-2026 active again. Only the log knows.
            var suspension = await db.Events.SingleAsync(e => e.StreamId == DemoAgreements.IceAgreement && e.Type == "agreement-suspended");
            index = suspension.AuditIndex!.Value;
            db.Events.Remove(suspension);
            await db.SaveChangesAsync();
        }

        await AssertDamageAsync(store, AuditDamage.EventMissing, index);
    }

    [Theory, AllProviders]
    public async Task An_event_moved_to_another_entry(StorageProvider provider)
    {
        await using var store = await TamperStore.CreateAsync(provider);
        long from;
        await using (var db = store.Db.NewContext())
        {
            var charged = await db.Events.SingleAsync(e => e.StreamId == store.Arrests[2] && e.Version == 2);
            from = charged.AuditIndex!.Value;
            charged.AuditIndex = store.Read;
            await db.SaveChangesAsync();
        }

        var run = await AssertDamageAsync(store, AuditDamage.EventMissing, from);
        Assert.Contains($"EventInserted at index {store.Read}", run.Output, StringComparison.Ordinal);
    }

    [Theory, AllProviders]
    public async Task Two_event_positions_swapped(StorageProvider provider)
    {
        await using var store = await TamperStore.CreateAsync(provider);
        await using (var db = store.Db.NewContext())
        {
            // Reorder the global feed: positions are in each event's hash.
            var last = await db.Events.MaxAsync(e => e.Position);
            await db.Events.Where(e => e.Position == last).ExecuteUpdateAsync(u => u.SetProperty(e => e.Position, -1L));
            await db.Events.Where(e => e.Position == last - 1).ExecuteUpdateAsync(u => u.SetProperty(e => e.Position, last));
            await db.Events.Where(e => e.Position == -1).ExecuteUpdateAsync(u => u.SetProperty(e => e.Position, last - 1));
        }

        var run = await VerifyAsync(store);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("DAMAGED: EventAltered at index", run.Output, StringComparison.Ordinal);
    }

    private static async Task AssertRefusedAsync(TamperStore store)
    {
        await using var db = store.Db.NewContext();
        var agreements = new AgreementStore(db, store.Db.Clock, TestAudit.Trail(store.Db.Settings, store.Db.Clock));
        var refused = await Assert.ThrowsAsync<DomainException>(() => agreements.FindForPartnerAsync("FBI"));
        Assert.Equal(ErrorCodes.StoreDamaged, refused.Code);
        Assert.Equal(ErrorCodes.StoreDamaged, (await Assert.ThrowsAsync<DomainException>(() => agreements.FindAsync(DemoAgreements.FbiAgreement))).Code);
        Assert.Equal(ErrorCodes.StoreDamaged, (await Assert.ThrowsAsync<DomainException>(() => agreements.ListAsync())).Code);

        // ICE's agreement is untouched and still serves its partner.
        Assert.Equal(AgreementStatus.Active, (await agreements.FindForPartnerAsync("ICE"))!.StatusAt(store.Db.Clock.GetUtcNow()).Status);

        var health = await StoreIntegrity.CheckAsync(db);
        Assert.False(health.Intact);
        Assert.Equal(ErrorCodes.StoreDamaged, health.Code);

        // The server says so, anonymously, on /healthz: 503 with the code and the kind of damage.
        await using var app = OpenParsHost.Build(new OpenParsHostOptions { Storage = store.Db.Settings, ListenOnLoopbackPort0 = true, Clock = store.Db.Clock });
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var http = new HttpClient { BaseAddress = new Uri(address) };
        using var answer = await http.GetAsync("/healthz", TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, answer.StatusCode);
        var body = JsonDocument.Parse(await answer.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
        Assert.Equal("damaged", body.GetProperty("status").GetString());
        Assert.Equal(ErrorCodes.StoreDamaged, body.GetProperty("code").GetString());
        Assert.Equal(health.Damage.ToString(), body.GetProperty("damage").GetString());
        await app.StopAsync(TestContext.Current.CancellationToken);
    }

    private static async Task<CliRunner.Run> AssertDamageAsync(TamperStore store, AuditDamage damage, long? index)
    {
        var run = await VerifyAsync(store);
        Assert.True(run.ExitCode == 1, run.Output);
        Assert.Contains($"DAMAGED: {damage} at index {(index is { } i ? i.ToString(CultureInfo.InvariantCulture) : "-")}", run.Output, StringComparison.Ordinal);
        return run;
    }

    private static Task<CliRunner.Run> VerifyAsync(TamperStore store) =>
        CliRunner.RunAsync(["audit", "verify", .. CliRunner.StorageArgs(store.Db.Settings)]);

    private sealed class TamperStore : IAsyncDisposable
    {
        private TamperStore(TestDatabase db) => Db = db;

        public TestDatabase Db { get; }

        public List<string> Arrests { get; } = [];

        /// <summary>The index of a stakeholder's read of the first two arrests.</summary>
        public long Read { get; private set; }

        /// <summary>The index of a partner's refused read.</summary>
        public long Refusal { get; private set; }

        /// <summary>The index of the entry that recorded fbi-2026's proposal.</summary>
        public long FbiProposal { get; private set; }

        public long Size { get; private set; }

        public AgreementActor Privacy { get; private set; } = null!;

        private Dictionary<string, AgreementActor> Representatives { get; } = [];

        public AgreementActor RepresentativeOf(string agency) => Representatives[agency];

        public static async Task<TamperStore> CreateAsync(StorageProvider provider)
        {
            var db = await TestDatabase.CreateAsync(provider, TestContext.Current.CancellationToken);
            var store = new TamperStore(db);
            await using (var ctx = db.NewContext())
            {
                await DemoIdentities.SeedAsync(ctx, new IdentityStore(ctx, db.Clock, TestAudit.Trail(db.Settings, db.Clock)));
                await DemoAgreements.SeedAsync(ctx, db.Clock, TestAudit.Trail(db.Settings, db.Clock));
                foreach (var (name, agency, kind) in new[] { ("ppd.representative", "PPD", AgencyKind.Police), ("dao.representative", "DAO", AgencyKind.DistrictAttorney), ("fjd.representative", "FJD", AgencyKind.Courts) })
                {
                    store.Representatives[agency] = new AgreementActor(await ctx.Users.Where(u => u.Name == name).Select(u => u.Id).SingleAsync(), name, agency, kind);
                }

                store.Privacy = new AgreementActor(await ctx.Users.Where(u => u.Name == "ppd.privacy").Select(u => u.Id).SingleAsync(), "ppd.privacy", "PPD", AgencyKind.Police);
                store.FbiProposal = (await ctx.Events.SingleAsync(e => e.StreamId == DemoAgreements.FbiAgreement && e.Type == "agreement-proposed")).AuditIndex!.Value;
            }

            var reference = db.Reference;
            foreach (var name in new[] { "Roe", "Poe", "Moe" })
            {
                db.Clock.Advance(TimeSpan.FromMinutes(5));
                var booked = await db.Arrests().BookAsync(new ArrestBuilder(reference).WithName(name, "Jo").InDistrict("01").Build(), TestActors.BookingOfficer, null);
                store.Arrests.Add(booked.Record.ArrestNumber);
            }

            await db.Arrests().CorrectAsync(store.Arrests[0], 1, new Core.Arrests.CorrectArrest { Reason = "Officer's badge keyed wrong", ArrestingOfficer = new Core.Arrests.Officer { BadgeNumber = "4712", Name = "Kowalski" } }, TestActors.BookingOfficer);
            await db.Arrests().DecideChargingAsync(store.Arrests[2], Decisions.Approve(), TestActors.ChargingAttorney);

            var log = new AuditLog(AuditSigning.LoadOrCreate(db.Settings.AuditKeyPath()), db.Clock);
            await using (var ctx = db.NewContext())
            {
                await using var tx = await ctx.Database.BeginTransactionAsync();
                store.Read = await log.AppendAsync(ctx,
                [
                    new AuditEntry
                    {
                        Type = AuditEventType.ArrestsSearched, Time = db.Clock.GetUtcNow().AddTicks(7), Status = 200,
                        Actor = new AuditActor(5, "dao.charging", "DAO", ["charging-attorney"], 11), Records = [store.Arrests[0], store.Arrests[1]],
                    },
                    new AuditEntry
                    {
                        Type = AuditEventType.PartnerRead, Time = db.Clock.GetUtcNow(), Outcome = AuditOutcome.Refused, Code = "PARS-AGR-011", Status = 403,
                        Actor = new AuditActor(12, "ice.analyst", "ICE", ["partner-analyst"], 13), Criteria = new Dictionary<string, string> { ["arrestNumber"] = store.Arrests[2] },
                    },
                ]);
                store.Refusal = store.Read + 1;
                await tx.CommitAsync();
            }

            await using (var ctx = db.NewContext())
            {
                await log.CheckpointIfBehindAsync(ctx);
                store.Size = await new AuditReader(ctx).SizeAsync();
            }

            return store;
        }

        /// <summary>Consents of the three stakeholder representatives to fbi-2026 v1, inserted as rows with the next positions.</summary>
        /// <returns>The agreement's history as the rows now say it (what a reader that checks nothing would decide from).</returns>
        public async Task<IReadOnlyList<AgreementEvent>> ForgeConsentsAsync(long? bindTo)
        {
            await using var db = Db.NewContext();
            var position = await db.Events.MaxAsync(e => e.Position);
            var version = await db.Events.Where(e => e.StreamId == DemoAgreements.FbiAgreement).MaxAsync(e => e.Version);
            foreach (var voter in Representatives.Values)
            {
                var vote = new AgreementVoteCast
                {
                    AgreementId = DemoAgreements.FbiAgreement, Sequence = ++version, RecordedAt = Db.Clock.GetUtcNow(), Actor = voter,
                    Version = 1, Kind = VoteKind.Consent, Statement = $"{voter.AgencyCode} consents.",
                };
                var row = new EventRow
                {
                    Position = ++position, StreamType = EventStreams.Agreement, StreamId = vote.AgreementId, Version = vote.Sequence, Type = "agreement-vote-cast",
                    Body = JsonSerializer.Serialize<AgreementEvent>(vote, AgreementJson.Options), RecordedAt = vote.RecordedAt, UserId = voter.UserId, AgencyCode = voter.AgencyCode,
                };
                if (bindTo is { } index)
                {
                    row.AuditIndex = index;
                    row.Hash = row.Envelope().Hash();
                }

                db.Events.Add(row);
            }

            await db.SaveChangesAsync();
            var bodies = await db.Events.Where(e => e.StreamId == DemoAgreements.FbiAgreement).OrderBy(e => e.Version).Select(e => e.Body).ToListAsync();
            return [.. bodies.Select(b => JsonSerializer.Deserialize<AgreementEvent>(b, AgreementJson.Options)!)];
        }

        public ValueTask DisposeAsync() => Db.DisposeAsync();
    }
}
