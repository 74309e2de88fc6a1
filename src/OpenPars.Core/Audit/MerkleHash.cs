using System.Buffers;
using System.Security.Cryptography;

namespace OpenPars.Core.Audit;

/// <summary>RFC 9162 §2.1.1 hashing with SHA-256: leaves and interior nodes are domain-separated by a prefix byte.</summary>
public static class MerkleHash
{
    public const int Size = SHA256.HashSizeInBytes;

    private const byte LeafPrefix = 0x00;
    private const byte NodePrefix = 0x01;

    // Entries are usually a few hundred bytes: copying them behind the prefix on the stack and
    // hashing in one call is cheaper than an incremental hash object (one native call, no allocation).
    private const int StackLimit = 1024;

    private static readonly byte[] EmptyRootBytes = SHA256.HashData(ReadOnlySpan<byte>.Empty);

    /// <summary>MTH({}) = SHA-256 of the empty string.</summary>
    public static ReadOnlySpan<byte> EmptyRoot => EmptyRootBytes;

    public static byte[] LeafHash(ReadOnlySpan<byte> entry)
    {
        var hash = new byte[Size];
        LeafHash(entry, hash);
        return hash;
    }

    public static void LeafHash(ReadOnlySpan<byte> entry, Span<byte> destination)
    {
        var length = entry.Length + 1;
        byte[]? rented = null;
        Span<byte> buffer = length <= StackLimit
            ? stackalloc byte[StackLimit]
            : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            buffer[0] = LeafPrefix;
            entry.CopyTo(buffer[1..]);
            SHA256.HashData(buffer[..length], destination);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    public static byte[] NodeHash(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        var hash = new byte[Size];
        NodeHash(left, right, hash);
        return hash;
    }

    /// <remarks><paramref name="destination"/> may overlap <paramref name="left"/> or <paramref name="right"/>.</remarks>
    public static void NodeHash(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right, Span<byte> destination)
    {
        if (left.Length != Size || right.Length != Size)
        {
            throw new ArgumentException($"Node hashes must be {Size} bytes.");
        }

        Span<byte> buffer = stackalloc byte[1 + (2 * Size)];
        buffer[0] = NodePrefix;
        left.CopyTo(buffer[1..]);
        right.CopyTo(buffer[(1 + Size)..]);
        SHA256.HashData(buffer, destination);
    }
}
