using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OpenPars.Core.Arrests;
using OpenPars.Core.Common;
using OpenPars.Core.Feeds;
using OpenPars.Storage.Events;

namespace OpenPars.Storage.Feeds;

/// <summary>
/// Reads the event log for the feeds, in position order from a high-water mark (Events/README.md: a reader that sees
/// position p committed has seen every position below it). Every batch is checked against the audit log before it is
/// handed out (<see cref="EventLog.FindUnboundAsync"/>): a feed delivers nothing the log does not vouch for.
/// </summary>
public static class FeedReader
{
    /// <summary>The largest committed position (0 for an empty log).</summary>
    public static async Task<long> HeadAsync(OpenParsDbContext db, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        return await db.Events.MaxAsync(e => (long?)e.Position, ct) ?? 0;
    }

    /// <summary>Up to <paramref name="limit"/> events above <paramref name="after"/>, oldest first, arrest events parsed
    /// and each with its arrest's booking instant.</summary>
    /// <exception cref="DomainException">StoreDamaged: an event of the batch is not vouched for by the log.</exception>
    public static async Task<IReadOnlyList<FeedEvent>> ReadAfterAsync(OpenParsDbContext db, long after, int limit, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var rows = await db.Events.AsNoTracking().Where(e => e.Position > after).OrderBy(e => e.Position).Take(limit).ToListAsync(ct);
        if (rows.Count == 0)
        {
            return [];
        }

        if (await EventLog.FindUnboundAsync(db, rows, ct) is { } finding)
        {
            throw EventLog.Damaged(finding);
        }

        var numbers = rows.Where(r => r.StreamType == EventStreams.Arrest).Select(r => r.StreamId).Distinct().ToList();
        var booked = numbers.Count == 0
            ? []
            : await db.Arrests.AsNoTracking().Where(a => numbers.Contains(a.ArrestNumber)).Select(a => new { a.ArrestNumber, a.BookedAt })
                .ToDictionaryAsync(a => a.ArrestNumber, a => a.BookedAt, StringComparer.Ordinal, ct);
        return rows.Select(r => new FeedEvent(
            r.Position, r.StreamType, r.StreamId, r.Type, r.Body, r.RecordedAt,
            r.StreamType == EventStreams.Arrest ? JsonSerializer.Deserialize<ArrestEvent>(r.Body, OpenParsJson.Options) : null,
            booked.TryGetValue(r.StreamId, out var at) ? at : null)).ToList();
    }
}
