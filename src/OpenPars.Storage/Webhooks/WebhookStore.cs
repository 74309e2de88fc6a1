using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using OpenPars.Core.Audit;
using OpenPars.Core.Audit.Payloads;
using OpenPars.Core.Webhooks;
using OpenPars.Storage.Audit;
using OpenPars.Storage.Common;
using OpenPars.Storage.Feeds;

namespace OpenPars.Storage.Webhooks;

/// <summary>A delivery with its endpoint and its attempts, newest first, as the owning agency sees them.</summary>
public sealed record StoredDelivery(WebhookDeliveryRow Delivery, IReadOnlyList<WebhookAttemptRow> Attempts);

/// <summary>What an endpoint's deliveries come to: its newest delivery and how many are in each state.</summary>
/// <param name="EndpointId">The endpoint's row id.</param>
/// <param name="Last">Its newest delivery, or null when it has had none.</param>
/// <param name="Delivered">Deliveries the receiver accepted.</param>
/// <param name="Retrying">Pending deliveries that have failed at least once and wait for their next attempt.</param>
/// <param name="Dead">Deliveries that failed every attempt (or met 410 Gone): dead-lettered.</param>
/// <param name="Cancelled">Deliveries cancelled before they were sent (what they were for was revoked).</param>
public sealed record DeliveryTally(long EndpointId, WebhookDeliveryRow? Last, int Delivered, int Retrying, int Dead, int Cancelled);

/// <summary>
/// The webhook endpoints and deliveries of one request (registration, listing, deletion, redelivery): each write
/// commits its rows and its audit entry in one transaction, the way every store does.
/// </summary>
public sealed class WebhookStore(OpenParsDbContext db, TimeProvider clock, AuditTrail audit)
{
    /// <summary>The most endpoints one agency may have enabled.</summary>
    public const int MaxEndpointsPerAgency = 10;

    /// <summary>Registers <paramref name="endpoint"/> (ids, creation time and start position are set here) with its entry.</summary>
    /// <exception cref="Core.Common.DomainException">TooManyEndpoints.</exception>
    public async Task<WebhookEndpointRow> RegisterAsync(WebhookEndpointRow endpoint, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (await db.WebhookEndpoints.CountAsync(e => e.AgencyId == endpoint.AgencyId && e.Enabled, ct) >= MaxEndpointsPerAgency)
        {
            throw new Core.Common.DomainException(WebhookErrorCodes.TooManyEndpoints, $"Your agency already has {MaxEndpointsPerAgency} webhook endpoints; delete one first.");
        }

        endpoint.PublicId = NewId("wh-");
        endpoint.CreatedAt = StoredTime.Now(clock);
        endpoint.StartsAfterPosition = await FeedReader.HeadAsync(db, ct);
        endpoint.Enabled = true;
        db.WebhookEndpoints.Add(endpoint);
        await db.SaveChangesAsync(ct);
        audit.Payload(new WebhookV1(endpoint.PublicId, endpoint.AgencyCode, WebhookAddresses.ForRecord(endpoint.Url), endpoint.KindList));
        await audit.AppendInTransactionAsync(db, AuditEventType.WebhookRegistered, [], ct);
        await tx.CommitAsync(ct);
        return endpoint;
    }

    /// <summary>Endpoints, newest first: of one agency, or of every agency when <paramref name="agencyId"/> is null.</summary>
    public async Task<IReadOnlyList<WebhookEndpointRow>> ListAsync(long? agencyId, CancellationToken ct = default) =>
        await db.WebhookEndpoints.AsNoTracking().Where(e => agencyId == null || e.AgencyId == agencyId).OrderByDescending(e => e.Id).ToListAsync(ct);

    /// <summary>For each of <paramref name="endpointIds"/>, its newest delivery and its deliveries counted by state.</summary>
    public async Task<IReadOnlyList<DeliveryTally>> TallyAsync(IReadOnlyCollection<long> endpointIds, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(endpointIds);
        var ids = endpointIds.ToList();
        var counts = await db.WebhookDeliveries.AsNoTracking().Where(d => ids.Contains(d.EndpointId))
            .GroupBy(d => new { d.EndpointId, d.State, Failed = d.Failures > 0 })
            .Select(g => new { g.Key.EndpointId, g.Key.State, g.Key.Failed, Count = g.Count(), Newest = g.Max(d => d.Id) })
            .ToListAsync(ct);
        var newest = counts.GroupBy(c => c.EndpointId).Select(g => g.Max(c => c.Newest)).ToList();
        var last = await db.WebhookDeliveries.AsNoTracking().Where(d => newest.Contains(d.Id)).ToDictionaryAsync(d => d.EndpointId, ct);
        int Count(long endpoint, string state, bool? failed = null) =>
            counts.Where(c => c.EndpointId == endpoint && c.State == state && (failed is null || c.Failed == failed)).Sum(c => c.Count);
        return [.. ids.Select(id => new DeliveryTally(id, last.GetValueOrDefault(id), Count(id, WebhookStates.Delivered),
            Count(id, WebhookStates.Pending, failed: true), Count(id, WebhookStates.Dead), Count(id, WebhookStates.Cancelled)))];
    }

