using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using OpenPars.Core.Audit;
using OpenPars.Core.Common;
using OpenPars.Storage.Events;

namespace OpenPars.Storage.Audit;

public sealed record AuditEntryFilter
{
    public long? UserId { get; init; }
    public string? Agency { get; init; }
    public string? ArrestNumber { get; init; }
    public string? Outcome { get; init; }
    public int? EventType { get; init; }

    /// <summary>The entry's refusal code (the verified <c>code</c> column).</summary>
    public string? Code { get; init; }

    /// <summary>The agreement the entry names (the verified <c>agreement_id</c> column: a partner's look, a vote, …).</summary>
    public string? AgreementId { get; init; }

    /// <summary>The purpose a partner stated (the verified <c>purpose</c> column).</summary>
    public string? Purpose { get; init; }

    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }

    /// <summary>Keyset cursor: entries with a smaller index than this (newest first).</summary>
    public long? Before { get; init; }

    public int Limit { get; init; } = 50;
}

public sealed record AuditEntryView(long Index, string LeafHash, JsonNode Entry);

public sealed record AuditEntryPage(long TreeSize, IReadOnlyList<AuditEntryView> Items, string? NextCursor);

public sealed record CheckpointView(long TreeSize, string RootHash, string Note, DateTimeOffset SignedAt);

public sealed record InclusionProofView(long Index, long TreeSize, string LeafHash, IReadOnlyList<string> AuditPath, JsonNode Entry);

public sealed record ConsistencyProofView(long From, long To, IReadOnlyList<string> Proof);

/// <summary>One entry as it was hashed, with what proves it: the newest signed checkpoint and, when the checkpoint covers
/// the entry, its RFC 9162 inclusion path in the tree of the checkpoint's size. What a verifier outside the server
/// (the audit explorer's script) needs, and nothing it must trust the server for.</summary>
/// <param name="Index">The entry's index.</param>
/// <param name="EntryText">The entry's stored bytes as UTF-8 text, exactly the bytes its leaf hash is computed over.</param>
/// <param name="LeafHash">The stored leaf hash (base64), for display: a verifier recomputes it.</param>
/// <param name="TreeSize">The log's size now.</param>
/// <param name="Checkpoint">The newest signed checkpoint; null when none is signed yet.</param>
/// <param name="AuditPath">The inclusion path (base64 node hashes) in the checkpoint's tree; null when the checkpoint
/// does not cover the entry yet (it is signed within ten seconds while the server runs).</param>
public sealed record ProvenEntryView(long Index, string EntryText, string LeafHash, long TreeSize, CheckpointView? Checkpoint, IReadOnlyList<string>? AuditPath);

/// <summary>Reads the audit log: filtered pages, checkpoints, proofs and the full scan a verifier streams.</summary>
public sealed class AuditReader(OpenParsDbContext db)
{
    public Task<long> SizeAsync(CancellationToken ct = default) => db.AuditHead.Where(h => h.Id == 1).Select(h => h.Size).SingleAsync(ct);

    public async Task<AuditEntryPage> EntriesAsync(AuditEntryFilter filter, CancellationToken ct = default)
    {
        var rows = db.AuditEntries.AsNoTracking();
        if (filter.UserId is { } userId)
        {
            rows = rows.Where(e => e.UserId == userId);
        }

        if (filter.Agency is { } agency)
        {
            rows = rows.Where(e => e.AgencyCode == agency);
        }

        if (filter.ArrestNumber is { } number)
        {
            rows = rows.Where(e => db.AuditEntryRecords.Any(r => r.ArrestNumber == number && r.Index == e.Index));
        }

        if (filter.Outcome is { } outcome)
        {
            rows = rows.Where(e => e.Outcome == outcome);
        }

        if (filter.EventType is { } type)
        {
            rows = rows.Where(e => e.EventType == type);
        }

        if (filter.Code is { } code)
        {
            rows = rows.Where(e => e.Code == code);
        }

        if (filter.AgreementId is { } agreementId)
        {
            rows = rows.Where(e => e.AgreementId == agreementId);
        }

        if (filter.Purpose is { } purpose)
        {
            rows = rows.Where(e => e.Purpose == purpose);
        }

        if (filter.From is { } from)
        {
            rows = rows.Where(e => e.RecordedAt >= from);
        }

        if (filter.To is { } to)
        {
            rows = rows.Where(e => e.RecordedAt < to);
        }

        if (filter.Before is { } before)
        {
            rows = rows.Where(e => e.Index < before);
        }

        var page = await rows.OrderByDescending(e => e.Index).Take(filter.Limit + 1).Select(e => new { e.Index, e.LeafHash, e.Entry }).ToListAsync(ct);
        var items = page.Take(filter.Limit).Select(e => new AuditEntryView(e.Index, Convert.ToBase64String(e.LeafHash), JsonNode.Parse(e.Entry)!)).ToList();
        var next = page.Count > filter.Limit ? items[^1].Index.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        return new AuditEntryPage(await SizeAsync(ct), items, next);
    }

