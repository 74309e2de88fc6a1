using CsCheck;
using OpenPars.Core.Audit;
using Shouldly;
using Xunit;

namespace OpenPars.Core.Tests.Audit;

public class MerkleTreePropertyTests
{
    private const int MaxSize = 2048;

    // One shared log: every size up to MaxSize is a prefix of it, so properties over (size, index) are cheap.
    private static readonly List<byte[]> Leaves = MerkleReference.LeafHashes(MaxSize);
    private static readonly InMemoryMerkleLog Log = MerkleReference.Log(Leaves);
    private static readonly Dictionary<int, byte[]> ReferenceRoots = [];

    private static readonly Gen<int> Size = Gen.OneOf(Gen.Int[1, 70], Gen.Int[1, MaxSize]);

    private static byte[] ReferenceRoot(int size)
    {
        lock (ReferenceRoots)
        {
            if (!ReferenceRoots.TryGetValue(size, out var root))
            {
                ReferenceRoots[size] = root = MerkleReference.Mth(Leaves, 0, size);
            }

            return root;
        }
    }

    [Fact]
    public void Root_from_stored_nodes_equals_streaming_builder_equals_recursive_definition()
    {
        var builder = new MerkleTreeBuilder();
        for (var size = 0; size <= MaxSize; size++)
        {
            var expected = MerkleReference.Mth(Leaves, 0, size);
            builder.RootHash().ShouldBe(expected, $"builder, size {size}");
            Log.RootHash(size).ShouldBe(expected, $"stored nodes, size {size}");
            if (size < MaxSize)
            {
                builder.AppendLeafHash(Leaves[size]);
            }
        }
    }

    [Fact]
    public void Subtrees_computed_on_every_core_give_the_builder_the_same_tree_at_every_size() =>
        Gen.Select(Gen.Int[0, MaxSize - 1], Gen.Int[1, MaxSize]).Sample((size, more) =>
        {
            var end = Math.Min(MaxSize, size + more);
            var leaves = Leaves.Skip(size).Take(end - size).SelectMany(l => l).ToArray();
            var subtrees = new SubtreeRoots();
            subtrees.Compute(i => size + i, end - size, leaves);
            var frontier = MerkleAppender.FrontierAddresses(size).Select(a => Log.GetNode(a.Level, a.Index)).ToList();
            var builder = MerkleTreeBuilder.FromFrontier(size, frontier);
            for (var i = size; i < end; i++)
            {
                builder.AppendLeafHash(Leaves[i], subtrees);
                builder.RootHash().ShouldBe(ReferenceRoot(i + 1), $"from {size}, size {i + 1}");
            }

            builder.Frontier().Select(n => n.Hash).ShouldBe(MerkleAppender.FrontierAddresses(end).Select(a => Log.GetNode(a.Level, a.Index)));
        }, iter: 40);

    [Fact]
    public void A_run_of_records_that_are_not_consecutive_indexes_has_no_subtrees()
    {
        var leaves = Leaves.Take(1024).SelectMany(l => l).ToArray();
        var subtrees = new SubtreeRoots();
        subtrees.Compute(i => i == 700 ? 699 : i, 1024, leaves);   // a duplicate index: damage the scan reports
        subtrees.TryWrite(0, 8, new byte[MerkleHash.Size]).ShouldBeFalse();
        subtrees.Compute(i => i, 1024, leaves);
        var root = new byte[MerkleHash.Size];
        subtrees.TryWrite(256, 8, root).ShouldBeTrue();
        root.ShouldBe(MerkleReference.Mth(Leaves, 256, 512));
        subtrees.TryWrite(1024, 8, root).ShouldBeFalse();  // beyond the run
        subtrees.TryWrite(0, 9, root).ShouldBeFalse();     // above the blocks
    }

