using OpenPars.Core.Feeds;

namespace OpenPars.Core.Oversight;

/// <summary>
/// Which committed events the overseers' live alert stream carries: every event of the <c>oversight-alert</c> streams
/// (an alert raised, an acknowledgement), the same events <c>GET /api/v1/oversight/alerts</c> folds. They hold counts
/// and entry indexes only, never a person (<see cref="OversightAlertEvent"/>), so the stream may go to representatives.
/// </summary>
public static class OversightAlertFeed
{
    /// <summary>The event log's stream type of alerts (the same string as Storage's <c>EventStreams.OversightAlert</c>)
    /// and the stream's name in its audit entries.</summary>
    public const string StreamName = "oversight-alert";

    /// <summary>An alert raised or acknowledged.</summary>
    public static bool Carries(FeedEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return string.Equals(e.StreamType, StreamName, StringComparison.Ordinal)
            && e.Type is OversightAlertRaised.TypeName or OversightAlertAcknowledged.TypeName;
    }
}
