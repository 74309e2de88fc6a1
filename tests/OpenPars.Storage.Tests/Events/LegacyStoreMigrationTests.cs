using OpenPars.App.Hosting;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using OpenPars.Core.Agreements;
using OpenPars.Core.Arrests;
using OpenPars.Core.Audit;
using OpenPars.Core.Common;
using OpenPars.Core.Audit.Payloads;
using OpenPars.Storage.Agreements;
using OpenPars.Storage.Arrests;
using OpenPars.Storage.Audit;
using OpenPars.Demo;
using OpenPars.Storage.Events;
using OpenPars.Testing;
using Shouldly;
using Xunit;

namespace OpenPars.Storage.Tests.Events;

/// <summary>
/// A store made by the code before the one event log (Fixtures/legacy-v1: two event tables, no bindings) opens with
/// this build: the migration moves every event into <c>events</c> in order, the first start adopts exactly those
/// events in one audit entry, every record, history and agreement reads as that code read it, and the whole store
/// verifies — chain, checkpoint, columns, records index and every event's binding.
/// </summary>
public sealed class LegacyStoreMigrationTests
{
    private const int LegacyEvents = 30; // 21 arrest events (10 arrests) and 9 agreement events in the fixture

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, AllProviders]
    public async Task An_old_store_migrates_and_reads_as_it_did(StorageProvider provider)
    {
        await using var store = await LegacyStore.OpenAsync(provider);
        var expected = store.Expected;
        await OpenParsDatabase.MigrateAsync(store.Settings, Ct);

        var reference = ReferenceData.LoadDefault();
        await using (var db = store.NewContext())
        {
            var arrests = new ArrestStore(db, reference, TimeProvider.System, TestAudit.Trail(store.Settings, TimeProvider.System));
            var numbers = await db.Arrests.OrderBy(a => a.Id).Select(a => a.ArrestNumber).ToListAsync(Ct);
            numbers.ShouldBe(expected["arrests"]!.AsObject().Select(a => a.Key).ToList());
            foreach (var number in numbers)
            {
                // The same values as the old code read; compared in today's dialect (instants now RFC 3339 UTC with Z),
                // by reading the old answer with today's reader and writing both the same way.
                Json(await arrests.GetAsync(number, Ct), OpenParsJson.Options).ShouldBe(Today<ArrestRecord>(expected["arrests"]![number]!["record"]!), $"record {number}");
                Json(await arrests.HistoryAsync(number, Ct), OpenParsJson.Options).ShouldBe(Today<List<ArrestEvent>>(expected["arrests"]![number]!["history"]!), $"history {number}");
            }
        }

        await using (var db = store.NewContext())
        {
            var agreements = new AgreementStore(db, TimeProvider.System, TestAudit.Trail(store.Settings, TimeProvider.System));
            var at = DateTimeOffset.Parse(expected["statusAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
            var listed = await agreements.ListAsync(Ct);
            listed.Count.ShouldBe(expected["agreements"]!.AsArray().Count);
            foreach (var (agreement, wanted) in listed.Zip(expected["agreements"]!.AsArray()))
            {
                Json(agreement, AgreementJson.Options).ShouldBe(wanted!["agreement"]!.ToJsonString(), agreement.AgreementId);
                Json(agreement.StatusAt(at), AgreementJson.Options).ShouldBe(wanted["status"]!.ToJsonString(), agreement.AgreementId);
                Json(await agreements.FindAsync(agreement.AgreementId, Ct), AgreementJson.Options).ShouldBe(wanted["agreement"]!.ToJsonString());
            }

            (await agreements.FindForPartnerAsync("ICE", Ct))!.AgreementId.ShouldBe(expected["partners"]!["ICE"]!.GetValue<string>());
            // Changed on purpose: the old code took the newest agreement naming the partner, so FBI's proposal
            // (expected["partners"]["FBI"]) governed it; a proposal without its quorum never affects access now.
            expected["partners"]!["FBI"]!.GetValue<string>().ShouldBe(DemoAgreements.FbiAgreement);
            (await agreements.FindForPartnerAsync("FBI", Ct)).ShouldBeNull();
            (await agreements.FindForPartnerAsync("ICE", Ct))!.StatusAt(at).Status.ShouldBe(AgreementStatus.Active);
        }

        var verified = await store.VerifyAsync();
        verified.IsIntact.ShouldBeTrue(verified.Message);
        verified.FindingCount.ShouldBe(0);
        verified.EventsChecked.ShouldBe(LegacyEvents + 1, "the moved events and the charter adopted at the first start");
        verified.TreeSize.ShouldBe(expected["auditSize"]!.GetValue<long>() + 2, "the old log, the one adoption entry of the moved events and the charter's adoption");
        verified.CheckpointsMatched.ShouldBe(1, "the checkpoint the old code signed still matches");
    }

    [Theory, AllProviders]
    public async Task The_old_entries_read_typed_as_the_same_facts(StorageProvider provider)
    {
        // Entries are immutable: the old log's string details are never rewritten, and the typed reader reads them.
        await using var store = await LegacyStore.OpenAsync(provider);
        await OpenParsDatabase.MigrateAsync(store.Settings, Ct);
        await using var db = store.NewContext();
        var entries = (await db.AuditEntries.AsNoTracking().OrderBy(e => e.Index).Select(e => e.Entry).ToListAsync(Ct)).Select(b => JsonNode.Parse(b)!).ToList();
        var old = entries.Where(e => e["payload"] is null).ToList();
        old.Count.ShouldBe(store.Expected["auditSize"]!.GetValue<int>(), "every entry of the old log is still in its old format");

        // The partner's refusal under ice-2026 (the generator's reason-stated refusal).
        old.Select(AuditPayloads.Read<PartnerAccessV1>).OfType<PartnerAccessV1>().ShouldContain(p => p.AgreementId == "ice-2026" && p.Rule == "reason-stated");

        // ice-2026's three consents and fbi-2026's consent and rejection, each on version 1.
        var votes = old.Select(AuditPayloads.Read<AgreementVoteV1>).OfType<AgreementVoteV1>().ToList();
        votes.Where(v => v.AgreementId == DemoAgreements.IceAgreement).Select(v => v.Vote).ShouldBe([VoteKind.Consent, VoteKind.Consent, VoteKind.Consent]);
        votes.Where(v => v.AgreementId == DemoAgreements.FbiAgreement).Select(v => v.Vote).ShouldBe([VoteKind.Consent, VoteKind.Reject]);
        votes.ShouldAllBe(v => v.Version == 1);

        // The bulk seed's one entry for its six arrests, and the demo users, each added with its roles.
        old.Select(AuditPayloads.Read<ArrestsSeededV1>).OfType<ArrestsSeededV1>().Single().Arrests.ShouldBe(6);
        old.Select(AuditPayloads.Read<UserAddedV1>).OfType<UserAddedV1>().ShouldContain(u => u.User == "ice.analyst" && u.Agency == "ICE" && u.Roles.SequenceEqual(new[] { "partner-analyst" }));

        // The migration derived the new agreement and purpose columns of the old entries from their details.
        var refusal = await db.AuditEntries.AsNoTracking().SingleAsync(e => e.EventType == (int)AuditEventType.PartnerRead && e.Outcome == "refused", Ct);
        refusal.AgreementId.ShouldBe("ice-2026");
        (await db.AuditEntries.CountAsync(e => e.AgreementId == DemoAgreements.FbiAgreement, Ct)).ShouldBe(4, "fbi-2026 drafted, proposed, consented to and rejected: one entry each");

        // The two entries the first start added are in the new format: the legacy events' adoption, then the charter's.
        entries.Skip(old.Count).Select(e => AuditPayloads.Read(e)?.GetType()).ShouldBe([typeof(EventsAdoptedV1), typeof(CharterChangeV1)]);
    }

    [Theory, AllProviders]
    public async Task The_first_start_adopts_exactly_the_moved_events_in_one_entry_and_never_again(StorageProvider provider)
    {
        await using var store = await LegacyStore.OpenAsync(provider);
        var oldSize = store.Expected["auditSize"]!.GetValue<long>();
        await OpenParsDatabase.MigrateAsync(store.Settings, Ct);

        await using (var db = store.NewContext())
        {
            var events = await db.Events.AsNoTracking().Where(e => e.StreamType != EventStreams.Charter).OrderBy(e => e.Position).ToListAsync(Ct);
            events.Select(e => e.Position).ShouldBe(Enumerable.Range(1, LegacyEvents).Select(i => (long)i), "positions 1…N, no gap");
            // The first start also adopts the charter (the store had none): the next position, its own 10001 entry.
            var charter = await db.Events.AsNoTracking().SingleAsync(e => e.StreamType == EventStreams.Charter, Ct);
            (charter.Position, charter.Version, charter.Type, charter.AuditIndex).ShouldBe((LegacyEvents + 1L, 1, "charter-adopted", (long?)oldSize + 1));
            (await db.AuditEntries.SingleAsync(e => e.EventType == (int)AuditEventType.CharterAdopted, Ct)).Index.ShouldBe(oldSize + 1);
            events.ShouldAllBe(e => e.AuditIndex == oldSize, "every moved event is bound to the adoption entry, the first after the old log");
            foreach (var stream in events.GroupBy(e => (e.StreamType, e.StreamId)))
            {
                stream.Select(e => e.Version).ShouldBe(Enumerable.Range(1, stream.Count()), $"{stream.Key} keeps its order");
            }

            var adoption = await db.AuditEntries.AsNoTracking().SingleAsync(e => e.EventType == (int)AuditEventType.EventsAdopted, Ct);
            adoption.Index.ShouldBe(oldSize);
            var entry = JsonNode.Parse(adoption.Entry)!;
            entry["events"]!.AsArray().Select(h => h!.GetValue<string>()).ShouldBe(events.Select(e => Convert.ToBase64String(SHA256.HashData(e.Envelope().CanonicalBytes()))));
            AuditPayloads.Read<EventsAdoptedV1>(entry).ShouldBe(new EventsAdoptedV1(LegacyEvents, 1, LegacyEvents));
            entry["channel"]!.GetValue<string>().ShouldBe("cli");
            (await db.Counters.AnyAsync(c => c.Name == EventAdoption.LegacyThroughCounter, Ct)).ShouldBeFalse();
            (await db.Counters.SingleAsync(c => c.Name == EventLog.PositionCounter, Ct)).Value.ShouldBe(LegacyEvents + 1);

            // The insider's move after the migration: an unbound row, hoping the next start adopts it too.
            db.Events.Add(new EventRow
            {
                Position = LegacyEvents + 2, StreamType = EventStreams.Agreement, StreamId = "fbi-2026", Version = 5, Type = "agreement-vote-cast",
                Body = "{}", RecordedAt = DateTimeOffset.UnixEpoch, UserId = 1, AgencyCode = "PPD",
            });
            await db.SaveChangesAsync(Ct);
        }

        await OpenParsDatabase.MigrateAsync(store.Settings, Ct);
        await using (var db = store.NewContext())
        {
            (await db.AuditEntries.CountAsync(e => e.EventType == (int)AuditEventType.EventsAdopted, Ct)).ShouldBe(1, "adoption happens once");
            (await db.AuditEntries.CountAsync(e => e.EventType == (int)AuditEventType.CharterAdopted, Ct)).ShouldBe(1, "the charter is adopted once");
            (await db.Events.SingleAsync(e => e.Position == LegacyEvents + 2, Ct)).AuditIndex.ShouldBeNull();
            var refused = await Should.ThrowAsync<DomainException>(() => new AgreementStore(db, TimeProvider.System, TestAudit.Trail(store.Settings, TimeProvider.System)).FindForPartnerAsync("FBI", Ct));
            refused.Code.ShouldBe(ErrorCodes.StoreDamaged);
        }

        var verified = await store.VerifyAsync();
        verified.Damage.ShouldBe(AuditDamage.EventUnbound);
        verified.Findings.ShouldHaveSingleItem().EventPosition.ShouldBe(LegacyEvents + 2);
    }

    [Theory, AllProviders]
    public async Task After_the_migration_new_events_continue_the_positions_bound_to_their_own_entries(StorageProvider provider)
    {
        await using var store = await LegacyStore.OpenAsync(provider);
        await OpenParsDatabase.MigrateAsync(store.Settings, Ct);
        var reference = ReferenceData.LoadDefault();
        await using (var db = store.NewContext())
        {
            var arrests = new ArrestStore(db, reference, TimeProvider.System, TestAudit.Trail(store.Settings, TimeProvider.System));
            await arrests.DecideChargingAsync("26-0000004", Decisions.Approve(), TestActors.ChargingAttorney, Ct);
        }

        await using (var db = store.NewContext())
        {
            var consent = await new AgreementStore(db, TimeProvider.System, TestAudit.Trail(store.Settings, TimeProvider.System))
                .VoteAsync("fbi-2026", VoteKind.Consent, "The DA consents.", null, null, new AgreementActor(6, "dao.representative", "DAO", Core.Agencies.AgencyKind.DistrictAttorney), Ct);
            consent.Events.Count.ShouldBe(5);
        }

        await using (var db = store.NewContext())
        {
            // Position N + 1 is the charter adopted at the first start.
            var added = await db.Events.AsNoTracking().Where(e => e.Position > LegacyEvents + 1).OrderBy(e => e.Position).ToListAsync(Ct);
            added.Select(e => (e.Position, e.StreamId, e.Version)).ShouldBe([(LegacyEvents + 2, "26-0000004", 2), (LegacyEvents + 3, "fbi-2026", 5)]);
            added[0].AuditIndex.ShouldNotBeNull();
            added[1].AuditIndex!.Value.ShouldBeGreaterThan(added[0].AuditIndex!.Value);
        }

        var verified = await store.VerifyAsync();
        verified.IsIntact.ShouldBeTrue(verified.Message);
        verified.EventsChecked.ShouldBe(LegacyEvents + 3, "the moved events, the adopted charter and the two new ones");
    }

    private static string Json<T>(T value, JsonSerializerOptions options) => JsonSerializer.SerializeToNode(value, options)!.ToJsonString();

    /// <summary>A value the old code wrote, read and written back in today's dialect.</summary>
    private static string Today<T>(System.Text.Json.Nodes.JsonNode old) => Json(old.Deserialize<T>(OpenParsJson.Options), OpenParsJson.Options);

    /// <summary>A copy of the fixture as a store of its own: the SQLite folder copied, or the dump loaded into a new PostgreSQL database.</summary>
    private sealed class LegacyStore : IAsyncDisposable
    {
        private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "Fixtures", "legacy-v1");

        private LegacyStore(StorageSettings settings, JsonNode expected)
        {
            Settings = settings;
            Expected = expected;
        }

        public StorageSettings Settings { get; }

        /// <summary>What the old code read back (expected.json of this provider).</summary>
        public JsonNode Expected { get; }

        public static async Task<LegacyStore> OpenAsync(StorageProvider provider)
        {
            var folder = Path.Combine(Path.GetTempPath(), "openpars-tests", "legacy-" + Guid.NewGuid().ToString("N"));
            var source = Path.Combine(Fixtures, provider == StorageProvider.Sqlite ? "sqlite" : "postgres");
            Directory.CreateDirectory(folder);
            File.Copy(Path.Combine(source, AuditSigning.KeyFileName), Path.Combine(folder, AuditSigning.KeyFileName));
            // A checkout leaves the fixture's key 0644; a store refuses a key others can read, as an operator's would be.
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(Path.Combine(folder, AuditSigning.KeyFileName), UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
            var expected = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(source, "expected.json"), Ct))!;
            if (provider == StorageProvider.Sqlite)
            {
                File.Copy(Path.Combine(source, StorageSettings.DatabaseFileName), Path.Combine(folder, StorageSettings.DatabaseFileName));
                return new LegacyStore(StorageSettings.ForDataFolder(folder), expected);
            }

            var server = TestDatabases.RequirePostgresServer();
            var name = "openpars_test_" + Guid.NewGuid().ToString("N");
            await using (var admin = new NpgsqlConnection(server))
            {
                await admin.OpenAsync(Ct);
                await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
                await create.ExecuteNonQueryAsync(Ct);
            }

            var connection = new NpgsqlConnectionStringBuilder(server) { Database = name };
            await using (var load = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connection.ConnectionString) { Pooling = false }.ConnectionString))
            {
                // The dump as pg_dump wrote it, less psql's own commands (\restrict), which no server executes.
                var dump = (await File.ReadAllLinesAsync(Path.Combine(source, "openpars.sql"), Ct)).Where(l => !l.StartsWith('\\'));
                await load.OpenAsync(Ct);
                await using var restore = new NpgsqlCommand(string.Join('\n', dump), load);
                await restore.ExecuteNonQueryAsync(Ct);
            }

            return new LegacyStore(StorageSettings.ForPostgres(connection.ConnectionString, folder), expected);
        }

        public OpenParsDbContext NewContext() => OpenParsDatabase.CreateContext(Settings);

        public async Task<AuditVerificationResult> VerifyAsync()
        {
            await using var db = NewContext();
            using var key = ECDsa.Create();
            key.ImportFromPem(await File.ReadAllTextAsync(Settings.AuditKeyPath(), Ct));
            return await new AuditReader(db).VerifyAsync(key, ct: Ct);
        }

        public async ValueTask DisposeAsync()
        {
            await TestDatabases.DropAsync(Settings);
            if (Settings.DataDirectory is { } folder && Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }
}
