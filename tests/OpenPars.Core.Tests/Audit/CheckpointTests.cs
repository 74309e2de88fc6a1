using System.Security.Cryptography;
using System.Text;
using OpenPars.Core.Audit;
using Shouldly;
using Xunit;

namespace OpenPars.Core.Tests.Audit;

public sealed class CheckpointTests : IDisposable
{
    private const string Origin = "openpars.example/audit";
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDsa _otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly byte[] _root = SHA256.HashData("root"u8);

    public void Dispose()
    {
        _key.Dispose();
        _otherKey.Dispose();
    }

    private Checkpoint Sign(long size = 20852163) => new CheckpointSigner(_key, Origin).Sign(Origin, size, _root);

    [Fact]
    public void Note_has_the_c2sp_checkpoint_shape()
    {
        var note = Sign().NoteText;
        var lines = note.Split('\n');
        lines[0].ShouldBe(Origin);
        lines[1].ShouldBe("20852163");
        lines[2].ShouldBe(Convert.ToBase64String(_root));
        lines[3].ShouldBeEmpty();
        lines[4].ShouldStartWith("\u2014 " + Origin + " ");
        lines[5].ShouldBeEmpty();
        lines.Length.ShouldBe(6);

        var blob = Convert.FromBase64String(lines[4].Split(' ')[2]);
        var spki = _key.ExportSubjectPublicKeyInfo();
        blob.AsSpan(0, 4).ToArray().ShouldBe(SHA256.HashData(spki).AsSpan(0, 4).ToArray());

        // The signature is ASN.1 DER over the note text (everything up to and including the root line).
        _key.VerifyData(Encoding.UTF8.GetBytes(note[..(note.IndexOf("\n\n", StringComparison.Ordinal) + 1)]), blob.AsSpan(4),
            HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence).ShouldBeTrue();
    }

    [Fact]
    public void Round_trip()
    {
        var signed = Sign();
        CheckpointVerifier.TryParseAndVerify(signed.NoteText, _key, out var parsed, out var error).ShouldBeTrue(error);
        parsed.Origin.ShouldBe(Origin);
        parsed.TreeSize.ShouldBe(20852163);
        parsed.RootHash.ShouldBe(_root);
        parsed.NoteText.ShouldBe(signed.NoteText);
        parsed.Body.ShouldBe(signed.Body);
        CheckpointVerifier.TryParseAndVerify(signed.NoteText, _key, Origin, Origin, out _, out error).ShouldBeTrue(error);
    }

    [Fact]
    public void Empty_tree_checkpoint_round_trips()
    {
        var signed = new CheckpointSigner(_key, Origin).Sign(Origin, 0, MerkleHash.EmptyRoot);
        signed.NoteText.ShouldStartWith(Origin + "\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n\n");
        CheckpointVerifier.TryParseAndVerify(signed.NoteText, _key, out var parsed, out _).ShouldBeTrue();
        parsed.TreeSize.ShouldBe(0);
    }

    [Fact]
    public void Any_edited_byte_in_the_body_or_the_signature_fails()
    {
        var note = Sign().NoteText;
        var failures = 0;
        for (var i = 0; i < note.Length; i++)
        {
            if (note[i] == '\n' || note[i] == '\u2014')
            {
                continue;
            }

            var edited = note[..i] + (char)(note[i] == 'A' ? 'B' : 'A') + note[(i + 1)..];
            CheckpointVerifier.TryParseAndVerify(edited, _key, Origin, Origin, out _, out var error).ShouldBeFalse($"edit at {i}");
            error.ShouldNotBeNullOrEmpty();
            failures++;
        }

        failures.ShouldBeGreaterThan(100);
    }

    [Fact]
    public void Edited_size_or_root_is_refused_by_the_signature()
    {
        var note = Sign(5).NoteText;
        CheckpointVerifier.TryParseAndVerify(note.Replace("\n5\n", "\n6\n", StringComparison.Ordinal), _key, out _, out var error).ShouldBeFalse();
        error.ShouldContain("does not verify");
    }

    [Fact]
    public void Signed_by_another_key_fails()
    {
        var foreign = new CheckpointSigner(_otherKey, Origin).Sign(Origin, 5, _root);
        CheckpointVerifier.TryParseAndVerify(foreign.NoteText, _key, out _, out var error).ShouldBeFalse();
        error.ShouldContain("no signature by the trusted key");
    }

    [Fact]
    public void A_forged_signature_under_our_key_id_fails()
    {
        var ours = Sign(5).NoteText;
        var foreign = new CheckpointSigner(_otherKey, Origin).Sign(Origin, 5, _root).NoteText;
        var foreignBlob = Convert.FromBase64String(foreign.Split('\n')[4].Split(' ')[2]);
        var ourBlob = Convert.FromBase64String(ours.Split('\n')[4].Split(' ')[2]);
        ourBlob.AsSpan(0, 4).CopyTo(foreignBlob);
        var forged = ours[..(ours.IndexOf('\u2014', StringComparison.Ordinal))] + "\u2014 " + Origin + " " + Convert.ToBase64String(foreignBlob) + "\n";
        CheckpointVerifier.TryParseAndVerify(forged, _key, out _, out var error).ShouldBeFalse();
        error.ShouldContain("does not verify");
    }

    [Fact]
    public void Unknown_cosignatures_are_ignored_and_ours_still_counts()
    {
        var ours = Sign(5).NoteText;
        var witness = new CheckpointSigner(_otherKey, "witness.example/w1").Sign(Origin, 5, _root).NoteText;
        var cosigned = ours + witness[(witness.IndexOf('\u2014', StringComparison.Ordinal))..];
        CheckpointVerifier.TryParseAndVerify(cosigned, _key, out var parsed, out var error).ShouldBeTrue(error);
        parsed.TreeSize.ShouldBe(5);
    }

