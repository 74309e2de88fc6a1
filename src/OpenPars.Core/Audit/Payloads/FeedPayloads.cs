namespace OpenPars.Core.Audit.Payloads;

/// <summary>A desk stream opened (11001 charging queue, 11002 arraignment list, 11003 one arrest's timeline, 12010 the
/// overseers' alert stream): the
/// stream's name and, when the subscriber resumed, the position it resumed after (its <c>Last-Event-ID</c>). The
/// list's date is the entry's <c>date</c> criterion and the arrest its <c>records</c>.</summary>
/// <param name="Stream">The stream's name: <c>charging-queue</c>, <c>arraignment-list</c>, <c>arrest</c> or <c>oversight-alert</c>.</param>
/// <param name="ResumedAfter">The <c>Last-Event-ID</c> the subscriber sent; null when it started live.</param>
public sealed record StreamOpenedV1(string Stream, long? ResumedAfter = null) : IAuditPayload<StreamOpenedV1>
{
    /// <inheritdoc/>
    public static AuditPayloadSchema Schema { get; } = new("stream-opened", 1,
        [AuditEventType.ChargingQueueStreamOpened, AuditEventType.ArraignmentListStreamOpened, AuditEventType.ArrestStreamOpened, AuditEventType.OversightAlertStreamOpened]);

    /// <inheritdoc/>
    /// <remarks>Entries written before this payload named no stream; the resume position was <c>lastEventId</c>.</remarks>
    public static StreamOpenedV1 FromDetails(IReadOnlyDictionary<string, string> details) =>
        new(details.Text("stream") ?? "", details.Long("lastEventId"));
}

/// <summary>A batch of events sent to one stream's subscriber (11004): which stream, how many events and the global
/// positions of the first and last. The arrests they concern are the entry's <c>records</c>.</summary>
/// <param name="Stream">The stream's name, as in <see cref="StreamOpenedV1.Stream"/>.</param>
/// <param name="Events">How many events the batch held.</param>
/// <param name="FirstPosition">The global position of its first event.</param>
/// <param name="LastPosition">The global position of its last event (the subscriber's next <c>Last-Event-ID</c>).</param>
public sealed record StreamDeliveredV1(string Stream, int Events, long FirstPosition, long LastPosition) : IAuditPayload<StreamDeliveredV1>
{
    /// <inheritdoc/>
    public static AuditPayloadSchema Schema { get; } = new("stream-delivered", 1, [AuditEventType.StreamDelivered]);

    /// <inheritdoc/>
    public static StreamDeliveredV1 FromDetails(IReadOnlyDictionary<string, string> details) =>
        new(details.Text("stream") ?? "", details.Int("events") ?? 0, details.Long("firstPosition") ?? 0, details.Long("lastPosition") ?? 0);
}
