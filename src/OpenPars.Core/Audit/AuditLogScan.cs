namespace OpenPars.Core.Audit;

/// <summary>The state of one verification pass, fed record by record so that sync and async sources share it.</summary>
internal sealed class AuditLogScan
{
    private readonly List<(Checkpoint Checkpoint, int Position)> _checkpoints;
    private readonly Action<long>? _progress;
    private readonly int _progressInterval;
    private readonly MerkleTreeBuilder _tree;
    private readonly byte[] _leaf = new byte[MerkleHash.Size];
    private readonly byte[] _root = new byte[MerkleHash.Size];
    private int _nextCheckpoint;
    private long _processed;
    private long _verifiedThrough;
    private int _matched;
    private AuditVerificationResult? _damage;

    // Set when an index is skipped: whether the skipped index turns up later decides moved versus deleted.
    private long? _awaitedIndex;

    public AuditLogScan(List<(Checkpoint Checkpoint, int Position)> checkpoints, Action<long>? progress, int progressInterval, MerkleTreeBuilder? start = null)
    {
        _tree = start ?? new MerkleTreeBuilder();
        _verifiedThrough = _tree.Size;

        // A scan resumed from a frontier can check only the checkpoints at or after where it starts.
        _checkpoints = checkpoints.Where(c => c.Checkpoint.TreeSize >= _tree.Size).ToList();
        _progress = progress;
        _progressInterval = progressInterval;
        CheckCheckpointsAtCurrentSize();
    }

    public static AuditVerificationResult CheckpointDamage(AuditDamage damage, int position, string message) =>
        new(damage, null, message, 0, 0, MerkleHash.EmptyRoot.ToArray(), 0, 0, position);

    /// <returns>False once the outcome is known.</returns>
    /// <param name="leafHash">The record's leaf hash, computed by the caller (see <see cref="LeafBatch"/>).</param>
/// <param name="record">The next record in index order.</param>
    /// <param name="subtrees">Interior nodes over the leaves computed beforehand (<see cref="SubtreeRoots"/>), or null.</param>
    public bool Accept(in AuditLogRecord record, ReadOnlySpan<byte> leafHash, SubtreeRoots? subtrees = null)
    {
        if (_damage is not null)
        {
            return false;
        }

        _processed++;
        if (_processed % _progressInterval == 0)
        {
            _progress?.Invoke(_processed);
        }

        if (_awaitedIndex is { } awaited)
        {
            if (record.Index == awaited)
            {
                Fail(AuditDamage.EntryOutOfOrder, awaited, $"Entry {awaited} appears after later entries: entries were reordered.");
            }

            return _damage is null;
        }

        var expected = _tree.Size;
        if (record.Index != expected)
        {
            if (record.Index < expected)
            {
                Fail(AuditDamage.EntryInserted, record.Index, $"Entry {record.Index} appears a second time (after entry {expected - 1}): an entry was inserted.");
                return false;
            }

            // Keep reading indexes only: if the skipped index shows up later it was moved, else deleted.
            _awaitedIndex = expected;
            return true;
        }

        if (EmbeddedIndex(record.EntryBytes.Span) is { } named && named != record.Index)
        {
            Fail(AuditDamage.EntryOutOfOrder, record.Index,
                $"The entry stored at index {record.Index} is entry {named}: entries were swapped, or inserted or removed and the rest re-indexed.");
            return false;
        }

        leafHash.CopyTo(_leaf);
        if (record.StoredLeafHash is { } stored && !stored.AsSpan().SequenceEqual(_leaf))
        {
            Fail(AuditDamage.EntryAltered, record.Index, $"Entry {record.Index} does not hash to its stored leaf hash: its bytes were changed.");
            return false;
        }

        _tree.AppendLeafHash(_leaf, subtrees);
        CheckCheckpointsAtCurrentSize();
        return _damage is null;
    }

    private static ReadOnlySpan<byte> IndexMember => "\"index\":\""u8;

    /// <summary>
    /// OpenPARS entries carry their own index as <c>"index":"N"</c> (a string: RFC 8785 numbers are doubles), hashed
    /// into the leaf. Read with a byte search, not a JSON parse, to keep verification near the speed of hashing; an
    /// entry without the member (another log's format) is not checked this way.
    /// </summary>
    private static long? EmbeddedIndex(ReadOnlySpan<byte> entry)
    {
        var at = entry.IndexOf(IndexMember);
        if (at < 0)
        {
            return null;
        }

        var digits = entry[(at + IndexMember.Length)..];
        long value = 0;
        var length = 0;
        while (length < digits.Length && length < 19 && digits[length] is >= (byte)'0' and <= (byte)'9')
        {
            value = (value * 10) + (digits[length] - '0');
            length++;
        }

        return length > 0 && length < digits.Length && digits[length] == (byte)'"' ? value : null;
    }

    public AuditVerificationResult Finish()
    {
        if (_damage is null && _awaitedIndex is { } missing)
        {
            Fail(AuditDamage.EntryMissing, missing, $"Entry {missing} is missing: the log jumps from entry {missing - 1} to a later one.");
        }

        if (_damage is null && _nextCheckpoint < _checkpoints.Count)
        {
            var (checkpoint, position) = _checkpoints[^1];
            _damage = Result(AuditDamage.LogTruncated, _tree.Size,
                $"Checkpoint #{position} signs {checkpoint.TreeSize} entries but the log holds {_tree.Size}: entries from {_tree.Size} on were removed.",
                position);
        }

        _progress?.Invoke(_processed);
        if (_damage is not null)
        {
            return _damage;
        }

        var unvouched = _tree.Size - _verifiedThrough;
        var message = _checkpoints.Count == 0
            ? $"{_tree.Size} entries re-hashed and in sequence, but no checkpoint was given: nothing is vouched for by a signature."
            : $"{_tree.Size} entries intact; {_matched} checkpoint(s) match, the last at size {_verifiedThrough}."
              + (unvouched > 0 ? $" The {unvouched} newer entries are not yet covered by a signed checkpoint." : string.Empty);
        return Result(AuditDamage.None, null, message, null);
    }

    private void CheckCheckpointsAtCurrentSize()
    {
        while (_damage is null && _nextCheckpoint < _checkpoints.Count && _checkpoints[_nextCheckpoint].Checkpoint.TreeSize == _tree.Size)
        {
            var (checkpoint, position) = _checkpoints[_nextCheckpoint++];
            _tree.WriteRootHash(_root);
            if (!_root.AsSpan().SequenceEqual(checkpoint.RootHash))
            {
                _damage = Result(AuditDamage.CheckpointRootMismatch, _verifiedThrough,
                    $"Entries [{_verifiedThrough}, {checkpoint.TreeSize}) do not hash to the root signed by checkpoint #{position}: "
                    + "entries in that range were changed, inserted or removed and the log re-hashed.",
                    position);
                return;
            }

            _verifiedThrough = checkpoint.TreeSize;
            _matched++;
        }
    }

    private void Fail(AuditDamage damage, long index, string message) => _damage = Result(damage, index, message, null);

    private AuditVerificationResult Result(AuditDamage damage, long? firstBadIndex, string message, int? position) =>
        new(damage, firstBadIndex, message, _processed, _tree.Size, _tree.RootHash(), _verifiedThrough, _matched, position);
}
