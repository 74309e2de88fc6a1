using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using OpenPars.Core.Agreements;
using OpenPars.Core.Audit;
using OpenPars.Core.Policy;

namespace OpenPars.Storage.Agreements;

/// <summary>
/// Partner access as the audit log records it: the only source of quota usage and of a notice's figures, so both
/// survive restarts and agree with what an auditor can prove. Every partner request (allowed or refused) is one
/// entry of type 8001 (search) or 8002 (read); an allowed one lists the records it disclosed.
/// </summary>
public sealed class PartnerAccessLog(OpenParsDbContext db)
{
    private static readonly int[] AccessTypes = [(int)AuditEventType.PartnerSearch, (int)AuditEventType.PartnerRead];

    /// <summary>Today's usage: allowed queries by the user, and records disclosed to the agency, in [start, end).</summary>
    public async Task<QuotaUsage> UsageAsync(long userId, string agencyCode, (DateTimeOffset Start, DateTimeOffset End) day, CancellationToken ct = default)
    {
        var (start, end) = day;
        var entries = db.AuditEntries.AsNoTracking()
            .Where(e => AccessTypes.Contains(e.EventType) && e.Outcome == "allowed" && e.RecordedAt >= start && e.RecordedAt < end);
        var queries = await entries.CountAsync(e => e.UserId == userId, ct);
        // From the day's few partner entries to their records (indexed by entry), never a scan of every record
        // the log ever touched: this runs on every partner request (docs/benchmarks.md § 6).
        var records = await entries.Where(e => e.AgencyCode == agencyCode)
            .Join(db.AuditEntryRecords, e => e.Index, r => r.Index, (e, r) => r.Index)
            .CountAsync(ct);
        return new QuotaUsage(queries, records);
    }

    /// <summary>What the partner asked, was refused and received under one agreement, counted from the entries
    /// that name it (details.agreementId).</summary>
    public async Task<AccessFigures> FiguresAsync(string agreementId, string partnerAgency, CancellationToken ct = default)
    {
        var entries = await db.AuditEntries.AsNoTracking()
            .Where(e => AccessTypes.Contains(e.EventType) && e.AgencyCode == partnerAgency)
            .OrderBy(e => e.Index)
            .Select(e => e.Entry)
            .ToListAsync(ct);
        long allowed = 0, refused = 0, records = 0;
        foreach (var bytes in entries)
        {
            var json = JsonNode.Parse(bytes)!;
            if (json["details"]?["agreementId"]?.GetValue<string>() != agreementId)
            {
                continue;
            }

            if (json["outcome"]?.GetValue<string>() == "allowed")
            {
                allowed++;
                records += json["records"]?.AsArray().Count ?? 0;
            }
            else
            {
                refused++;
            }
        }

        return new AccessFigures(allowed, refused, records);
    }
}
