using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using OpenPars.Core.Agreements;
using OpenPars.Core.Arrests;
using OpenPars.Core.Arrests.Reference;
using OpenPars.Core.Audit;
using OpenPars.Core.Common;
using OpenPars.Core.Feeds;
using OpenPars.Core.Policy;
using OpenPars.Core.Watches;
using OpenPars.Storage.Agreements;
using OpenPars.Storage.Audit;
using OpenPars.Storage.Common;
using OpenPars.Storage.Events;
using OpenPars.Storage.Feeds;

namespace OpenPars.Storage.Watches;

/// <summary>
/// Partner watches as streams of the one event log (<see cref="EventStreams.PartnerWatch"/>) with their projection
/// (<see cref="PartnerWatchRow"/>), each write with its audit entry in one transaction: registration (11010), cancellation
/// (11012) and every match (11013). The agency's active-watch quota is counted under a lock (<see cref="ReserveAsync"/>),
/// so concurrent registrations at the quota create exactly as many as it allows; a match is appended at most once per
/// (watch, arrest event) by the primary key of <c>partner_watch_matches</c>.
/// </summary>
public sealed class WatchStore(OpenParsDbContext db, TimeProvider clock, AuditTrail audit)
{
    /// <summary>The agency code the matcher's events are recorded as (no user decided them).</summary>
    public const string MatcherAgency = "SYSTEM";

    /// <summary>The feed consumer mark of the server-run matcher (<c>feed_consumers</c>).</summary>
    public const string MatcherConsumer = "watches:matcher";

    /// <summary>The agency's watches active at <paramref name="now"/>, as committed (no lock: the early refusal).</summary>
    public Task<int> CountActiveAsync(string agencyCode, DateTimeOffset now, CancellationToken ct = default) =>
        Active(db.PartnerWatches.AsNoTracking(), now).CountAsync(w => w.AgencyCode == agencyCode, ct);

    /// <summary>
    /// Opens a registration's transaction and locks the agency's watch counter (the <c>counters</c> row
    /// <c>partner-watches:&lt;agency&gt;</c>: PostgreSQL's row lock, SQLite's single writer) before counting its active
    /// watches: a competing registration waits for this one to commit or roll back, then counts it.
    /// </summary>
    public async Task<WatchReservation> ReserveAsync(string agencyCode, DateTimeOffset now, CancellationToken ct = default)
    {
        var tx = await db.Database.BeginTransactionAsync(ct);
        try
        {
            await db.Database.SqlQuery<long>(db.AdvanceCounterSql("partner-watches:" + agencyCode, 1)).ToListAsync(ct);
            var active = await Active(db.PartnerWatches.AsNoTracking(), now).CountAsync(w => w.AgencyCode == agencyCode, ct);
            return new WatchReservation(db, tx, audit, active);
        }
        catch
        {
            await tx.DisposeAsync();
            throw;
        }
    }

    /// <summary>The watches of one agency (or every agency's when null), newest first; only active ones at
    /// <paramref name="now"/> when <paramref name="activeOnly"/>.</summary>
    public async Task<IReadOnlyList<PartnerWatchRow>> ListAsync(string? agencyCode, DateTimeOffset now, bool activeOnly, CancellationToken ct = default)
    {
        var rows = db.PartnerWatches.AsNoTracking();
        if (agencyCode is not null)
        {
            rows = rows.Where(w => w.AgencyCode == agencyCode);
        }

        if (activeOnly)
        {
            rows = Active(rows, now);
        }

        return await rows.OrderByDescending(w => w.RegisteredPosition).ToListAsync(ct);
    }

