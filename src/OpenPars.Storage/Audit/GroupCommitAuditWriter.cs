using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using OpenPars.Core.Audit;

namespace OpenPars.Storage.Audit;

/// <summary>
/// Commits the entries of reads and refusals: each caller waits until its entry is durable, and concurrent
/// callers share one transaction (group commit), so auditing every read costs one commit per burst rather than
/// one per request. Also signs a checkpoint every <see cref="DefaultCheckpointInterval"/> (or the interval given) when
/// entries arrived.
/// </summary>
public sealed partial class GroupCommitAuditWriter : IAuditEntrySink, IAsyncDisposable
{
    /// <summary>How often a server signs a checkpoint over what arrived since the last one.</summary>
    public static readonly TimeSpan DefaultCheckpointInterval = TimeSpan.FromSeconds(10);
    private const int MaxBatch = 512;

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Func<OpenParsDbContext> _contexts;
    private readonly AuditLog _log;
    private readonly ILogger<GroupCommitAuditWriter> _logger;
    private readonly TimeSpan _checkpointInterval;
    private readonly Task _loop;
    private readonly CancellationTokenSource _stop = new();
    private int _disposed;

    /// <summary>A writer over <paramref name="contexts"/>; <paramref name="checkpointInterval"/> is for tests that count
    /// checkpoints and must not see a timed one on a slow machine.</summary>
    public GroupCommitAuditWriter(Func<OpenParsDbContext> contexts, AuditLog log, ILogger<GroupCommitAuditWriter> logger, TimeSpan? checkpointInterval = null)
    {
        _checkpointInterval = checkpointInterval ?? DefaultCheckpointInterval;
        _contexts = contexts;
        _log = log;
        _logger = logger;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Returns once the entry is committed; throws if it could not be (the caller must then fail closed).</summary>
    public Task AppendAsync(AuditEntry entry)
    {
        var pending = new Pending(entry, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new AuditUnavailableException("The audit log is shutting down.");
        }

        return pending.Done.Task;
    }

    private async Task RunAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        var nextCheckpoint = DateTime.UtcNow + _checkpointInterval;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                wait.CancelAfter(_checkpointInterval);
                try
                {
                    if (!await _queue.Reader.WaitToReadAsync(wait.Token))
                    {
                        return;
                    }
                }
                catch (OperationCanceledException) when (!_stop.IsCancellationRequested)
                {
                }

                while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var pending))
                {
                    batch.Add(pending);
                }

                if (batch.Count > 0)
                {
                    await CommitAsync(batch);
                    batch.Clear();
                }

                if (DateTime.UtcNow >= nextCheckpoint)
                {
                    nextCheckpoint = DateTime.UtcNow + _checkpointInterval;
                    await using var db = _contexts();
                    await _log.CheckpointIfBehindAsync(db, _stop.Token);
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The loop must survive a failed checkpoint; callers of a failed batch were already told.
                LogLoopFailure(_logger, e.GetType().FullName ?? "?");
            }
        }
    }

    private async Task CommitAsync(List<Pending> batch)
    {
        try
        {
            await using var db = _contexts();
            await using var tx = await db.Database.BeginTransactionAsync();
            await _log.AppendAsync(db, batch.Select(p => p.Entry).ToList());
            await tx.CommitAsync();
            foreach (var pending in batch)
            {
                pending.Done.TrySetResult();
            }
        }
        catch (Exception e)
        {
            LogCommitFailure(_logger, batch.Count, e.GetType().FullName ?? "?");
            foreach (var pending in batch)
            {
                pending.Done.TrySetException(new AuditUnavailableException("The audit entry could not be committed.", e));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Composed as itself and as the IAuditEntrySink: the container disposes it once per registration.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _queue.Writer.TryComplete();
        try
        {
            await _loop.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
        }

        await _stop.CancelAsync();
        _stop.Dispose();
    }

    private sealed record Pending(AuditEntry Entry, TaskCompletionSource Done);

    [LoggerMessage(EventId = 1, Level = LogLevel.Critical, Message = "Audit log: a batch of {Count} entries failed to commit ({ExceptionType}); those requests were refused")]
    private static partial void LogCommitFailure(ILogger logger, int count, string exceptionType);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "Audit log writer loop failed ({ExceptionType}); continuing")]
    private static partial void LogLoopFailure(ILogger logger, string exceptionType);
}

/// <summary>
/// Where the entries of reads and refusals go (<see cref="AuditTrail.CommitAsync"/>): the product composes exactly one,
/// the <see cref="GroupCommitAuditWriter"/>, and no setting replaces it. A benchmark composes its own host with a
/// no-op sink to measure what the audit adds to a read (bench/OpenPars.Bench).
/// </summary>
public interface IAuditEntrySink
{
    /// <summary>Returns once the entry is durable; throws if it could not be made so (the caller fails closed).</summary>
    /// <param name="entry">The entry of one read or refusal.</param>
    Task AppendAsync(AuditEntry entry);
}

/// <summary>The audit log could not record a request: the request must fail closed.</summary>
public sealed class AuditUnavailableException : Exception
{
    public AuditUnavailableException()
    {
    }

    public AuditUnavailableException(string message)
        : base(message)
    {
    }

    public AuditUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
