using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using OpenPars.Core.Audit;
using Shouldly;
using Xunit;

namespace OpenPars.Core.Tests.Audit;

/// <summary>
/// Every way a signed checkpoint note can be refused, each with the sentence an auditor reads, and the limits at
/// n − 1, n, n + 1 (64 signature lines, a 4-byte signature blob, a one-digit tree size). Bodies are signed here
/// with the log's key, so each refusal is the one named, not a signature failure in disguise.
/// </summary>
public sealed class CheckpointRefusalTests : IDisposable
{
    private const string Origin = "openpars.example/audit";
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private static readonly string Root = Convert.ToBase64String(SHA256.HashData("root"u8));

    public void Dispose() => _key.Dispose();

    private string KeyIdHex => CheckpointKeys.KeyId(_key).ToString("x8", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>"— name base64(key ID ‖ DER signature)" over <paramref name="body"/>, by our key.</summary>
    private string SignatureLine(string body)
    {
        var blob = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(blob, CheckpointKeys.KeyId(_key));
        var signature = _key.SignData(Encoding.UTF8.GetBytes(body), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        return $"\u2014 {Origin} {Convert.ToBase64String([.. blob, .. signature])}";
    }

    private string Note(string body, params string[] otherLines) => body + "\n" + string.Join("", otherLines.Select(l => l + "\n")) + SignatureLine(body) + "\n";

    private string? Refusal(string note)
    {
        CheckpointVerifier.TryParseAndVerify(note, _key, out var checkpoint, out var error).ShouldBe(error is null);
        (checkpoint is null).ShouldBe(error is not null);
        return error;
    }

    [Fact]
    public void A_well_formed_note_signed_by_our_key_verifies()
    {
        Refusal(Note($"{Origin}\n5\n{Root}\n")).ShouldBeNull();
        Refusal(Note($"{Origin}\n0\n{Root}\n")).ShouldBeNull(); // a one-digit size may be 0
        Refusal(Note($"{Origin}\n5\n{Root}\nextension line\n")).ShouldBeNull();
    }

    [Theory]
    [InlineData("", "A signed note ends with a newline.")]
    [InlineData("origin\n5\nroot", "A signed note ends with a newline.")]
    [InlineData("origin\n5\nroot\n", "The note has no signature lines after a blank line.")]
    [InlineData("origin\n5\nroot\n\n", "The note has no signature lines after a blank line.")]
    [InlineData("origin\t\n5\nroot\n\n\u2014 x AAAA\n", "A signed note holds no control characters other than newline.")]
    [InlineData("origin\n5\nroot\n\n\u2014 x AAAAAA==\n", "Malformed signature line \"\u2014 x AAAAAA==\".")]   // a 4-byte blob holds no signature
    [InlineData("origin\n5\nroot\n\n\u2014 x AAAAAAA=\n", "The note carries no signature by the trusted key")] // 5 bytes: parsed, another key
    [InlineData("origin\n5\nroot\n\n\u2014 x AAAAAAB=\n", "Malformed signature line")]                     // not canonical base64
    [InlineData("origin\n5\nroot\n\n\u2014 x AAAA AAAA\n", "Malformed signature line")]                    // a space in the base64
    [InlineData("origin\n5\nroot\n\n\u2014 a+b AAAAAAA=\n", "Malformed signature line")]                    // '+' in the key name
    [InlineData("origin\n5\nroot\n\n- x AAAAAAA=\n", "Malformed signature line")]                          // not an em dash
    [InlineData("origin\n5\nroot\n\n\u2014 AAAAAAA=\n", "Malformed signature line")]                        // no key name
    [InlineData("origin\n5\nroot\n\n\u2014 x !!!!\n", "Malformed signature line")]                          // not base64
    public void A_malformed_note_is_refused_with_what_is_wrong(string note, string says) =>
        Refusal(note).ShouldNotBeNull().ShouldStartWith(says);

    [Fact]
    public void A_control_character_anywhere_is_refused_not_only_when_every_character_is_one() =>
        Refusal(Note($"{Origin}\n5\n{Root}\n").Replace("\n5\n", "\n5\r\n", StringComparison.Ordinal)).ShouldBe("A signed note holds no control characters other than newline.");

    [Fact]
    public void A_body_that_is_not_valid_unicode_is_refused() =>
        Refusal($"{Origin}\ud800\n5\n{Root}\n\n\u2014 x AAAAAAA=\n").ShouldBe("The note is not valid Unicode text.");

    [Fact]
    public void Up_to_64_signature_lines_are_read_and_65_are_refused()
    {
        var body = $"{Origin}\n5\n{Root}\n";
        var cosignature = $"\u2014 witness.example {Convert.ToBase64String(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 })}";
        Refusal(Note(body, [.. Enumerable.Repeat(cosignature, 62)])).ShouldBeNull();
        Refusal(Note(body, [.. Enumerable.Repeat(cosignature, 63)])).ShouldBeNull(); // 64 lines with ours
        Refusal(Note(body, [.. Enumerable.Repeat(cosignature, 64)])).ShouldBe("The note has more than 64 signatures.");
    }

    [Theory]
    [InlineData("openpars.example/audit\n5\n", "A checkpoint has at least three non-empty lines: origin, tree size, root hash.")]
    [InlineData("openpars.example/audit\n012\nROOT\n", "Tree size \"012\" is not a decimal number without leading zeros.")]
    [InlineData("openpars.example/audit\n00\nROOT\n", "Tree size \"00\" is not a decimal number without leading zeros.")]
    [InlineData("openpars.example/audit\n1a\nROOT\n", "Tree size \"1a\" is not a decimal number without leading zeros.")]
    [InlineData("openpars.example/audit\n+5\nROOT\n", "Tree size \"+5\" is not a decimal number without leading zeros.")]
    [InlineData("openpars.example/audit\n99999999999999999999\nROOT\n", "Tree size \"99999999999999999999\" is not a decimal number without leading zeros.")]
    [InlineData("openpars.example/audit\n5\nnot base64!\n", "The root hash is not base64.")]
    [InlineData("openpars.example/audit\n5\nAAAA\n", "The root hash is not the canonical base64 of 32 bytes.")]
    public void A_signed_body_that_is_not_a_checkpoint_is_refused_with_what_is_wrong(string body, string says) =>
        Refusal(Note(body.Replace("ROOT", Root, StringComparison.Ordinal))).ShouldBe(says);

    [Fact]
    public void A_root_in_non_canonical_base64_is_refused()
    {
        // The same 32 bytes with the unused low bits of the last character set: one root, one spelling.
        var bytes = Convert.FromBase64String(Root);
        var loose = Root[..^2] + (char)(Root[^2] + 1) + "=";
        Convert.FromBase64String(loose).ShouldBe(bytes);
        Refusal(Note($"{Origin}\n5\n{loose}\n")).ShouldBe("The root hash is not the canonical base64 of 32 bytes.");
    }

    [Fact]
    public void An_altered_body_and_a_note_without_our_signature_are_refused_naming_our_key()
    {
        var note = Note($"{Origin}\n5\n{Root}\n");
        Refusal(note.Replace("\n5\n", "\n6\n", StringComparison.Ordinal)).ShouldBe(
            $"The signature by {Origin} (key ID {KeyIdHex}) does not verify: the checkpoint was altered or not signed by this key.");
        Refusal($"{Origin}\n5\n{Root}\n\n\u2014 witness.example AQIDBAUGBwg=\n").ShouldBe($"The note carries no signature by the trusted key (key ID {KeyIdHex}).");
    }

    [Fact]
    public void Keys_other_than_P256_and_bad_key_names_are_refused_with_the_rule()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        Should.Throw<ArgumentException>(() => new CheckpointSigner(p384, Origin)).Message.ShouldStartWith("Checkpoint keys must be ECDSA on NIST P-256.");
        Should.Throw<ArgumentException>(() => CheckpointKeys.KeyId(p384)).Message.ShouldStartWith("Checkpoint keys must be ECDSA on NIST P-256.");
        Should.Throw<ArgumentException>(() => CheckpointKeys.ExportPublicKeyPem(p384));
        Should.Throw<ArgumentException>(() => CheckpointKeys.VerifierKey(Origin, p384));
        Should.Throw<ArgumentException>(() => new AuditLogVerifier(p384));
        Should.Throw<ArgumentException>(() => CheckpointKeys.ImportPublicKeyPem(p384.ExportSubjectPublicKeyInfoPem())).Message.ShouldStartWith("Not a PEM-encoded NIST P-256 public key.");
        Should.Throw<ArgumentException>(() => new CheckpointSigner(_key, "a b")).Message.ShouldStartWith("A key name is non-empty and holds no spaces");
        Should.Throw<ArgumentException>(() => CheckpointKeys.VerifierKey("a+b", _key)).Message.ShouldStartWith("A key name is non-empty");
        Should.Throw<ArgumentNullException>(() => CheckpointVerifier.TryParseAndVerify($"{Origin}\n5\n{Root}\n\n", null!, out _, out _));
    }

    [Fact]
    public void A_signer_refuses_what_cannot_be_a_checkpoint()
    {
        var signer = new CheckpointSigner(_key, Origin);
        var root = Convert.FromBase64String(Root);
        Should.Throw<ArgumentException>(() => signer.Sign("", 5, root)).Message.ShouldStartWith("The origin is one non-empty line without control characters.");
        Should.Throw<ArgumentException>(() => signer.Sign("two\nlines", 5, root)).Message.ShouldStartWith("The origin is one non-empty line");
        Should.Throw<ArgumentOutOfRangeException>(() => signer.Sign(Origin, -1, root));
        Should.Throw<ArgumentException>(() => signer.Sign(Origin, 5, root.AsSpan(0, 31))).Message.ShouldStartWith("A root hash is 32 bytes.");
        signer.Sign(Origin, 0, root).TreeSize.ShouldBe(0);
    }
}
