using System.Security.Cryptography;

namespace OpenPars.Core.Audit;

/// <summary>
/// RFC 9162 §2.1 Merkle tree head, inclusion and consistency proofs over stored perfect subtrees,
/// and their verification (§2.1.3.2, §2.1.4.2). Every read is planned up front (<see cref="MerkleProofPlan"/>)
/// and is O(log n): a root reads at most log2(n)+1 nodes, a proof at most about 2·log2(n).
/// </summary>
public static class MerkleTree
{
    public static MerkleProofPlan PlanRootHash(long treeSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(treeSize);
        return MerkleProofPlan.FromRanges(treeSize == 0 ? [] : [(0, treeSize)]);
    }

    /// <summary>PATH(index, D[treeSize]) of RFC 9162 §2.1.3.1, as leaf ranges.</summary>
    public static MerkleProofPlan PlanInclusionProof(long index, long treeSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, treeSize);
        var ranges = new List<(long, long)>();
        Path(index, 0, treeSize, ranges);
        return MerkleProofPlan.FromRanges(ranges);
    }

    /// <summary>PROOF(oldSize, D[newSize]) of RFC 9162 §2.1.4.1, as leaf ranges.</summary>
    public static MerkleProofPlan PlanConsistencyProof(long oldSize, long newSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(oldSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(oldSize, newSize);
        var ranges = new List<(long, long)>();

        // The RFC defines no proof from the empty tree, and one between equal sizes is empty.
        if (oldSize > 0 && oldSize < newSize)
        {
            SubProof(oldSize, 0, newSize, true, ranges);
        }

        return MerkleProofPlan.FromRanges(ranges);
    }

    public static byte[] RootHash(long treeSize, IMerkleNodeSource source) =>
        treeSize == 0 ? MerkleHash.EmptyRoot.ToArray() : PlanRootHash(treeSize).Assemble(source)[0];

    public static async ValueTask<byte[]> RootHashAsync(long treeSize, IAsyncMerkleNodeSource source, CancellationToken cancellationToken = default) =>
        treeSize == 0 ? MerkleHash.EmptyRoot.ToArray() : (await PlanRootHash(treeSize).AssembleAsync(source, cancellationToken))[0];

    public static byte[][] InclusionProof(long index, long treeSize, IMerkleNodeSource source) =>
        PlanInclusionProof(index, treeSize).Assemble(source);

    public static ValueTask<byte[][]> InclusionProofAsync(long index, long treeSize, IAsyncMerkleNodeSource source, CancellationToken cancellationToken = default) =>
        PlanInclusionProof(index, treeSize).AssembleAsync(source, cancellationToken);

    public static byte[][] ConsistencyProof(long oldSize, long newSize, IMerkleNodeSource source) =>
        PlanConsistencyProof(oldSize, newSize).Assemble(source);

    public static ValueTask<byte[][]> ConsistencyProofAsync(long oldSize, long newSize, IAsyncMerkleNodeSource source, CancellationToken cancellationToken = default) =>
        PlanConsistencyProof(oldSize, newSize).AssembleAsync(source, cancellationToken);

    /// <summary>RFC 9162 §2.1.3.2. False (never an exception) for any malformed input.</summary>
    public static bool VerifyInclusion(ReadOnlySpan<byte> leafHash, long index, long treeSize, IReadOnlyList<byte[]> proof, ReadOnlySpan<byte> rootHash)
    {
        ArgumentNullException.ThrowIfNull(proof);
        if (index < 0 || index >= treeSize || leafHash.Length != MerkleHash.Size || rootHash.Length != MerkleHash.Size)
        {
            return false;
        }

        var fn = index;
        var sn = treeSize - 1;
        Span<byte> r = stackalloc byte[MerkleHash.Size];
        leafHash.CopyTo(r);
        foreach (var p in proof)
        {
            if (sn == 0 || p is not { Length: MerkleHash.Size })
            {
                return false;
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                MerkleHash.NodeHash(p, r, r);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                MerkleHash.NodeHash(r, p, r);
            }

            fn >>= 1;
            sn >>= 1;
        }

        return sn == 0 && CryptographicOperations.FixedTimeEquals(r, rootHash);
    }

    /// <summary>
    /// RFC 9162 §2.1.4.2. Equal sizes need an empty proof and equal roots; a proof from the empty
    /// tree is meaningless and refused (as transparency-dev/merkle does). False for malformed input.
    /// </summary>
    public static bool VerifyConsistency(long oldSize, long newSize, ReadOnlySpan<byte> oldRoot, ReadOnlySpan<byte> newRoot, IReadOnlyList<byte[]> proof)
    {
        ArgumentNullException.ThrowIfNull(proof);
        if (oldSize <= 0 || oldSize > newSize || oldRoot.Length != MerkleHash.Size || newRoot.Length != MerkleHash.Size)
        {
            return false;
        }

        if (oldSize == newSize)
        {
            return proof.Count == 0 && CryptographicOperations.FixedTimeEquals(oldRoot, newRoot);
        }

        if (proof.Count == 0 || proof.Any(p => p is not { Length: MerkleHash.Size }))
        {
            return false;
        }

        // Step 2: when oldSize is a power of two the old root is itself the first node of the path.
        var path = IsPowerOfTwo(oldSize) ? proof.Prepend(oldRoot.ToArray()).ToList() : proof;

        var fn = oldSize - 1;
        var sn = newSize - 1;
        while ((fn & 1) == 1)
        {
            fn >>= 1;
            sn >>= 1;
        }

        Span<byte> fr = stackalloc byte[MerkleHash.Size];
        Span<byte> sr = stackalloc byte[MerkleHash.Size];
        path[0].CopyTo(fr);
        path[0].CopyTo(sr);
        for (var i = 1; i < path.Count; i++)
        {
            var c = path[i];
            if (sn == 0)
            {
                return false;
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                MerkleHash.NodeHash(c, fr, fr);
                MerkleHash.NodeHash(c, sr, sr);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                MerkleHash.NodeHash(sr, c, sr);
            }

            fn >>= 1;
            sn >>= 1;
        }

        return sn == 0
            & CryptographicOperations.FixedTimeEquals(fr, oldRoot)
            & CryptographicOperations.FixedTimeEquals(sr, newRoot);
    }

    /// <summary>The largest power of two strictly below <paramref name="n"/> (n ≥ 2): RFC 9162's split point k.</summary>
    internal static long SplitPoint(long n) => 1L << (63 - System.Numerics.BitOperations.LeadingZeroCount((ulong)(n - 1)));

    private static bool IsPowerOfTwo(long n) => (n & (n - 1)) == 0;

    private static void Path(long m, long lo, long hi, List<(long, long)> ranges)
    {
        if (hi - lo == 1)
        {
            return;
        }

        var split = lo + SplitPoint(hi - lo);
        if (m < split)
        {
            Path(m, lo, split, ranges);
            ranges.Add((split, hi));
        }
        else
        {
            Path(m, split, hi, ranges);
            ranges.Add((lo, split));
        }
    }

    private static void SubProof(long m, long lo, long hi, bool isOriginalTree, List<(long, long)> ranges)
    {
        if (m == hi)
        {
            if (!isOriginalTree)
            {
                ranges.Add((lo, hi));
            }

            return;
        }

        var split = lo + SplitPoint(hi - lo);
        if (m <= split)
        {
            SubProof(m, lo, split, isOriginalTree, ranges);
            ranges.Add((split, hi));
        }
        else
        {
            SubProof(m, split, hi, false, ranges);
            ranges.Add((lo, split));
        }
    }
}
