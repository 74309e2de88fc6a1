using Microsoft.EntityFrameworkCore;
using OpenPars.Core.Audit;

namespace OpenPars.Storage.Audit;

/// <summary>
/// Appends entries to the Merkle log inside the caller's transaction, so a write and its entry commit or fail
/// together. An append reads O(log n) stored nodes (the frontier) and writes the leaf and the subtrees it
/// completes; every <see cref="CheckpointEvery"/> entries it also signs a checkpoint.
/// </summary>
public sealed class AuditLog(AuditSigning signing, TimeProvider clock)
{
    public const int CheckpointEvery = 1000;

    public AuditSigning Signing => signing;

    /// <returns>The index of the first appended entry.</returns>
    public async Task<long> AppendAsync(OpenParsDbContext db, IReadOnlyList<AuditEntry> entries, CancellationToken ct = default)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("Audit entries are appended inside the transaction of the work they record.");
        }

        if (entries.Count == 0)
        {
            return -1;
        }

        // Advancing the head first takes the append lock (PostgreSQL row lock; SQLite's single writer).
        var newSize = (await db.Database.SqlQuery<long>($"UPDATE audit_head SET size = size + {entries.Count} WHERE id = 1 RETURNING size AS \"Value\"").ToListAsync(ct))[0];
        var start = newSize - entries.Count;
        var nodes = await LoadNodesAsync(db, MerkleAppender.FrontierAddresses(start), ct);

        for (var i = 0; i < entries.Count; i++)
        {
            var index = start + i;
            var entry = entries[i];
            var bytes = entry.CanonicalBytes(index);
            var leaf = MerkleHash.LeafHash(bytes);
            var siblings = MerkleAppender.SiblingsNeeded(index).Select(a => nodes[a]).ToList();
            foreach (var node in MerkleAppender.Append(index, leaf, siblings))
            {
                nodes[node.Address] = node.Hash;
                db.AuditNodes.Add(new AuditNodeRow { NodeId = AuditNodeRow.Id(node.Address.Level, node.Address.Index), Hash = node.Hash });
            }

            // The query columns and the records index are derived from the bytes, by the definition `audit verify` checks them with.
            if (!AuditEntryFacts.TryRead(bytes, out var facts, out var error))
            {
                throw new InvalidOperationException($"Audit entry {index} cannot be read back: {error}.");
            }

            var columns = facts.Columns;
            db.AuditEntries.Add(new AuditEntryRow
            {
                Index = index,
                RecordedAt = columns.RecordedAt,
                EventType = columns.EventType,
                Outcome = columns.Outcome,
                Code = columns.Code,
                UserId = columns.UserId,
                AgencyCode = columns.AgencyCode,
                AgreementId = columns.AgreementId,
                Purpose = columns.Purpose,
                Entry = bytes,
                LeafHash = leaf,
            });
            foreach (var record in facts.Records)
            {
                db.AuditEntryRecords.Add(new AuditEntryRecordRow { ArrestNumber = record, Index = index });
            }
        }

        if (newSize / CheckpointEvery > start / CheckpointEvery)
        {
            var root = MerkleTreeBuilder.FromFrontier(newSize, MerkleAppender.FrontierAddresses(newSize).Select(a => nodes[a]).ToList()).RootHash();
            AddCheckpoint(db, newSize, root);
        }

        await db.SaveChangesAsync(ct);
        return start;
    }

    /// <summary>Signs a checkpoint of the current tree if entries arrived since the last one (the 10-second timer).</summary>
    public async Task<bool> CheckpointIfBehindAsync(OpenParsDbContext db, CancellationToken ct = default)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var size = (await db.Database.SqlQuery<long>($"UPDATE audit_head SET size = size WHERE id = 1 RETURNING size AS \"Value\"").ToListAsync(ct))[0];
        var last = await db.AuditCheckpoints.MaxAsync(c => (long?)c.TreeSize, ct) ?? 0;
        if (size == 0 || size <= last)
        {
            return false;
        }

        var nodes = await LoadNodesAsync(db, MerkleAppender.FrontierAddresses(size), ct);
        var root = MerkleTreeBuilder.FromFrontier(size, MerkleAppender.FrontierAddresses(size).Select(a => nodes[a]).ToList()).RootHash();
        AddCheckpoint(db, size, root);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return true;
    }

    public static async Task<Dictionary<NodeAddress, byte[]>> LoadNodesAsync(OpenParsDbContext db, IReadOnlyList<NodeAddress> addresses, CancellationToken ct)
    {
        var ids = addresses.Select(a => AuditNodeRow.Id(a.Level, a.Index)).ToList();
        var found = ids.Count == 0 ? [] : await db.AuditNodes.AsNoTracking().Where(n => ids.Contains(n.NodeId)).ToDictionaryAsync(n => n.NodeId, n => n.Hash, ct);
        var result = new Dictionary<NodeAddress, byte[]>();
        foreach (var address in addresses)
        {
            result[address] = found.TryGetValue(AuditNodeRow.Id(address.Level, address.Index), out var hash)
                ? hash
                : throw new InvalidOperationException($"Audit node ({address.Level}, {address.Index}) is missing: the log is damaged; run `openpars audit verify`.");
        }

        return result;
    }

    private void AddCheckpoint(OpenParsDbContext db, long size, byte[] root)
    {
        var checkpoint = signing.Sign(size, root);
        db.AuditCheckpoints.Add(new AuditCheckpointRow { TreeSize = size, Note = checkpoint.NoteText, SignedAt = clock.GetUtcNow() });
    }
}

/// <summary>Stored nodes as an <see cref="IAsyncMerkleNodeSource"/>: each proof is one query.</summary>
public sealed class StoredMerkleNodes(OpenParsDbContext db) : IAsyncMerkleNodeSource
{
    public async ValueTask<IReadOnlyList<byte[]>> GetNodesAsync(IReadOnlyList<NodeAddress> addresses, CancellationToken cancellationToken = default)
    {
        var nodes = await AuditLog.LoadNodesAsync(db, addresses, cancellationToken);
        return addresses.Select(a => nodes[a]).ToList();
    }
}
