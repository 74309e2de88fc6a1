using System.Security.Cryptography;
using System.Threading.Channels;

namespace OpenPars.Core.Audit;

/// <summary>
/// The one-pass check behind <c>openpars audit verify</c>: re-hashes every entry, rebuilds the tree
/// with a <see cref="MerkleTreeBuilder"/> (O(log n) memory), and compares it with every signed checkpoint.
/// Reports the first damage found; checkpoints are checked before any entry, since nothing else can
/// be vouched for without them.
/// </summary>
public sealed class AuditLogVerifier
{
    private readonly IReadOnlyList<ECDsa> _publicKeys;
    private readonly string? _keyName;
    private readonly string? _origin;

    /// <param name="publicKey">The log's checkpoint key.</param>
    /// <param name="keyName">When given, only signature lines with this key name count.</param>
    /// <param name="origin">When given, every checkpoint must be for this log.</param>
    public AuditLogVerifier(ECDsa publicKey, string? keyName = null, string? origin = null)
    {
        CheckpointKeys.EnsureP256(publicKey);
        _publicKeys = [publicKey];
        _keyName = keyName;
        _origin = origin;
    }

    /// <summary>A log whose key was rotated: a checkpoint verifies when a signature by any of the keys does.</summary>
    /// <param name="publicKeys">The current key and every retired one (at least one).</param>
    /// <param name="keyName">When given, only signature lines with this key name count.</param>
    /// <param name="origin">When given, every checkpoint must be for this log.</param>
    public AuditLogVerifier(IReadOnlyList<ECDsa> publicKeys, string? keyName = null, string? origin = null)
    {
        ArgumentNullException.ThrowIfNull(publicKeys);
        ArgumentOutOfRangeException.ThrowIfZero(publicKeys.Count);
        foreach (var key in publicKeys)
        {
            CheckpointKeys.EnsureP256(key);
        }

        _publicKeys = [.. publicKeys];
        _keyName = keyName;
        _origin = origin;
    }

    /// <summary>Findings beyond the chain kept in a result (all are counted).</summary>
    public const int MaxFindings = 1000;

    /// <summary>How many entries between progress callbacks.</summary>
    public int ProgressInterval { get; init; } = 10_000;

    /// <summary>
    /// Verifies a window of the log that starts at <see cref="ResumeFrom"/>.Size instead of at entry 0: the frontier
    /// hashes of that size (Audit/README.md § 3) stand in for the entries before it. A forged frontier cannot pass,
    /// because every checkpoint after the start is checked against the root it leads to.
    /// </summary>
    public (long TreeSize, IReadOnlyList<byte[]> Frontier)? ResumeFrom { get; init; }

    /// <param name="records">Entries in the order storage returns them (by index).</param>
    /// <param name="checkpointNotes">Every checkpoint note the log has published, in any order.</param>
    /// <param name="progress">Called with the number of entries processed, every <see cref="ProgressInterval"/> entries and at the end.</param>
    public AuditVerificationResult Verify(IEnumerable<AuditLogRecord> records, IEnumerable<string> checkpointNotes, Action<long>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        var scan = Start(checkpointNotes, progress, out var checkpointDamage);
        if (scan is null)
        {
            return checkpointDamage!;
        }

        var batch = new LeafBatch();
        foreach (var record in records)
        {
            if (batch.Add(record) && !batch.Drain(scan))
            {
                return scan.Finish();
            }
        }

        batch.Drain(scan);
        return scan.Finish();
    }

    /// <inheritdoc cref="Verify"/>
    public async Task<AuditVerificationResult> VerifyAsync(
        IAsyncEnumerable<AuditLogRecord> records, IEnumerable<string> checkpointNotes, Action<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        var scan = Start(checkpointNotes, progress, out var checkpointDamage);
        if (scan is null)
        {
            return checkpointDamage!;
        }

        var batch = new LeafBatch();
        await foreach (var record in records.WithCancellation(cancellationToken))
        {
            if (batch.Add(record) && !batch.Drain(scan))
            {
                return scan.Finish();
            }
        }

        batch.Drain(scan);
        return scan.Finish();
    }

    /// <summary>
    /// Verifies a stored log: the chain as <see cref="VerifyAsync"/> does, and beside it every query column and
    /// records-index row against the entry bytes, and every event row against the entry that recorded it
    /// (Audit/README.md § 6). Slices come in index order; reading stops at the chain's first damage, while the other
    /// findings are all collected (the first <see cref="MaxFindings"/> kept).
    /// </summary>
    public async Task<AuditVerificationResult> VerifyStoreAsync(
        IAsyncEnumerable<AuditStoreSlice> slices, IEnumerable<string> checkpointNotes, Action<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(slices);
        var scan = Start(checkpointNotes, progress, out var checkpointDamage);
        if (scan is null)
        {
            return checkpointDamage!;
        }

        // Reading a slice (database I/O) and checking the previous one (hashing, parsing) overlap: the slices are read
        // on a task of their own, at most two ahead.
        var checks = new AuditStoreChecks();
        var ahead = Channel.CreateBounded<AuditStoreSlice>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reading = Task.Run(
            async () =>
            {
                try
                {
                    await foreach (var slice in slices.WithCancellation(stop.Token))
                    {
                        await ahead.Writer.WriteAsync(slice, stop.Token);
                    }

                    ahead.Writer.Complete();
                }
                catch (Exception e)
                {
                    ahead.Writer.Complete(e);
                }
            },
            CancellationToken.None);
        try
        {
            await foreach (var slice in ahead.Reader.ReadAllAsync(cancellationToken))
            {
                if (!checks.Check(slice, scan))
                {
                    break;
                }
            }
        }
        finally
        {
            await stop.CancelAsync();
            await reading;
        }

        return checks.Complete(scan.Finish());
    }

