using OpenPars.Core.Agencies;
using OpenPars.Core.Watches;

namespace OpenPars.Core.Webhooks;

/// <summary>Who an endpoint belongs to: a partner agency (thin watch notices) or a stakeholder agency (full events).</summary>
public enum WebhookAudience
{
    /// <summary>A partner agency's endpoint: only the thin notice of its own watches' matches.</summary>
    Partner,

    /// <summary>A stakeholder agency's integration (e.g. the jail management system): full arrest events of its desks.</summary>
    Stakeholder,
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

    /// <summary>The kinds an endpoint of <paramref name="kind"/> agency may subscribe to.</summary>
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
