using System.Security.Cryptography;
using System.Text.Json.Nodes;
using CsCheck;
using OpenPars.Core.Audit;
using Shouldly;
using Xunit;

namespace OpenPars.Core.Tests.Audit;

public sealed class AuditLogVerifierTests : IDisposable
{
    private const string Origin = "openpars.example/audit";
    private const int Size = 100;
    private static readonly long[] CheckpointSizes = [10, 50, Size];

    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly List<AuditLogRecord> _records;
    private readonly List<string> _checkpoints;

    public AuditLogVerifierTests()
    {
        _records = [.. Enumerable.Range(0, Size).Select(i => Record(i, Entry(i)))];
        _checkpoints = [.. CheckpointSizes.Select(Sign)];
    }

    public void Dispose() => _key.Dispose();

    private static byte[] Entry(long i, string decision = "granted") =>
        Rfc8785Canonicalizer.Canonicalize(new JsonObject
        {
            ["seq"] = i,
            ["agency"] = "partner-" + (i % 7),
            ["purpose"] = "warrant check",
            ["decision"] = decision,
        });

    private static AuditLogRecord Record(long index, byte[] entry, bool withLeafHash = true) =>
        new(index, entry, withLeafHash ? MerkleHash.LeafHash(entry) : null);

    private string Sign(long size) => Sign(size, _records, _key);

    private static string Sign(long size, IReadOnlyList<AuditLogRecord> records, ECDsa key)
    {
        var tree = new MerkleTreeBuilder();
        foreach (var r in records.Take((int)size))
        {
            tree.AppendEntry(r.EntryBytes.Span);
        }

        return new CheckpointSigner(key, Origin).Sign(Origin, size, tree.RootHash()).NoteText;
    }

    private AuditVerificationResult Verify(IEnumerable<AuditLogRecord> records, IEnumerable<string>? checkpoints = null, Action<long>? progress = null) =>
        new AuditLogVerifier(_key, Origin, Origin) { ProgressInterval = 16 }.Verify(records, checkpoints ?? _checkpoints, progress);

    private static byte[] FlipOneByte(ReadOnlyMemory<byte> entry)
    {
        var bytes = entry.ToArray();
        bytes[bytes.Length / 2] ^= 0x01;
        return bytes;
    }

    [Fact]
    public void Intact_log_verifies_against_every_checkpoint_and_reports_progress()
    {
        var reported = new List<long>();
        var result = Verify(_records, progress: reported.Add);

        result.IsIntact.ShouldBeTrue(result.Message);
        result.Damage.ShouldBe(AuditDamage.None);
        result.FirstBadIndex.ShouldBeNull();
        result.TreeSize.ShouldBe(Size);
        result.EntriesProcessed.ShouldBe(Size);
        result.VerifiedThrough.ShouldBe(Size);
        result.CheckpointsMatched.ShouldBe(3);
        result.RootHash.ShouldBe(MerkleReference.Mth([.. _records.Select(r => r.StoredLeafHash!)]));
        reported.ShouldBe([16, 32, 48, 64, 80, 96, 100]);
    }

    [Fact]
    public void Entries_after_the_last_checkpoint_are_reported_as_not_yet_vouched_for()
    {
        var result = Verify(_records, [Sign(10), Sign(50)]);
        result.IsIntact.ShouldBeTrue();
        result.VerifiedThrough.ShouldBe(50);
        result.Message.ShouldContain("50 newer entries are not yet covered");
    }

    [Fact]
    public void One_byte_changed_in_one_entry_is_caught_by_its_stored_leaf_hash()
    {
        var damaged = _records.ToList();
        damaged[37] = damaged[37] with { EntryBytes = FlipOneByte(damaged[37].EntryBytes) };

        var result = Verify(damaged);
        result.Damage.ShouldBe(AuditDamage.EntryAltered);
        result.FirstBadIndex.ShouldBe(37);
        result.Message.ShouldContain("37");
    }

    [Fact]
    public void One_byte_changed_without_stored_leaf_hashes_is_caught_by_the_next_checkpoint()
    {
        var damaged = _records.Select(r => r with { StoredLeafHash = null }).ToList();
        damaged[37] = damaged[37] with { EntryBytes = FlipOneByte(damaged[37].EntryBytes) };

        var result = Verify(damaged);
        result.Damage.ShouldBe(AuditDamage.CheckpointRootMismatch);
        result.FirstBadIndex.ShouldBe(10); // damage lies in [10, 50): checkpoint 10 still matched
        result.CheckpointPosition.ShouldBe(1);
        result.VerifiedThrough.ShouldBe(10);
    }

