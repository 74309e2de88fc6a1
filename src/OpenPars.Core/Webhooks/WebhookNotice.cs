using OpenPars.Core.Watches;

namespace OpenPars.Core.Webhooks;

/// <summary>
/// The thin body a partner's endpoint receives when one of its watches matched: which watch, which arrest, what kind
/// of event and when — never the record. The partner reads the record through the governed partner read
/// (<c>GET /api/v1/partner/arrests/{arrestNumber}</c>), so every disclosure stays a decided, audited read.
/// </summary>
/// <param name="Type">Always <see cref="WatchMatched.Type"/>.</param>
/// <param name="WatchId">The watch that matched.</param>
/// <param name="ArrestNumber">The arrest whose event matched.</param>
/// <param name="EventKind">The arrest event's type.</param>
/// <param name="OccurredAt">When the arrest event was recorded.</param>
public sealed record PartnerWebhookNotice(string Type, string WatchId, string ArrestNumber, string EventKind, DateTimeOffset OccurredAt)
{
    /// <summary>The notice of a match.</summary>
    public static PartnerWebhookNotice Of(WatchMatched match)
    {
        ArgumentNullException.ThrowIfNull(match);
        return new(WatchMatched.Type, match.WatchId, match.ArrestNumber, match.EventKind, match.OccurredAt);
    }
}

/// <summary>The body a stakeholder integration receives: the event's position, stream, type, time and its stored JSON.</summary>
/// <param name="Type">The event type (the subscribed kind).</param>
/// <param name="Position">The event's global position (the desk streams' <c>id:</c>).</param>
/// <param name="ArrestNumber">The arrest the event is about.</param>
/// <param name="RecordedAt">When it was recorded.</param>
/// <param name="Event">The event exactly as stored.</param>
public sealed record StakeholderWebhookEvent(string Type, long Position, string ArrestNumber, DateTimeOffset RecordedAt, System.Text.Json.Nodes.JsonNode Event);

/// <summary>The body an endpoint subscribed to the oversight alerts receives: the alert event exactly as stored (its
/// kind, the partner agency, the summary, the figures, the evidence as audit entry indexes; an acknowledgement's agency
/// and statement) — aggregates only, never a person's data (<see cref="Oversight.OversightAlertEvent"/>).</summary>
/// <param name="Type"><c>oversight-alert-raised</c> or <c>oversight-alert-acknowledged</c>.</param>
/// <param name="Position">The event's global position (the alert stream's <c>id:</c>).</param>
/// <param name="AlertId">The alert (<c>oa-…</c>), as <c>GET /api/v1/oversight/alerts</c> names it.</param>
/// <param name="RecordedAt">When it was recorded.</param>
/// <param name="Alert">The event exactly as stored.</param>
public sealed record OversightAlertWebhookEvent(string Type, long Position, string AlertId, DateTimeOffset RecordedAt, System.Text.Json.Nodes.JsonNode Alert);
