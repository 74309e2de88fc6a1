using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace OpenPars.Core.Audit;

/// <summary>Parses a checkpoint note and verifies its signature by one trusted key (c2sp.org/signed-note rules).</summary>
public static class CheckpointVerifier
{
    private const string SignaturePrefix = "\u2014 ";
    private const int MaxSignatureLines = 64;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Accepts the note if a signature line carrying the key's ID verifies, whatever the line's key name.</summary>
    public static bool TryParseAndVerify(
        string noteText, ECDsa publicKey, [NotNullWhen(true)] out Checkpoint? checkpoint, [NotNullWhen(false)] out string? error) =>
        TryParseAndVerify(noteText, publicKey, keyName: null, expectedOrigin: null, out checkpoint, out error);

    /// <param name="noteText">The signed note, as published.</param>
    /// <param name="publicKey">The log's P-256 public key.</param>
    /// <param name="keyName">When given, only signature lines with this key name count (the spec identifies a key by name and ID).</param>
    /// <param name="expectedOrigin">When given, the checkpoint must be for this log.</param>
    /// <param name="checkpoint">The verified checkpoint.</param>
    /// <param name="error">Why the note was refused.</param>
    public static bool TryParseAndVerify(
        string noteText,
        ECDsa publicKey,
        string? keyName,
        string? expectedOrigin,
        [NotNullWhen(true)] out Checkpoint? checkpoint,
        [NotNullWhen(false)] out string? error)
    {
        checkpoint = null;
        error = Check(noteText, publicKey, keyName, expectedOrigin, ref checkpoint);
        return error is null;
    }

