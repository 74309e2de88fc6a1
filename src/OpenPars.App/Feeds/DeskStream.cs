using System.Runtime.CompilerServices;
using System.Threading.Channels;
using OpenPars.Core.Feeds;
using OpenPars.Storage;
using OpenPars.Storage.Feeds;

namespace OpenPars.App.Feeds;

public enum StreamItemKind
{
    /// <summary>A committed event the stream carries; its position is the SSE id.</summary>
    Event,

    /// <summary>Nothing happened for a heartbeat interval: the stream is alive.</summary>
    Heartbeat,

    /// <summary>The subscriber fell behind and its buffer filled: the stream ends; resume from <see cref="StreamItem.LastEventId"/>.</summary>
    Overflow,

    /// <summary>The stream's governance ended it (<see cref="StreamItem.Revocation"/> says why): the last item, nothing after it.</summary>
    Revoked,
}

/// <summary>One thing a stream sends: an event, a heartbeat, the final overflow (with the last id delivered) or the
/// final revocation (with its reason).</summary>
public sealed record StreamItem(StreamItemKind Kind, FeedEvent? Event, long LastEventId, StreamRevocation? Revocation = null);

/// <summary>
/// An opened desk stream: first the events after <paramref name="resumeAfter"/> (the client's Last-Event-ID, or the
/// log's head when it opened) up to the dispatcher's position when it joined (read from the event table), then the live events the dispatcher buffers for it — no gap, no duplicate (an event the replay sent is
/// skipped live). Each batch is audited before it is sent (<paramref name="delivered"/> commits its entry); a heartbeat
/// after each idle interval; <see cref="StreamItemKind.Overflow"/> last if the buffer filled, or
/// <see cref="StreamItemKind.Revoked"/> if the subscription was revoked (then nothing more is sent, buffered or not: a
/// batch <paramref name="delivered"/> found revoked is not sent either).
/// </summary>
public sealed class DeskStream(
    FeedSubscription subscription,
    long resumeAfter,
    Func<FeedEvent, bool> filter,
    OpenParsDbContext db,
    FeedOptions options,
    Func<IReadOnlyList<FeedEvent>, Task> delivered) : IAsyncEnumerable<StreamItem>
{
    /// <summary>The dispatcher's subscriber this stream reads (revoke it to end the stream with <c>revoked</c>).</summary>
    public FeedSubscription Subscription => subscription;

    public IAsyncEnumerator<StreamItem> GetAsyncEnumerator(CancellationToken cancellationToken = default) =>
        RunAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);

    private async IAsyncEnumerable<StreamItem> RunAsync([EnumeratorCancellation] CancellationToken ct)
    {
        try
        {
            var last = resumeAfter;

            // Sent at once, so the client has the response headers (the stream is open and audited) before any event.
            yield return new StreamItem(StreamItemKind.Heartbeat, null, last);
            if (resumeAfter < subscription.StartAfter)
            {
                await foreach (var batch in ReplayAsync(resumeAfter, ct))
                {
                    await delivered(batch);
                    if (subscription.Revocation is not null)
                    {
                        break;
                    }

                    foreach (var e in batch)
                    {
                        last = e.Position;
                        yield return new StreamItem(StreamItemKind.Event, e, last);
                    }
                }
            }

            while (true)
            {
                var waited = await WaitAsync(subscription.Events, ct);
                if (waited == Waited.Heartbeat)
                {
                    yield return new StreamItem(StreamItemKind.Heartbeat, null, last);
                    continue;
                }

                if (waited == Waited.Ended || subscription.Revocation is not null)
                {
                    break;
                }

                var batch = new List<FeedEvent>();
                while (batch.Count < options.ReadBatch && subscription.Events.TryRead(out var e))
                {
                    if (e.Position > last)
                    {
                        batch.Add(e);
                    }
                }

                if (batch.Count == 0)
                {
                    continue;
                }

                await delivered(batch);
                if (subscription.Revocation is not null)
                {
                    break;
                }

                foreach (var e in batch)
                {
                    last = e.Position;
                    yield return new StreamItem(StreamItemKind.Event, e, last);
                }
            }

            if (subscription.Revocation is { } revoked)
            {
                yield return new StreamItem(StreamItemKind.Revoked, null, last, revoked);
            }
            else if (subscription.Overflowed)
            {
                yield return new StreamItem(StreamItemKind.Overflow, null, last);
            }
        }
        finally
        {
            subscription.Dispose();
        }
    }

    /// <summary>The accepted events in (<paramref name="from"/>, the join position], a batch per read.</summary>
    private async IAsyncEnumerable<IReadOnlyList<FeedEvent>> ReplayAsync(long from, [EnumeratorCancellation] CancellationToken ct)
    {
        var at = from;
        while (at < subscription.StartAfter)
        {
            var page = await FeedReader.ReadAfterAsync(db, at, options.ReadBatch, ct);
            var upTo = page.TakeWhile(e => e.Position <= subscription.StartAfter).ToList();
            if (upTo.Count == 0)
            {
                yield break;
            }

            at = upTo[^1].Position;
            var accepted = upTo.Where(filter).ToList();
            if (accepted.Count > 0)
            {
                yield return accepted;
            }
        }
    }

    private enum Waited { Ready, Heartbeat, Ended }

    private async Task<Waited> WaitAsync(ChannelReader<FeedEvent> events, CancellationToken ct)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(ct);
        idle.CancelAfter(options.HeartbeatInterval);
        try
        {
            return await events.WaitToReadAsync(idle.Token) ? Waited.Ready : Waited.Ended;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return Waited.Heartbeat;
        }
    }
}
