using Microsoft.EntityFrameworkCore;

namespace OpenPars.Storage.Webhooks;

/// <summary>Delivery states as stored (<c>webhook_deliveries.state</c>).</summary>
public static class WebhookStates
{
    /// <summary>Waiting for its next attempt (at <c>next_attempt_at</c>; while an attempt runs, the attempt's lease).</summary>
    public const string Pending = "pending";

    /// <summary>A 2xx answer came.</summary>
    public const string Delivered = "delivered";

    /// <summary>The schedule ended (8 failures) or the receiver answered 410: dead-lettered.</summary>
    public const string Dead = "dead";

    /// <summary>Never sent: the agreement, token or endpoint it was for is gone (final).</summary>
    public const string Cancelled = "cancelled";
}

/// <summary>A registered webhook endpoint (table <c>webhook_endpoints</c>): whose, where, which event kinds, the
/// secret sealed (<see cref="Common.SecretBox"/>), and whether it is still enabled.</summary>
public sealed class WebhookEndpointRow
{
    /// <summary>The row's key.</summary>
    public long Id { get; set; }

    /// <summary>The id callers see (<c>wh-</c> + 16 hex digits, random: ids of other agencies cannot be guessed).</summary>
    public string PublicId { get; set; } = "";

    /// <summary>The owning agency.</summary>
    public long AgencyId { get; set; }

    /// <summary>The owning agency's code.</summary>
    public string AgencyCode { get; set; } = "";

    /// <summary><c>partner</c> or <c>stakeholder</c>.</summary>
    public string Audience { get; set; } = "";

    /// <summary>Where deliveries are posted.</summary>
    public string Url { get; set; } = "";

    /// <summary>The subscribed event types, comma-separated.</summary>
    public string EventKinds { get; set; } = "";

    /// <summary>The signing secret, sealed for the agency.</summary>
    public byte[] SecretSealed { get; set; } = [];

    /// <summary>When it was registered.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Who registered it.</summary>
    public long CreatedByUserId { get; set; }

    /// <summary>The token it was registered with: a partner endpoint delivers nothing once that token is revoked or expired.</summary>
    public long? CreatedByTokenId { get; set; }

    /// <summary>Only events after this position are delivered (the log's head at registration).</summary>
    public long StartsAfterPosition { get; set; }

    /// <summary>False once disabled (410 from the receiver) or deleted.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Why it was disabled: <c>gone</c> (410) or <c>deleted</c>.</summary>
    public string? DisabledReason { get; set; }

    /// <summary>When it was disabled or deleted.</summary>
    public DateTimeOffset? DisabledAt { get; set; }

