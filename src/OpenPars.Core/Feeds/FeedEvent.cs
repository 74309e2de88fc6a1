using OpenPars.Core.Arrests;

namespace OpenPars.Core.Feeds;

/// <summary>
/// One committed event as the feeds see it: its global position (the SSE <c>id:</c> and every consumer's high-water
/// mark), its stream, its type and body exactly as stored, and — for an arrest — the parsed event and the booking
/// instant of its arrest (the arraignment list is "booked by the end of the day"), looked up once per dispatch.
/// </summary>
public sealed record FeedEvent(
    long Position,
    string StreamType,
    string StreamId,
    string Type,
    string Body,
    DateTimeOffset RecordedAt,
    ArrestEvent? Arrest,
    DateTimeOffset? BookedAt);

/// <summary>The event log's stream names as the feeds filter on them (the same strings as Storage's EventStreams).</summary>
public static class FeedStreams
{
    public const string Arrest = "arrest";
}
