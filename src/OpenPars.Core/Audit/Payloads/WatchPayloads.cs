namespace OpenPars.Core.Audit.Payloads;

/// <summary>A watch registered (11010), cancelled (11012) or matched (11013): the watch, the agreement it is under,
/// the statement it was registered with, and for a match the arrest event's kind and position (the arrest is the
/// entry's <c>records</c>; the criteria, as a search's, are the entry's <c>criteria</c>). A refused registration names
/// the rule that refused it.</summary>
/// <param name="WatchId">The watch (<c>pw-…</c>); null for a registration refused before it had one.</param>
/// <param name="AgreementId">The agreement in force.</param>
/// <param name="AgreementVersion">Its version in force.</param>
/// <param name="Purpose">The stated purpose (clipped).</param>
/// <param name="Reason">The stated reason (clipped).</param>
/// <param name="CaseNumber">The stated case number (clipped).</param>
/// <param name="ExpiresAt">When the watch stops matching.</param>
/// <param name="Rule">The policy rule that refused a registration.</param>
/// <param name="EventKind">A match: the arrest event's type (<c>arrest-booked</c>, …).</param>
/// <param name="MatchedPosition">A match: the arrest event's global position.</param>
public sealed record WatchV1(
    string? WatchId = null,
    string? AgreementId = null,
    int? AgreementVersion = null,
    string? Purpose = null,
    string? Reason = null,
    string? CaseNumber = null,
    DateTimeOffset? ExpiresAt = null,
    string? Rule = null,
    string? EventKind = null,
    long? MatchedPosition = null) : IAuditPayload<WatchV1>
{
    /// <inheritdoc/>
    public static AuditPayloadSchema Schema { get; } = new("watch", 1, [AuditEventType.WatchRegistered, AuditEventType.WatchCancelled, AuditEventType.WatchMatched]);

    /// <inheritdoc/>
    /// <remarks>No entry was written before payloads existed: only the watch id is read from details.</remarks>
    public static WatchV1 FromDetails(IReadOnlyDictionary<string, string> details) => new(details.Text("watchId"));
}

/// <summary>A partner stream opened (11014), a batch it delivered (11015) or its close on a revocation (11017): where
/// it resumed, the matches sent (how many, first and last position: the watched arrests are the entry's
/// <c>records</c>), or why it closed and with which code.</summary>
/// <param name="AgreementId">The agreement the stream is open under.</param>
/// <param name="ResumedAfter">The <c>Last-Event-ID</c> the partner sent; null when it started live.</param>
/// <param name="Events">A delivery: how many matches.</param>
/// <param name="FirstPosition">A delivery: the first match's position.</param>
/// <param name="LastPosition">A delivery: the last match's position (the partner's next <c>Last-Event-ID</c>).</param>
/// <param name="Reason">A close: <c>terminated</c>, <c>suspended</c>, <c>expired</c>, <c>not-granted</c>, <c>token-revoked</c>.</param>
/// <param name="Code">A close: the refusal code a new request would get.</param>
public sealed record PartnerStreamV1(
    string? AgreementId = null,
    long? ResumedAfter = null,
    int? Events = null,
    long? FirstPosition = null,
    long? LastPosition = null,
    string? Reason = null,
    string? Code = null) : IAuditPayload<PartnerStreamV1>
{
    /// <inheritdoc/>
    public static AuditPayloadSchema Schema { get; } = new("partner-stream", 1,
        [AuditEventType.PartnerStreamOpened, AuditEventType.PartnerStreamDelivered, AuditEventType.PartnerStreamRevoked]);

    /// <inheritdoc/>
    public static PartnerStreamV1 FromDetails(IReadOnlyDictionary<string, string> details) => new(details.Text("agreementId"));
}
