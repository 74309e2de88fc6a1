using System.Text.Json;

namespace OpenPars.Core.Watches;

/// <summary>
/// A partner's watch matched a new arrest event of the watched person: appended to the event log on the watch's
/// own stream (<see cref="WatchStreams.Watch"/>, stream id = <see cref="WatchId"/>) in the same transaction as its
/// audit entry, so every consumer — the partner's stream, its webhooks — sees the match once, in position order, and
/// delivers only this thin notice: the partner reads the record itself through the governed partner read.
/// The stored JSON (type <see cref="Type"/>, these members) is read by the webhook worker: never rename them.
/// </summary>
/// <param name="WatchId">The watch that matched (<c>pw-…</c>).</param>
/// <param name="AgreementId">The agreement the watch was registered under; re-checked before every delivery.</param>
/// <param name="AgencyId">The partner agency that owns the watch (its streams and webhooks receive the notice).</param>
/// <param name="AgencyCode">The partner agency's code, for logs and audit entries.</param>
/// <param name="ArrestNumber">The arrest whose event matched.</param>
/// <param name="EventKind">The arrest event's type (<c>arrest-booked</c>, <c>arrest-corrected</c>, …).</param>
/// <param name="OccurredAt">When the arrest event was recorded.</param>
/// <param name="MatchedPosition">The global position of the arrest event that matched.</param>
public sealed record WatchMatched(
    string WatchId,
    string AgreementId,
    long AgencyId,
    string AgencyCode,
    string ArrestNumber,
    string EventKind,
    DateTimeOffset OccurredAt,
    long MatchedPosition)
{
    /// <summary>The event type as stored in the event log's <c>type</c> column and the body's <c>type</c> member.</summary>
    public const string Type = "partner-watch-matched";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The stored body.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads a stored body written by <see cref="ToJson"/>.</summary>
    public static WatchMatched FromJson(string body) =>
        JsonSerializer.Deserialize<WatchMatched>(body, Json)
        ?? throw new JsonException("A watch-matched event body is null.");
}

/// <summary>The event log's stream names for watches (the same strings as Storage's <c>EventStreams</c>).</summary>
public static class WatchStreams
{
    /// <summary>A partner watch's events; the stream id is the watch id.</summary>
    public const string Watch = "partner-watch";
}
