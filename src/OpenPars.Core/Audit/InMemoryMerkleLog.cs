namespace OpenPars.Core.Audit;

/// <summary>
/// The node storage scheme held in lists, one per level: for tests, for tools, and as the model
/// the database stores follow (append-only rows keyed by level and index).
/// </summary>
public sealed class InMemoryMerkleLog : IMerkleNodeSource, IAsyncMerkleNodeSource
{
    private readonly List<List<byte[]>> _levels = [];

    public long Size => _levels.Count == 0 ? 0 : _levels[0].Count;

    /// <returns>The leaf's index.</returns>
    public long AppendEntry(ReadOnlySpan<byte> entryBytes) => AppendLeafHash(MerkleHash.LeafHash(entryBytes));

    public long AppendLeafHash(ReadOnlySpan<byte> leafHash)
    {
        var index = Size;
        foreach (var node in MerkleAppender.Append(index, leafHash, this))
        {
            if (_levels.Count == node.Address.Level)
            {
                _levels.Add([]);
            }

            var level = _levels[node.Address.Level];
            if (level.Count != node.Address.Index)
            {
                throw new InvalidOperationException($"Node {node.Address} is out of sequence.");
            }

            level.Add(node.Hash);
        }

        return index;
    }

    public byte[] GetNode(int level, long index) =>
        level >= 0 && level < _levels.Count && index >= 0 && index < _levels[level].Count
            ? _levels[level][(int)index]
            : throw new KeyNotFoundException($"Node ({level},{index}) is not stored.");

    public ValueTask<IReadOnlyList<byte[]>> GetNodesAsync(IReadOnlyList<NodeAddress> addresses, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        IReadOnlyList<byte[]> hashes = [.. addresses.Select(a => GetNode(a.Level, a.Index))];
        return ValueTask.FromResult(hashes);
    }

    public byte[] RootHash() => RootHash(Size);

    public byte[] RootHash(long treeSize) => MerkleTree.RootHash(CheckedSize(treeSize), this);

    public byte[][] InclusionProof(long index, long treeSize) => MerkleTree.InclusionProof(index, CheckedSize(treeSize), this);

    public byte[][] ConsistencyProof(long oldSize, long newSize) => MerkleTree.ConsistencyProof(oldSize, CheckedSize(newSize), this);

    private long CheckedSize(long treeSize) =>
        treeSize >= 0 && treeSize <= Size ? treeSize : throw new ArgumentOutOfRangeException(nameof(treeSize), $"The log holds {Size} leaves.");
}
