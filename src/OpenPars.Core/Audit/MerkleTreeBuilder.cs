using System.Numerics;

namespace OpenPars.Core.Audit;

/// <summary>
/// Streaming RFC 9162 tree: takes leaf hashes one by one and keeps only the frontier (one hash per
/// set bit of the size), so verifying a log of any length needs O(log n) memory and one SHA-256
/// per leaf plus one per completed subtree (amortised two hashes per leaf).
/// </summary>
public sealed class MerkleTreeBuilder
{
    // Frontier hash of the perfect subtree at level L lives at [L·32, L·32+32) when bit L of Size is set.
    private readonly byte[] _frontier = new byte[(NodeAddress.MaxLevel + 1) * MerkleHash.Size];

    public long Size { get; private set; }

    /// <summary>Resumes from stored frontier nodes (<see cref="MerkleAppender.FrontierAddresses"/> of <paramref name="treeSize"/>, largest first).</summary>
    public static MerkleTreeBuilder FromFrontier(long treeSize, IReadOnlyList<byte[]> frontierHashes)
    {
        ArgumentNullException.ThrowIfNull(frontierHashes);
        var addresses = MerkleAppender.FrontierAddresses(treeSize);
        if (addresses.Length != frontierHashes.Count)
        {
            throw new ArgumentException($"Size {treeSize} has {addresses.Length} frontier nodes, got {frontierHashes.Count}.", nameof(frontierHashes));
        }

        var builder = new MerkleTreeBuilder { Size = treeSize };
        for (var i = 0; i < addresses.Length; i++)
        {
            if (frontierHashes[i] is not { Length: MerkleHash.Size })
            {
                throw new ArgumentException($"Frontier node {addresses[i]} is not a {MerkleHash.Size}-byte hash.", nameof(frontierHashes));
            }

            frontierHashes[i].CopyTo(builder.Slot(addresses[i].Level));
        }

        return builder;
    }

    public void AppendEntry(ReadOnlySpan<byte> entryBytes)
    {
        Span<byte> leaf = stackalloc byte[MerkleHash.Size];
        MerkleHash.LeafHash(entryBytes, leaf);
        AppendLeafHash(leaf);
    }

    public void AppendLeafHash(ReadOnlySpan<byte> leafHash)
    {
        if (leafHash.Length != MerkleHash.Size)
        {
            throw new ArgumentException($"A leaf hash is {MerkleHash.Size} bytes.", nameof(leafHash));
        }

        if (Size == long.MaxValue)
        {
            throw new InvalidOperationException("The tree is full.");
        }

        Span<byte> current = stackalloc byte[MerkleHash.Size];
        leafHash.CopyTo(current);
        var level = 0;
        while ((Size & (1L << level)) != 0)
        {
            MerkleHash.NodeHash(Slot(level), current, current);
            level++;
        }

        current.CopyTo(Slot(level));
        Size++;
    }

    /// <summary>Appends a leaf, taking the root of the subtree it completes from <paramref name="known"/> when it holds
    /// it (computed from the same leaves beforehand), and hashing only the levels above it.</summary>
    internal void AppendLeafHash(ReadOnlySpan<byte> leafHash, SubtreeRoots? known)
    {
        var merges = BitOperations.TrailingZeroCount(~Size);
        if (known is null || merges == 0 || leafHash.Length != MerkleHash.Size)
        {
            AppendLeafHash(leafHash);
            return;
        }

        var level = Math.Min(merges, SubtreeRoots.MaxLevel);
        Span<byte> current = stackalloc byte[MerkleHash.Size];
        if (!known.TryWrite(Size + 1 - (1L << level), level, current))
        {
            AppendLeafHash(leafHash);
            return;
        }

        for (; level < merges; level++)
        {
            MerkleHash.NodeHash(Slot(level), current, current);
        }

        current.CopyTo(Slot(merges));
        Size++;
    }

    public byte[] RootHash()
    {
        var root = new byte[MerkleHash.Size];
        WriteRootHash(root);
        return root;
    }

    /// <summary>MTH of the leaves so far: the frontier folded from the smallest subtree up.</summary>
    public void WriteRootHash(Span<byte> destination)
    {
        if (Size == 0)
        {
            MerkleHash.EmptyRoot.CopyTo(destination);
            return;
        }

        var level = BitOperations.TrailingZeroCount(Size);
        Slot(level).CopyTo(destination);
        for (level++; level <= NodeAddress.MaxLevel; level++)
        {
            if ((Size & (1L << level)) != 0)
            {
                MerkleHash.NodeHash(Slot(level), destination, destination);
            }
        }
    }

    /// <summary>The frontier as stored nodes, largest subtree first (what <see cref="FromFrontier"/> takes).</summary>
    public MerkleNode[] Frontier() =>
        [.. MerkleAppender.FrontierAddresses(Size).Select(a => new MerkleNode(a, Slot(a.Level).ToArray()))];

    private Span<byte> Slot(int level) => _frontier.AsSpan(level * MerkleHash.Size, MerkleHash.Size);
}
