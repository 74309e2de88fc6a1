using Microsoft.EntityFrameworkCore;
using OpenPars.Core.Audit;
using OpenPars.Core.Audit.Payloads;
using OpenPars.Storage.Audit;
using OpenPars.Storage.Common;
using OpenPars.Storage.Feeds;

namespace OpenPars.Storage.Webhooks;

/// <summary>An attempt's result as the sender decided it: what to record on the delivery and the attempt.</summary>
/// <param name="StartedAt">When the attempt started.</param>
/// <param name="DurationMs">How long it took.</param>
/// <param name="Status">The receiver's status, if it answered.</param>
/// <param name="Error">Why there was no answer.</param>
/// <param name="Outcome"><c>delivered</c>, <c>retry</c>, <c>dead</c> or <c>gone</c> (410: dead, and the endpoint disabled).</param>
/// <param name="NextAttemptAt">For <c>retry</c>: when the next attempt is due.</param>
public sealed record WebhookAttemptResult(DateTimeOffset StartedAt, long DurationMs, int? Status, string? Error, string Outcome, DateTimeOffset? NextAttemptAt);

/// <summary>
/// The worker's side of the webhook tables, shared by every server process on one store:
/// <list type="bullet">
/// <item>enqueueing moves the durable mark of the consumer <c>webhooks:enqueue</c> (<see cref="FeedConsumers"/>)
/// first, then inserts the deliveries, in one transaction — a competitor handling the same events waits on the mark's
/// row and then finds it moved, so every (endpoint, event) is enqueued once;</item>
/// <item>claiming sets a due delivery's <c>next_attempt_at</c> to the end of the attempt's lease — PostgreSQL:
/// <c>FOR UPDATE SKIP LOCKED</c>, so two processes never claim the same row; SQLite: compare-and-set on the value
/// read — so no two processes send the same attempt at once, and a process that dies mid-attempt leaves it to be
/// claimed again when the lease ends;</item>
/// <item>recording an attempt's result (or a cancellation) is a compare-and-set on that lease, with the attempt row
/// and the audit entries in the same transaction: a process whose lease was taken over records nothing.</item>
/// </list>
/// </summary>
public static class WebhookQueue
{
    /// <summary>The consumer whose mark the enqueuer moves.</summary>
    public const string Consumer = "webhooks:enqueue";

    private const string SqliteProvider = "Microsoft.EntityFrameworkCore.Sqlite";