    /// <summary>
    /// Accepts the note if a signature by any of <paramref name="publicKeys"/> verifies (a rotated log: the current key
    /// and every retired one). A signature line carrying one of the keys' IDs that does not verify refuses the note.
    /// </summary>
    /// <param name="noteText">The signed note, as published.</param>
    /// <param name="publicKeys">The log's P-256 public keys, current and retired.</param>
    /// <param name="keyName">When given, only signature lines with this key name count.</param>
    /// <param name="expectedOrigin">When given, the checkpoint must be for this log.</param>
    /// <param name="checkpoint">The verified checkpoint.</param>
    /// <param name="error">Why the note was refused.</param>
    public static bool TryParseAndVerifyAny(
        string noteText,
        IReadOnlyList<ECDsa> publicKeys,
        string? keyName,
        string? expectedOrigin,
        [NotNullWhen(true)] out Checkpoint? checkpoint,
        [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(publicKeys);
        checkpoint = null;
        error = "No key to verify the checkpoint with.";
        foreach (var key in publicKeys)
        {
            error = Check(noteText, key, keyName, expectedOrigin, ref checkpoint);
            if (error is null && checkpoint is not null)
            {
                return true;
            }

            error ??= "The note did not parse.";

            // A bad signature by a known key is damage, whatever the other keys say.
            if (!error.StartsWith(NoSignatureByKey, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>The signed-note key ID (hex) of every signature line of <paramref name="noteText"/>, in order; empty when it has none that parse.</summary>
    public static IReadOnlyList<string> SignerKeyIds(string noteText)
    {
        ArgumentNullException.ThrowIfNull(noteText);
        var split = noteText.LastIndexOf("\n\n", StringComparison.Ordinal);
        if (split < 0 || !noteText.EndsWith('\n') || split + 2 >= noteText.Length)
        {
            return [];
        }

        return [.. noteText[(split + 2)..^1].Split('\n')
            .Select(line => TryParseSignatureLine(line, out _, out var blob) ? BinaryPrimitives.ReadUInt32BigEndian(blob).ToString("x8", CultureInfo.InvariantCulture) : null)
            .OfType<string>()];
    }

    private const string NoSignatureByKey = "The note carries no signature by the trusted key";

    private static string? Check(string noteText, ECDsa publicKey, string? keyName, string? expectedOrigin, ref Checkpoint? checkpoint)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        if (string.IsNullOrEmpty(noteText) || !noteText.EndsWith('\n'))
        {
            return "A signed note ends with a newline.";
        }

        if (noteText.Any(c => c < 0x20 && c != '\n'))
        {
            return "A signed note holds no control characters other than newline.";
        }

        // The text ends at the last blank line; everything after it is signature lines.
        var split = noteText.LastIndexOf("\n\n", StringComparison.Ordinal);
        if (split < 0 || split + 2 >= noteText.Length)
        {
            return "The note has no signature lines after a blank line.";
        }

        var body = noteText[..(split + 1)];
        var signatureLines = noteText[(split + 2)..^1].Split('\n');
        if (signatureLines.Length > MaxSignatureLines)
        {
            return $"The note has more than {MaxSignatureLines} signatures.";
        }

        byte[] bodyBytes;
        try
        {
            bodyBytes = StrictUtf8.GetBytes(body);
        }
        catch (EncoderFallbackException)
        {
            return "The note is not valid Unicode text.";
        }

        var keyId = CheckpointKeys.KeyId(publicKey);
        var matched = false;
        foreach (var line in signatureLines)
        {
            if (!TryParseSignatureLine(line, out var lineKeyName, out var blob))
            {
                return $"Malformed signature line \"{line}\".";
            }

            // Signatures by other keys (witnesses, a rotated key) are ignored, as the spec requires.
            if (BinaryPrimitives.ReadUInt32BigEndian(blob) != keyId || (keyName is not null && lineKeyName != keyName))
            {
                continue;
            }

            if (!publicKey.VerifyData(bodyBytes, blob.AsSpan(4), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence))
            {
                return $"The signature by {lineKeyName} (key ID {keyId:x8}) does not verify: the checkpoint was altered or not signed by this key.";
            }

            matched = true;
        }

        if (!matched)
        {
            return $"{NoSignatureByKey} (key ID {keyId:x8}).";
        }

        var parseError = TryParseBody(body, out var origin, out var treeSize, out var rootHash);
        if (parseError is not null)
        {
            return parseError;
        }

        if (expectedOrigin is not null && origin != expectedOrigin)
        {
            return $"The checkpoint is for log \"{origin}\", not \"{expectedOrigin}\".";
        }

        checkpoint = new Checkpoint(origin, treeSize, rootHash, noteText);
        return null;
    }

    private static bool TryParseSignatureLine(string line, out string keyName, out byte[] blob)
    {
        keyName = string.Empty;
        blob = [];
        if (!line.StartsWith(SignaturePrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = line[SignaturePrefix.Length..];
        var space = rest.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0)
        {
            return false;
        }

        keyName = rest[..space];
        var base64 = rest[(space + 1)..];
        if (!CheckpointKeys.IsValidKeyName(keyName) || base64.Contains(' ', StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            blob = Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            return false;
        }

        // Canonical base64 only (no stray padding bits), as for the root: one signature line, one spelling.
        return blob.Length > 4 && Convert.ToBase64String(blob) == base64;
    }

    private static string? TryParseBody(string body, out string origin, out long treeSize, out byte[] rootHash)
    {
        origin = string.Empty;
        treeSize = 0;
        rootHash = [];
        var lines = body[..^1].Split('\n');
        if (lines.Length < 3 || lines.Any(string.IsNullOrEmpty))
        {
            return "A checkpoint has at least three non-empty lines: origin, tree size, root hash.";
        }

        origin = lines[0];
        var size = lines[1];
        if (!size.All(char.IsAsciiDigit) || (size.Length > 1 && size[0] == '0')
            || !long.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out treeSize))
        {
            return $"Tree size \"{size}\" is not a decimal number without leading zeros.";
        }

        try
        {
            rootHash = Convert.FromBase64String(lines[2]);
        }
        catch (FormatException)
        {
            return "The root hash is not base64.";
        }

        if (rootHash.Length != MerkleHash.Size || Convert.ToBase64String(rootHash) != lines[2])
        {
            return $"The root hash is not the canonical base64 of {MerkleHash.Size} bytes.";
        }

        return null;
    }
}
