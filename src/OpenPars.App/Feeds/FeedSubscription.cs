using System.Threading.Channels;
using OpenPars.Core.Feeds;

namespace OpenPars.App.Feeds;

/// <summary>Why a stream was closed by its governance: a stable reason (<c>terminated</c>, <c>suspended</c>,
/// <c>expired</c>, <c>not-granted</c>, <c>no-agreement</c>, <c>token-revoked</c>, <c>token-expired</c>) and the refusal
/// code a new request would get.</summary>
/// <param name="Reason">The stable reason.</param>
/// <param name="Code">The refusal code of a new request now.</param>
public sealed record StreamRevocation(string Reason, string Code);

/// <summary>
/// One live subscriber of the dispatcher: the events its filter accepts, above <see cref="StartAfter"/>, in position
/// order, in a bounded buffer. A subscriber that lets the buffer fill is cut off (<see cref="Overflowed"/>) rather than
/// slowing the dispatcher or the other subscribers down; its stream ends with <c>overflow</c> and the client resumes
/// from the last id it received.
/// </summary>
public sealed class FeedSubscription : IDisposable
{
    private readonly Channel<FeedEvent> _buffer;
    private readonly Func<FeedEvent, bool> _filter;
    private readonly Action<FeedSubscription> _remove;
    private StreamRevocation? _revocation;

    internal FeedSubscription(Func<FeedEvent, bool> filter, int capacity, long startAfter, Action<FeedSubscription> remove)
    {
        _filter = filter;
        _remove = remove;
        StartAfter = startAfter;
        _buffer = Channel.CreateBounded<FeedEvent>(new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
    }

    /// <summary>The dispatcher's position when the subscriber joined: the buffer holds only events after it; a resume
    /// reads the events up to it from the table.</summary>
    public long StartAfter { get; }

    /// <summary>True once the buffer was full when an event came: nothing after that event is buffered.</summary>
    public bool Overflowed { get; private set; }

    public ChannelReader<FeedEvent> Events => _buffer.Reader;

    /// <summary>Why the stream's governance ended it (its agreement stopped, its token was revoked), or null: once
    /// set, nothing more is sent — not even what the buffer holds — and the stream ends with <c>revoked</c>.</summary>
    public StreamRevocation? Revocation => Volatile.Read(ref _revocation);

    /// <summary>Ends the stream for <paramref name="why"/> (the first reason given wins); safe from any thread.</summary>
    public void Revoke(StreamRevocation why)
    {
        Interlocked.CompareExchange(ref _revocation, why, null);
        _buffer.Writer.TryComplete();
    }

    /// <summary>Called by the dispatcher, in position order, under its lock.</summary>
    internal void Offer(FeedEvent e)
    {
        if (Overflowed || !_filter(e))
        {
            return;
        }

        if (!_buffer.Writer.TryWrite(e))
        {
            Overflowed = true;
            _buffer.Writer.TryComplete();
        }
    }

    /// <summary>The dispatcher stops: the stream ends after what is buffered.</summary>
    internal void Complete() => _buffer.Writer.TryComplete();

    public void Dispose()
    {
        _buffer.Writer.TryComplete();
        _remove(this);
    }
}
