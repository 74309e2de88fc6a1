using Microsoft.EntityFrameworkCore;
using OpenPars.Core.Audit;
using OpenPars.Core.Audit.Payloads;
using OpenPars.Storage.Audit;

namespace OpenPars.Storage.Events;

/// <summary>
/// Binds the events the EventLog migration moved from <c>arrest_events</c> and <c>agreement_events</c>, once. A
/// migration cannot write audit entries (it has no signing key and no canonical JSON), so it moves the rows unbound and
/// leaves the counter <see cref="LegacyThroughCounter"/> = the number it moved (their positions are 1…N, no gap). At the
/// first start on that schema the app hashes each of them and appends 6006 <c>audit.events-adopted</c> entries (at
/// most <see cref="ChunkSize"/> hashes each, in position order) that list those hashes, binds the rows to them and
/// removes the counter, in one transaction. After that an event is vouched for only by an entry that lists it: a
/// row added later, unbound, can never be adopted (its position is above N, and the counter is gone).
/// </summary>
public static class EventAdoption
{
    /// <summary>The counter the migration leaves: legacy events occupy positions 1 to its value.</summary>
    public const string LegacyThroughCounter = "event-legacy-through";

    public const int ChunkSize = 4096;

    /// <summary>Adopts the legacy events if the migration left any, as the command <paramref name="command"/> (channel cli),
    /// signing with the key at <paramref name="signingKeyPath"/> (loaded, or made, only when there is something to adopt).</summary>
    /// <returns>How many events were adopted.</returns>
    public static async Task<int> AdoptLegacyEventsAsync(OpenParsDbContext db, string signingKeyPath, TimeProvider clock, string command, CancellationToken ct = default)
    {
        AuditSigning? signing = null;
        try
        {
            return await AdoptLegacyEventsAsync(db, () =>
            {
                signing = AuditSigning.LoadOrCreate(signingKeyPath);
                return new AuditTrail(new AuditLog(signing, clock), writer: null, clock) { Origin = AuditOrigin.Cli(command) };
            }, ct);
        }
        finally
        {
            signing?.Dispose();
        }
    }

    /// <summary>Adopts the legacy events if the migration left any to adopt.</summary>
    /// <param name="trail">Makes the audit trail the entries are appended through (called only when there is something to adopt, so no
    /// signing key is loaded or made otherwise).</param>
    /// <returns>How many events were adopted.</returns>
    public static async Task<int> AdoptLegacyEventsAsync(OpenParsDbContext db, Func<AuditTrail> trail, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(trail);
        if (!await db.Counters.AnyAsync(c => c.Name == LegacyThroughCounter, ct))
        {
            return 0;
        }

        var audit = trail();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // Touching the counter row takes its lock: a second process starting at once waits, then finds it gone.
        var marker = await db.Database.SqlQuery<long>($"UPDATE counters SET value = value WHERE name = {LegacyThroughCounter} RETURNING value AS \"Value\"").ToListAsync(ct);
        if (marker.Count == 0)
        {
            return 0;
        }

        var through = marker[0];
        var adopted = 0;
        for (long from = 1; from <= through; from += ChunkSize)
        {
            var rows = await db.Events.Where(e => e.Position >= from && e.Position < from + ChunkSize && e.Position <= through && e.Hash == null && e.AuditIndex == null)
                .OrderBy(e => e.Position).ToListAsync(ct);
            if (rows.Count == 0)
            {
                continue;
            }

            foreach (var row in rows)
            {
                row.Hash = row.Envelope().Hash();
            }

            audit.Payload(new EventsAdoptedV1(rows.Count, rows[0].Position, rows[^1].Position));
            var index = await audit.AppendInTransactionAsync(db, AuditEventType.EventsAdopted, [], [.. rows.Select(r => EventEnvelope.Encode(r.Hash))], ct);
            foreach (var row in rows)
            {
                row.AuditIndex = index;
            }

            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
            adopted += rows.Count;
        }

        await db.Counters.Where(c => c.Name == LegacyThroughCounter).ExecuteDeleteAsync(ct);
        await tx.CommitAsync(ct);
        return adopted;
    }
}
