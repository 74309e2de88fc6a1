using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using OpenPars.Core.Audit;
using OpenPars.Core.Common;
using OpenPars.Storage.Agreements;
using OpenPars.Storage.Audit;
using OpenPars.Storage.Common;

namespace OpenPars.Storage.Events;

/// <summary>
/// The one way events are written and read (Events/README.md). An append takes the next positions from one counter
/// row — whose lock, held to commit, orders appenders, so positions are gapless and become visible in order —, hashes
/// each event, appends the audit entry listing those hashes, and inserts the rows bound to that entry, all in the
/// caller's transaction. A read checks every event's binding (<see cref="EventBinding"/>) and refuses a stream with an
/// event the log does not vouch for (<see cref="ErrorCodes.StoreDamaged"/>): nothing is decided on a forged event.
/// </summary>
public static class EventLog
{
    /// <summary>The counter (table <c>counters</c>) that holds the last position taken.</summary>
    public const string PositionCounter = "event-position";

    private const string SqliteProvider = "Microsoft.EntityFrameworkCore.Sqlite";

    /// <summary>From this many rows, rows go through one prepared INSERT (SQLite) or one binary COPY (PostgreSQL) instead of EF's change tracker.</summary>
    private const int PreparedInsertFrom = 64;

    /// <summary>
    /// Appends <paramref name="events"/> and the audit entry that records them (<paramref name="recordedAs"/>, touching
    /// <paramref name="records"/>, with the trail's notes), inside the caller's transaction.
    /// </summary>
    /// <returns>The rows as stored: position, hash and audit index set.</returns>
    /// <exception cref="DomainException">ConcurrentChange: a stream moved past the version the event follows.</exception>
    public static async Task<IReadOnlyList<EventRow>> AppendAsync(
        OpenParsDbContext db, AuditTrail audit, AuditEventType recordedAs, IEnumerable<string> records, IReadOnlyList<NewEvent> events, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(events);
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("Events are appended inside the transaction of the work that decided them.");
        }

        if (events.Count == 0)
        {
            throw new ArgumentException("An append needs at least one event.", nameof(events));
        }

        // The counter's row lock is held until commit: the appender after us takes its positions after we commit.
        var last = (await db.Database.SqlQuery<long>(db.AdvanceCounterSql(PositionCounter, events.Count)).ToListAsync(ct))[0];
        await EnsureStreamsFollowAsync(db, events, ct);
        if (events.Any(e => e.StreamType is EventStreams.Agreement or EventStreams.Charter))
        {
            // What governs partner access moved: every process's cached streams are stale once this commits.
            await AgreementCache.AdvanceAsync(db, ct);
        }

        var rows = new EventRow[events.Count];
        Parallel.For(0, rows.Length, new ParallelOptions { MaxDegreeOfParallelism = rows.Length < 256 ? 1 : -1 }, i =>
        {
            var e = events[i];
            var row = new EventRow
            {
                Position = last - events.Count + 1 + i,
                StreamType = e.StreamType,
                StreamId = e.StreamId,
                Version = e.Version,
                Type = e.Type,
                Body = e.Body,
                RecordedAt = e.RecordedAt,
                UserId = e.UserId,
                AgencyCode = e.AgencyCode,
            };
            row.Hash = row.Envelope().Hash();
            rows[i] = row;
        });

        var index = await audit.AppendInTransactionAsync(db, recordedAs, records, [.. rows.Select(r => EventEnvelope.Encode(r.Hash))], ct);
        foreach (var row in rows)
        {
            row.AuditIndex = index;
        }

        await InsertAsync(db, rows, ct);

        // PostgreSQL delivers a notification at commit, never before and never for a rollback: other processes'
        // feed dispatchers wake on it (the position only — they read the events from this table).
        if (db.EventsCommittedNotification(last) is { } notify)
        {
            await db.Database.ExecuteSqlAsync(notify, ct);
        }

