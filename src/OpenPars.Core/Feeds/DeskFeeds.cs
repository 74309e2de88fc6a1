using OpenPars.Core.Arrests;
using OpenPars.Core.Charging;

namespace OpenPars.Core.Feeds;

/// <summary>
/// Which committed events each desk stream carries: the same sets the desks' lists are made of, as changes. A pure
/// rule per stream (property-tested against the lists' own definitions in Core.Tests/Feeds).
/// </summary>
public static class DeskFeeds
{
    /// <summary>The charging queue changes: an arrest enters it when booked and leaves it when the charging decision is made.</summary>
    public static bool ChargingQueue(FeedEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.Arrest is ArrestBooked or ChargingDecided;
    }

    /// <summary>
    /// The arraignment list of the day [<paramref name="dayStart"/>, <paramref name="dayEnd"/>) changes: an arrest
    /// booked before the day ends is charged (it joins the waiting list) or arraigned (it leaves it, on whatever day),
    /// or an arraignment is recorded that day (it joins the arraigned list).
    /// </summary>
    public static bool ArraignmentList(FeedEvent e, DateTimeOffset dayStart, DateTimeOffset dayEnd)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.Arrest switch
        {
            ChargingDecided decided => decided.Outcome != ChargingOutcome.Decline && e.BookedAt is { } booked && booked < dayEnd,
            // Only a charged arrest is arraigned: it was waiting on every day's list from its booking day on, and
            // leaves them all; it joins the arraigned list of the day it was arraigned.
            ArraignmentRecorded recorded => (e.BookedAt is { } booked && booked < dayEnd)
                || (recorded.Arraignment.ArraignedAt is { } at && at >= dayStart && at < dayEnd),
            _ => false,
        };
    }

    /// <summary>One arrest's timeline: every new event of its stream.</summary>
    public static bool ArrestTimeline(FeedEvent e, string arrestNumber)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.StreamType == FeedStreams.Arrest && string.Equals(e.StreamId, arrestNumber, StringComparison.Ordinal);
    }
}
