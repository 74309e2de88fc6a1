namespace OpenPars.Core.Audit;

/// <summary>Writes the leaf hash of the record at <paramref name="position"/> of a batch.</summary>
internal delegate void LeafHasher(int position, Span<byte> destination);

/// <summary>
/// The interior nodes of a run of consecutive leaves, computed on every core before the scan takes the leaves in
/// order: for each aligned block of <see cref="Block"/> leaves (absolute indexes k·256 … k·256+255) wholly inside the
/// run, the roots of all its perfect subtrees (levels 1 to <see cref="MaxLevel"/>). <see cref="MerkleTreeBuilder"/>
/// then takes a completed subtree's root from here instead of hashing it again, so the one sequential pass of `audit
/// verify` does comparisons, not hashing. The values are exactly what the builder would compute from the same leaves:
/// a subtree is looked up only by the absolute indexes of its leaves, and a run whose records are not consecutive
/// indexes (a gap, a duplicate, a reordering: damage the scan reports) has no subtrees at all.
/// </summary>
internal sealed class SubtreeRoots
{
    /// <summary>The highest level kept: blocks of 2^8 leaves.</summary>
    public const int MaxLevel = 8;

    /// <summary>Leaves per block.</summary>
    public const int Block = 1 << MaxLevel;

    private const int NodesPerBlock = Block - 1;

    // Offset (in nodes) of level l's first node inside a block: level 1 has 128 nodes, level 2 has 64, … level 8 one.
    private static readonly int[] LevelOffset = LevelOffsets();

    private byte[] _nodes = [];
    private long _first;
    private int _blocks;

    /// <summary>Computes the subtrees of <paramref name="count"/> leaves whose indexes are given by
    /// <paramref name="indexOf"/>, their hashes at <paramref name="leaves"/> (32 bytes each, in the same order). With
    /// <paramref name="hashLeaf"/>, the leaves are hashed first in the same parallel pass (each block's leaves, then
    /// its nodes, on one core): one wait for every core per call, which on a loaded machine is what parallel work costs.</summary>
    public void Compute(Func<int, long> indexOf, int count, byte[] leaves, LeafHasher? hashLeaf = null)
    {
        ArgumentNullException.ThrowIfNull(indexOf);
        _blocks = 0;
        var start = count > 0 ? indexOf(0) : 0;
        var consecutive = count >= Block;
        for (var i = 1; consecutive && i < count; i++)
        {
            consecutive = indexOf(i) == start + i;
        }

        var first = consecutive ? (start + Block - 1) / Block * Block : start;
        var blocks = consecutive ? (int)Math.Max(0, (start + count - first) / Block) : 0;
        if (blocks == 0 && hashLeaf is null)
        {
            return;
        }

        if (_nodes.Length < blocks * NodesPerBlock * MerkleHash.Size)
        {
            _nodes = new byte[blocks * NodesPerBlock * MerkleHash.Size];
        }

        // Work items: the leaves before the first block, each block, the leaves after the last, in pieces of a block.
        var skip = blocks > 0 ? (int)(first - start) : count;
        var items = new List<(int From, int To, int Block)>();
        void Loose(int from, int to)
        {
            for (var at = from; at < to; at += Block)
            {
                items.Add((at, Math.Min(to, at + Block), -1));
            }
        }

        Loose(0, skip);
        for (var b = 0; b < blocks; b++)
        {
            items.Add((skip + (b * Block), skip + ((b + 1) * Block), b));
        }

        Loose(skip + (blocks * Block), count);
        var nodes = _nodes;
        Parallel.For(0, items.Count, k =>
        {
            var (from, to, block) = items[k];
            if (hashLeaf is not null)
            {
                for (var i = from; i < to; i++)
                {
                    hashLeaf(i, leaves.AsSpan(i * MerkleHash.Size, MerkleHash.Size));
                }
            }

            if (block >= 0)
            {
                Nodes(nodes.AsSpan(block * NodesPerBlock * MerkleHash.Size, NodesPerBlock * MerkleHash.Size), leaves.AsSpan(from * MerkleHash.Size, Block * MerkleHash.Size));
            }
        });
        (_first, _blocks) = (first, blocks);
    }

    /// <summary>Levels 1 to <see cref="MaxLevel"/> of one block over its <see cref="Block"/> leaves.</summary>
    private static void Nodes(Span<byte> block, ReadOnlySpan<byte> below)
    {
        for (var level = 1; level <= MaxLevel; level++)
        {
            var here = block.Slice(LevelOffset[level] * MerkleHash.Size, (Block >> level) * MerkleHash.Size);
            for (var j = 0; j < Block >> level; j++)
            {
                MerkleHash.NodeHash(below.Slice(2 * j * MerkleHash.Size, MerkleHash.Size), below.Slice(((2 * j) + 1) * MerkleHash.Size, MerkleHash.Size),
                    here.Slice(j * MerkleHash.Size, MerkleHash.Size));
            }

            below = here;
        }
    }

    /// <summary>Writes the root of the perfect subtree of 2^<paramref name="level"/> leaves starting at
    /// <paramref name="start"/> when it was computed.</summary>
    public bool TryWrite(long start, int level, Span<byte> destination)
    {
        if (level < 1 || level > MaxLevel || start < _first)
        {
            return false;
        }

        var block = (start - _first) / Block;
        if (block >= _blocks)
        {
            return false;
        }

        var j = (int)((start - _first) % Block) >> level;
        _nodes.AsSpan((int)((block * NodesPerBlock) + LevelOffset[level] + j) * MerkleHash.Size, MerkleHash.Size).CopyTo(destination);
        return true;
    }

    private static int[] LevelOffsets()
    {
        var offsets = new int[MaxLevel + 1];
        for (var level = 2; level <= MaxLevel; level++)
        {
            offsets[level] = offsets[level - 1] + (Block >> (level - 1));
        }

        return offsets;
    }
}