    [Fact]
    public void Builder_resumed_from_a_stored_frontier_continues_the_same_tree() =>
        Gen.Select(Gen.Int[0, MaxSize - 1], Gen.Int[1, 200]).Sample((size, more) =>
        {
            var frontier = MerkleAppender.FrontierAddresses(size).Select(a => Log.GetNode(a.Level, a.Index)).ToList();
            var builder = MerkleTreeBuilder.FromFrontier(size, frontier);
            builder.RootHash().ShouldBe(ReferenceRoot(size));
            var end = Math.Min(MaxSize, size + more);
            for (var i = size; i < end; i++)
            {
                builder.AppendLeafHash(Leaves[i]);
            }

            builder.RootHash().ShouldBe(ReferenceRoot(end));
            builder.Frontier().Select(n => n.Hash).ShouldBe(MerkleAppender.FrontierAddresses(end).Select(a => Log.GetNode(a.Level, a.Index)));
        }, iter: 300);

    [Fact]
    public void Inclusion_proofs_verify_for_every_index_of_small_trees()
    {
        for (var size = 1; size <= 64; size++)
        {
            var root = ReferenceRoot(size);
            for (var index = 0; index < size; index++)
            {
                var proof = Log.InclusionProof(index, size);
                MerkleTree.VerifyInclusion(Leaves[index], index, size, proof, root).ShouldBeTrue($"index {index}, size {size}");
            }
        }
    }

    [Fact]
    public void Inclusion_proofs_verify_for_sampled_indexes_of_any_size() =>
        Size.SelectMany(size => Gen.Int[0, size - 1].Select(index => (size, index))).Sample((size, index) =>
            MerkleTree.VerifyInclusion(Leaves[index], index, size, Log.InclusionProof(index, size), ReferenceRoot(size)), iter: 2_000);

    [Fact]
    public void Consistency_proofs_verify_for_every_pair_of_small_sizes()
    {
        for (var newSize = 1; newSize <= 64; newSize++)
        {
            for (var oldSize = 1; oldSize <= newSize; oldSize++)
            {
                var proof = Log.ConsistencyProof(oldSize, newSize);
                MerkleTree.VerifyConsistency(oldSize, newSize, ReferenceRoot(oldSize), ReferenceRoot(newSize), proof)
                    .ShouldBeTrue($"{oldSize} -> {newSize}");
            }
        }
    }

    [Fact]
    public void Consistency_proofs_verify_for_sampled_pairs_of_any_size() =>
        Size.SelectMany(n => Gen.Int[1, n].Select(m => (m, n))).Sample((m, n) =>
            MerkleTree.VerifyConsistency(m, n, ReferenceRoot(m), ReferenceRoot(n), Log.ConsistencyProof(m, n)), iter: 2_000);

    [Fact]
    public void A_tampered_inclusion_proof_never_verifies() =>
        Size.Where(s => s > 1).SelectMany(size => Gen.Select(Gen.Int[0, size - 1], Gen.Int[0, 1_000_000], Gen.Int[0, 5]).Select(t => (size, t.Item1, t.Item2, t.Item3)))
            .Sample((size, index, noise, kind) =>
            {
                var proof = Log.InclusionProof(index, size).Select(p => p.ToArray()).ToList();
                var leaf = Leaves[index];
                var root = ReferenceRoot(size);
                var tamperedIndex = index;
                var tamperedSize = (long)size;
                switch (kind)
                {
                    case 0 when proof.Count > 0:
                        proof[noise % proof.Count][noise % 32] ^= (byte)(1 << (noise % 8));
                        break;
                    case 1:
                        tamperedIndex = (index + 1 + (noise % (size - 1))) % size; // any other index
                        break;
                    case 2:
                        tamperedSize = size + 1 + (noise % size); // a bigger tree
                        if (MerkleTree.PlanInclusionProof(index, tamperedSize).ElementCount == proof.Count)
                        {
                            return true; // see Proofs_bind_sizes_only_through_their_shape
                        }

                        break;
                    case 3 when proof.Count > 0:
                        proof.RemoveAt(noise % proof.Count);
                        break;
                    case 4:
                        proof.Insert(noise % (proof.Count + 1), Leaves[noise % Leaves.Count]);
                        break;
                    default:
                        leaf = Leaves[(index + 1 + (noise % (size - 1))) % size]; // another leaf
                        break;
                }

                return !MerkleTree.VerifyInclusion(leaf, tamperedIndex, tamperedSize, proof, root);
            }, iter: 3_000);