    [Theory]
    [InlineData("")]
    [InlineData("no newline")]
    [InlineData("a\n1\nroot\n")]
    [InlineData("a\n1\nroot\n\n")]
    [InlineData("a\n1\nroot\n\nnot a signature\n")]
    public void Malformed_notes_are_refused_without_exceptions(string note) =>
        CheckpointVerifier.TryParseAndVerify(note, _key, out _, out _).ShouldBeFalse();

    [Fact]
    public void Wrong_origin_is_refused_when_one_is_expected()
    {
        CheckpointVerifier.TryParseAndVerify(Sign().NoteText, _key, null, "other.example/log", out _, out var error).ShouldBeFalse();
        error.ShouldContain("other.example/log");
    }

    [Fact]
    public void Public_key_pem_round_trips_and_gives_the_same_key_id()
    {
        var pem = CheckpointKeys.ExportPublicKeyPem(_key);
        pem.ShouldStartWith("-----BEGIN PUBLIC KEY-----");
        using var imported = CheckpointKeys.ImportPublicKeyPem(pem);
        CheckpointKeys.KeyId(imported).ShouldBe(CheckpointKeys.KeyId(_key));
        CheckpointVerifier.TryParseAndVerify(Sign().NoteText, imported, out _, out var error).ShouldBeTrue(error);
        Should.Throw<ArgumentException>(() => CheckpointKeys.ImportPublicKeyPem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"));
    }

    [Fact]
    public void Verifier_key_is_name_plus_key_id_plus_type_and_spki()
    {
        var vkey = CheckpointKeys.VerifierKey(Origin, _key).Split('+', 3);
        vkey[0].ShouldBe(Origin);
        vkey[1].ShouldBe(CheckpointKeys.KeyId(_key).ToString("x8", System.Globalization.CultureInfo.InvariantCulture));
        Convert.FromBase64String(vkey[2]).ShouldBe([0x02, .. _key.ExportSubjectPublicKeyInfo()]);
    }

    /// <summary>
    /// Interoperability: a real Sigstore Rekor checkpoint (published in Rekor API responses) verifies
    /// with Rekor's public key, as given in the transparency-dev/formats NewECDSAVerifier example
    /// vkey. Signature type 0x02 is the format Rekor uses, so this pins our key ID and encoding to it.
    /// </summary>
    [Theory]
    [InlineData("rekor.sigstore.dev - 2605736670972794746\n75408393\nFnnj13Uu1jdksPc4HZLapKX329dVlD5+MGNsiqBq1XM=\n\n\u2014 rekor.sigstore.dev wNI9ajBFAiBTyiBM9WtyOTgohje6QZ5rFGJUdMq7Wk3A6oThE98SUgIhAMvxDwa7FyqRqg+YV3rdPPrfS23w19iK+piMSGVOmP5w\n", 75408393)]
    [InlineData("rekor.sigstore.dev - 2605736670972794746\n6915767\nIDKYzW3/yaZoFrPpz2HKEReyArFz47FmWC3Z9REfsCY=\nTimestamp: 1673599771028600100\n\n\u2014 rekor.sigstore.dev wNI9ajBFAiBcmpywRj3UZCOMIzwlHzd5eNYEG1rQgX5VKhHAqM49iQIhAPxul/hYfn7wHRCh8/LTXFpLbB3vieU4mqLEPZSUdX4L\n", 6915767)]
    public void Verifies_a_real_rekor_checkpoint(string escapedNote, long size)
    {
        var note = System.Text.RegularExpressions.Regex.Unescape(escapedNote);
        var rekorVkeyMaterial = Convert.FromBase64String("AjBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABNhtmPtrWm3U1eQXBogSMdGvXwBcK5AW5i0hrZLOC96l+smGNM7nwZ4QvFK/4sueRoVj//QP22Ni4Qt9DPfkWLc=");
        rekorVkeyMaterial[0].ShouldBe(CheckpointKeys.SignatureTypeEcdsa);
        using var rekor = ECDsa.Create();
        rekor.ImportSubjectPublicKeyInfo(rekorVkeyMaterial.AsSpan(1), out _);

        // Rekor's log ID is SHA-256 of its SPKI: c0d23d6ad406973f9559f3ba2d1ca01f84147d8ffc5b8445c224f98b9591801d.
        CheckpointKeys.KeyId(rekor).ShouldBe(0xc0d23d6au);
        CheckpointVerifier.TryParseAndVerify(note, rekor, "rekor.sigstore.dev", null, out var checkpoint, out var error).ShouldBeTrue(error);
        checkpoint.TreeSize.ShouldBe(size);
        checkpoint.Origin.ShouldBe("rekor.sigstore.dev - 2605736670972794746");
        CheckpointVerifier.TryParseAndVerify(note.Replace(size.ToString(System.Globalization.CultureInfo.InvariantCulture), "1", StringComparison.Ordinal), rekor, out _, out _).ShouldBeFalse();
    }

    [Fact]
    public void Only_p256_keys_and_valid_names_are_accepted()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        Should.Throw<ArgumentException>(() => new CheckpointSigner(p384, Origin));
        Should.Throw<ArgumentException>(() => new CheckpointSigner(_key, "has space"));
        Should.Throw<ArgumentException>(() => new CheckpointSigner(_key, "has+plus"));
        Should.Throw<ArgumentException>(() => new CheckpointSigner(_key, Origin).Sign("two\nlines", 1, _root));
        Should.Throw<ArgumentException>(() => new CheckpointSigner(_key, Origin).Sign(Origin, 1, new byte[31]));
    }
}