    /// <summary>The subscribed kinds as a list.</summary>
    public IReadOnlyList<string> KindList => EventKinds.Split(',', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>One event to deliver to one endpoint (table <c>webhook_deliveries</c>, unique per endpoint and event):
/// its state and schedule. The body is made at each attempt from the event log (no copy of the event is kept here).</summary>
public sealed class WebhookDeliveryRow
{
    /// <summary>The row's key.</summary>
    public long Id { get; set; }

    /// <summary>The id callers see (<c>whd-</c> + 16 hex digits); also the <c>webhook-id</c> header, the same on every retry.</summary>
    public string PublicId { get; set; } = "";

    /// <summary>The endpoint's row.</summary>
    public long EndpointId { get; set; }

    /// <summary>The event's global position.</summary>
    public long EventPosition { get; set; }

    /// <summary>The event's type.</summary>
    public string EventType { get; set; } = "";

    /// <summary>The arrest the event is about.</summary>
    public string? ArrestNumber { get; set; }

    /// <summary>For a partner delivery: the watch that matched.</summary>
    public string? WatchId { get; set; }

    /// <summary>For a partner delivery: the agreement re-checked before each attempt.</summary>
    public string? AgreementId { get; set; }

    /// <summary><see cref="WebhookStates"/>.</summary>
    public string State { get; set; } = WebhookStates.Pending;

    /// <summary>Consecutive failures since it was enqueued or redelivered (the schedule's n).</summary>
    public int Failures { get; set; }

    /// <summary>Attempts made in all.</summary>
    public int Attempts { get; set; }

    /// <summary>When the next attempt is due; while an attempt runs, the end of its lease (a process that died
    /// mid-attempt leaves the delivery to be claimed again when the lease ends).</summary>
    public DateTimeOffset NextAttemptAt { get; set; }

    /// <summary>The last attempt's HTTP status, if an answer came.</summary>
    public int? LastStatus { get; set; }

    /// <summary>The last attempt's error, if no answer came.</summary>
    public string? LastError { get; set; }

    /// <summary>Why it was cancelled.</summary>
    public string? CancelReason { get; set; }

    /// <summary>When it was enqueued.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When it was delivered, dead-lettered or cancelled.</summary>
    public DateTimeOffset? FinishedAt { get; set; }
}

/// <summary>One attempt of a delivery (table <c>webhook_attempts</c>): when, how long, the answer or the error.</summary>
public sealed class WebhookAttemptRow
{
    /// <summary>The row's key.</summary>
    public long Id { get; set; }

    /// <summary>The delivery's row.</summary>
    public long DeliveryId { get; set; }

    /// <summary>1 for the first attempt.</summary>
    public int Number { get; set; }

    /// <summary>When it started.</summary>
    public DateTimeOffset StartedAt { get; set; }

    /// <summary>How long it took, in milliseconds.</summary>
    public long DurationMs { get; set; }

    /// <summary>The receiver's status, if it answered.</summary>
    public int? Status { get; set; }

    /// <summary>Why there was no answer (timeout, refused address, connection error).</summary>
    public string? Error { get; set; }

    /// <summary><c>delivered</c>, <c>retry</c>, <c>dead</c> or <c>gone</c>.</summary>
    public string Outcome { get; set; } = "";

    internal static void Configure(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<WebhookEndpointRow>(e =>
        {
            e.ToTable("webhook_endpoints");
            e.HasIndex(x => x.PublicId).IsUnique();
            e.HasIndex(x => new { x.AgencyId, x.Enabled });
            e.Property(x => x.PublicId).HasMaxLength(24);
            e.Property(x => x.AgencyCode).HasMaxLength(16);
            e.Property(x => x.Audience).HasMaxLength(16);
            e.Property(x => x.Url).HasMaxLength(2000);
            e.Property(x => x.EventKinds).HasMaxLength(400);
            e.Property(x => x.SecretSealed).HasMaxLength(200);
            e.Property(x => x.DisabledReason).HasMaxLength(32);
            e.Ignore(x => x.KindList);
        });
        modelBuilder.Entity<WebhookDeliveryRow>(e =>
        {
            e.ToTable("webhook_deliveries");
            e.HasIndex(x => x.PublicId).IsUnique();
            e.HasIndex(x => new { x.EndpointId, x.EventPosition }).IsUnique();
            e.HasIndex(x => new { x.State, x.NextAttemptAt });
            e.Property(x => x.PublicId).HasMaxLength(24);
            e.Property(x => x.EventType).HasMaxLength(40);
            e.Property(x => x.ArrestNumber).HasMaxLength(16);
            e.Property(x => x.WatchId).HasMaxLength(64);
            e.Property(x => x.AgreementId).HasMaxLength(64);
            e.Property(x => x.State).HasMaxLength(16);
            e.Property(x => x.LastError).HasMaxLength(200);
            e.Property(x => x.CancelReason).HasMaxLength(32);
            e.HasOne<WebhookEndpointRow>().WithMany().HasForeignKey(x => x.EndpointId);
        });
        modelBuilder.Entity<WebhookAttemptRow>(e =>
        {
            e.ToTable("webhook_attempts");
            e.HasIndex(x => new { x.DeliveryId, x.Number }).IsUnique();
            e.Property(x => x.Error).HasMaxLength(200);
            e.Property(x => x.Outcome).HasMaxLength(16);
            e.HasOne<WebhookDeliveryRow>().WithMany().HasForeignKey(x => x.DeliveryId);
        });
    }
}
