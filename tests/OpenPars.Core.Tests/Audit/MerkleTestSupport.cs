using System.Security.Cryptography;
using OpenPars.Core.Audit;

namespace OpenPars.Core.Tests.Audit;

/// <summary>Reference material written straight from RFC 9162 §2.1, independent of the code under test.</summary>
internal static class MerkleReference
{
    public static readonly string[] CtLeafInputsHex =
    [
        "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f",
    ];

    public static byte[] Leaf(byte[] data) => SHA256.HashData([0x00, .. data]);

    public static byte[] Node(byte[] left, byte[] right) => SHA256.HashData([0x01, .. left, .. right]);

    /// <summary>MTH(D[n]) exactly as the RFC's recursive definition, over leaf hashes.</summary>
    public static byte[] Mth(IReadOnlyList<byte[]> leafHashes, int start, int end)
    {
        var n = end - start;
        if (n == 0)
        {
            return SHA256.HashData([]);
        }

        if (n == 1)
        {
            return leafHashes[start];
        }

        var k = 1;
        while (k * 2 < n)
        {
            k *= 2;
        }

        return Node(Mth(leafHashes, start, start + k), Mth(leafHashes, start + k, end));
    }

    public static byte[] Mth(IReadOnlyList<byte[]> leafHashes) => Mth(leafHashes, 0, leafHashes.Count);

    public static List<byte[]> LeafHashes(int count) =>
        [.. Enumerable.Range(0, count).Select(i => Leaf(BitConverter.GetBytes(i * 2654435761L)))];

    public static InMemoryMerkleLog Log(IEnumerable<byte[]> leafHashes)
    {
        var log = new InMemoryMerkleLog();
        foreach (var h in leafHashes)
        {
            log.AppendLeafHash(h);
        }

        return log;
    }
}

internal sealed class CountingNodeSource(IMerkleNodeSource inner) : IMerkleNodeSource
{
    public int Reads { get; private set; }

    public byte[] GetNode(int level, long index)
    {
        Reads++;
        return inner.GetNode(level, index);
    }
}

internal sealed class CountingAsyncNodeSource(IAsyncMerkleNodeSource inner) : IAsyncMerkleNodeSource
{
    public int Calls { get; private set; }

    public ValueTask<IReadOnlyList<byte[]>> GetNodesAsync(IReadOnlyList<NodeAddress> addresses, CancellationToken cancellationToken = default)
    {
        Calls++;
        return inner.GetNodesAsync(addresses, cancellationToken);
    }
}