    public async Task<CheckpointView?> CheckpointAsync(long? size, CancellationToken ct = default)
    {
        var rows = db.AuditCheckpoints.AsNoTracking();
        var row = size is { } n
            ? await rows.SingleOrDefaultAsync(c => c.TreeSize == n, ct)
            : await rows.OrderByDescending(c => c.TreeSize).FirstOrDefaultAsync(ct);
        return row is null ? null : ToView(row);
    }

    public async Task<InclusionProofView> InclusionProofAsync(long index, long treeSize, CancellationToken ct = default)
    {
        var size = await SizeAsync(ct);
        if (treeSize < 1 || treeSize > size || index < 0 || index >= treeSize)
        {
            throw new DomainException(ErrorCodes.AuditRangeInvalid, $"Need 0 ≤ index < treeSize ≤ {size} (the log's size).");
        }

        var entry = await db.AuditEntries.AsNoTracking().Where(e => e.Index == index).Select(e => new { e.LeafHash, e.Entry }).SingleAsync(ct);
        var path = await MerkleTree.InclusionProofAsync(index, treeSize, new StoredMerkleNodes(db), ct);
        return new InclusionProofView(index, treeSize, Convert.ToBase64String(entry.LeafHash), path.Select(Convert.ToBase64String).ToList(), JsonNode.Parse(entry.Entry)!);
    }

    /// <summary>Entry <paramref name="index"/> with the newest checkpoint and its inclusion path there; null when the
    /// log has no such entry.</summary>
    public async Task<ProvenEntryView?> ProvenEntryAsync(long index, CancellationToken ct = default)
    {
        var entry = await db.AuditEntries.AsNoTracking().Where(e => e.Index == index).Select(e => new { e.LeafHash, e.Entry }).SingleOrDefaultAsync(ct);
        if (entry is null)
        {
            return null;
        }

        var size = await SizeAsync(ct);
        var checkpoint = await CheckpointAsync(null, ct);
        IReadOnlyList<string>? path = null;
        if (checkpoint is not null && index < checkpoint.TreeSize)
        {
            path = (await MerkleTree.InclusionProofAsync(index, checkpoint.TreeSize, new StoredMerkleNodes(db), ct)).Select(Convert.ToBase64String).ToList();
        }

        return new ProvenEntryView(index, System.Text.Encoding.UTF8.GetString(entry.Entry), Convert.ToBase64String(entry.LeafHash), size, checkpoint, path);
    }

    public async Task<ConsistencyProofView> ConsistencyProofAsync(long from, long to, CancellationToken ct = default)
    {
        var size = await SizeAsync(ct);
        if (from < 1 || from > to || to > size)
        {
            throw new DomainException(ErrorCodes.AuditRangeInvalid, $"Need 1 ≤ from ≤ to ≤ {size} (the log's size).");
        }

        var proof = await MerkleTree.ConsistencyProofAsync(from, to, new StoredMerkleNodes(db), ct);
        return new ConsistencyProofView(from, to, proof.Select(Convert.ToBase64String).ToList());
    }

    /// <summary>Every entry in index order with its stored leaf hash: what `audit verify` and `audit export` stream.</summary>
    public async IAsyncEnumerable<AuditLogRecord> ScanAsync(long fromIndex = 0, long toIndexExclusive = long.MaxValue, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await foreach (var row in db.AuditEntries.AsNoTracking().Where(e => e.Index >= fromIndex && e.Index < toIndexExclusive).OrderBy(e => e.Index)
                           .Select(e => new { e.Index, e.Entry, e.LeafHash }).AsAsyncEnumerable().WithCancellation(ct))
        {
            yield return new AuditLogRecord(row.Index, row.Entry, row.LeafHash);
        }
    }

    /// <summary>
    /// What `openpars audit verify` runs on a store: the chain and every signed checkpoint, every query column and
    /// records-index row against its entry's bytes, every event against the entry that recorded it.
    /// </summary>
    public Task<AuditVerificationResult> VerifyAsync(System.Security.Cryptography.ECDsa publicKey, Action<long>? progress = null, CancellationToken ct = default) =>
        VerifyAsync([publicKey], progress, ct);