    /// <summary>The endpoint with this public id, or null.</summary>
    public Task<WebhookEndpointRow?> FindEndpointAsync(string publicId, CancellationToken ct = default) =>
        db.WebhookEndpoints.AsNoTracking().SingleOrDefaultAsync(e => e.PublicId == publicId, ct);

    /// <summary>Deletes (disables for good) an endpoint and cancels its pending deliveries, with its entry.</summary>
    public async Task DeleteAsync(WebhookEndpointRow endpoint, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var now = StoredTime.Now(clock);
        await db.WebhookEndpoints.Where(e => e.Id == endpoint.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Enabled, false).SetProperty(e => e.DisabledReason, "deleted").SetProperty(e => e.DisabledAt, now), ct);
        await db.WebhookDeliveries.Where(d => d.EndpointId == endpoint.Id && d.State == WebhookStates.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.State, WebhookStates.Cancelled).SetProperty(d => d.CancelReason, "endpoint-deleted").SetProperty(d => d.FinishedAt, now), ct);
        audit.Payload(new WebhookV1(endpoint.PublicId, endpoint.AgencyCode, WebhookAddresses.ForRecord(endpoint.Url), Reason: "deleted"));
        await audit.AppendInTransactionAsync(db, AuditEventType.WebhookDeleted, [], ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>An endpoint's latest deliveries (at most <paramref name="limit"/>), newest first, each with its attempts.</summary>
    public async Task<IReadOnlyList<StoredDelivery>> DeliveriesAsync(long endpointId, int limit, CancellationToken ct = default)
    {
        var deliveries = await db.WebhookDeliveries.AsNoTracking().Where(d => d.EndpointId == endpointId).OrderByDescending(d => d.Id).Take(limit).ToListAsync(ct);
        var ids = deliveries.Select(d => d.Id).ToList();
        var attempts = (await db.WebhookAttempts.AsNoTracking().Where(a => ids.Contains(a.DeliveryId)).ToListAsync(ct)).ToLookup(a => a.DeliveryId);
        return [.. deliveries.Select(d => new StoredDelivery(d, [.. attempts[d.Id].OrderByDescending(a => a.Number)]))];
    }

    /// <summary>The delivery with this public id and its endpoint, or null.</summary>
    public async Task<(WebhookDeliveryRow Delivery, WebhookEndpointRow Endpoint)?> FindDeliveryAsync(string publicId, CancellationToken ct = default)
    {
        var delivery = await db.WebhookDeliveries.AsNoTracking().SingleOrDefaultAsync(d => d.PublicId == publicId, ct);
        if (delivery is null)
        {
            return null;
        }

        var endpoint = await db.WebhookEndpoints.AsNoTracking().SingleAsync(e => e.Id == delivery.EndpointId, ct);
        return (delivery, endpoint);
    }

    /// <summary>Puts a delivered or dead delivery back on the schedule, due now, with a fresh count of failures;
    /// false when it changed state meanwhile (compare-and-set on its state).</summary>
    public async Task<bool> RedeliverAsync(WebhookDeliveryRow delivery, WebhookEndpointRow endpoint, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentNullException.ThrowIfNull(endpoint);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var now = StoredTime.Now(clock);
        var state = delivery.State;
        var moved = await db.WebhookDeliveries.Where(d => d.Id == delivery.Id && d.State == state)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.State, WebhookStates.Pending).SetProperty(d => d.Failures, 0)
                .SetProperty(d => d.NextAttemptAt, now).SetProperty(d => d.FinishedAt, (DateTimeOffset?)null), ct);
        if (moved != 1)
        {
            return false;
        }

        audit.Payload(new WebhookV1(endpoint.PublicId, endpoint.AgencyCode, DeliveryId: delivery.PublicId, EventPosition: delivery.EventPosition, EventType: delivery.EventType, WatchId: delivery.WatchId, AgreementId: delivery.AgreementId));
        await audit.AppendInTransactionAsync(db, AuditEventType.WebhookRedelivered, delivery.ArrestNumber is { } n ? [n] : [], ct);
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>A new random public id with <paramref name="prefix"/>.</summary>
    public static string NewId(string prefix) => prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
}