    [Fact]
    public void A_tampered_consistency_proof_never_verifies() =>
        Size.Where(s => s > 2).SelectMany(n => Gen.Select(Gen.Int[1, n - 1], Gen.Int[0, 1_000_000], Gen.Int[0, 4]).Select(t => (t.Item1, n, t.Item2, t.Item3)))
            .Sample((m, n, noise, kind) =>
            {
                var proof = Log.ConsistencyProof(m, n).Select(p => p.ToArray()).ToList();
                long oldSize = m, newSize = n;
                switch (kind)
                {
                    case 0:
                        proof[noise % proof.Count][noise % 32] ^= (byte)(1 << (noise % 8));
                        break;
                    case 1:
                        proof.RemoveAt(noise % proof.Count);
                        break;
                    case 2:
                        proof.Insert(noise % (proof.Count + 1), Leaves[noise % Leaves.Count]);
                        break;
                    case 3:
                        newSize = n + 1 + (noise % n); // claim a bigger new tree with the same root
                        break;
                    default:
                        oldSize = m == 1 ? 2 : m - 1; // claim another old size with the same root
                        break;
                }

                if (kind >= 3 && MerkleTree.PlanConsistencyProof(oldSize, newSize).ElementCount == proof.Count)
                {
                    return true; // see Proofs_bind_sizes_only_through_their_shape
                }

                return !MerkleTree.VerifyConsistency(oldSize, newSize, ReferenceRoot(m), ReferenceRoot(n), proof);
            }, iter: 3_000);

    /// <summary>
    /// RFC 9162 verification checks a size only through the shape of the path it implies, so a proof
    /// can also verify for another size of the same shape (here index 1 of size 3 "is" index 1 of
    /// size 4, leaf 2 standing in for the subtree [2,4)). That is not a forgery: the size that counts
    /// is the one signed together with the root in a checkpoint. The tamper properties above
    /// therefore only demand failure for sizes whose proof has a different length.
    /// </summary>
    [Fact]
    public void Proofs_bind_sizes_only_through_their_shape()
    {
        MerkleTree.VerifyInclusion(Leaves[1], 1, 4, Log.InclusionProof(1, 3), ReferenceRoot(3)).ShouldBeTrue();
        MerkleTree.VerifyInclusion(Leaves[1], 1, 5, Log.InclusionProof(1, 3), ReferenceRoot(3)).ShouldBeFalse();
    }

    [Fact]
    public void Proofs_and_roots_read_O_log_n_stored_nodes() =>
        Gen.OneOf(Size, Gen.Int[1, MaxSize]).SelectMany(n => Gen.Select(Gen.Int[0, n - 1], Gen.Int[1, n]).Select(t => (n, t.Item1, t.Item2))).Sample((n, index, m) =>
        {
            var log2 = (int)Math.Ceiling(Math.Log2(n));
            var counter = new CountingNodeSource(Log);

            MerkleTree.RootHash(n, counter);
            counter.Reads.ShouldBeLessThanOrEqualTo(log2 + 1, $"root of {n}");

            counter = new CountingNodeSource(Log);
            MerkleTree.InclusionProof(index, n, counter);
            counter.Reads.ShouldBeLessThanOrEqualTo((2 * log2) + 2, $"inclusion {index} in {n}");

            counter = new CountingNodeSource(Log);
            MerkleTree.ConsistencyProof(m, n, counter);
            counter.Reads.ShouldBeLessThanOrEqualTo((2 * log2) + 2, $"consistency {m} -> {n}");

            MerkleAppender.SiblingsNeeded(n).Length.ShouldBeLessThanOrEqualTo(log2 + 1);
        }, iter: 2_000);

