using System.Buffers.Binary;
using System.Security.Cryptography;

namespace OpenPars.Core.Audit;

/// <summary>
/// Keys for checkpoint signatures: ECDSA on NIST P-256 over SHA-256, identified the way
/// c2sp.org/signed-note registers signature type 0x02 ("ECDSA signatures as implemented by
/// github.com/transparency-dev/witness", also used by Sigstore Rekor): the key ID is the first four
/// bytes of SHA-256 of the public key's DER SubjectPublicKeyInfo, and signatures are ASN.1 DER.
/// Using the registered type rather than a private one lets an auditor check our checkpoints with
/// existing note tooling given only <see cref="VerifierKey"/>.
/// </summary>
public static class CheckpointKeys
{
    /// <summary>The signed-note signature type identifier byte for ECDSA (c2sp.org/signed-note).</summary>
    public const byte SignatureTypeEcdsa = 0x02;

    private const string P256Oid = "1.2.840.10045.3.1.7";

    /// <summary>SHA-256(SubjectPublicKeyInfo DER)[0..4] read big-endian.</summary>
    public static uint KeyId(ECDsa publicKey)
    {
        EnsureP256(publicKey);
        return KeyId(publicKey.ExportSubjectPublicKeyInfo());
    }

    public static uint KeyId(ReadOnlySpan<byte> subjectPublicKeyInfo) =>
        BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(subjectPublicKeyInfo));

    /// <summary>PEM "PUBLIC KEY" (SubjectPublicKeyInfo), the form to publish for auditors.</summary>
    public static string ExportPublicKeyPem(ECDsa key)
    {
        EnsureP256(key);
        return key.ExportSubjectPublicKeyInfoPem();
    }

    /// <exception cref="ArgumentException">Not a PEM P-256 public key.</exception>
    public static ECDsa ImportPublicKeyPem(string pem)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
            EnsureP256(key);
            return key;
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            key.Dispose();
            throw new ArgumentException("Not a PEM-encoded NIST P-256 public key.", nameof(pem), ex);
        }
    }

    /// <summary>The signed-note verifier key: <c>name+hex(key ID)+base64(0x02 ‖ SPKI DER)</c>.</summary>
    public static string VerifierKey(string keyName, ECDsa publicKey)
    {
        EnsureValidKeyName(keyName);
        EnsureP256(publicKey);
        var spki = publicKey.ExportSubjectPublicKeyInfo();
        return $"{keyName}+{KeyId(spki):x8}+{Convert.ToBase64String([SignatureTypeEcdsa, .. spki])}";
    }

    internal static void EnsureP256(ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var curve = key.ExportParameters(includePrivateParameters: false).Curve;
        if (key.KeySize != 256 || curve.Oid?.Value != P256Oid)
        {
            throw new ArgumentException("Checkpoint keys must be ECDSA on NIST P-256.", nameof(key));
        }
    }

    // signed-note: key names are non-empty and hold no Unicode spaces and no '+'.
    internal static void EnsureValidKeyName(string keyName)
    {
        if (!IsValidKeyName(keyName))
        {
            throw new ArgumentException("A key name is non-empty and holds no spaces, '+' or control characters.", nameof(keyName));
        }
    }

    internal static bool IsValidKeyName(string? keyName) =>
        !string.IsNullOrEmpty(keyName) && !keyName.Any(c => c == '+' || char.IsWhiteSpace(c) || char.IsControl(c));
}
