using System.Security.Cryptography;
using System.Text.Json.Nodes;
using OpenPars.Core.Audit;
using Shouldly;
using Xunit;

namespace OpenPars.Core.Tests.Audit;

/// <summary>The path an outside auditor takes with one disclosed entry, as README.md describes it.</summary>
public class AuditorWalkthroughTests
{
    [Fact]
    public void One_entry_is_proven_against_a_published_checkpoint_and_the_checkpoint_against_a_later_one()
    {
        using var logKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var signer = new CheckpointSigner(logKey, "openpars.example/audit");
        var log = new InMemoryMerkleLog();
        var entries = Enumerable.Range(0, 37).Select(i => new JsonObject { ["seq"] = i, ["fields"] = new JsonArray("name", "charges") }).ToList();
        foreach (var e in entries.Take(20))
        {
            log.AppendEntry(Rfc8785Canonicalizer.Canonicalize(e));
        }

        var oldNote = signer.Sign("openpars.example/audit", log.Size, log.RootHash()).NoteText;
        foreach (var e in entries.Skip(20))
        {
            log.AppendEntry(Rfc8785Canonicalizer.Canonicalize(e));
        }

        var newNote = signer.Sign("openpars.example/audit", log.Size, log.RootHash()).NoteText;
        var inclusion = log.InclusionProof(13, 37);
        var consistency = log.ConsistencyProof(20, 37);

        // The auditor holds only the PEM key, the two notes, entry 13 as JSON, and the two proofs.
        using var publicKey = CheckpointKeys.ImportPublicKeyPem(CheckpointKeys.ExportPublicKeyPem(logKey));
        CheckpointVerifier.TryParseAndVerify(oldNote, publicKey, out var older, out var error).ShouldBeTrue(error);
        CheckpointVerifier.TryParseAndVerify(newNote, publicKey, out var newer, out error).ShouldBeTrue(error);

        var disclosed = JsonNode.Parse("""{ "fields": ["name", "charges"], "seq": 13 }""");
        var leaf = MerkleHash.LeafHash(Rfc8785Canonicalizer.Canonicalize(disclosed));
        MerkleTree.VerifyInclusion(leaf, 13, newer.TreeSize, inclusion, newer.RootHash).ShouldBeTrue();
        MerkleTree.VerifyConsistency(older.TreeSize, newer.TreeSize, older.RootHash, newer.RootHash, consistency).ShouldBeTrue();

        var altered = JsonNode.Parse("""{ "fields": ["name"], "seq": 13 }""");
        MerkleTree.VerifyInclusion(MerkleHash.LeafHash(Rfc8785Canonicalizer.Canonicalize(altered)), 13, newer.TreeSize, inclusion, newer.RootHash)
            .ShouldBeFalse();
    }
}
