using OpenPars.Core.Audit;

namespace OpenPars.Storage.Events;

/// <summary>The streams of the event log: what <see cref="EventRow.StreamType"/> holds.</summary>
public static class EventStreams
{
    /// <summary>An arrest's events; the stream id is the arrest number.</summary>
    public const string Arrest = "arrest";

    /// <summary>An agreement's events; the stream id is the agreement id.</summary>
    public const string Agreement = "agreement";

    /// <summary>The charter's events (adoption, amendments, their votes); one stream, id <c>charter</c>.</summary>
    public const string Charter = "charter";

    /// <summary>An oversight alert's events (raised, acknowledged); the stream id is the alert id (<c>oa-…</c>).</summary>
    public const string OversightAlert = "oversight-alert";

    /// <summary>A partner watch's events (registered, cancelled, matched); the stream id is the watch id (<c>pw-…</c>).</summary>
    public const string PartnerWatch = Core.Watches.WatchStreams.Watch;
}

/// <summary>
/// One event of the one event log (table <c>events</c>); never updated or deleted. <see cref="Position"/> is the
/// global order, gapless and visible in order (Events/README.md); <see cref="Version"/> the order within the stream.
/// <see cref="AuditIndex"/> and <see cref="Hash"/> bind it to the audit entry that recorded it: that entry lists the
/// hash of the row's canonical bytes (<see cref="EventEnvelope"/>).
/// </summary>
public sealed class EventRow
{
    public long Position { get; set; }
    public string StreamType { get; set; } = "";
    public string StreamId { get; set; } = "";
    public int Version { get; set; }
    public string Type { get; set; } = "";

    /// <summary>The event's JSON, exactly as written (hashed as text).</summary>
    public string Body { get; set; } = "";

    public DateTimeOffset RecordedAt { get; set; }
    public long UserId { get; set; }
    public string AgencyCode { get; set; } = "";

    /// <summary>The audit entry that recorded the event; null only for an event moved from the old tables and not yet adopted.</summary>
    public long? AuditIndex { get; set; }

    /// <summary>SHA-256 of <see cref="Envelope"/>'s canonical bytes, as the entry lists it; null only before adoption.</summary>
    public byte[]? Hash { get; set; }

    public EventEnvelope Envelope() => new(Position, StreamType, StreamId, Version, Type, Body, RecordedAt, UserId, AgencyCode);
}

/// <summary>An event to append: everything but its position and binding, which <see cref="EventLog.AppendAsync"/> gives it.</summary>
public sealed record NewEvent(string StreamType, string StreamId, int Version, string Type, string Body, DateTimeOffset RecordedAt, long UserId, string AgencyCode);
