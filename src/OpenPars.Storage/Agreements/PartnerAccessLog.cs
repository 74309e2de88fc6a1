using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using OpenPars.Core.Agreements;
using OpenPars.Core.Audit;
using OpenPars.Core.Audit.Payloads;
using OpenPars.Core.Arrests.Reference;
using OpenPars.Core.Policy;
using OpenPars.Storage.Audit;

namespace OpenPars.Storage.Agreements;

/// <summary>Whose quota a partner request uses: the agreement in force, its quota day (the agreement's calendar
/// date, <c>yyyy-MM-dd</c>), the partner user (queries) and the partner agency (records).</summary>
public sealed record QuotaKey(string AgreementId, string QuotaDay, long UserId, string AgencyCode)
{
    public static QuotaKey For(AgreementDocument document, DateTimeOffset now, long userId, string agencyCode)
    {
        var (start, _) = AgreementClock.QuotaDay(document, now);
        var day = TimeZoneInfo.ConvertTime(start, AgreementClock.ZoneOf(document)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return new QuotaKey(document.AgreementId ?? "", day, userId, agencyCode);
    }
}

/// <summary>
/// Partner access: the quota counters (<c>quota_counters</c>, one row per agreement, quota day and user for
/// queries, and per agreement, quota day and agency for records) and the notice's figures from the audit log
/// (8001 search, 8002 read). A request's quota is reserved before its query, in the transaction that appends its
/// audit entry (<see cref="ReserveAsync"/>): counter and entry commit together or not at all.
/// </summary>
public sealed class PartnerAccessLog(OpenParsDbContext db, AuditTrail audit)
{
    internal const string Queries = "queries";
    internal const string Records = "records";
    private static readonly int[] AccessTypes = [(int)AuditEventType.PartnerSearch, (int)AuditEventType.PartnerRead];

    /// <summary>Today's usage as committed: allowed queries by the user, and records disclosed to the agency.
    /// Read without a lock, for the decision's early refusal and the partner's terms; the reservation is the check
    /// that holds under concurrency.</summary>
    public async Task<QuotaUsage> UsageAsync(QuotaKey key, CancellationToken ct = default)
    {
        var user = key.UserId.ToString(CultureInfo.InvariantCulture);
        var rows = await db.QuotaCounters.AsNoTracking()
            .Where(c => c.AgreementId == key.AgreementId && c.QuotaDay == key.QuotaDay
                && ((c.Kind == Queries && c.Subject == user) || (c.Kind == Records && c.Subject == key.AgencyCode)))
            .Select(c => new { c.Kind, c.Used })
            .ToListAsync(ct);
        return new QuotaUsage(
            (int)rows.Where(r => r.Kind == Queries).Sum(r => r.Used),
            (int)rows.Where(r => r.Kind == Records).Sum(r => r.Used));
    }

    /// <summary>
    /// Opens the request's transaction and reserves its query: the user's query counter +1 and the agency's record
    /// counter locked (PostgreSQL: the row locks of <c>INSERT … ON CONFLICT DO UPDATE … RETURNING</c>, always the
    /// user's row first, then the agency's; SQLite: the single writer). <see cref="QuotaReservation.Usage"/> is the
    /// usage before this request as seen under those locks; the caller refuses on it (disposing rolls back) or
    /// queries and commits with <see cref="QuotaReservation.CommitAsync"/>.
    /// </summary>
    public async Task<QuotaReservation> ReserveAsync(QuotaKey key, CancellationToken ct = default)
    {
        var tx = await db.Database.BeginTransactionAsync(ct);
        try
        {
            var queries = await AdvanceAsync(db, key.AgreementId, key.QuotaDay, Queries, key.UserId.ToString(CultureInfo.InvariantCulture), 1, ct);
            var records = await AdvanceAsync(db, key.AgreementId, key.QuotaDay, Records, key.AgencyCode, 0, ct);
            return new QuotaReservation(db, tx, audit, key, new QuotaUsage((int)queries - 1, (int)records));
        }
        catch
        {
            await tx.DisposeAsync();
            throw;
        }
    }

    internal static async Task<long> AdvanceAsync(OpenParsDbContext db, string agreementId, string day, string kind, string subject, long by, CancellationToken ct) =>
        (await db.Database.SqlQuery<long>(
            $"INSERT INTO quota_counters (agreement_id, quota_day, kind, subject, used) VALUES ({agreementId}, {day}, {kind}, {subject}, {by}) ON CONFLICT (agreement_id, quota_day, kind, subject) DO UPDATE SET used = quota_counters.used + excluded.used RETURNING used AS \"Value\"")
            .ToListAsync(ct))[0];

    /// <summary>What the partner asked, was refused and received under one agreement, counted from the entries
    /// that name it (their <see cref="PartnerAccessV1.AgreementId"/>, in entries of either format).</summary>
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
            if (AuditPayloads.Read<PartnerAccessV1>(json)?.AgreementId != agreementId)
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

/// <summary>
/// A partner request's open transaction with its query reserved (see <see cref="PartnerAccessLog.ReserveAsync"/>).
/// The query runs inside it, capped by the record headroom seen under the lock; <see cref="CommitAsync"/> adds the
/// records disclosed to the agency's counter and appends the decision's audit entry, then commits. Disposed without
/// a commit (a refusal, a failed query), nothing of it remains: neither the reservation nor an allowed entry.
/// Once committed the reservation stays whatever happens to the answer afterwards: it was a disclosure.
/// </summary>
public sealed class QuotaReservation(OpenParsDbContext db, IDbContextTransaction tx, AuditTrail audit, QuotaKey key, QuotaUsage usage) : IAsyncDisposable
{
    /// <summary>The usage before this request, read under the counters' locks.</summary>
    public QuotaUsage Usage => usage;

    /// <summary>The allowed query, inside the reservation's transaction, with at most the remaining record headroom.</summary>
    public Task<IReadOnlyList<PartnerRecord>> DiscloseAsync(PolicyDecision.Allowed decision, int recordsPerAgencyPerDay, DateTimeOffset now, StatuteCatalog statutes, CancellationToken ct = default) =>
        PartnerArrestQuery.DiscloseAsync(db, decision with { MaxRecords = recordsPerAgencyPerDay - usage.RecordsByAgencyToday }, now, statutes, ct);

    /// <summary>Counts the records disclosed and appends the entry (outcome allowed, status 200) with them; one commit.</summary>
    public async Task CommitAsync(AuditEventType auditAs, IReadOnlyList<string> disclosed, CancellationToken ct = default)
    {
        if (disclosed.Count > 0)
        {
            await PartnerAccessLog.AdvanceAsync(db, key.AgreementId, key.QuotaDay, PartnerAccessLog.Records, key.AgencyCode, disclosed.Count, ct);
        }

        await audit.AppendInTransactionAsync(db, auditAs, disclosed, status: 200, ct);
        await tx.CommitAsync(ct);
    }

    public ValueTask DisposeAsync() => tx.DisposeAsync();
}
