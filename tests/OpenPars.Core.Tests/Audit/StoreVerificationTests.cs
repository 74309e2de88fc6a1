using System.Security.Cryptography;
using System.Text;
using CsCheck;
using OpenPars.Core.Audit;
using Shouldly;
using Xunit;

namespace OpenPars.Core.Tests.Audit;

/// <summary>
/// The derivations and checks behind `audit verify` on a store (Audit/README.md § 6), in memory: the query columns
/// and records index are what the entry bytes say, an event hashes to a fixed canonical form, and the verifier names
/// each kind of damage to a column, an index row or an event with its entry.
/// </summary>
public sealed class StoreVerificationTests : IDisposable
{
    private const string Origin = "openpars.example/audit";
    private static readonly DateTimeOffset T0 = new(2026, 3, 10, 9, 0, 0, TimeSpan.Zero);
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public void Dispose() => _key.Dispose();

    private static readonly Gen<AuditEntry> Entries =
        Gen.Select(Gen.Int[0, 2_000_000_000], Gen.OneOf(AuditEventType.ArrestRead, AuditEventType.PartnerSearch, AuditEventType.RequestRefused), Gen.Bool,
                Gen.Select(Gen.Bool, Gen.Long[1, long.MaxValue / 2], (has, id) => has ? id : (long?)null), Gen.String[Gen.Char.AlphaNumeric, 0, 4].Array[0, 6],
                Gen.String[Gen.Char['\u0000', '\uD7FF'], 0, 12])
            .Select((ticks, type, refused, user, records, code) => new AuditEntry
            {
                Type = type,
                Time = T0.AddTicks(ticks),
                Outcome = refused ? AuditOutcome.Refused : AuditOutcome.Allowed,
                Code = refused ? code : null,
                Actor = user is { } id ? new AuditActor(id, "u" + code, code, ["r"], null) : null,
                Records = records,
                Events = [.. records.Select(r => Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(r))))],
            });

    [Fact]
    public void The_columns_and_records_index_read_from_the_bytes_are_the_entry_s_own()
    {
        Entries.Sample(entry =>
        {
            AuditEntryFacts.TryRead(entry.CanonicalBytes(42), out var facts, out var error).ShouldBeTrue(error);
            facts.Columns.ShouldBe(new AuditEntryColumns(AuditTime.Truncate(entry.Time), (int)entry.Type, entry.Outcome == AuditOutcome.Allowed ? "allowed" : "refused",
                entry.Code, entry.Actor?.UserId, entry.Actor?.AgencyCode));
            facts.Records.ShouldBe(entry.Records.Distinct(StringComparer.Ordinal).Where(r => r.Length <= 16 && System.Text.RegularExpressions.Regex.IsMatch(r, @"^\d{2}-\d{7,}$")).ToList());
            facts.Events.ShouldBe(entry.Events);
        });
    }

    /// <summary>A refused request may name anything as its arrest number (a timestamp, an SQL comment, a name); only
    /// an arrest number that fits the index's column gets an index row (a longer one once made PostgreSQL refuse the
    /// whole entry, and the request answer 503). What was asked for stays in the entry's bytes either way.</summary>
    [Fact]
    public void Only_well_formed_arrest_numbers_that_fit_the_column_are_indexed()
    {
        var entry = new AuditEntry
        {
            Type = AuditEventType.ArrestRead,
            Time = new DateTimeOffset(2026, 11, 23, 14, 0, 0, TimeSpan.Zero),
            Outcome = AuditOutcome.Refused,
            Code = "PARS-ARR-001",
            Channel = "http",
            Records = ["26-0000001"],
            Requested = ["26-0000001", "26-1234567890123", "26-12345678901234", "2026-11-23T14:00:00Z", "'; DROP TABLE arrests;--", "Okafor", "1991-05-17", ""],
        };
        AuditEntryFacts.TryRead(entry.CanonicalBytes(7), out var facts, out var error).ShouldBeTrue(error);
        facts.Records.ShouldBe(["26-0000001", "26-1234567890123"]);
        System.Text.Encoding.UTF8.GetString(entry.CanonicalBytes(7)).ShouldContain("2026-11-23T14:00:00Z");
    }

    [Fact]
    public void Bytes_that_are_not_an_entry_are_unreadable_not_a_crash()
    {
        foreach (var bytes in new[] { "", "[]", "{\"time\":\"2026-03-10T09:00:00Z\",\"type\":1,\"outcome\":\"allowed\"}", "{\"time\":\"2026-03-10T09:00:00.000000Z\",\"type\":\"1\",\"outcome\":\"allowed\"}", "{\"time\"", "{\"time\":\"2026-03-10T09:00:00.000000Z\",\"type\":1,\"outcome\":\"allowed\",\"actor\":{\"userId\":\"12x\"}}" })
        {
            AuditEntryFacts.TryRead(Encoding.UTF8.GetBytes(bytes), out _, out var error).ShouldBeFalse(bytes);
            error.ShouldNotBeNullOrEmpty();
        }
    }

    [Fact]
    public void An_event_hashes_its_canonical_form_every_column_but_its_binding()
    {
        var evt = new EventEnvelope(17, "agreement", "ice-2026", 3, "agreement-vote-cast", "{\"kind\":\"consent\",\"statement\":\"Ça va \\\"oui\\\"\"}",
            new DateTimeOffset(2026, 3, 10, 9, 0, 0, TimeSpan.Zero).AddTicks(12_345_678), 6, "DAO");
        Encoding.UTF8.GetString(evt.CanonicalBytes()).ShouldBe(
            "{\"actor\":{\"agency\":\"DAO\",\"userId\":\"6\"},\"body\":\"{\\\"kind\\\":\\\"consent\\\",\\\"statement\\\":\\\"Ça va \\\\\\\"oui\\\\\\\"\\\"}\","
            + "\"position\":\"17\",\"recordedAt\":\"2026-03-10T09:00:01.234567Z\",\"stream\":\"agreement\",\"streamId\":\"ice-2026\",\"type\":\"agreement-vote-cast\",\"version\":\"3\"}");
        evt.Hash().ShouldBe(SHA256.HashData(evt.CanonicalBytes()));
        foreach (var changed in new[] { evt with { Position = 18 }, evt with { StreamType = "arrest" }, evt with { StreamId = "fbi-2026" }, evt with { Version = 4 },
                     evt with { Type = "agreement-proposed" }, evt with { Body = evt.Body + " " }, evt with { RecordedAt = evt.RecordedAt.AddTicks(10) }, evt with { UserId = 7 }, evt with { AgencyCode = "FJD" } })
        {
            changed.Hash().ShouldNotBe(evt.Hash(), changed.ToString());
        }
    }

    [Fact]
    public void The_direct_writer_of_an_event_s_bytes_is_the_canonicalizer_s_form()
    {
        var text = Gen.String[Gen.OneOf(Gen.Char['\u0000', '\u007F'], Gen.Char['\u0080', '\uD7FF'], Gen.Char['\uE000', '\uFFFF']), 0, 40];
        Gen.Select(Gen.Long[0, long.MaxValue], text, text, Gen.Int[1, int.MaxValue], text, Gen.Long[0, 3_000_000_000_000_000_000], Gen.Long[long.MinValue, long.MaxValue], text)
            .Select((position, stream, id, version, body, ticks, user, agency) => new EventEnvelope(position, stream, id, version, "t" + stream, body + "😀", new DateTimeOffset(ticks, TimeSpan.Zero), user, agency))
            .Sample(evt => evt.CanonicalBytes().ShouldBe(Rfc8785Canonicalizer.Canonicalize(evt.ToJson())));
        Should.Throw<FormatException>(() => new EventEnvelope(1, "arrest", "26-0000001", 1, "arrest-booked", "\uD800", T0, 1, "PPD").Hash());
    }

    [Fact]
    public void An_instant_reads_back_as_it_was_written_to_the_microsecond()
    {
        Gen.Long[0, DateTime.MaxValue.Ticks].Sample(ticks =>
        {
            var instant = new DateTimeOffset(ticks, TimeSpan.Zero);
            AuditTime.TryParseUtf8(Encoding.ASCII.GetBytes(AuditTime.Format(instant)), out var read).ShouldBeTrue();
            read.ShouldBe(AuditTime.Truncate(instant));
        });
        foreach (var bad in new[] { "2026-02-30T00:00:00.000000Z", "2026-13-01T00:00:00.000000Z", "2026-01-01T24:00:00.000000Z", "2026-01-01T00:00:00.00000aZ", "2026-01-01 00:00:00.000000Z", "2026-01-01T00:00:00.000000" })
        {
            AuditTime.TryParseUtf8(Encoding.ASCII.GetBytes(bad), out _).ShouldBeFalse(bad);
        }
    }

    [Fact]
    public async Task A_consistent_store_verifies_with_every_event_checked()
    {
        var store = Store.Build(_key);
        var result = await store.VerifyAsync(_key);
        result.IsIntact.ShouldBeTrue(result.Message);
        result.EventsChecked.ShouldBe(store.EventCount);
        result.Findings.ShouldBeEmpty();
    }

    [Fact]
    public async Task Each_kind_of_damage_is_named_with_its_entry()
    {
        // One store per change, each against the same intact original.
        async Task<AuditVerificationResult> After(Action<Store> change)
        {
            var store = Store.Build(_key);
            change(store);
            return await store.VerifyAsync(_key);
        }

        (await After(s => s.Columns(3, c => c with { Outcome = "refused" }))).ShouldSatisfyAllConditions(r => r.Damage.ShouldBe(AuditDamage.ColumnMismatch), r => r.FirstBadIndex.ShouldBe(3));
        (await After(s => s.Columns(4, c => c with { RecordedAt = c.RecordedAt.AddTicks(1) }))).FirstBadIndex.ShouldBe(4);
        (await After(s => s.Records.RemoveAll(r => r.Index == 5))).Damage.ShouldBe(AuditDamage.RecordIndexMissing);
        (await After(s => s.Records.Add(new AuditRecordRow(5, "26-9999999")))).Damage.ShouldBe(AuditDamage.RecordIndexExtra);
        (await After(s => s.Records.Add(new AuditRecordRow(900, "26-9999999")))).ShouldSatisfyAllConditions(r => r.Damage.ShouldBe(AuditDamage.RecordIndexExtra), r => r.FirstBadIndex.ShouldBe(900));
        (await After(s => s.Events.RemoveAll(e => e.Event.Position == 4))).ShouldSatisfyAllConditions(r => r.Damage.ShouldBe(AuditDamage.EventMissing), r => r.FirstBadIndex.ShouldBe(4));
        (await After(s => s.Replace(4, e => e with { Event = e.Event with { Body = "{}" } }))).ShouldSatisfyAllConditions(r => r.Damage.ShouldBe(AuditDamage.EventAltered), r => r.FindingCount.ShouldBe(1));
        (await After(s => s.Replace(4, e => e with { Event = e.Event with { Body = "{}" }, StoredHash = (e.Event with { Body = "{}" }).Hash() }))).ShouldSatisfyAllConditions(
            r => r.Damage.ShouldBe(AuditDamage.EventAltered), r => r.Findings.ShouldHaveSingleItem().Message.ShouldContain("hash rewritten"));
        (await After(s => s.Replace(4, e => e with { AuditIndex = null, StoredHash = null }))).ShouldSatisfyAllConditions(
            r => r.Findings.Select(f => f.Kind).ShouldBe([AuditDamage.EventMissing, AuditDamage.EventUnbound], ignoreOrder: true));
        (await After(s => s.Replace(4, e => e with { AuditIndex = 999 }))).Findings.Select(f => f.Kind).ShouldBe([AuditDamage.EventMissing, AuditDamage.EventInserted], ignoreOrder: true);
        (await After(s => s.Forge(new EventEnvelope(100, "agreement", "fbi-2026", 9, "agreement-vote-cast", "{}", T0, 1, "PPD"), bindTo: 2)))
            .ShouldSatisfyAllConditions(r => r.Damage.ShouldBe(AuditDamage.EventInserted), r => r.FirstBadIndex.ShouldBe(2));
        (await After(s => s.SwapPositions(2, 3))).Damage.ShouldBe(AuditDamage.EventAltered);
    }

    [Fact]
    public async Task Positions_that_run_backwards_across_entries_are_out_of_order()
    {
        // Two entries each listing their event, but the later entry's event has the earlier position: a writer that
        // did not hold the position lock (or rows re-numbered and re-hashed with the entries rewritten).
        var store = Store.Build(_key, reversedPositions: true);
        var result = await store.VerifyAsync(_key);
        result.Findings.ShouldContain(f => f.Kind == AuditDamage.EventOutOfOrder);
    }

    [Fact]
    public async Task Unreadable_entry_bytes_are_damage_of_their_own()
    {
        var store = Store.Build(_key);
        store.ReplaceEntryBytes(6, "not json"u8.ToArray());
        var result = await store.VerifyAsync(_key);
        result.Damage.ShouldBe(AuditDamage.EntryAltered, "the chain speaks first");
        result.Findings.ShouldContain(f => f.Kind == AuditDamage.EntryUnreadable && f.Index == 6);
    }

    [Fact]
    public void The_binding_check_a_load_makes_passes_only_a_bound_intact_listed_event()
    {
        var evt = new EventEnvelope(1, "agreement", "ice-2026", 1, "agreement-drafted", "{}", T0, 6, "DAO");
        var hash = evt.Hash();
        var entry = new AuditEntry { Type = AuditEventType.AgreementDrafted, Time = T0, Events = [EventEnvelope.Encode(hash)] }.CanonicalBytes(7);
        var other = new AuditEntry { Type = AuditEventType.AgreementDrafted, Time = T0, Events = [EventEnvelope.Encode(new byte[32])], Details = new Dictionary<string, string> { ["note"] = EventEnvelope.Encode(hash) } }.CanonicalBytes(7);
        (ReadOnlyMemory<byte>, byte[]) Stored(byte[] bytes) => (bytes, MerkleHash.LeafHash(bytes));

        EventBinding.Check(new StoredEventRecord(evt, 7, hash), Stored(entry)).ShouldBeNull();
        EventBinding.Check(new StoredEventRecord(evt, null, null), Stored(entry))!.Kind.ShouldBe(AuditDamage.EventUnbound);
        EventBinding.Check(new StoredEventRecord(evt with { Body = "{\"x\":1}" }, 7, hash), Stored(entry))!.Kind.ShouldBe(AuditDamage.EventAltered);
        EventBinding.Check(new StoredEventRecord(evt, 7, hash), null)!.Kind.ShouldBe(AuditDamage.EventInserted);
        EventBinding.Check(new StoredEventRecord(evt, 7, hash), (entry, new byte[32]))!.Kind.ShouldBe(AuditDamage.EntryAltered);

        // The hash written anywhere else in an entry (a reason, a criterion) binds nothing: only its events member counts.
        EventBinding.Check(new StoredEventRecord(evt, 7, hash), Stored(other))!.Kind.ShouldBe(AuditDamage.EventInserted);
    }

    /// <summary>
    /// Ten entries; entry i (i ≥ 1) recorded one event at position i and touched arrest 26-000000i; one slice, one
    /// checkpoint at the end. Changes are made to the rows, never to the entries, unless said.
    /// </summary>
    private sealed class Store
    {
        private readonly List<AuditLogRecord> _entries;
        private readonly List<string> _notes;

        private Store(List<AuditLogRecord> entries, List<AuditRecordRow> records, List<StoredEventRecord> events, List<string> notes)
        {
            _entries = entries;
            Records = records;
            Events = events;
            _notes = notes;
            EventCount = events.Count;
        }

        public List<AuditRecordRow> Records { get; }

        public List<StoredEventRecord> Events { get; }

        public int EventCount { get; }

        public static Store Build(ECDsa key, bool reversedPositions = false)
        {
            var entries = new List<AuditLogRecord>();
            var records = new List<AuditRecordRow>();
            var events = new List<StoredEventRecord>();
            var tree = new MerkleTreeBuilder();
            for (var i = 0; i < 10; i++)
            {
                var number = $"26-{i:D7}";
                var evt = new EventEnvelope(reversedPositions ? 10 - i : i, "arrest", number, 1, "arrest-booked", $"{{\"n\":{i}}}", T0.AddMinutes(i), 1, "PPD");
                var entry = new AuditEntry
                {
                    Type = i == 0 ? AuditEventType.RequestRefused : AuditEventType.ArrestBooked,
                    Time = T0.AddMinutes(i).AddTicks(3),
                    Outcome = i == 0 ? AuditOutcome.Refused : AuditOutcome.Allowed,
                    Code = i == 0 ? "PARS-AUTH-001" : null,
                    Actor = i == 0 ? null : new AuditActor(1, "ppd.booking", "PPD", ["booking-officer"], 3),
                    Records = i == 0 ? [] : [number],
                    Events = i == 0 ? [] : [EventEnvelope.Encode(evt.Hash())],
                };
                var bytes = entry.CanonicalBytes(i);
                AuditEntryFacts.TryRead(bytes, out var facts, out _).ShouldBeTrue();
                entries.Add(new AuditLogRecord(i, bytes, MerkleHash.LeafHash(bytes), facts!.Columns));
                tree.AppendEntry(bytes);
                if (i > 0)
                {
                    records.Add(new AuditRecordRow(i, number));
                    events.Add(new StoredEventRecord(evt, i, evt.Hash()));
                }
            }

            return new Store(entries, records, events, [new CheckpointSigner(key, Origin).Sign(Origin, 10, tree.RootHash()).NoteText]);
        }

        public void Columns(int index, Func<AuditEntryColumns, AuditEntryColumns> change) =>
            _entries[index] = _entries[index] with { StoredColumns = change(_entries[index].StoredColumns!.Value) };

        public void Replace(long position, Func<StoredEventRecord, StoredEventRecord> change)
        {
            var at = Events.FindIndex(e => e.Event.Position == position);
            Events[at] = change(Events[at]);
        }

        public void Forge(EventEnvelope evt, long bindTo) => Events.Add(new StoredEventRecord(evt, bindTo, evt.Hash()));

        public void SwapPositions(long a, long b)
        {
            var (x, y) = (Events.FindIndex(e => e.Event.Position == a), Events.FindIndex(e => e.Event.Position == b));
            Events[x] = Events[x] with { Event = Events[x].Event with { Position = b } };
            Events[y] = Events[y] with { Event = Events[y].Event with { Position = a } };
        }

        public void ReplaceEntryBytes(int index, byte[] bytes) => _entries[index] = _entries[index] with { EntryBytes = bytes };

        public Task<AuditVerificationResult> VerifyAsync(ECDsa key)
        {
            var slice = new AuditStoreSlice(_entries, [.. Records.OrderBy(r => r.Index)], [.. Events.OrderBy(e => e.AuditIndex ?? long.MaxValue).ThenBy(e => e.Event.Position)]);
            return new AuditLogVerifier(key, Origin, Origin).VerifyStoreAsync(new[] { slice }.ToAsyncEnumerable(), _notes);
        }
    }
}