    /// <summary>Cancels a watch of <paramref name="agencyCode"/>: another agency's id is refused as no watch
    /// (<see cref="WatchErrorCodes.WatchNotFound"/>), an ended one with <see cref="WatchErrorCodes.WatchEnded"/>.</summary>
    public async Task<PartnerWatchRow> CancelAsync(string watchId, string agencyCode, Core.Arrests.Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var row = await db.PartnerWatches.SingleOrDefaultAsync(w => w.WatchId == watchId && w.AgencyCode == agencyCode, ct)
            ?? throw NotFound();
        var now = StoredTime.Now(clock);
        if (row.CancelledAt is not null || now >= row.ExpiresAt)
        {
            throw new DomainException(WatchErrorCodes.WatchEnded, "This watch was cancelled or has expired.");
        }

        row.CancelledAt = now;
        await db.SaveChangesAsync(ct);
        var version = await NextVersionAsync(watchId, ct);
        try
        {
            await EventLog.AppendAsync(db, audit, AuditEventType.WatchCancelled, [],
                [new NewEvent(EventStreams.PartnerWatch, watchId, version, WatchCancelled.Type, new WatchCancelled(watchId, actor.UserId, actor.UserName, now).ToJson(), now, actor.UserId, actor.AgencyCode)], ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateException)
        {
            throw new DomainException(ErrorCodes.ConcurrentChange, "The watch changed at the same time; list your watches and retry.");
        }

        return row;
    }

    /// <summary>The refusal for a watch id the caller's agency does not have (it never repeats the id).</summary>
    public static DomainException NotFound() => new(WatchErrorCodes.WatchNotFound, "Your agency has no watch with this id.");

    /// <summary>The watches that may match an event in <paramref name="batch"/>: registered before its last event,
    /// not expired or cancelled before its first event's instant.</summary>
    public async Task<IReadOnlyList<PartnerWatchRow>> CandidatesAsync(IReadOnlyList<FeedEvent> batch, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count == 0)
        {
            return [];
        }

        var last = batch[^1].Position;
        var earliest = batch.Min(e => e.RecordedAt);
        return await db.PartnerWatches.AsNoTracking()
            .Where(w => w.RegisteredPosition < last && w.ExpiresAt > earliest && (w.CancelledAt == null || w.CancelledAt > earliest))
            .ToListAsync(ct);
    }

    /// <summary>Does the arrest <paramref name="arrestNumber"/>, as it stands, answer a partner search with the watch's
    /// criteria under <paramref name="document"/>'s row scope at <paramref name="at"/>? The same WHERE as a search
    /// (<see cref="PartnerArrestQuery.Filter"/>): a watch never tells of an arrest its agreement would not let it find.</summary>
    public Task<bool> MatchesAsync(PartnerWatchRow watch, AgreementDocument document, int version, string arrestNumber, DateTimeOffset at, StatuteCatalog statutes, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(watch);
        ArgumentNullException.ThrowIfNull(document);
        return PartnerArrestQuery.Filter(db, Decision(watch, document, version, at), statutes).AnyAsync(a => a.ArrestNumber == arrestNumber, ct);
    }

    private static PolicyDecision.Allowed Decision(PartnerWatchRow watch, AgreementDocument document, int version, DateTimeOffset at) =>
        new()
        {
            AgreementId = document.AgreementId,
            AgreementVersion = version,
            ExpiresAt = document.ExpiresAt,
            Operation = PartnerOperation.Watch,
            Purpose = watch.Purpose,
            Scope = document.RowScope,
            BookedSince = document.RowScope.BookedSince(at),
            Columns = [],
            DisclosedFields = [],
            Criteria = CriteriaOf(watch),
            MaxRecords = 1,
        };

