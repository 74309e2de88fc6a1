using OpenPars.Core.Agencies;
using OpenPars.Core.Oversight;
using OpenPars.Core.Watches;

namespace OpenPars.Core.Webhooks;

/// <summary>Who an endpoint belongs to: a partner agency (thin watch notices) or a stakeholder agency (full events).</summary>
public enum WebhookAudience
{
    /// <summary>A partner agency's endpoint: only the thin notice of its own watches' matches.</summary>
    Partner,

    /// <summary>A stakeholder agency's integration (e.g. the jail management system): full arrest events of its desks
    /// (and, if it asks, the oversight alerts); registered by the police's records admins.</summary>
    Stakeholder,

    /// <summary>A stakeholder agency's (police, district attorney, courts) oversight endpoint, registered by its privacy
    /// officers: the oversight alerts raised and acknowledged, with their evidence — counts, figures and audit entry
    /// indexes, never a person's data.</summary>
    Oversight,
}

/// <summary>
/// The event kinds an endpoint may subscribe to, by the stored event type (the <c>type</c> column of the event log,
/// the <c>type</c> of every payload). A partner's endpoints receive the thin notice of a watch match and nothing
/// else; a stakeholder's receive the arrest events its own agency's desks make — the police: bookings and
/// corrections; the district attorney: charging decisions; the courts: arraignments.
/// </summary>
public static class WebhookEventKinds
{
    /// <summary>Every arrest event type a stakeholder integration can name.</summary>
    public static IReadOnlyList<string> ArrestKinds { get; } = ["arrest-booked", "arrest-corrected", "charging-decided", "arraignment-recorded"];

    /// <summary>The oversight alert kinds (the events of the <c>oversight-alert</c> streams): only ever to a stakeholder
    /// agency's endpoints, never to a partner's.</summary>
    public static IReadOnlyList<string> AlertKinds { get; } = [OversightAlertRaised.TypeName, OversightAlertAcknowledged.TypeName];

    /// <summary>Whether <paramref name="kind"/> is an oversight alert kind.</summary>
    public static bool IsAlertKind(string? kind) => AlertKinds.Contains(kind, StringComparer.Ordinal);

    /// <summary>The kinds an endpoint of <paramref name="audience"/> at an agency of <paramref name="kind"/> may
    /// subscribe to: a partner's, its watch notices; a stakeholder integration, its desks' events and the alerts;
    /// an oversight endpoint (a stakeholder agency's privacy officers), the alerts. Nothing for a partner agency but
    /// the partner audience.</summary>
    public static IReadOnlyList<string> For(WebhookAudience audience, AgencyKind kind) => audience switch
    {
        WebhookAudience.Partner when kind == AgencyKind.Partner => [WatchMatched.Type],
        WebhookAudience.Stakeholder when AgencyKinds.IsStakeholder(kind) => [.. For(kind), .. AlertKinds],
        WebhookAudience.Oversight when AgencyKinds.IsStakeholder(kind) => AlertKinds,
        _ => [],
    };

    /// <summary>The event kinds an agency of <paramref name="kind"/> makes at its desks (a partner: its watch notices).</summary>
    public static IReadOnlyList<string> For(AgencyKind kind) => kind switch
    {
        AgencyKind.Partner => [WatchMatched.Type],
        AgencyKind.Police => ["arrest-booked", "arrest-corrected"],
        AgencyKind.DistrictAttorney => ["charging-decided"],
        AgencyKind.Courts => ["arraignment-recorded"],
        _ => [],
    };

    /// <summary>The audience of an agency's endpoints.</summary>
    public static WebhookAudience AudienceOf(AgencyKind kind) => kind == AgencyKind.Partner ? WebhookAudience.Partner : WebhookAudience.Stakeholder;
}