    [Fact]
    public async Task Async_batched_reads_give_the_same_roots_and_proofs() =>
        await Gen.Select(Size, Gen.Int[0, MaxSize]).SampleAsync(async (n, x) =>
        {
            var index = x % n;
            var m = 1 + (x % n);
            (await MerkleTree.RootHashAsync(n, Log)).ShouldBe(ReferenceRoot(n));
            (await MerkleTree.InclusionProofAsync(index, n, Log)).ShouldBe(Log.InclusionProof(index, n));
            (await MerkleTree.ConsistencyProofAsync(m, n, Log)).ShouldBe(Log.ConsistencyProof(m, n));
        }, iter: 300);

    [Fact]
    public async Task Each_async_proof_or_root_is_one_batched_read()
    {
        var source = new CountingAsyncNodeSource(Log);
        await MerkleTree.InclusionProofAsync(1000, 1999, source, TestContext.Current.CancellationToken);
        await MerkleTree.ConsistencyProofAsync(777, 1999, source, TestContext.Current.CancellationToken);
        await MerkleTree.RootHashAsync(1999, source, TestContext.Current.CancellationToken);
        source.Calls.ShouldBe(3);
    }

    [Fact]
    public void A_log_of_n_leaves_stores_exactly_its_complete_perfect_subtrees() =>
        Gen.Int[0, 300].Sample(n =>
        {
            var log = MerkleReference.Log(Leaves.Take(n));
            var stored = 0;
            for (var level = 0; level <= 9; level++)
            {
                for (var index = 0L; ; index++)
                {
                    try
                    {
                        var hash = log.GetNode(level, index);
                        hash.ShouldBe(MerkleReference.Mth(Leaves, (int)(index << level), (int)((index + 1) << level)));
                        stored++;
                    }
                    catch (KeyNotFoundException)
                    {
                        (index << level).ShouldBe(n >> level << level, $"level {level} stops at the last complete subtree");
                        break;
                    }
                }
            }

            // Σ floor(n / 2^L) = 2n − popcount(n)
            return stored == (2 * n) - System.Numerics.BitOperations.PopCount((uint)n);
        }, iter: 100);

    [Fact]
    public void Appending_stores_the_leaf_and_each_subtree_it_completes()
    {
        MerkleAppender.SiblingsNeeded(0).ShouldBeEmpty();
        MerkleAppender.SiblingsNeeded(6).ShouldBeEmpty();
        MerkleAppender.SiblingsNeeded(7).ShouldBe([new NodeAddress(0, 6), new NodeAddress(1, 2), new NodeAddress(2, 0)]);
        MerkleAppender.FrontierAddresses(7).ShouldBe([new NodeAddress(2, 0), new NodeAddress(1, 2), new NodeAddress(0, 6)]);

        var nodes = MerkleAppender.Append(7, Leaves[7], Log);
        nodes.Select(n => n.Address).ShouldBe([new NodeAddress(0, 7), new NodeAddress(1, 3), new NodeAddress(2, 1), new NodeAddress(3, 0)]);
        nodes.Select(n => n.Hash).ShouldBe([Leaves[7], Log.GetNode(1, 3), Log.GetNode(2, 1), Log.GetNode(3, 0)]);
        nodes[^1].Hash.ShouldBe(MerkleReference.Mth(Leaves, 0, 8));
    }

    [Fact]
    public void Out_of_range_requests_are_refused()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => MerkleTree.PlanInclusionProof(5, 5));
        Should.Throw<ArgumentOutOfRangeException>(() => MerkleTree.PlanInclusionProof(-1, 5));
        Should.Throw<ArgumentOutOfRangeException>(() => MerkleTree.PlanConsistencyProof(6, 5));
        Should.Throw<ArgumentOutOfRangeException>(() => Log.RootHash(MaxSize + 1));
        MerkleTree.PlanConsistencyProof(0, 5).Nodes.ShouldBeEmpty();
        MerkleTree.VerifyInclusion(Leaves[0], 0, 1, [], new byte[31]).ShouldBeFalse();
        MerkleTree.VerifyConsistency(0, 5, MerkleHash.EmptyRoot, ReferenceRoot(5), []).ShouldBeFalse();
    }
}
