using System.Runtime.CompilerServices;
using System.Text.Json;
using OpenPars.App.Audit;
using OpenPars.App.Feeds;
using OpenPars.App.Identity;
using OpenPars.App.PartnerAccess;
using OpenPars.Core.Agencies;
using OpenPars.Core.Agreements;
using OpenPars.Core.Audit;
using OpenPars.Core.Audit.Payloads;
using OpenPars.Core.Common;
using OpenPars.Core.Feeds;
using OpenPars.Core.Policy;
using OpenPars.Core.Watches;
using OpenPars.Core.Webhooks;
using OpenPars.Storage.Agreements;
using OpenPars.Storage.Audit;
using OpenPars.Storage.Charter;

namespace OpenPars.App.Watches;

/// <summary>
/// The partner stream (<c>GET /api/v1/partner/stream</c>, issue 10 § Partner watches): the caller's agency's watch
/// matches as they are appended, each as the thin notice a webhook carries (watch id, arrest number, event kind,
/// time — never record data: the partner reads the record through the partner read). Opening is the partner
/// search's decision with the operation <c>watch</c> (<see cref="PartnerRequest.Stream"/>: agreement in force,
/// purpose, reason, case number, the operation granted), one entry (11014); every batch is one more (11015),
/// committed before it is sent, after deciding again. The desks' machinery carries it (<see cref="FeedUseCases.JoinAsync"/>:
/// Last-Event-ID, replay, heartbeat, bounded buffer and overflow); <see cref="PartnerStreamGuard"/> closes it with
/// <c>revoked</c> the moment its agreement stops or its token is revoked.
/// </summary>
public sealed class PartnerStreamUseCases(
    FeedUseCases feeds,
    FeedDispatcher dispatcher,
    AgreementStore agreements,
    CharterStore charters,
    Hosting.OpenParsAppOptions options,
    AuditScope audit,
    AuditLog log,
    IAuditEntrySink writer,
    TimeProvider clock)
{
    /// <summary>The stream's name in its entries.</summary>
    public const string StreamName = "partner";

    /// <summary>Opens the stream for a partner analyst; refused as a search would be (PARS-AGR-0xx), or PARS-FEED-001
    /// / PARS-REQ-006 for the resume point.</summary>
    public Task<PartnerStream> OpenAsync(Caller caller, PartnerStatement statement, string? lastEventId, CancellationToken ct = default) =>
        audit.ReadAsync(caller.Via(Channels.Stream), AuditEventType.PartnerStreamOpened, async () =>
        {
            ArgumentNullException.ThrowIfNull(statement);
            Access.Require(caller, Access.PartnerAnalyst);
            var resume = FeedUseCases.ParseLastEventId(lastEventId);
            var now = clock.GetUtcNow();
            var agreement = await agreements.FindForPartnerAsync(caller.AgencyCode, now, ct);
            var governing = agreement?.Governing ?? await charters.GoverningAsync(caller.AgencyCode, ct);
            var partner = caller with { PartnerKind = governing.PartnerKind };
            var standing = AgreementStatusCalculator.StatusAt(agreement?.Events ?? [], governing.Charters, now);
            audit.Trail.Payload(new PartnerStreamV1(agreement?.AgreementId, resume));
            var request = PartnerRequest.Stream(statement.Purpose, statement.Reason, statement.CaseNumber);
            if (PartnerPolicy.Decide(partner, standing, governing.At(now), request, QuotaUsage.None, now) is PolicyDecision.Refused refused)
            {
                throw new DomainException(refused.Code, refused.Message);
            }

            var agreementId = standing.Document!.AgreementId;
            var origin = audit.Trail.Origin;
            var guard = new PartnerStreamGuard(options, dispatcher, log, writer, clock, caller, agreementId, origin);
            var agency = caller.AgencyId;
            var desk = await feeds.JoinAsync(resume, e => Carries(e, agency), subscription => batch => DeliveredAsync(guard, subscription, origin, agreementId, batch, ct), ct);
            return new PartnerStream(desk, guard);
        });

    /// <summary>A watch match of <paramref name="agencyId"/>'s watches: what the partner stream carries.</summary>
    public static bool Carries(FeedEvent e, long agencyId)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.StreamType == WatchStreams.Watch && e.Type == WatchMatched.Type && WatchMatched.FromJson(e.Body).AgencyId == agencyId;
    }

    private async Task DeliveredAsync(PartnerStreamGuard guard, FeedSubscription subscription, AuditOrigin origin, string agreementId, IReadOnlyList<FeedEvent> batch, CancellationToken ct)
    {
        // Decided again before each batch: a revocation the guard has not yet seen still stops this one.
        if (await guard.CloseIfRevokedAsync(subscription, ct))
        {
            return;
        }

        var entry = new AuditTrail(log, writer, clock) { Origin = origin, EventType = AuditEventType.PartnerStreamDelivered };
        entry.Touched(batch.Select(e => WatchMatched.FromJson(e.Body).ArrestNumber).Distinct(StringComparer.Ordinal));
        entry.Payload(new PartnerStreamV1(agreementId, Events: batch.Count, FirstPosition: batch[0].Position, LastPosition: batch[^1].Position));
        await entry.CommitAsync(AuditOutcome.Allowed, null, 200);
    }
}

/// <summary>An opened partner stream: the desk stream's items with each match turned into its thin notice, and its
/// guard running for as long as it is read.</summary>
public sealed class PartnerStream(DeskStream desk, PartnerStreamGuard guard) : IAsyncEnumerable<StreamItem>
{
    /// <inheritdoc/>
    public IAsyncEnumerator<StreamItem> GetAsyncEnumerator(CancellationToken cancellationToken = default) =>
        RunAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);

    /// <summary>The notice a partner is sent for a match (the webhook's body): never the record.</summary>
    public static string Notice(FeedEvent match)
    {
        ArgumentNullException.ThrowIfNull(match);
        return JsonSerializer.Serialize(PartnerWebhookNotice.Of(WatchMatched.FromJson(match.Body)), OpenParsJson.Options);
    }

    private async IAsyncEnumerable<StreamItem> RunAsync([EnumeratorCancellation] CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var guarding = guard.RunAsync(desk.Subscription, stop.Token);
        try
        {
            await foreach (var item in desk.WithCancellation(ct))
            {
                yield return item.Kind == StreamItemKind.Event ? item with { Event = item.Event! with { Body = Notice(item.Event) } } : item;
            }
        }
        finally
        {
            await stop.CancelAsync();
            await guarding.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }
}
