namespace OpenPars.Core.Audit;

/// <summary>
/// What storage writes when leaf n is appended: the leaf (level 0) and every perfect subtree that
/// the leaf completes. Leaf n completes one subtree per trailing one bit of n, each built from a
/// left sibling already stored (part of the frontier of size n), so an append reads and writes
/// at most log2(n)+1 nodes.
/// </summary>
public static class MerkleAppender
{
    /// <summary>The stored left siblings that appending leaf <paramref name="leafIndex"/> combines with, lowest level first.</summary>
    public static NodeAddress[] SiblingsNeeded(long leafIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(leafIndex);
        var count = System.Numerics.BitOperations.TrailingZeroCount(~(ulong)leafIndex);
        var siblings = new NodeAddress[count];
        for (var level = 0; level < count; level++)
        {
            siblings[level] = new NodeAddress(level, (leafIndex >> level) - 1);
        }

        return siblings;
    }

    /// <summary>
    /// The perfect subtrees (one per set bit of <paramref name="treeSize"/>, largest first) whose
    /// hashes are all a streaming <see cref="MerkleTreeBuilder"/> needs to continue from that size.
    /// </summary>
    public static NodeAddress[] FrontierAddresses(long treeSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(treeSize);
        var frontier = new List<NodeAddress>();
        for (var level = NodeAddress.MaxLevel; level >= 0; level--)
        {
            if ((treeSize & (1L << level)) != 0)
            {
                frontier.Add(new NodeAddress(level, (treeSize >> level) - 1));
            }
        }

        return [.. frontier];
    }

    /// <param name="leafIndex">The new leaf's index (the tree's size before it).</param>
    /// <param name="leafHash">The new leaf's hash.</param>
    /// <param name="siblingHashes">Hashes of <see cref="SiblingsNeeded"/>, in that order.</param>
    /// <returns>The new nodes to store, level 0 first.</returns>
    public static MerkleNode[] Append(long leafIndex, ReadOnlySpan<byte> leafHash, IReadOnlyList<byte[]> siblingHashes)
    {
        ArgumentNullException.ThrowIfNull(siblingHashes);
        var siblings = SiblingsNeeded(leafIndex);
        if (leafHash.Length != MerkleHash.Size)
        {
            throw new ArgumentException($"A leaf hash is {MerkleHash.Size} bytes.", nameof(leafHash));
        }

        if (siblingHashes.Count != siblings.Length)
        {
            throw new ArgumentException($"Leaf {leafIndex} needs {siblings.Length} sibling hashes, got {siblingHashes.Count}.", nameof(siblingHashes));
        }

        var nodes = new MerkleNode[siblings.Length + 1];
        var current = leafHash.ToArray();
        nodes[0] = new MerkleNode(new NodeAddress(0, leafIndex), current);
        for (var level = 0; level < siblings.Length; level++)
        {
            current = MerkleHash.NodeHash(siblingHashes[level], current);
            nodes[level + 1] = new MerkleNode(new NodeAddress(level + 1, leafIndex >> (level + 1)), current);
        }

        return nodes;
    }

    public static MerkleNode[] Append(long leafIndex, ReadOnlySpan<byte> leafHash, IMerkleNodeSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var siblings = SiblingsNeeded(leafIndex);
        var hashes = new byte[siblings.Length][];
        for (var i = 0; i < siblings.Length; i++)
        {
            hashes[i] = source.GetNode(siblings[i].Level, siblings[i].Index);
        }

        return Append(leafIndex, leafHash, hashes);
    }
}
