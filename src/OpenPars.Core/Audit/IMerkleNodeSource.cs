namespace OpenPars.Core.Audit;

/// <summary>Reads stored perfect-subtree hashes (see <see cref="NodeAddress"/>).</summary>
public interface IMerkleNodeSource
{
    /// <exception cref="KeyNotFoundException">The node is not stored (the subtree is not complete).</exception>
    byte[] GetNode(int level, long index);
}

/// <summary>
/// The asynchronous form takes the whole batch so that a database can answer it in one round trip
/// (every proof needs at most about 2·log2(n) nodes, known before any is read).
/// </summary>
public interface IAsyncMerkleNodeSource
{
    /// <returns>The hashes in the order of <paramref name="addresses"/>.</returns>
    ValueTask<IReadOnlyList<byte[]>> GetNodesAsync(IReadOnlyList<NodeAddress> addresses, CancellationToken cancellationToken = default);
}
