using System.Text;
using OpenPars.Core.Audit;
using Shouldly;
using Xunit;

namespace OpenPars.Core.Tests.Audit;

/// <summary>
/// The bytes of an audit entry are hashed into the log, so their format is a promise to every auditor who keeps a
/// copy: each member's name and spelling, the event numbers and names (never renumbered), what is left out when
/// empty. And the verifier reads the index each OpenPARS entry carries to tell a moved entry from an altered one.
/// </summary>
public class AuditEntryFormatTests
{
    private static readonly DateTimeOffset Time = new DateTimeOffset(2026, 3, 10, 9, 15, 30, TimeSpan.FromHours(-4)).AddTicks(1234567);

    private static AuditEntry Full => new()
    {
        Type = AuditEventType.PartnerSearch,
        Time = Time,
        Outcome = AuditOutcome.Refused,
        Code = "PARS-AGR-030",
        Status = 429,
        Actor = new AuditActor(9_007_199_254_740_993, "ice.analyst", "ICE", ["partner-analyst", "reader"], 12),
        Channel = "http",
        ClientAddress = "127.0.0.1",
        Method = "GET",
        Path = "/api/v1/partner/arrests",
        Records = ["26-0000001", "26-0000002"],
        Criteria = new Dictionary<string, string> { ["lastName"] = "Doe", ["dateOfBirth"] = "1987-06-05" },
        Details = new Dictionary<string, string> { ["rule"] = "within-quota" },
    };

    private static string Canonical(AuditEntry entry, long index) => Encoding.UTF8.GetString(entry.CanonicalBytes(index));

    [Fact]
    public void A_full_entry_is_exactly_these_canonical_bytes()
    {
        Canonical(Full, 9_007_199_254_740_993).ShouldBe(
            """{"actor":{"agency":"ICE","roles":["partner-analyst","reader"],"tokenId":"12","user":"ice.analyst","userId":"9007199254740993"},"channel":"http","client":"127.0.0.1","code":"PARS-AGR-030","criteria":{"dateOfBirth":"1987-06-05","lastName":"Doe"},"details":{"rule":"within-quota"},"event":"partner.search","index":"9007199254740993","method":"GET","outcome":"refused","path":"/api/v1/partner/arrests","records":["26-0000001","26-0000002"],"status":429,"time":"2026-03-10T13:15:30.123456Z","type":8001}""");
    }

    [Fact]
    public void A_minimal_entry_leaves_out_what_it_does_not_have()
    {
        var entry = new AuditEntry
        {
            Type = AuditEventType.ArrestsSeeded,
            Time = Time,
            Channel = "cli",
            Actor = new AuditActor(1, "admin", "PPD", [], null),
            Records = [],
            Criteria = new Dictionary<string, string>(),
            Details = new Dictionary<string, string>(),
        };
        Canonical(entry, 0).ShouldBe(
            """{"actor":{"agency":"PPD","roles":[],"user":"admin","userId":"1"},"channel":"cli","event":"bulk.arrests-seeded","index":"0","outcome":"allowed","time":"2026-03-10T13:15:30.123456Z","type":9001}""");
        Canonical(entry with { Actor = null, Channel = "http" }, 7).ShouldBe(
            """{"channel":"http","event":"bulk.arrests-seeded","index":"7","outcome":"allowed","time":"2026-03-10T13:15:30.123456Z","type":9001}""");
    }

