using Microsoft.EntityFrameworkCore;
using OpenPars.Core.Audit;
using OpenPars.Core.Common;

namespace OpenPars.Storage.Events;

/// <summary>What <see cref="StoreIntegrity.CheckAsync"/> found: intact, or the stable code and what is wrong.</summary>
public sealed record StoreIntegrityReport(bool Intact, string? Code, AuditDamage Damage, string? Problem)
{
    public static readonly StoreIntegrityReport Ok = new(true, null, AuditDamage.None, null);
}

/// <summary>
/// A quick check of the event log for <c>/healthz</c>: no event is unbound, none names an audit entry that does not
/// exist, and every agreement and charter event (what the partner gate decides from) is vouched for by its entry. Two
/// indexed queries over the events and one load of the agreements' and the charter's events; it does not replace `openpars audit verify`, which
/// proves every column of every entry and every event against signed checkpoints.
/// </summary>
public static class StoreIntegrity
{
    public static async Task<StoreIntegrityReport> CheckAsync(OpenParsDbContext db, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (await db.Events.Where(e => e.AuditIndex == null || e.Hash == null).Select(e => (long?)e.Position).FirstOrDefaultAsync(ct) is { } unbound)
        {
            return Damaged(AuditDamage.EventUnbound, $"The event at position {unbound} is bound to no audit entry.");
        }

        var dangling = await db.Events.Where(e => !db.AuditEntries.Any(a => a.Index == e.AuditIndex)).Select(e => (long?)e.Position).FirstOrDefaultAsync(ct);
        if (dangling is { } position)
        {
            return Damaged(AuditDamage.EventInserted, $"The event at position {position} names an audit entry that does not exist.");
        }

        var agreements = await db.Events.AsNoTracking().Where(e => e.StreamType == EventStreams.Agreement || e.StreamType == EventStreams.Charter)
            .OrderBy(e => e.StreamType).ThenBy(e => e.StreamId).ThenBy(e => e.Version).ToListAsync(ct);
        return await EventLog.FindUnvouchedAsync(db, agreements, ct) is { } finding ? Damaged(finding.Kind, finding.Message) : StoreIntegrityReport.Ok;
    }

    private static StoreIntegrityReport Damaged(AuditDamage damage, string problem) => new(false, ErrorCodes.StoreDamaged, damage, problem + " Run `openpars audit verify`.");
}