    /// <summary>Inserts <paramref name="deliveries"/> and moves the mark from <paramref name="from"/> to
    /// <paramref name="to"/>; false (nothing written) when another process moved the mark first.</summary>
    public static async Task<bool> EnqueueAsync(OpenParsDbContext db, long from, long to, IReadOnlyList<WebhookDeliveryRow> deliveries, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(deliveries);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (!await FeedConsumers.AdvanceAsync(db, Consumer, from, to, ct))
        {
            return false;
        }

        if (deliveries.Count > 0)
        {
            db.WebhookDeliveries.AddRange(deliveries);
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
        }

        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>Claims up to <paramref name="limit"/> pending deliveries due at <paramref name="now"/>, each leased
    /// until <paramref name="leaseUntil"/> (the returned rows carry it as their <see cref="WebhookDeliveryRow.NextAttemptAt"/>).</summary>
    public static async Task<IReadOnlyList<WebhookDeliveryRow>> ClaimDueAsync(OpenParsDbContext db, DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        now = StoredTime.Truncate(now);
        leaseUntil = StoredTime.Truncate(leaseUntil);
        List<long> claimed;
        if (db.Database.ProviderName == SqliteProvider)
        {
            var due = await db.WebhookDeliveries.AsNoTracking().Where(d => d.State == WebhookStates.Pending && d.NextAttemptAt <= now)
                .OrderBy(d => d.NextAttemptAt).Take(limit).Select(d => new { d.Id, d.NextAttemptAt }).ToListAsync(ct);
            claimed = [];
            foreach (var candidate in due)
            {
                var seen = candidate.NextAttemptAt;
                if (await db.WebhookDeliveries.Where(d => d.Id == candidate.Id && d.State == WebhookStates.Pending && d.NextAttemptAt == seen)
                        .ExecuteUpdateAsync(s => s.SetProperty(d => d.NextAttemptAt, leaseUntil), ct) == 1)
                {
                    claimed.Add(candidate.Id);
                }
            }
        }
        else
        {
            claimed = await db.Database.SqlQuery<long>($"""
                UPDATE webhook_deliveries AS d SET next_attempt_at = {leaseUntil}
                FROM (SELECT id FROM webhook_deliveries WHERE state = 'pending' AND next_attempt_at <= {now}
                      ORDER BY next_attempt_at LIMIT {limit} FOR UPDATE SKIP LOCKED) AS due
                WHERE d.id = due.id
                RETURNING d.id AS "Value"
                """).ToListAsync(ct);
        }

        return claimed.Count == 0 ? [] : await db.WebhookDeliveries.AsNoTracking().Where(d => claimed.Contains(d.Id)).OrderBy(d => d.Id).ToListAsync(ct);
    }

    /// <summary>The earliest pending delivery's due instant, or null: how long the sender may sleep.</summary>
    public static async Task<DateTimeOffset?> NextDueAsync(OpenParsDbContext db, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        return await db.WebhookDeliveries.AsNoTracking().Where(d => d.State == WebhookStates.Pending)
            .OrderBy(d => d.NextAttemptAt).Select(d => (DateTimeOffset?)d.NextAttemptAt).FirstOrDefaultAsync(ct);
    }

    /// <summary>Records an attempt of a claimed delivery (still holding its lease <paramref name="claimed"/>.NextAttemptAt):
    /// the attempt row, the delivery's new state, for <c>gone</c> the endpoint disabled, and the entries
    /// (<paramref name="entries"/>, each type with its payload), in one transaction. False when the lease was lost.</summary>
    public static async Task<bool> RecordAttemptAsync(
        OpenParsDbContext db, AuditTrail trail, WebhookDeliveryRow claimed, WebhookAttemptResult result, IReadOnlyList<(AuditEventType Type, WebhookV1 Payload)> entries, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(trail);
        ArgumentNullException.ThrowIfNull(claimed);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(entries);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var lease = claimed.NextAttemptAt;
        var finished = result.Outcome is "delivered" or "dead" or "gone";
        var state = result.Outcome switch { "delivered" => WebhookStates.Delivered, "retry" => WebhookStates.Pending, _ => WebhookStates.Dead };
        var failures = result.Outcome == "delivered" ? claimed.Failures : claimed.Failures + 1;
        var next = StoredTime.Truncate(result.NextAttemptAt ?? lease);
        DateTimeOffset? finishedAt = finished ? StoredTime.Truncate(result.StartedAt.AddMilliseconds(result.DurationMs)) : null;
        var error = Clip(result.Error);
        var moved = await db.WebhookDeliveries.Where(d => d.Id == claimed.Id && d.State == WebhookStates.Pending && d.NextAttemptAt == lease)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.State, state).SetProperty(d => d.Failures, failures).SetProperty(d => d.Attempts, d => d.Attempts + 1)
                .SetProperty(d => d.NextAttemptAt, next).SetProperty(d => d.LastStatus, result.Status).SetProperty(d => d.LastError, error)
                .SetProperty(d => d.FinishedAt, finishedAt), ct);
        if (moved != 1)
        {
            return false;
        }

        db.WebhookAttempts.Add(new WebhookAttemptRow
        {
            DeliveryId = claimed.Id,
            Number = claimed.Attempts + 1,
            StartedAt = StoredTime.Truncate(result.StartedAt),
            DurationMs = result.DurationMs,
            Status = result.Status,
            Error = error,
            Outcome = result.Outcome,
        });
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        if (result.Outcome == "gone")
        {
            await db.WebhookEndpoints.Where(e => e.Id == claimed.EndpointId && e.Enabled)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.Enabled, false).SetProperty(e => e.DisabledReason, "gone").SetProperty(e => e.DisabledAt, finishedAt), ct);
        }

        await AppendAsync(db, trail, claimed, entries, ct);
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>Cancels a claimed delivery (never sent) with its entry; false when the lease was lost.</summary>
    public static async Task<bool> CancelAsync(OpenParsDbContext db, AuditTrail trail, WebhookDeliveryRow claimed, string reason, DateTimeOffset now, WebhookV1 payload, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(claimed);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var lease = claimed.NextAttemptAt;
        var at = StoredTime.Truncate(now);
        var moved = await db.WebhookDeliveries.Where(d => d.Id == claimed.Id && d.State == WebhookStates.Pending && d.NextAttemptAt == lease)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.State, WebhookStates.Cancelled).SetProperty(d => d.CancelReason, reason).SetProperty(d => d.FinishedAt, at), ct);
        if (moved != 1)
        {
            return false;
        }

        await AppendAsync(db, trail, claimed, [(AuditEventType.WebhookDeliveryCancelled, payload)], ct);
        await tx.CommitAsync(ct);
        return true;
    }

    private static async Task AppendAsync(OpenParsDbContext db, AuditTrail trail, WebhookDeliveryRow claimed, IReadOnlyList<(AuditEventType Type, WebhookV1 Payload)> entries, CancellationToken ct)
    {
        foreach (var (type, payload) in entries)
        {
            trail.Payload(payload);
            await trail.AppendInTransactionAsync(db, type, claimed.ArrestNumber is { } n ? [n] : [], ct);
        }
    }

    private static string? Clip(string? text) => text is null ? null : text.Length <= 200 ? text : text[..200];
}
