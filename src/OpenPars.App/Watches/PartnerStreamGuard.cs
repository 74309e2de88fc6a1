using Microsoft.EntityFrameworkCore;
using OpenPars.App.Feeds;
using OpenPars.App.Hosting;
using OpenPars.Core.Agencies;
using OpenPars.Core.Agreements;
using OpenPars.Core.Audit;
using OpenPars.Core.Audit.Payloads;
using OpenPars.Core.Common;
using OpenPars.Core.Watches;
using OpenPars.Storage.Agreements;
using OpenPars.Storage.Audit;

namespace OpenPars.App.Watches;

/// <summary>
/// Keeps one open partner stream governed (issue 10 § Revocation bites at once): it decides again whenever the feed
/// dispatcher has read the log (<see cref="FeedDispatcher.NextCycleAsync"/>: every commit of this process — a
/// suspension, a withdrawal, a token's revocation — another process's notification, or the poll) and when the clock
/// reaches the next instant the standing changes by itself (the agreement's expiry, a withdrawal's notice instant, the
/// token's expiry: a timer of the injected <see cref="TimeProvider"/>, so a moved clock fires it). When the agreement is
/// no longer active with <c>watch</c> granted, or the token is revoked or expired, it commits the close's entry (11017,
/// the reason and the code a new request would get) and revokes the subscription: the stream sends <c>revoked</c> and
/// nothing more.
/// </summary>
public sealed class PartnerStreamGuard(
    OpenParsAppOptions options, FeedDispatcher dispatcher, AuditLog log, IAuditEntrySink writer, TimeProvider clock, Caller caller, string agreementId, AuditOrigin origin)
{
    // A timer no longer than this (System.Threading.Timer's limit is about 49 days); the guard decides again when it fires.
    private static readonly TimeSpan LongestTimer = TimeSpan.FromDays(30);
    private int _closed;

    /// <summary>The reason the stream may not go on now, or null; and the next instant that may change by itself.</summary>
    public async Task<(StreamRevocation? Revoked, DateTimeOffset? NextChange)> DecideAsync(CancellationToken ct)
    {
        await using var db = OpenParsDatabase.CreateContext(options.Storage);
        var now = clock.GetUtcNow();
        DateTimeOffset? tokenExpires = null;
        if (caller.TokenId is { } tokenId)
        {
            var token = await db.Tokens.AsNoTracking().SingleOrDefaultAsync(t => t.Id == tokenId, ct);
            if (token is null || token.RevokedAt is not null)
            {
                return (new StreamRevocation("token-revoked", ErrorCodes.Unauthenticated), null);
            }

            if (token.ExpiresAt is { } expires && expires <= now)
            {
                return (new StreamRevocation("token-expired", ErrorCodes.Unauthenticated), null);
            }

            tokenExpires = token.ExpiresAt;
        }

        var agreement = await new AgreementStore(db, clock, new AuditTrail(log, writer: null, clock)).FindAsync(agreementId, ct);
        if (agreement is null || !string.Equals(agreement.PartnerAgency, caller.AgencyCode, StringComparison.Ordinal))
        {
            return (new StreamRevocation("no-agreement", AgreementErrorCodes.NoActiveAgreement), null);
        }

        if (WatchRules.Revoked(agreement.StatusAt(now), agreementId, now) is { } revoked)
        {
            return (new StreamRevocation(revoked.Reason, revoked.Code), null);
        }

        var next = AgreementStatusCalculator.NextChangeAt(agreement.Events, agreement.Governing.Charters, now);
        return (null, (next, tokenExpires) switch
        {
            ({ } a, { } b) => a < b ? a : b,
            (var a, var b) => a ?? b,
        });
    }

    /// <summary>Decides now; when the stream may not go on, closes it (entry, then revocation) and answers true.</summary>
    public async Task<bool> CloseIfRevokedAsync(FeedSubscription subscription, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        if (subscription.Revocation is not null)
        {
            return true;
        }

        var (revoked, _) = await DecideAsync(ct);
        if (revoked is null)
        {
            return false;
        }

        await CloseAsync(subscription, revoked);
        return true;
    }

    /// <summary>Decides on every dispatcher cycle and at the next timed change, until the stream is closed or <paramref name="ct"/> ends it.</summary>
    public async Task RunAsync(FeedSubscription subscription, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        while (!ct.IsCancellationRequested && subscription.Revocation is null)
        {
            // Taken before deciding: a commit while the decision reads the store wakes the next one.
            var cycle = dispatcher.NextCycleAsync();
            DateTimeOffset? next;
            try
            {
                (var revoked, next) = await DecideAsync(ct);
                if (revoked is not null)
                {
                    await CloseAsync(subscription, revoked);
                    return;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The store is down (or the decision failed): nothing is delivered meanwhile, since each batch decides
                // again before it is sent; decide again on the next cycle.
                next = null;
            }

            using var timer = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var waits = new List<Task> { cycle.WaitAsync(ct) };
            if (next is { } at)
            {
                var delay = at - clock.GetUtcNow();
                waits.Add(Task.Delay(delay <= TimeSpan.Zero ? TimeSpan.Zero : delay < LongestTimer ? delay : LongestTimer, clock, timer.Token));
            }

            await Task.WhenAny(waits);
            await timer.CancelAsync();
        }
    }

    private async Task CloseAsync(FeedSubscription subscription, StreamRevocation revoked)
    {
        if (Interlocked.Exchange(ref _closed, 1) == 1)
        {
            return;
        }

        var entry = new AuditTrail(log, writer, clock) { Origin = origin, EventType = AuditEventType.PartnerStreamRevoked };
        entry.Payload(new PartnerStreamV1(agreementId, Reason: revoked.Reason, Code: revoked.Code));
        try
        {
            await entry.CommitAsync(AuditOutcome.Refused, revoked.Code, ErrorCatalogue.StatusFor(revoked.Code));
        }
        finally
        {
            subscription.Revoke(revoked);
        }
    }
}