    /// <summary>Which of <paramref name="arrestNumbers"/> answer the watch's search under <paramref name="document"/>'s row
    /// scope at <paramref name="earliest"/> or later: one query for a batch of events, a superset of the arrests
    /// <see cref="MatchesAsync"/> finds at any instant from <paramref name="earliest"/> on (the scope's booked-since bound
    /// only moves forward with time), so the matcher asks <see cref="MatchesAsync"/> only about these.</summary>
    public async Task<IReadOnlySet<string>> MatchingAsync(PartnerWatchRow watch, AgreementDocument document, int version, IReadOnlyCollection<string> arrestNumbers, DateTimeOffset earliest, StatuteCatalog statutes, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(watch);
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(arrestNumbers);
        var decision = Decision(watch, document, version, earliest);
        var numbers = arrestNumbers.ToList();
        var found = await PartnerArrestQuery.Filter(db, decision, statutes).Where(a => numbers.Contains(a.ArrestNumber)).Select(a => a.ArrestNumber).ToListAsync(ct);
        return found.ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// Appends the matches found in the events (<paramref name="from"/>, <paramref name="to"/>] — each a
    /// <see cref="WatchMatched"/> on its watch's stream with its own audit entry (11013, the arrest as its record) and
    /// its <c>partner_watch_matches</c> row — and moves the matcher's mark to <paramref name="to"/>, in one transaction.
    /// False when another matcher moved the mark first (nothing is written).
    /// </summary>
    public async Task<bool> AppendMatchesAsync(long from, long to, IReadOnlyList<WatchMatched> matches, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(matches);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (!await FeedConsumers.AdvanceAsync(db, MatcherConsumer, from, to, ct))
        {
            return false;
        }

        try
        {
            foreach (var match in matches)
            {
                var version = await NextVersionAsync(match.WatchId, ct);
                audit.Payload(new Core.Audit.Payloads.WatchV1(match.WatchId, match.AgreementId, EventKind: match.EventKind, MatchedPosition: match.MatchedPosition));
                var rows = await EventLog.AppendAsync(db, audit, AuditEventType.WatchMatched, [match.ArrestNumber],
                    [new NewEvent(EventStreams.PartnerWatch, match.WatchId, version, WatchMatched.Type, match.ToJson(), StoredTime.Now(clock), 0, MatcherAgency)], ct);
                db.WatchMatches.Add(new WatchMatchRow { WatchId = match.WatchId, MatchedPosition = match.MatchedPosition, EventPosition = rows[0].Position });
                await db.SaveChangesAsync(ct);
            }

            await tx.CommitAsync(ct);
            return true;
        }
        catch (DbUpdateException)
        {
            // The primary key of partner_watch_matches: this match was appended already. Nothing of this batch is kept.
            db.ChangeTracker.Clear();
            return false;
        }
    }

    /// <summary>The (watch, arrest event position) pairs among <paramref name="watchIds"/> matched at positions in
    /// (<paramref name="from"/>, <paramref name="to"/>] already: a mark that moved back never appends them twice.</summary>
    public async Task<IReadOnlySet<(string WatchId, long Position)>> MatchedAsync(IReadOnlyCollection<string> watchIds, long from, long to, CancellationToken ct = default)
    {
        var ids = watchIds.ToList();
        var rows = await db.WatchMatches.AsNoTracking().Where(m => ids.Contains(m.WatchId) && m.MatchedPosition > from && m.MatchedPosition <= to)
            .Select(m => new { m.WatchId, m.MatchedPosition }).ToListAsync(ct);
        return rows.Select(r => (r.WatchId, r.MatchedPosition)).ToHashSet();
    }

    /// <summary>The watch's criteria (canonical name → value).</summary>
    public static IReadOnlyDictionary<string, string> CriteriaOf(PartnerWatchRow watch)
    {
        ArgumentNullException.ThrowIfNull(watch);
        return JsonSerializer.Deserialize<Dictionary<string, string>>(watch.CriteriaJson, WatchJson.Options) ?? [];
    }

    private async Task<int> NextVersionAsync(string watchId, CancellationToken ct) =>
        (await db.Events.Where(e => e.StreamType == EventStreams.PartnerWatch && e.StreamId == watchId).MaxAsync(e => (int?)e.Version, ct) ?? 0) + 1;

    private static IQueryable<PartnerWatchRow> Active(IQueryable<PartnerWatchRow> rows, DateTimeOffset now) =>
        rows.Where(w => w.CancelledAt == null && w.ExpiresAt > now);
}

/// <summary>
/// A registration's open transaction with the agency's watch counter locked (see <see cref="WatchStore.ReserveAsync"/>):
/// <see cref="ActiveWatches"/> is the count under the lock, which the caller judges (disposing rolls back);
/// <see cref="CommitAsync"/> appends the registration, its projection row and its entry, and commits.
/// </summary>
public sealed class WatchReservation(OpenParsDbContext db, IDbContextTransaction tx, AuditTrail audit, int activeWatches) : IAsyncDisposable
{
    /// <summary>The agency's active watches, counted under the lock.</summary>
    public int ActiveWatches => activeWatches;

    /// <summary>Appends the registration (version 1 of the watch's stream) with its row and entry; one commit.</summary>
    public async Task<PartnerWatchRow> CommitAsync(WatchRegistered registered, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(registered);
        var rows = await EventLog.AppendAsync(db, audit, AuditEventType.WatchRegistered, [],
            [new NewEvent(EventStreams.PartnerWatch, registered.WatchId, 1, WatchRegistered.Type, registered.ToJson(), registered.RegisteredAt, registered.UserId, registered.AgencyCode)], ct);
        var row = new PartnerWatchRow
        {
            WatchId = registered.WatchId,
            AgreementId = registered.AgreementId,
            AgencyId = registered.AgencyId,
            AgencyCode = registered.AgencyCode,
            UserId = registered.UserId,
            UserName = registered.UserName,
            CriteriaJson = JsonSerializer.Serialize(registered.Criteria, WatchJson.Options),
            Purpose = registered.Purpose,
            CaseNumber = registered.CaseNumber,
            RegisteredAt = registered.RegisteredAt,
            RegisteredPosition = rows[0].Position,
            ExpiresAt = registered.ExpiresAt,
        };
        db.PartnerWatches.Add(row);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return row;
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => tx.DisposeAsync();
}