    [Fact]
    public void One_entry_deleted()
    {
        var damaged = _records.Where(r => r.Index != 42).ToList();
        var result = Verify(damaged);
        result.Damage.ShouldBe(AuditDamage.EntryMissing);
        result.FirstBadIndex.ShouldBe(42);
    }

    [Fact]
    public void Two_entries_swapped()
    {
        var damaged = _records.ToList();
        (damaged[60], damaged[61]) = (damaged[61], damaged[60]);
        var result = Verify(damaged);
        result.Damage.ShouldBe(AuditDamage.EntryOutOfOrder);
        result.FirstBadIndex.ShouldBe(60);
    }

    [Fact]
    public void Two_entries_swapped_under_their_indexes_and_re_hashed_are_caught_by_the_checkpoint()
    {
        var damaged = _records.ToList();
        (damaged[60], damaged[61]) = (damaged[61] with { Index = 60 }, damaged[60] with { Index = 61 });
        var result = Verify(damaged);
        result.Damage.ShouldBe(AuditDamage.CheckpointRootMismatch);
        result.FirstBadIndex.ShouldBe(50);
        result.CheckpointPosition.ShouldBe(2);
    }

    [Fact]
    public void Tail_truncated_after_a_checkpoint()
    {
        var result = Verify(_records.Take(95));
        result.Damage.ShouldBe(AuditDamage.LogTruncated);
        result.FirstBadIndex.ShouldBe(95);
        result.CheckpointPosition.ShouldBe(2);
        result.VerifiedThrough.ShouldBe(50);
    }

    [Fact]
    public void An_entry_inserted_under_an_existing_index()
    {
        var damaged = _records.ToList();
        damaged.Insert(21, Record(20, Entry(20, "refused")));
        var result = Verify(damaged);
        result.Damage.ShouldBe(AuditDamage.EntryInserted);
        result.FirstBadIndex.ShouldBe(20);
    }

    [Fact]
    public void An_entry_inserted_with_later_entries_renumbered_and_re_hashed_is_caught_by_the_checkpoint()
    {
        var damaged = _records.Take(20).ToList();
        damaged.Add(Record(20, Entry(999, "refused")));
        damaged.AddRange(_records.Skip(20).Select(r => r with { Index = r.Index + 1 }));

        var result = Verify(damaged);
        result.Damage.ShouldBe(AuditDamage.CheckpointRootMismatch);
        result.FirstBadIndex.ShouldBe(10);
        result.CheckpointPosition.ShouldBe(1);
    }

    [Fact]
    public void Whole_log_rewritten_and_re_hashed_consistently_is_caught_by_the_signed_checkpoint()
    {
        var rewritten = Enumerable.Range(0, Size).Select(i => Record(i, Entry(i, "granted-retroactively"))).ToList();

        // Self-consistent: it verifies against checkpoints made from itself by someone holding a key...
        using var forgerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        new AuditLogVerifier(forgerKey).Verify(rewritten, [Sign(Size, rewritten, forgerKey)]).IsIntact.ShouldBeTrue();

        // ...but not against the checkpoints the real key signed.
        var result = Verify(rewritten);
        result.Damage.ShouldBe(AuditDamage.CheckpointRootMismatch);
        result.FirstBadIndex.ShouldBe(0);
        result.CheckpointPosition.ShouldBe(0);
        result.VerifiedThrough.ShouldBe(0);
    }

    [Fact]
    public void A_checkpoint_edited()
    {
        var edited = _checkpoints.ToList();
        edited[1] = edited[1].Replace("\n50\n", "\n49\n", StringComparison.Ordinal);
        edited[1].ShouldNotBe(_checkpoints[1]);

        var result = Verify(_records, edited);
        result.Damage.ShouldBe(AuditDamage.CheckpointSignatureInvalid);
        result.FirstBadIndex.ShouldBeNull();
        result.CheckpointPosition.ShouldBe(1);
        result.Message.ShouldContain("#1");
    }

