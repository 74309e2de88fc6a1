using System.Text.Json;
using OpenPars.Core.Audit;
using Shouldly;
using Xunit;

namespace OpenPars.Core.Tests.Audit;

/// <summary>The RFC 6962 / Certificate Transparency reference vectors (transparency-dev/merkle testonly and testdata).</summary>
public class MerkleVectorTests
{
    // transparency-dev/merkle testonly/constants.go RootHashes(), index = tree size.
    private static readonly string[] RootHex =
    [
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];

    // testonly/constants.go NodeHashes(): every perfect subtree, [level][index].
    private static readonly string[][] NodeHex =
    [
        [
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
            "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1",
        ],
        [
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        ],
        [
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
        ["5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"],
    ];

    private static readonly JsonDocument Probes =
        JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Audit", "TestData", "transparency-dev-proof-probes.json")));

    private static InMemoryMerkleLog CtLog(int size)
    {
        var log = new InMemoryMerkleLog();
        foreach (var hex in MerkleReference.CtLeafInputsHex.Take(size))
        {
            log.AppendEntry(Convert.FromHexString(hex));
        }

        return log;
    }

    [Fact]
    public void Empty_root_is_sha256_of_nothing()
    {
        Convert.ToHexStringLower(MerkleHash.EmptyRoot).ShouldBe(RootHex[0]);
        Convert.ToHexStringLower(new MerkleTreeBuilder().RootHash()).ShouldBe(RootHex[0]);
        Convert.ToHexStringLower(new InMemoryMerkleLog().RootHash()).ShouldBe(RootHex[0]);
    }

    [Fact]
    public void Roots_for_sizes_0_to_8_match_from_stored_nodes_and_from_the_streaming_builder()
    {
        var log = CtLog(8);
        var builder = new MerkleTreeBuilder();
        for (var size = 0; size <= 8; size++)
        {
            Convert.ToHexStringLower(log.RootHash(size)).ShouldBe(RootHex[size], $"stored nodes, size {size}");
            Convert.ToHexStringLower(builder.RootHash()).ShouldBe(RootHex[size], $"builder, size {size}");
            if (size < 8)
            {
                builder.AppendEntry(Convert.FromHexString(MerkleReference.CtLeafInputsHex[size]));
            }
        }
    }

    [Fact]
    public void Every_stored_perfect_subtree_matches_the_reference_node_hashes()
    {
        var log = CtLog(8);
        for (var level = 0; level < NodeHex.Length; level++)
        {
            for (var index = 0; index < NodeHex[level].Length; index++)
            {
                Convert.ToHexStringLower(log.GetNode(level, index)).ShouldBe(NodeHex[level][index], $"node ({level},{index})");
            }
        }

        Should.Throw<KeyNotFoundException>(() => log.GetNode(4, 0));
    }

    // transparency-dev/merkle proof/verify_test.go before the move to testdata (leaf numbers are 1-based there).
    [Theory]
    [InlineData(0, 1, new string[0])]
    [InlineData(0, 8, new[] { "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4" })]
    [InlineData(5, 8, new[] { "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b", "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0", "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7" })]
    [InlineData(2, 3, new[] { "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125" })]
    [InlineData(1, 5, new[] { "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b" })]
    public void Inclusion_proofs_match_the_published_vectors(long index, long size, string[] expected)
    {
        var log = CtLog(8);
        var proof = log.InclusionProof(index, size);
        proof.Select(Convert.ToHexStringLower).ShouldBe(expected);
        var leaf = MerkleHash.LeafHash(Convert.FromHexString(MerkleReference.CtLeafInputsHex[index]));
        MerkleTree.VerifyInclusion(leaf, index, size, proof, Convert.FromHexString(RootHex[size])).ShouldBeTrue();
    }

    [Theory]
    [InlineData(1, 1, new string[0])]
    [InlineData(1, 8, new[] { "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4" })]
    [InlineData(6, 8, new[] { "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a", "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0", "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7" })]
    [InlineData(2, 5, new[] { "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b" })]
    [InlineData(6, 7, new[] { "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a", "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f", "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7" })]
    public void Consistency_proofs_match_the_published_vectors(long oldSize, long newSize, string[] expected)
    {
        var log = CtLog(8);
        var proof = log.ConsistencyProof(oldSize, newSize);
        proof.Select(Convert.ToHexStringLower).ShouldBe(expected);
        MerkleTree.VerifyConsistency(oldSize, newSize, Convert.FromHexString(RootHex[oldSize]), Convert.FromHexString(RootHex[newSize]), proof).ShouldBeTrue();
    }

    [Fact]
    public void Every_transparency_dev_inclusion_probe_verifies_or_fails_as_published()
    {
        var probes = Probes.RootElement.GetProperty("inclusion").EnumerateArray().ToList();
        probes.Count.ShouldBeGreaterThan(90);
        probes.Count(p => !p.GetProperty("wantErr").GetBoolean()).ShouldBeGreaterThanOrEqualTo(5);
        foreach (var p in probes)
        {
            var ok = MerkleTree.VerifyInclusion(
                Bytes(p, "leafHash"), Int64(p, "leafIdx"), Int64(p, "treeSize"), Proof(p), Bytes(p, "root"));
            ok.ShouldBe(!p.GetProperty("wantErr").GetBoolean(), p.GetProperty("file").GetString());
        }
    }

    [Fact]
    public void Every_transparency_dev_consistency_probe_verifies_or_fails_as_published()
    {
        var probes = Probes.RootElement.GetProperty("consistency").EnumerateArray().ToList();
        probes.Count.ShouldBeGreaterThan(90);
        foreach (var p in probes)
        {
            var ok = MerkleTree.VerifyConsistency(
                Int64(p, "size1"), Int64(p, "size2"), Bytes(p, "root1"), Bytes(p, "root2"), Proof(p));
            var file = p.GetProperty("file").GetString()!;
            var expected = !p.GetProperty("wantErr").GetBoolean() && !StricterThanTransparencyDev.Contains(file);
            ok.ShouldBe(expected, file);
        }
    }

    [Fact]
    public void Happy_path_probes_are_what_the_log_itself_produces()
    {
        var log = CtLog(8);
        foreach (var p in Probes.RootElement.GetProperty("inclusion").EnumerateArray().Where(IsHappy))
        {
            var proof = log.InclusionProof(p.GetProperty("leafIdx").GetInt64(), p.GetProperty("treeSize").GetInt64());
            proof.Select(Convert.ToBase64String).ShouldBe(Proof(p).Select(Convert.ToBase64String));
        }

        foreach (var p in Probes.RootElement.GetProperty("consistency").EnumerateArray().Where(IsHappy))
        {
            var proof = log.ConsistencyProof(p.GetProperty("size1").GetInt64(), p.GetProperty("size2").GetInt64());
            proof.Select(Convert.ToBase64String).ShouldBe(Proof(p).Select(Convert.ToBase64String));
        }
    }

    // This probe passes 12-byte "roots" (equal sizes, equal roots); we refuse anything that is not a
    // SHA-256 hash before comparing, which is stricter and never wrong for an RFC 9162 SHA-256 log.
    private static readonly HashSet<string> StricterThanTransparencyDev =
        ["testdata/consistency/additional/sizes-are-equal-one-and-proof-is-empty.json"];

    // The probes are uint64; "index 0 minus 1" wraps to 2^64-1, which is -1 as a long and equally invalid.
    private static long Int64(JsonElement p, string name) => unchecked((long)p.GetProperty(name).GetUInt64());

    private static bool IsHappy(JsonElement p) => p.GetProperty("file").GetString()!.EndsWith("/happy-path.json", StringComparison.Ordinal);

    private static byte[] Bytes(JsonElement p, string name) =>
        p.GetProperty(name).ValueKind == JsonValueKind.Null ? [] : p.GetProperty(name).GetBytesFromBase64();

    private static byte[][] Proof(JsonElement p) =>
        p.GetProperty("proof").ValueKind == JsonValueKind.Null ? [] : [.. p.GetProperty("proof").EnumerateArray().Select(e => e.GetBytesFromBase64())];
}
