namespace OpenPars.App.Feeds;

/// <summary>The feeds' timing and bounds (defaults for production; tests shorten the heartbeat and shrink the buffer).</summary>
public sealed record FeedOptions
{
    /// <summary>How often an idle stream sends a heartbeat, so proxies keep it open and clients see it alive.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Events a subscriber may have waiting; one more and it is sent <c>overflow</c> and closed (it resumes with Last-Event-ID).</summary>
    public int SubscriberBuffer { get; init; } = 1024;

    /// <summary>The polling fallback: the dispatcher reads the event table at least this often even if no wake-up came
    /// (another process on SQLite, a lost PostgreSQL notification, the CLI).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Events read per query, by the dispatcher and by a resuming stream's replay.</summary>
    public int ReadBatch { get; init; } = 500;
}
