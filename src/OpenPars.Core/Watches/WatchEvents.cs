using System.Text.Json;

namespace OpenPars.Core.Watches;

/// <summary>
/// A partner analyst registered a watch for one identified person (the first event of the watch's stream,
/// <see cref="WatchStreams.Watch"/>, stream id = <see cref="WatchId"/>). The criteria are the search criteria that
/// identify the person (canonical names, trimmed values); the statement is the request's purpose, reason and case
/// number. The watch matches from its registration's position on, until <see cref="ExpiresAt"/> or its cancellation.
/// </summary>
/// <param name="WatchId">The watch (<c>pw-</c> and 20 hex digits, random).</param>
/// <param name="AgreementId">The agreement in force at registration; the watch matches only while it is in force.</param>
/// <param name="AgreementVersion">That agreement's version in force at registration.</param>
/// <param name="AgencyId">The partner agency.</param>
/// <param name="AgencyCode">The partner agency's code.</param>
/// <param name="UserId">The analyst who registered it.</param>
/// <param name="UserName">The analyst's name.</param>
/// <param name="Criteria">Canonical criterion name → value, as a partner search would use them.</param>
/// <param name="Purpose">The agreement's spelling of the stated purpose.</param>
/// <param name="Reason">The stated reason (clipped to 500 characters).</param>
/// <param name="CaseNumber">The stated case number (clipped to 500 characters).</param>
/// <param name="RegisteredAt">When it was registered.</param>
/// <param name="ExpiresAt">When it stops matching (at most the agreement's expiry).</param>
public sealed record WatchRegistered(
    string WatchId,
    string AgreementId,
    int AgreementVersion,
    long AgencyId,
    string AgencyCode,
    long UserId,
    string UserName,
    IReadOnlyDictionary<string, string> Criteria,
    string Purpose,
    string? Reason,
    string? CaseNumber,
    DateTimeOffset RegisteredAt,
    DateTimeOffset ExpiresAt)
{
    /// <summary>The event type as stored in the event log.</summary>
    public const string Type = "partner-watch-registered";

    /// <summary>The stored body.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, WatchJson.Options);

    /// <summary>Reads a stored body written by <see cref="ToJson"/>.</summary>
    public static WatchRegistered FromJson(string body) =>
        JsonSerializer.Deserialize<WatchRegistered>(body, WatchJson.Options) ?? throw new JsonException("A watch-registered event body is null.");
}

/// <summary>A watch was cancelled by an analyst of its agency (the stream's next event); it matches nothing after it.</summary>
/// <param name="WatchId">The watch.</param>
/// <param name="UserId">Who cancelled it.</param>
/// <param name="UserName">Their name.</param>
/// <param name="CancelledAt">When.</param>
public sealed record WatchCancelled(string WatchId, long UserId, string UserName, DateTimeOffset CancelledAt)
{
    /// <summary>The event type as stored in the event log.</summary>
    public const string Type = "partner-watch-cancelled";

    /// <summary>The stored body.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, WatchJson.Options);
}

/// <summary>The watch events' JSON: web defaults (camelCase), as <see cref="WatchMatched"/> uses.</summary>
public static class WatchJson
{
    /// <summary>The options every watch event is written and read with.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);
}
