using OpenPars.Core.Agencies;
using OpenPars.Core.Audit;
using OpenPars.Core.Common;
using OpenPars.Storage.Audit;

namespace OpenPars.App.Audit;

/// <summary>
/// The audit of one use-case call, owned by the use case whatever adapter called it. The use case names the caller
/// and the event; a read's entry is committed (durably, through the group writer) before its answer is returned; a
/// write's entry is appended by the store inside the write's transaction; a refusal's entry is committed with its
/// code and status before the refusal leaves. Exactly one entry per call: the trail refuses a second.
/// </summary>
public sealed class AuditScope(AuditTrail trail, Feeds.FeedSignal feeds)
{
    /// <summary>The request's notes (records touched, criteria, details) for the entry.</summary>
    public AuditTrail Trail => trail;

    /// <summary>A read (or any call that writes nothing): its answer is returned only once its entry is durable.</summary>
    public async Task<T> ReadAsync<T>(Caller caller, AuditEventType type, Func<Task<T>> read)
    {
        Begin(caller, type);
        T answer;
        try
        {
            answer = await read();
        }
        catch (DomainException refusal)
        {
            await RefusedAsync(refusal);
            throw;
        }

        await trail.CommitAsync(AuditOutcome.Allowed, null, 200);
        return answer;
    }

    /// <summary>A call whose only audit is its refusals (reference lists: they read no arrest data).</summary>
    public async Task<T> RefusalsOnlyAsync<T>(Caller caller, AuditEventType type, Func<T> read)
    {
        Begin(caller, type);
        try
        {
            return read();
        }
        catch (DomainException refusal)
        {
            await RefusedAsync(refusal);
            throw;
        }
    }

    /// <summary>A write: the store appends the entry in the write's transaction. A write answered without writing
    /// (an idempotent replay) is recorded as a read of what it answered with.</summary>
    public async Task<T> WriteAsync<T>(Caller caller, AuditEventType type, Func<Task<T>> write)
    {
        Begin(caller, type);
        T answer;
        try
        {
            answer = await write();
        }
        catch (DomainException refusal)
        {
            await RefusedAsync(refusal);
            throw;
        }

        // The write's transaction has committed: the feed dispatcher of this process looks for its events now.
        feeds.Raise();
        await trail.CommitAsync(AuditOutcome.Allowed, null, 200);
        return answer;
    }

    /// <summary>Notes an arrest number the request names, so a refused attempt is found under that record.</summary>
    public void Requested(string arrestNumber) => trail.Requested(arrestNumber);

    private void Begin(Caller caller, AuditEventType type)
    {
        trail.EventType = type;
        trail.Origin = trail.Origin with
        {
            Channel = caller.Channel,
            Actor = caller.ToAuditActor(),
            OsUser = caller.IsOperator ? caller.UserName : trail.Origin.OsUser,
        };
    }

    private Task RefusedAsync(DomainException refusal) =>
        trail.CommitAsync(AuditOutcome.Refused, refusal.Code, ErrorCatalogue.StatusFor(refusal.Code));
}