    /// <returns>Null when the checkpoints themselves are damaged (then <paramref name="early"/> says how).</returns>
    private AuditLogScan? Start(IEnumerable<string> checkpointNotes, Action<long>? progress, out AuditVerificationResult? early)
    {
        ArgumentNullException.ThrowIfNull(checkpointNotes);
        early = null;
        // One signature verification per checkpoint (one per 1,000 entries, ~0.1 ms each): on every core, each part with
        // its own copy of the keys (a key object is not promised to be safe across threads), reported in note order, so
        // the first invalid note is the one named whatever part found it.
        var notes = checkpointNotes.ToArray();
        var verified = new (Checkpoint? Checkpoint, string? Error)[notes.Length];
        var parts = Math.Clamp(notes.Length / 16, 1, Environment.ProcessorCount);
        Parallel.For(0, parts, part =>
        {
            IReadOnlyList<ECDsa> keys = part == 0 ? _publicKeys : [.. _publicKeys.Select(k => ECDsa.Create(k.ExportParameters(includePrivateParameters: false)))];
            try
            {
                for (var i = notes.Length * part / parts; i < notes.Length * (part + 1) / parts; i++)
                {
                    verified[i] = CheckpointVerifier.TryParseAndVerifyAny(notes[i], keys, _keyName, _origin, out var checkpoint, out var error) ? (checkpoint, null) : (null, error);
                }
            }
            finally
            {
                if (part != 0)
                {
                    foreach (var key in keys)
                    {
                        key.Dispose();
                    }
                }
            }
        });
        var checkpoints = new List<Checkpoint>(notes.Length);
        for (var position = 0; position < notes.Length; position++)
        {
            if (verified[position].Checkpoint is not { } checkpoint)
            {
                early = AuditLogScan.CheckpointDamage(AuditDamage.CheckpointSignatureInvalid, position, $"Checkpoint #{position} is not valid: {verified[position].Error}");
                return null;
            }

            checkpoints.Add(checkpoint);
        }

        // Sort by size, keeping each checkpoint's position for the report; equal sizes must sign equal roots.
        var ordered = checkpoints.Select((c, i) => (Checkpoint: c, Position: i)).OrderBy(c => c.Checkpoint.TreeSize).ToList();
        var distinct = new List<(Checkpoint Checkpoint, int Position)>();
        foreach (var c in ordered)
        {
            if (distinct.Count > 0 && distinct[^1].Checkpoint.TreeSize == c.Checkpoint.TreeSize)
            {
                if (!distinct[^1].Checkpoint.RootHash.AsSpan().SequenceEqual(c.Checkpoint.RootHash))
                {
                    early = AuditLogScan.CheckpointDamage(AuditDamage.CheckpointsInconsistent, c.Position,
                        $"Checkpoints #{distinct[^1].Position} and #{c.Position} both sign tree size {c.Checkpoint.TreeSize} with different roots: the signer forked the log.");
                    return null;
                }

                continue;
            }

            distinct.Add(c);
        }

        var start = ResumeFrom is { } resume ? MerkleTreeBuilder.FromFrontier(resume.TreeSize, resume.Frontier) : null;
        return new AuditLogScan(distinct, progress, Math.Max(1, ProgressInterval), start);
    }
}

/// <summary>
/// Hashing is verification's work and each leaf, and each aligned subtree of consecutive leaves, is independent, so
/// a batch of records has its leaves and their subtrees (<see cref="SubtreeRoots"/>) hashed on every core; the scan
/// then takes them in order, as before, comparing rather than hashing. Entry bytes are only read, never kept.
/// </summary>
internal sealed class LeafBatch
{
    // Large enough that waiting for every core once per batch is cheap, even when other processes hold the cores.
    private const int Size = 32_768;
    private readonly AuditLogRecord[] _records = new AuditLogRecord[Size];
    private readonly byte[] _leaves = new byte[Size * MerkleHash.Size];
    private readonly SubtreeRoots _subtrees = new();
    private int _count;

    /// <returns>True when the batch is full and must be drained.</returns>
    public bool Add(in AuditLogRecord record)
    {
        _records[_count++] = record;
        return _count == Size;
    }

    /// <returns>False once the scan knows the outcome.</returns>
    public bool Drain(AuditLogScan scan)
    {
        var count = _count;
        _count = 0;
        if (count == 0)
        {
            return true;
        }

        var records = _records;
        _subtrees.Compute(i => records[i].Index, count, _leaves, (i, leaf) => MerkleHash.LeafHash(records[i].EntryBytes.Span, leaf));
        for (var i = 0; i < count; i++)
        {
            if (!scan.Accept(_records[i], _leaves.AsSpan(i * MerkleHash.Size, MerkleHash.Size), _subtrees))
            {
                Array.Clear(_records, 0, count);
                return false;
            }
        }

        Array.Clear(_records, 0, count);
        return true;
    }
}
