using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace OpenPars.Core.Audit;

/// <summary>Signs checkpoints with an ECDSA P-256 private key (see <see cref="CheckpointKeys"/> for the format).</summary>
public sealed class CheckpointSigner
{
    private readonly ECDsa _key;

    /// <param name="keyName">The signature line's key name; c2sp.org/tlog-checkpoint says it SHOULD equal the origin.</param>
/// <param name="privateKey">The P-256 signing key.</param>
    public CheckpointSigner(ECDsa privateKey, string keyName)
    {
        CheckpointKeys.EnsureP256(privateKey);
        CheckpointKeys.EnsureValidKeyName(keyName);
        _key = privateKey;
        KeyName = keyName;
        KeyId = CheckpointKeys.KeyId(privateKey);
    }

    public string KeyName { get; }

    public uint KeyId { get; }

    public Checkpoint Sign(string origin, long treeSize, ReadOnlySpan<byte> rootHash)
    {
        if (string.IsNullOrEmpty(origin) || origin.Any(char.IsControl))
        {
            throw new ArgumentException("The origin is one non-empty line without control characters.", nameof(origin));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(treeSize);
        if (rootHash.Length != MerkleHash.Size)
        {
            throw new ArgumentException($"A root hash is {MerkleHash.Size} bytes.", nameof(rootHash));
        }

        var body = Checkpoint.FormatBody(origin, treeSize, rootHash);
        var signature = _key.SignData(Encoding.UTF8.GetBytes(body), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        var blob = new byte[4 + signature.Length];
        BinaryPrimitives.WriteUInt32BigEndian(blob, KeyId);
        signature.CopyTo(blob, 4);
        var note = $"{body}\n\u2014 {KeyName} {Convert.ToBase64String(blob)}\n";
        return new Checkpoint(origin, treeSize, rootHash.ToArray(), note);
    }
}
