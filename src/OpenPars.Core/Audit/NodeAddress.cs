namespace OpenPars.Core.Audit;

/// <summary>
/// A complete perfect subtree: the node at <paramref name="Level"/> covering leaves
/// [Index·2^Level, (Index+1)·2^Level). Level 0 nodes are leaf hashes. These are the only
/// nodes ever stored: once complete they never change, so storage is append-only.
/// </summary>
public readonly record struct NodeAddress(int Level, long Index)
{
    public const int MaxLevel = 62;

    public long FirstLeaf => Index << Level;

    public long LeafCount => 1L << Level;

    public override string ToString() => $"({Level},{Index})";
}

/// <summary>A stored node: its address and its hash.</summary>
public readonly record struct MerkleNode(NodeAddress Address, byte[] Hash);