    /// <summary>As <see cref="VerifyAsync(System.Security.Cryptography.ECDsa, Action{long}?, CancellationToken)"/>, for a log
    /// whose key was rotated: a checkpoint verifies when a signature by any of <paramref name="publicKeys"/> does.</summary>
    /// <param name="publicKeys">The current key and every retired one.</param>
    /// <param name="progress">Called with the number of entries processed.</param>
    /// <param name="ct">Cancels the scan.</param>
    public async Task<AuditVerificationResult> VerifyAsync(IReadOnlyList<System.Security.Cryptography.ECDsa> publicKeys, Action<long>? progress = null, CancellationToken ct = default)
    {
        var notes = (await CheckpointsAsync(ct)).Select(c => c.Note).ToList();
        return await new AuditLogVerifier(publicKeys) { ProgressInterval = 5_000 }.VerifyStoreAsync(SlicesAsync(ct: ct), notes, progress, ct);
    }

    /// <summary>
    /// The whole store as <see cref="AuditLogVerifier.VerifyStoreAsync"/> reads it: entries with their query columns, a
    /// slice of <paramref name="sliceSize"/> indexes at a time, each with the records-index rows and the events that name
    /// an index of the slice (three range queries on indexed columns). Safe while the server appends: an entry, its
    /// index rows and its events commit together, and an index is taken only after every smaller one committed, so rows
    /// are read only for indexes at or below the largest entry seen — except, in the last slice, rows whose index is at
    /// or beyond the log's size read after them, which no commit explains (forged). Unbound events come in the last slice.
    /// </summary>
    public async IAsyncEnumerable<AuditStoreSlice> SlicesAsync(int sliceSize = 4096, [EnumeratorCancellation] CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sliceSize, 1);
        var size = await SizeAsync(ct);
        for (long from = 0; ; from += sliceSize)
        {
            var last = from + sliceSize >= size;
            var entryRows = db.AuditEntries.AsNoTracking().Where(e => e.Index >= from);
            if (!last)
            {
                entryRows = entryRows.Where(e => e.Index < from + sliceSize);
            }

            var entries = await entryRows.OrderBy(e => e.Index)
                .Select(e => new { e.Index, e.Entry, e.LeafHash, e.RecordedAt, e.EventType, e.Outcome, e.Code, e.UserId, e.AgencyCode, e.AgreementId, e.Purpose })
                .ToListAsync(ct);
            var records = db.AuditEntryRecords.AsNoTracking().Where(r => r.Index >= from);
            var events = db.Events.AsNoTracking().Where(e => e.AuditIndex >= from);
            if (!last)
            {
                records = records.Where(r => r.Index < from + sliceSize);
                events = events.Where(e => e.AuditIndex < from + sliceSize);
            }

            var recordRows = await records.OrderBy(r => r.Index).Select(r => new AuditRecordRow(r.Index, r.ArrestNumber)).ToListAsync(ct);
            var eventRows = await events.OrderBy(e => e.AuditIndex).ThenBy(e => e.Position).ToListAsync(ct);
            if (last)
            {
                // Rows of entries committed after the entries were read are checked by the next run; rows at or beyond
                // the size read now have no entry that could ever commit with them.
                var seen = entries.Count == 0 ? from - 1 : entries[^1].Index;
                var sizeNow = await SizeAsync(ct);
                recordRows.RemoveAll(r => r.Index > seen && r.Index < sizeNow);
                eventRows.RemoveAll(e => e.AuditIndex > seen && e.AuditIndex < sizeNow);
                eventRows.AddRange(await db.Events.AsNoTracking().Where(e => e.AuditIndex == null).OrderBy(e => e.Position).ToListAsync(ct));
            }

            yield return new AuditStoreSlice(
                [.. entries.Select(e => new AuditLogRecord(e.Index, e.Entry, e.LeafHash, new AuditEntryColumns(e.RecordedAt, e.EventType, e.Outcome, e.Code, e.UserId, e.AgencyCode, e.AgreementId, e.Purpose)))],
                recordRows,
                [.. eventRows.Select(e => new StoredEventRecord(e.Envelope(), e.AuditIndex, e.Hash))]);
            if (last)
            {
                yield break;
            }
        }
    }

    public async Task<IReadOnlyList<CheckpointView>> CheckpointsAsync(CancellationToken ct = default) =>
        (await db.AuditCheckpoints.AsNoTracking().OrderBy(c => c.TreeSize).ToListAsync(ct)).Select(ToView).ToList();

    private static CheckpointView ToView(AuditCheckpointRow row)
    {
        var rootLine = row.Note.Split('\n')[2];
        return new CheckpointView(row.TreeSize, rootLine, row.Note, row.SignedAt);
    }
}