        return rows;
    }

    /// <summary>One stream's events, oldest first, each checked against its audit entry.</summary>
    /// <exception cref="DomainException">StoreDamaged: an event is not vouched for by the log.</exception>
    public static async Task<IReadOnlyList<EventRow>> ReadAsync(OpenParsDbContext db, string streamType, string streamId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var rows = await db.Events.AsNoTracking().Where(e => e.StreamType == streamType && e.StreamId == streamId).OrderBy(e => e.Version).ToListAsync(ct);
        await EnsureVouchedForAsync(db, rows, ct);
        return rows;
    }

    /// <summary>Every stream of one type, each oldest first, every event checked against its audit entry.</summary>
    /// <exception cref="DomainException">StoreDamaged: an event is not vouched for by the log.</exception>
    public static async Task<ILookup<string, EventRow>> ReadAllAsync(OpenParsDbContext db, string streamType, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var rows = await db.Events.AsNoTracking().Where(e => e.StreamType == streamType).OrderBy(e => e.StreamId).ThenBy(e => e.Version).ToListAsync(ct);
        await EnsureVouchedForAsync(db, rows, ct);
        return rows.ToLookup(r => r.StreamId, StringComparer.Ordinal);
    }

    /// <summary>
    /// The first event of <paramref name="rows"/> (one or more streams, each in version order) the audit log does not
    /// vouch for, or null: versions run 1, 2, … without a gap, and each event passes <see cref="EventBinding.Check"/>
    /// against its entry (one query for the entries, each read once).
    /// </summary>
    public static async Task<AuditFinding?> FindUnvouchedAsync(OpenParsDbContext db, IReadOnlyList<EventRow> rows, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(rows);
        for (var i = 0; i < rows.Count; i++)
        {
            var expected = i > 0 && rows[i - 1].StreamId == rows[i].StreamId && rows[i - 1].StreamType == rows[i].StreamType ? rows[i - 1].Version + 1 : 1;
            if (rows[i].Version != expected)
            {
                return new AuditFinding(AuditDamage.EventMissing, null,
                    $"{rows[i].StreamType} {rows[i].StreamId} jumps to version {rows[i].Version} where version {expected} should be: an event was deleted.", rows[i].Position);
            }
        }

        return await FindUnboundAsync(db, rows, ct);
    }

    /// <summary>The first of <paramref name="rows"/> (any slice of the log) whose binding to its audit entry fails
    /// <see cref="EventBinding.Check"/>, or null; one query for the entries. A feed checks each batch it delivers so.</summary>
    public static async Task<AuditFinding?> FindUnboundAsync(OpenParsDbContext db, IReadOnlyList<EventRow> rows, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(rows);
        var indexes = rows.Where(r => r.AuditIndex is not null).Select(r => r.AuditIndex!.Value).Distinct().ToList();
        var entries = indexes.Count == 0
            ? []
            : await db.AuditEntries.AsNoTracking().Where(a => indexes.Contains(a.Index)).Select(a => new { a.Index, a.Entry, a.LeafHash }).ToDictionaryAsync(a => a.Index, ct);
        foreach (var row in rows)
        {
            var entry = row.AuditIndex is { } index && entries.TryGetValue(index, out var found) ? ((ReadOnlyMemory<byte>)found.Entry, found.LeafHash) : ((ReadOnlyMemory<byte>, byte[])?)null;
            if (EventBinding.Check(new StoredEventRecord(row.Envelope(), row.AuditIndex, row.Hash), entry) is { } finding)
            {
                return finding;
            }
        }

        return null;
    }

    private static async Task EnsureVouchedForAsync(OpenParsDbContext db, IReadOnlyList<EventRow> rows, CancellationToken ct)
    {
        if (await FindUnvouchedAsync(db, rows, ct) is { } finding)
        {
            throw Damaged(finding);
        }
    }

    /// <summary>The refusal for a stream the log does not vouch for: stable code, what is wrong, what to run.</summary>
    public static DomainException Damaged(AuditFinding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        return new DomainException(ErrorCodes.StoreDamaged,
            $"The store is damaged ({finding.Kind}): {finding.Message} Nothing is decided from this history until it is repaired; run `openpars audit verify`.");
    }

    /// <summary>Each stream appended to must still end at the version before the first new one (no event appended to it since it was read).</summary>
    private static async Task EnsureStreamsFollowAsync(OpenParsDbContext db, IReadOnlyList<NewEvent> events, CancellationToken ct)
    {
        foreach (var type in events.Select(e => e.StreamType).Distinct(StringComparer.Ordinal))
        {
            var first = events.Where(e => e.StreamType == type).GroupBy(e => e.StreamId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Min(e => e.Version), StringComparer.Ordinal);
            var ids = first.Keys.ToList();
            var current = await db.Events.Where(e => e.StreamType == type && ids.Contains(e.StreamId)).GroupBy(e => e.StreamId)
                .Select(g => new { StreamId = g.Key, Version = g.Max(e => e.Version) }).ToListAsync(ct);
            var at = current.ToDictionary(c => c.StreamId, c => c.Version, StringComparer.Ordinal);
            foreach (var (id, version) in first)
            {
                if (at.GetValueOrDefault(id) != version - 1)
                {
                    throw new DomainException(ErrorCodes.ConcurrentChange, $"{type} {id} was changed at the same time; reload it and retry.");
                }
            }
        }
    }

    private static async Task InsertAsync(OpenParsDbContext db, EventRow[] rows, CancellationToken ct)
    {
        if (rows.Length >= PreparedInsertFrom && db.Database.ProviderName == SqliteProvider)
        {
            using var insert = new RowInserter<EventRow>(db, db.GetService<ISqlGenerationHelper>(), db.Database.GetDbConnection(), db.Database.CurrentTransaction!.GetDbTransaction(), returnKey: false);
            foreach (var row in rows)
            {
                ct.ThrowIfCancellationRequested();
                insert.Insert(row);
            }

            return;
        }

        if (rows.Length >= PreparedInsertFrom && await db.CopyRowsAsync(rows, withGeneratedKey: false, ct))
        {
            return;
        }

        db.Events.AddRange(rows);
        await db.SaveChangesAsync(ct);
        foreach (var row in rows)
        {
            db.Entry(row).State = EntityState.Detached;
        }
    }
}
