using Microsoft.Extensions.Logging;
using OpenPars.App.Hosting;
using OpenPars.Core.Feeds;
using OpenPars.Storage.Feeds;
using OpenPars.Storage.Postgres;

namespace OpenPars.App.Feeds;

/// <summary>
/// One per server process: reads each committed event once, in position order, and offers it to every live
/// subscriber. It wakes on this process's commits (<see cref="FeedSignal"/>), on PostgreSQL also on other processes'
/// (<c>LISTEN openpars_events</c>: the position only, never the data), and polls the event table as the fallback.
/// The web host runs <see cref="RunAsync"/> for the server's lifetime.
/// </summary>
public sealed class FeedDispatcher(OpenParsAppOptions options, FeedSignal signal, ILogger<FeedDispatcher> log)
{
    private readonly Lock _gate = new();
    private readonly List<FeedSubscription> _subscribers = [];
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _cycled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _head;
    private bool _closing;

    private FeedOptions Feeds => options.Feeds;

    /// <summary>The last position offered to subscribers.</summary>
    public long Head
    {
        get
        {
            lock (_gate)
            {
                return _head;
            }
        }
    }

    /// <summary>Subscribers joined and not yet gone (a stream ends when its client goes, the server stops, or it overflows).</summary>
    public int SubscriberCount
    {
        get
        {
            lock (_gate)
            {
                return _subscribers.Count;
            }
        }
    }

    /// <summary>Joins a subscriber: it gets every accepted event after the dispatcher's current position. Waits for the
    /// dispatcher to have read the log's head once.</summary>
    public async Task<FeedSubscription> SubscribeAsync(Func<FeedEvent, bool> filter, CancellationToken ct)
    {
        await _ready.Task.WaitAsync(ct);
        lock (_gate)
        {
            var subscription = new FeedSubscription(filter, Feeds.SubscriberBuffer, _head, Remove);
            _subscribers.Add(subscription);
            if (_closing)
            {
                subscription.Complete();
            }

            return subscription;
        }
    }

    /// <summary>Completes when the dispatcher has next read the log: after a commit of this process (also one that
    /// appended no event, such as a token's revocation), another process's notification, or the poll. A holder of a
    /// standing (an open partner stream) takes this task, decides, then waits on it to decide again.</summary>
    public Task NextCycleAsync()
    {
        lock (_gate)
        {
            return _cycled.Task;
        }
    }

    public async Task RunAsync(CancellationToken stop)
    {
        var listening = options.Storage.Provider == StorageProvider.Postgres
            ? Task.Run(() => PostgresEventWakeUp.ListenAsync(options.Storage.ConnectionString, signal.Raise, e => log.LogWarning(e, "Listening for other processes' events failed; polling until it reconnects."), stop), stop)
            : null;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await using var db = OpenParsDatabase.CreateContext(options.Storage);
                if (!_ready.Task.IsCompleted)
                {
                    var head = await FeedReader.HeadAsync(db, stop);
                    lock (_gate)
                    {
                        _head = head;
                    }

                    _ready.TrySetResult();
                }

                await DispatchAsync(db, stop);
                Cycled();
                await signal.WaitAsync(Feeds.PollInterval, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                // A store that is down or damaged: subscribers keep what they have; the dispatcher tries again.
                log.LogError(e, "The feed dispatcher could not read the event log; retrying.");
                await Task.Delay(Feeds.PollInterval, stop).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }

        CloseAll();
        if (listening is not null)
        {
            await listening.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>The server is stopping: every stream ends after what it holds (its client reconnects with
    /// Last-Event-ID to another server, or to this one once it is back), and new ones end at once.</summary>
    public void CloseAll()
    {
        lock (_gate)
        {
            _closing = true;
            foreach (var subscriber in _subscribers)
            {
                subscriber.Complete();
            }
        }
    }

    private async Task DispatchAsync(Storage.OpenParsDbContext db, CancellationToken stop)
    {
        while (true)
        {
            var batch = await FeedReader.ReadAfterAsync(db, Head, Feeds.ReadBatch, stop);
            if (batch.Count == 0)
            {
                return;
            }

            lock (_gate)
            {
                foreach (var e in batch)
                {
                    foreach (var subscriber in _subscribers)
                    {
                        subscriber.Offer(e);
                    }
                }

                _head = batch[^1].Position;
            }
        }
    }

    private void Cycled()
    {
        TaskCompletionSource done;
        lock (_gate)
        {
            done = _cycled;
            _cycled = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        done.TrySetResult();
    }

    private void Remove(FeedSubscription subscription)
    {
        lock (_gate)
        {
            _subscribers.Remove(subscription);
        }
    }
}
