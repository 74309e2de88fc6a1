using Microsoft.EntityFrameworkCore;

namespace OpenPars.Storage.Feeds;

/// <summary>
/// A consumer of the event log that the server itself runs (a webhook endpoint, a partner watch matcher) and its
/// durable high-water mark (table <c>feed_consumers</c>): the largest position it has fully handled. Because positions
/// become visible in order (Events/README.md), every event above the mark is still to come and none below it is.
/// A desk stream keeps its mark at the client instead (<c>Last-Event-ID</c>).
/// </summary>
public sealed class FeedConsumerRow
{
    /// <summary>The consumer's stable name, e.g. <c>webhook:17</c>.</summary>
    public string Name { get; set; } = "";

    public long Position { get; set; }

    internal static void Configure(ModelBuilder modelBuilder) => modelBuilder.Entity<FeedConsumerRow>(e =>
    {
        e.ToTable("feed_consumers");
        e.HasKey(x => x.Name);
        e.Property(x => x.Name).HasMaxLength(100);
    });
}