    public static TheoryData<int, string> EventTypes => new()
    {
        { 1, "request.refused" },
        { 1001, "arrest.booked" }, { 1002, "arrest.read" }, { 1003, "arrest.searched" }, { 1004, "arrest.history-read" }, { 1005, "arrest.corrected" },
        { 2001, "charging.queue-read" }, { 2002, "charging.decided" },
        { 3001, "arraignment.list-read" }, { 3002, "arraignment.recorded" },
        { 4001, "reference.statutes-read" }, { 4002, "reference.districts-read" },
        { 5001, "admin.agencies-listed" }, { 5002, "admin.agency-added" }, { 5003, "admin.users-listed" }, { 5004, "admin.user-added" },
        { 5005, "admin.token-created" }, { 5006, "admin.token-revoked" },
        { 5007, "admin.roles-changed" }, { 5008, "admin.enrolment-issued" }, { 5009, "admin.enrolment-redeemed" }, { 5010, "admin.tokens-listed" },
        { 6001, "audit.entries-read" }, { 6002, "audit.checkpoints-read" }, { 6003, "audit.inclusion-proof-read" },
        { 6004, "audit.consistency-proof-read" }, { 6005, "audit.exported" }, { 6006, "audit.events-adopted" },
        { 7001, "agreement.drafted" }, { 7002, "agreement.proposed" }, { 7003, "agreement.vote-cast" }, { 7004, "agreement.renewal-drafted" },
        { 7005, "agreement.suspended" }, { 7006, "agreement.listed" }, { 7007, "agreement.read" }, { 7008, "agreement.notice-read" },
        { 8001, "partner.search" }, { 8002, "partner.read" }, { 8003, "partner.agreement-read" },
        { 9001, "bulk.arrests-seeded" }, { 9002, "bulk.arrests-written" },
        { 10001, "charter.adopted" }, { 10002, "charter.amendment-proposed" }, { 10003, "charter.amendment-vote-cast" }, { 10004, "charter.read" },
        { 10005, "admin.service-account-added" }, { 10006, "admin.service-account-token-created" },
        { 11001, "feeds.charging-queue-opened" }, { 11002, "feeds.arraignment-list-opened" }, { 11003, "feeds.arrest-opened" }, { 11004, "feeds.delivered" },
        { 11030, "webhooks.registered" }, { 11031, "webhooks.listed" }, { 11032, "webhooks.deleted" }, { 11033, "webhooks.deliveries-read" },
        { 11034, "webhooks.redelivered" }, { 11035, "webhooks.delivered" }, { 11036, "webhooks.delivery-failed" },
        { 11037, "webhooks.delivery-cancelled" }, { 11038, "webhooks.endpoint-disabled" },
        { 12001, "oversight.usage-read" }, { 12002, "oversight.disparity-read" }, { 12003, "oversight.alerts-read" },
        { 12004, "oversight.alert-acknowledged" }, { 12005, "oversight.alert-raised" }, { 12006, "oversight.report-read" },
        { 12007, "transparency.report-published" }, { 12008, "transparency.report-verified" }, { 12010, "oversight.alert-stream-opened" },
        { 14051, "audit.key-rotated" }, { 14052, "store.backed-up" }, { 14053, "store.restored" }, { 14054, "store.restore-forced" },
        { 13001, "sign-in.password" }, { 13002, "sign-in.code" }, { 13003, "sign-in.locked-out" }, { 13004, "sign-in.signed-out" },
        { 13005, "sign-in.session-ended" }, { 13006, "sign-in.second-factor-enrolled" }, { 13007, "sign-in.password-set" }, { 13008, "sign-in.password-reset" }, { 13009, "sign-in.second-factor-reset" },
        { 14001, "auth.throttled" }, { 14002, "partner.rate-limited" },
        { 11010, "watches.registered" }, { 11011, "watches.listed" }, { 11012, "watches.cancelled" }, { 11013, "watches.matched" },
        { 11014, "watches.stream-opened" }, { 11015, "watches.stream-delivered" }, { 11016, "watches.oversight-read" }, { 11017, "watches.stream-revoked" },
    };

    [Theory]
    [MemberData(nameof(EventTypes))]
    public void Each_event_keeps_its_number_and_its_name(int number, string name)
    {
        var type = (AuditEventType)number;
        Enum.IsDefined(type).ShouldBeTrue();
        AuditEventTypes.Name(type).ShouldBe(name);
        Canonical(new AuditEntry { Type = type, Time = Time }, 1).ShouldContain($"\"event\":\"{name}\"");
    }

    [Fact]
    public void Every_event_type_is_in_the_table_and_an_undefined_one_has_no_name()
    {
        Enum.GetValues<AuditEventType>().Select(t => (int)t).Order().ShouldBe(EventTypes.Select(row => (int)row.Data.Item1).Order());
        Should.Throw<ArgumentOutOfRangeException>(() => AuditEventTypes.Name((AuditEventType)1006)).Message.ShouldContain("stable name");
    }

    // ------------------------------------------------------------------------------------------- entries that carry their index

    private static AuditLogRecord Record(long index, byte[] bytes) => new(index, bytes, MerkleHash.LeafHash(bytes));

    private static List<AuditLogRecord> Log(int size) =>
        [.. Enumerable.Range(0, size).Select(i => Record(i, new AuditEntry { Type = AuditEventType.ArrestRead, Time = Time.AddSeconds(i), Records = [$"26-{i:D7}"] }.CanonicalBytes(i)))];