    [Fact]
    public void A_checkpoint_signed_by_another_key()
    {
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var result = Verify(_records, [.. _checkpoints, Sign(Size, _records, other)]);
        result.Damage.ShouldBe(AuditDamage.CheckpointSignatureInvalid);
        result.CheckpointPosition.ShouldBe(3);
    }

    [Fact]
    public void Two_signed_checkpoints_disagreeing_about_one_size()
    {
        var fork = _records.ToList();
        fork[5] = Record(5, Entry(5, "refused"));
        var result = Verify(_records, [.. _checkpoints, Sign(50, fork, _key)]);
        result.Damage.ShouldBe(AuditDamage.CheckpointsInconsistent);
        result.FirstBadIndex.ShouldBeNull();
        result.CheckpointPosition.ShouldBe(3);
    }

    [Fact]
    public void An_empty_log_with_an_empty_checkpoint_is_intact_and_one_with_a_later_checkpoint_is_truncated()
    {
        Verify([], [Sign(0)]).IsIntact.ShouldBeTrue();
        var result = Verify([], [Sign(0), Sign(10)]);
        result.Damage.ShouldBe(AuditDamage.LogTruncated);
        result.FirstBadIndex.ShouldBe(0);
    }

    [Fact]
    public async Task Async_stream_gives_the_same_answers()
    {
        var damaged = _records.Where(r => r.Index != 42).ToList();
        (await new AuditLogVerifier(_key).VerifyAsync(damaged.ToAsyncEnumerable(), _checkpoints, cancellationToken: TestContext.Current.CancellationToken))
            .ShouldBe(Verify(damaged), new ResultComparer());
        (await new AuditLogVerifier(_key).VerifyAsync(_records.ToAsyncEnumerable(), _checkpoints, cancellationToken: TestContext.Current.CancellationToken))
            .IsIntact.ShouldBeTrue();
    }

    [Fact]
    public void Any_single_altered_deleted_or_duplicated_entry_is_located_exactly() =>
        Gen.Select(Gen.Int[0, Size - 1], Gen.Int[0, 2]).Sample((index, kind) =>
        {
            var damaged = _records.ToList();
            var expected = kind switch
            {
                0 => AuditDamage.EntryAltered,
                1 => AuditDamage.EntryMissing,
                _ => AuditDamage.EntryInserted,
            };
            switch (kind)
            {
                case 0:
                    damaged[index] = damaged[index] with { EntryBytes = FlipOneByte(damaged[index].EntryBytes) };
                    break;
                case 1:
                    damaged.RemoveAt(index);
                    break;
                default:
                    damaged.Insert(index + 1, damaged[index]);
                    break;
            }

            var result = Verify(damaged);

            // Deleting the last entry is truncation: nothing after it reveals a gap, the checkpoint does.
            if (kind == 1 && index == Size - 1)
            {
                return result.Damage == AuditDamage.LogTruncated && result.FirstBadIndex == index;
            }

            return result.Damage == expected && result.FirstBadIndex == index;
        }, iter: 300);

    [Fact]
    public void Streams_a_large_log_in_constant_memory()
    {
        const int n = 200_000;
        var entry = Entry(1);
        var leaf = MerkleHash.LeafHash(entry);
        var tree = new MerkleTreeBuilder();
        for (var i = 0; i < n; i++)
        {
            tree.AppendLeafHash(leaf);
        }

        var checkpoint = new CheckpointSigner(_key, Origin).Sign(Origin, n, tree.RootHash()).NoteText;
        var calls = 0;
        var result = new AuditLogVerifier(_key) { ProgressInterval = 50_000 }
            .Verify(Enumerable.Range(0, n).Select(i => new AuditLogRecord(i, entry, leaf)), [checkpoint], _ => calls++);
        result.IsIntact.ShouldBeTrue(result.Message);
        result.VerifiedThrough.ShouldBe(n);
        calls.ShouldBe(5);
    }

    private sealed class ResultComparer : IEqualityComparer<AuditVerificationResult>
    {
        public bool Equals(AuditVerificationResult? x, AuditVerificationResult? y) =>
            x is not null && y is not null && x.Damage == y.Damage && x.FirstBadIndex == y.FirstBadIndex && x.Message == y.Message
            && x.TreeSize == y.TreeSize && x.EntriesProcessed == y.EntriesProcessed;

        public int GetHashCode(AuditVerificationResult obj) => obj.Damage.GetHashCode();
    }
}
