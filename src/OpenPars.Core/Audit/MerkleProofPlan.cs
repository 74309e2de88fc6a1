namespace OpenPars.Core.Audit;

/// <summary>
/// What a proof (or a root) needs from storage, computed before anything is read.
/// Each proof element is MTH of a leaf range of the RFC 9162 tree; a range is either one stored
/// perfect subtree or, on the right edge of the tree, a few of them folded right to left.
/// Storage fetches <see cref="Nodes"/> (in one query if it likes) and calls <see cref="Assemble(IReadOnlyList{byte[]})"/>.
/// </summary>
public sealed class MerkleProofPlan
{
    private readonly int[] _elementStarts;

    private MerkleProofPlan(NodeAddress[] nodes, int[] elementStarts)
    {
        Nodes = nodes;
        _elementStarts = elementStarts;
    }

    /// <summary>Every node to read, in the order <see cref="Assemble(IReadOnlyList{byte[]})"/> expects their hashes. No duplicates.</summary>
    public IReadOnlyList<NodeAddress> Nodes { get; }

    public int ElementCount => _elementStarts.Length - 1;

    public byte[][] Assemble(IReadOnlyList<byte[]> nodeHashes)
    {
        ArgumentNullException.ThrowIfNull(nodeHashes);
        if (nodeHashes.Count != Nodes.Count)
        {
            throw new ArgumentException($"Expected {Nodes.Count} node hashes, got {nodeHashes.Count}.", nameof(nodeHashes));
        }

        var elements = new byte[ElementCount][];
        for (var e = 0; e < elements.Length; e++)
        {
            var first = _elementStarts[e];
            var last = _elementStarts[e + 1] - 1;
            var hash = CheckedHash(nodeHashes[last], Nodes[last]).ToArray();
            for (var i = last - 1; i >= first; i--)
            {
                MerkleHash.NodeHash(CheckedHash(nodeHashes[i], Nodes[i]), hash, hash);
            }

            elements[e] = hash;
        }

        return elements;
    }

    public byte[][] Assemble(IMerkleNodeSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var hashes = new byte[Nodes.Count][];
        for (var i = 0; i < hashes.Length; i++)
        {
            hashes[i] = source.GetNode(Nodes[i].Level, Nodes[i].Index);
        }

        return Assemble(hashes);
    }

    public async ValueTask<byte[][]> AssembleAsync(IAsyncMerkleNodeSource source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var hashes = Nodes.Count == 0 ? [] : await source.GetNodesAsync(Nodes, cancellationToken);
        return Assemble(hashes);
    }

    private static byte[] CheckedHash(byte[] hash, NodeAddress address) =>
        hash is { Length: MerkleHash.Size }
            ? hash
            : throw new InvalidOperationException($"Stored node {address} is not a {MerkleHash.Size}-byte hash.");

    /// <summary>Builds a plan from leaf ranges [Start, End) that are nodes of the RFC 9162 tree.</summary>
    internal static MerkleProofPlan FromRanges(IReadOnlyList<(long Start, long End)> ranges)
    {
        var nodes = new List<NodeAddress>();
        var starts = new int[ranges.Count + 1];
        for (var r = 0; r < ranges.Count; r++)
        {
            starts[r] = nodes.Count;
            AddPerfectSubtrees(ranges[r].Start, ranges[r].End, nodes);
        }

        starts[ranges.Count] = nodes.Count;
        return new MerkleProofPlan([.. nodes], starts);
    }

    // A node range of the RFC tree starts at a multiple of a power of two at least as long as
    // the range, so its perfect subtrees are the set bits of its length, largest first, and its
    // MTH is their right fold (RFC 9162 §2.1.1 splits at the largest power of two below n).
    private static void AddPerfectSubtrees(long start, long end, List<NodeAddress> nodes)
    {
        var length = end - start;
        if (length <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(end), "Empty leaf range.");
        }

        for (var level = 63 - System.Numerics.BitOperations.LeadingZeroCount((ulong)length); level >= 0; level--)
        {
            var size = 1L << level;
            if ((length & size) == 0)
            {
                continue;
            }

            if (start % size != 0)
            {
                throw new InvalidOperationException($"Leaf range [{start}, {end}) is not a node of the tree.");
            }

            nodes.Add(new NodeAddress(level, start >> level));
            start += size;
        }
    }
}
