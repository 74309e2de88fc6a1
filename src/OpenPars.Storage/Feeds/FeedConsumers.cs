using Microsoft.EntityFrameworkCore;

namespace OpenPars.Storage.Feeds;

/// <summary>
/// The durable high-water marks of server-run consumers (<see cref="FeedConsumerRow"/>). A consumer handles the events
/// above its mark and moves the mark in the transaction of its effects, compare-and-set: of two processes handling the
/// same events, one moves the mark and the other's move finds it gone and rolls its effects back — nothing is lost or
/// done twice across restarts and processes (at-least-once to the outside, the event position as the dedupe key).
/// </summary>
public static class FeedConsumers
{
    /// <summary>The consumer's mark; 0 (before the first event) for a consumer that has handled nothing.</summary>
    public static async Task<long> MarkAsync(OpenParsDbContext db, string name, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        return await db.FeedConsumers.AsNoTracking().Where(c => c.Name == name).Select(c => (long?)c.Position).SingleOrDefaultAsync(ct) ?? 0;
    }

    /// <summary>
    /// Moves the mark from <paramref name="from"/> to <paramref name="to"/> inside the caller's transaction, if it is
    /// still at <paramref name="from"/> (PostgreSQL: the row lock, re-checked after a competitor commits; SQLite: the
    /// single writer). False when another handler moved it first: the caller rolls back.
    /// </summary>
    public static async Task<bool> AdvanceAsync(OpenParsDbContext db, string name, long from, long to, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentOutOfRangeException.ThrowIfLessThan(to, from);
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("A consumer's mark moves in the transaction of what it handled.");
        }

        // A consumer at 0 may have no row yet (it has handled nothing); any other mark is a row to compare and set.
        var sql = from == 0
            ? (FormattableString)$"INSERT INTO feed_consumers (name, position) VALUES ({name}, {to}) ON CONFLICT (name) DO UPDATE SET position = excluded.position WHERE feed_consumers.position = 0 RETURNING position AS \"Value\""
            : $"UPDATE feed_consumers SET position = {to} WHERE name = {name} AND position = {from} RETURNING position AS \"Value\"";
        return (await db.Database.SqlQuery<long>(sql).ToListAsync(ct)).Count == 1;
    }
}