    private static AuditVerificationResult Verify(IEnumerable<AuditLogRecord> records)
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        return new AuditLogVerifier(key).Verify(records, []);
    }

    [Fact]
    public void An_intact_log_of_real_entries_verifies()
    {
        var result = Verify(Log(30));
        result.IsIntact.ShouldBeTrue(result.Message);
        result.EntriesProcessed.ShouldBe(30);
    }

    [Fact]
    public void An_entry_stored_under_another_index_with_its_leaf_hash_rewritten_is_named_by_the_index_it_carries()
    {
        var log = Log(30);
        var moved = log[17].EntryBytes.ToArray();
        log[12] = Record(12, moved); // entry 17's bytes, re-hashed, stored at 12

        var result = Verify(log);
        result.Damage.ShouldBe(AuditDamage.EntryOutOfOrder);
        result.FirstBadIndex.ShouldBe(12);
        result.Message.ShouldBe("The entry stored at index 12 is entry 17: entries were swapped, or inserted or removed and the rest re-indexed.");
    }

    [Fact]
    public void The_verifier_names_each_kind_of_damage_with_the_index_a_person_looks_for()
    {
        var inserted = Log(30);
        inserted.Insert(9, inserted[8]);
        Verify(inserted).Message.ShouldBe("Entry 8 appears a second time (after entry 8): an entry was inserted.");

        var moved = Log(30);
        var entry5 = moved[5];
        moved.RemoveAt(5);
        moved.Insert(20, entry5);
        var reordered = Verify(moved);
        reordered.Damage.ShouldBe(AuditDamage.EntryOutOfOrder);
        reordered.FirstBadIndex.ShouldBe(5);
        reordered.Message.ShouldBe("Entry 5 appears after later entries: entries were reordered.");

        var deleted = Log(30);
        deleted.RemoveAt(11);
        var missing = Verify(deleted);
        missing.Damage.ShouldBe(AuditDamage.EntryMissing);
        missing.Message.ShouldBe("Entry 11 is missing: the log jumps from entry 10 to a later one.");

        var altered = Log(30);
        var edited = Encoding.UTF8.GetString(altered[3].EntryBytes.Span).Replace("26-0000003", "26-0000999", StringComparison.Ordinal);
        altered[3] = altered[3] with { EntryBytes = Encoding.UTF8.GetBytes(edited) }; // the stored leaf hash is the original's
        Verify(altered).Message.ShouldBe("Entry 3 does not hash to its stored leaf hash: its bytes were changed.");
    }

    [Theory]
    [InlineData("""{"index":"12x","v":1}""")]     // not a whole number
    [InlineData("""{"index":"","v":1}""")]        // no digits
    [InlineData("""{"index":"12""")]              // no closing quote
    [InlineData("""{"index":12,"v":1}""")]        // a JSON number, not OpenPARS's string
    [InlineData("""{"seq":"12"}""")]              // another log's format
    public void Bytes_that_do_not_carry_an_OpenPARS_index_are_not_read_as_one(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var log = new List<AuditLogRecord> { Record(0, Encoding.UTF8.GetBytes("""{"index":"0"}""")), Record(1, bytes) };
        Verify(log).IsIntact.ShouldBeTrue();
    }

    [Fact]
    public void An_index_of_many_digits_is_read_whole()
    {
        // 19 digits is the most a long holds; the verifier reads that many and compares the whole number.
        var log = new List<AuditLogRecord> { Record(0, Encoding.UTF8.GetBytes("""{"index":"1000000000000000000"}""")) };
        var result = Verify(log);
        result.Damage.ShouldBe(AuditDamage.EntryOutOfOrder);
        result.Message.ShouldContain("is entry 1000000000000000000:");
        Verify([Record(0, Encoding.UTF8.GetBytes("""{"index":"0000000000000000000"}"""))]).IsIntact.ShouldBeTrue();
    }

    [Fact]
    public void The_verifier_says_how_much_of_the_log_signed_checkpoints_vouch_for()
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        const string origin = "openpars.example/audit";
        string Checkpoint(IReadOnlyList<AuditLogRecord> records, int size)
        {
            var tree = new MerkleTreeBuilder();
            foreach (var r in records.Take(size))
            {
                tree.AppendEntry(r.EntryBytes.Span);
            }

            return new CheckpointSigner(key, origin).Sign(origin, size, tree.RootHash()).NoteText;
        }

        AuditVerificationResult Run(IEnumerable<AuditLogRecord> records, params string[] checkpoints) =>
            new AuditLogVerifier(key, origin, origin).Verify(records, checkpoints);

        var log = Log(30);
        Run(log).Message.ShouldBe("30 entries re-hashed and in sequence, but no checkpoint was given: nothing is vouched for by a signature.");
        Run(log, Checkpoint(log, 30)).Message.ShouldBe("30 entries intact; 1 checkpoint(s) match, the last at size 30.");
        var partly = Run(log, Checkpoint(log, 10), Checkpoint(log, 20));
        partly.Message.ShouldBe("30 entries intact; 2 checkpoint(s) match, the last at size 20. The 10 newer entries are not yet covered by a signed checkpoint.");
        partly.VerifiedThrough.ShouldBe(20);

        var truncated = Run(log.Take(25), Checkpoint(log, 30));
        truncated.Damage.ShouldBe(AuditDamage.LogTruncated);
        truncated.Message.ShouldBe("Checkpoint #0 signs 30 entries but the log holds 25: entries from 25 on were removed.");

        // Entry 4 rewritten and re-hashed, its index kept: only the signed root can tell.
        var rewritten = Log(30);
        var edited = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(rewritten[4].EntryBytes.Span).Replace("26-0000004", "26-0000999", StringComparison.Ordinal));
        rewritten[4] = Record(4, edited);
        var mismatch = Run(rewritten, Checkpoint(log, 2), Checkpoint(log, 30));
        mismatch.Damage.ShouldBe(AuditDamage.CheckpointRootMismatch);
        mismatch.Message.ShouldBe("Entries [2, 30) do not hash to the root signed by checkpoint #1: entries in that range were changed, inserted or removed and the log re-hashed.");
    }
}
