namespace OpenPars.Core.Audit.Payloads;

/// <summary>What a webhook entry says (11030–11038): the endpoint, its agency and url (never its secret), and for a
/// delivery its event, attempt, answer and what follows. Members that do not apply are left out.</summary>
/// <param name="EndpointId">The endpoint (<c>wh-…</c>).</param>
/// <param name="Agency">The agency that owns the endpoint.</param>
/// <param name="Url">The endpoint's url.</param>
/// <param name="EventKinds">The kinds it subscribes to (registration).</param>
/// <param name="DeliveryId">The delivery (<c>whd-…</c>).</param>
/// <param name="EventPosition">The global position of the event delivered.</param>
/// <param name="EventType">The event's type.</param>
/// <param name="WatchId">For a partner delivery, the watch that matched.</param>
/// <param name="AgreementId">For a partner delivery, the agreement re-checked before the attempt.</param>
/// <param name="Attempt">The attempt's number (1 for the first).</param>
/// <param name="Status">The receiver's HTTP status; null when no answer came.</param>
/// <param name="DurationMs">How long the attempt took.</param>
/// <param name="Error">Why the attempt failed without a status (timeout, refused address, connection error).</param>
/// <param name="NextAttemptAt">When the next attempt is due (a failure that is retried).</param>
/// <param name="Reason">Why a delivery was cancelled or an endpoint disabled or deleted.</param>
/// <param name="Dead">True when this failure ended the schedule: the delivery is dead-lettered.</param>
public sealed record WebhookV1(
    string EndpointId,
    string Agency,
    string? Url = null,
    IReadOnlyList<string>? EventKinds = null,
    string? DeliveryId = null,
    long? EventPosition = null,
    string? EventType = null,
    string? WatchId = null,
    string? AgreementId = null,
    int? Attempt = null,
    int? Status = null,
    long? DurationMs = null,
    string? Error = null,
    DateTimeOffset? NextAttemptAt = null,
    string? Reason = null,
    bool? Dead = null) : IAuditPayload<WebhookV1>
{
    /// <inheritdoc/>
    public static AuditPayloadSchema Schema { get; } = new("webhook", 1,
    [
        AuditEventType.WebhookRegistered, AuditEventType.WebhookDeleted, AuditEventType.WebhookDeliveriesRead,
        AuditEventType.WebhookRedelivered, AuditEventType.WebhookDelivered, AuditEventType.WebhookDeliveryFailed,
        AuditEventType.WebhookDeliveryCancelled, AuditEventType.WebhookEndpointDisabled,
    ]);

    /// <inheritdoc/>
    /// <remarks>Webhook entries were never written with details: this reads an empty payload.</remarks>
    public static WebhookV1 FromDetails(IReadOnlyDictionary<string, string> details) =>
        new(details.Text("endpointId") ?? "", details.Text("agency") ?? "");
}
