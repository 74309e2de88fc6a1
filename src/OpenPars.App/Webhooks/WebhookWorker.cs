using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using OpenPars.App.Feeds;
using OpenPars.App.Hosting;
using OpenPars.Core.Agencies;
using OpenPars.Core.Agreements;
using OpenPars.Core.Audit;
using OpenPars.Core.Audit.Payloads;
using OpenPars.Core.Common;
using OpenPars.Core.Feeds;
using OpenPars.Core.Oversight;
using OpenPars.Core.Watches;
using OpenPars.Core.Webhooks;
using OpenPars.Storage;
using OpenPars.Storage.Agreements;
using OpenPars.Storage.Audit;
using OpenPars.Storage.Feeds;
using OpenPars.Storage.Common;
using OpenPars.Storage.Webhooks;

namespace OpenPars.App.Webhooks;

/// <summary>
/// The webhook worker of one server process (any number may run on one store): the enqueuer, a durable consumer of
/// the event log (mark <c>webhooks:enqueue</c>), turns each new event into a delivery for every enabled endpoint that
/// subscribes to it — woken when the event log commits (each read of this process's <see cref="FeedDispatcher"/>:
/// this process's commits, on PostgreSQL any process's <c>NOTIFY</c>), polling as the fallback; the sender claims due deliveries (<see cref="WebhookQueue.ClaimDueAsync"/>), re-checks a
/// partner's delivery before each attempt (agreement active, agency still a partner, the registering token neither
/// revoked nor expired, the watch not cancelled — otherwise it is cancelled, recorded and audited, never sent; a
/// delivery waiting for a later retry is cancelled as soon as that holds, by <see cref="CancelRevokedOnceAsync"/> each round), signs it, posts it with the
/// attempt's timeout, and records the attempt: 2xx delivered, 410 dead and the endpoint disabled, anything else
/// rescheduled by <see cref="WebhookSchedule"/> until it is dead. Every delivery, failure, cancellation and
/// disablement is an audit entry (channel <c>webhook</c>) committed with the rows that record it.
/// </summary>
public sealed class WebhookWorker : IDisposable
{
    private readonly OpenParsAppOptions _app;
    private readonly WebhookOptions _options;
    private readonly AuditLog _log;
    private readonly TimeProvider _clock;
    private readonly SecretBoxes _box;
    private readonly ILogger<WebhookWorker> _logger;
    private readonly HttpClient _http;
    private readonly SemaphoreSlim _enqueued = new(0, 1);
    private readonly FeedDispatcher? _dispatcher;

    /// <summary>A worker on the application's store; <paramref name="dispatcher"/> (this process's) wakes the enqueuer
    /// whenever it has read newly committed events, and without it the enqueuer only polls.</summary>
    public WebhookWorker(OpenParsAppOptions app, WebhookOptions options, AuditLog log, TimeProvider clock, SecretBoxes box, ILogger<WebhookWorker> logger, FeedDispatcher? dispatcher = null)
    {
        _dispatcher = dispatcher;
        _app = app;
        _options = options;
        _log = log;
        _clock = clock;
        _box = box;
        _logger = logger;
        _http = WebhookHttp.CreateClient(options);
    }

    /// <summary>Runs the enqueuer and the sender until <paramref name="stop"/>.</summary>
    public Task RunAsync(CancellationToken stop) => Task.WhenAll(
        LoopAsync("enqueue", async ct =>
        {
            // Taken before the read: a commit after the read starts completes this cycle or a later one, so none is missed.
            var committed = _dispatcher?.NextCycleAsync() ?? Task.CompletedTask;
            if (await EnqueueOnceAsync(ct) > 0)
            {
                Wake();
            }

            await WakeOrPollAsync(_dispatcher is null ? null : committed, ct);
        }, stop),
        LoopAsync("send", async ct =>
        {
            await CancelRevokedOnceAsync(ct);
            if (await SendDueOnceAsync(ct) == 0)
            {
                await _enqueued.WaitAsync(_options.SenderInterval, ct);
            }
        }, stop));

    /// <summary>Handles the events above the mark once (all of them, batch by batch); returns the deliveries made.</summary>
    public async Task<int> EnqueueOnceAsync(CancellationToken ct = default)
    {
        var made = 0;
        while (true)
        {
            await using var db = OpenParsDatabase.CreateContext(_app.Storage);
            var mark = await FeedConsumers.MarkAsync(db, WebhookQueue.Consumer, ct);
            var endpoints = await db.WebhookEndpoints.AsNoTracking().Where(e => e.Enabled).ToListAsync(ct);
            if (mark == 0)
            {
                // First run on this store: nothing before the oldest endpoint's start can be for anyone.
                var start = endpoints.Count == 0 ? await FeedReader.HeadAsync(db, ct) : endpoints.Min(e => e.StartsAfterPosition);
                if (start > 0)
                {
                    await WebhookQueue.EnqueueAsync(db, 0, start, [], ct);
                    continue;
                }
            }

            var batch = await FeedReader.ReadAfterAsync(db, mark, _options.ReadBatch, ct);
            if (batch.Count == 0)
            {
                return made;
            }

            var now = Storage.Common.StoredTime.Now(_clock);
            var deliveries = batch.SelectMany(e => DeliveriesFor(e, endpoints, now)).ToList();
            if (await WebhookQueue.EnqueueAsync(db, mark, batch[^1].Position, deliveries, ct))
            {
                made += deliveries.Count;
            }
        }
    }

    /// <summary>Claims the deliveries due now and makes one attempt of each (in parallel); returns how many were handled.</summary>
    public async Task<int> SendDueOnceAsync(CancellationToken ct = default)
    {
        IReadOnlyList<WebhookDeliveryRow> claimed;
        await using (var db = OpenParsDatabase.CreateContext(_app.Storage))
        {
            var now = _clock.GetUtcNow();
            claimed = await WebhookQueue.ClaimDueAsync(db, now, now + LeaseSpan, _options.ClaimBatch, ct);
        }

        await Parallel.ForEachAsync(claimed, new ParallelOptions { MaxDegreeOfParallelism = _options.ClaimBatch, CancellationToken = ct }, async (delivery, token) =>
        {
            try
            {
                await AttemptAsync(delivery, token);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The lease runs out and the delivery is claimed again: at least once, never lost.
                _logger.LogError(e, "Webhook delivery {Delivery} could not be attempted; it is retried when its lease ends.", delivery.PublicId);
            }
        });
        return claimed.Count;
    }

    /// <summary>Waits for the dispatcher's next read of the log (<paramref name="committed"/>) or the poll, whichever comes first.</summary>
    private async Task WakeOrPollAsync(Task? committed, CancellationToken ct)
    {
        using var poll = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var delay = Task.Delay(_options.PollInterval, poll.Token);
        if (committed is null || await Task.WhenAny(committed, delay) == delay)
        {
            await delay;
            return;
        }

        await poll.CancelAsync();
        ct.ThrowIfCancellationRequested();
    }

    /// <summary>Wakes the sender (new deliveries were enqueued).</summary>
    public void Wake()
    {
        try
        {
            if (_enqueued.CurrentCount == 0)
            {
                _enqueued.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Already woken.
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _http.Dispose();
        _enqueued.Dispose();
    }

    private static IEnumerable<WebhookDeliveryRow> DeliveriesFor(FeedEvent e, IReadOnlyList<WebhookEndpointRow> endpoints, DateTimeOffset now)
    {
        WatchMatched? match = null;
        var alert = OversightAlertFeed.Carries(e);
        if (e.StreamType == WatchStreams.Watch && e.Type == WatchMatched.Type)
        {
            match = WatchMatched.FromJson(e.Body);
        }
        else if (e.StreamType != FeedStreams.Arrest && !alert)
        {
            yield break;
        }

        foreach (var endpoint in endpoints)
        {
            var partner = endpoint.Audience == "partner";
            if (e.Position <= endpoint.StartsAfterPosition || !endpoint.KindList.Contains(e.Type, StringComparer.Ordinal)
                || partner != (match is not null) || (match is not null && match.AgencyId != endpoint.AgencyId))
            {
                continue;
            }

            yield return new WebhookDeliveryRow
            {
                PublicId = WebhookStore.NewId("whd-"),
                EndpointId = endpoint.Id,
                EventPosition = e.Position,
                EventType = e.Type,
                ArrestNumber = alert ? null : match?.ArrestNumber ?? e.StreamId,
                WatchId = match?.WatchId,
                AgreementId = match?.AgreementId,
                State = WebhookStates.Pending,
                NextAttemptAt = now,
                CreatedAt = now,
            };
        }
    }

    private async Task AttemptAsync(WebhookDeliveryRow delivery, CancellationToken ct)
    {
        await using var db = OpenParsDatabase.CreateContext(_app.Storage);
        var endpoint = await db.WebhookEndpoints.AsNoTracking().SingleAsync(e => e.Id == delivery.EndpointId, ct);
        var trail = TrailFor(endpoint);
        var payload = PayloadFor(endpoint, delivery);
        var now = _clock.GetUtcNow();
        if (await CancelReasonAsync(db, trail, endpoint, delivery, now, ct) is { } cancel)
        {
            await WebhookQueue.CancelAsync(db, trail, delivery, cancel, now, payload with { Attempt = null, Reason = cancel }, ct);
            return;
        }

        var body = await BodyAsync(db, delivery, ct);
        var key = WebhookSignature.KeyOf(_box.Webhooks.Open(endpoint.SecretSealed, endpoint.AgencyId));
        var sentAt = _clock.GetUtcNow();
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation(WebhookSignature.IdHeader, delivery.PublicId);
        request.Headers.TryAddWithoutValidation(WebhookSignature.TimestampHeader, WebhookSignature.Timestamp(sentAt));
        request.Headers.TryAddWithoutValidation(WebhookSignature.SignatureHeader, WebhookSignature.Sign(key, delivery.PublicId, sentAt, body));
        request.Headers.UserAgent.ParseAdd("OpenPARS-Webhooks/1");

        int? status = null;
        string? error = null;
        TimeSpan? retryAfter = null;
        var watch = Stopwatch.StartNew();
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            timeout.CancelAfter(_options.AttemptTimeout);
            try
            {
                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                status = (int)response.StatusCode;
                retryAfter = response.Headers.RetryAfter switch
                {
                    { Delta: { } delta } => delta,
                    { Date: { } date } => date - _clock.GetUtcNow(),
                    _ => null,
                };
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                error = $"timeout after {_options.AttemptTimeout.TotalSeconds:0.#} s";
            }
            catch (HttpRequestException e)
            {
                error = e.InnerException is WebhookAddressRefusedException refused ? $"address refused: {refused.Message}" : $"connection failed: {e.HttpRequestError}";
            }
        }

        watch.Stop();
        var result = Outcome(delivery, status, error, retryAfter, sentAt, watch.ElapsedMilliseconds);
        payload = payload with { Status = status, DurationMs = result.DurationMs, Error = error };
        IReadOnlyList<(AuditEventType, WebhookV1)> entries = result.Outcome switch
        {
            "delivered" => [(AuditEventType.WebhookDelivered, payload)],
            "retry" => [(AuditEventType.WebhookDeliveryFailed, payload with { NextAttemptAt = result.NextAttemptAt })],
            "dead" => [(AuditEventType.WebhookDeliveryFailed, payload with { Dead = true })],
            _ => [(AuditEventType.WebhookDeliveryFailed, payload with { Dead = true }), (AuditEventType.WebhookEndpointDisabled, payload with { Reason = "gone" })],
        };
        if (!await WebhookQueue.RecordAttemptAsync(db, trail, delivery, result, entries, ct))
        {
            _logger.LogWarning("Webhook delivery {Delivery}: its lease ended before the attempt was recorded; another process took it over.", delivery.PublicId);
        }
    }

    private WebhookAttemptResult Outcome(WebhookDeliveryRow delivery, int? status, string? error, TimeSpan? retryAfter, DateTimeOffset startedAt, long durationMs)
    {
        if (status is >= 200 and < 300)
        {
            return new(startedAt, durationMs, status, null, "delivered", null);
        }

        if (status == 410)
        {
            return new(startedAt, durationMs, status, null, "gone", null);
        }

        var next = WebhookSchedule.Next(delivery.Failures + 1, _clock.GetUtcNow(), _options.Jitter(), status is 429 or 503 ? retryAfter : null);
        return next is WebhookNext.Retry retry
            ? new(startedAt, durationMs, status, error, "retry", retry.At)
            : new(startedAt, durationMs, status, error, "dead", null);
    }

    /// <summary>
    /// Cancels at once (recorded and audited, never sent) the pending partner deliveries that may no longer be sent —
    /// the agreement suspended, terminated or expired, the registering token revoked, the watch cancelled — rather than
    /// at their next attempt, which may be hours away; returns how many. Only deliveries due after a lease's span are
    /// touched: one due sooner may be leased to an attempt in flight (in any process), and that attempt checks the same
    /// standing before it sends. The sender runs this every round.
    /// </summary>
    public async Task<int> CancelRevokedOnceAsync(CancellationToken ct = default)
    {
        await using var db = OpenParsDatabase.CreateContext(_app.Storage);
        var now = _clock.GetUtcNow();
        var horizon = Storage.Common.StoredTime.Truncate(now + LeaseSpan);
        var waiting = await (from d in db.WebhookDeliveries.AsNoTracking()
                             join e in db.WebhookEndpoints.AsNoTracking() on d.EndpointId equals e.Id
                             where d.State == WebhookStates.Pending && e.Audience == "partner" && d.NextAttemptAt > horizon
                             select new { Delivery = d, Endpoint = e }).ToListAsync(ct);
        var cancelled = 0;
        foreach (var group in waiting.GroupBy(w => (w.Endpoint.Id, w.Delivery.AgreementId, w.Delivery.WatchId)))
        {
            var endpoint = group.First().Endpoint;
            var trail = TrailFor(endpoint);
            if (await CancelReasonAsync(db, trail, endpoint, group.First().Delivery, now, ct) is not { } reason)
            {
                continue;
            }

            foreach (var delivery in group.Select(w => w.Delivery))
            {
                if (await WebhookQueue.CancelAsync(db, trail, delivery, reason, now, PayloadFor(endpoint, delivery) with { Attempt = null, Reason = reason }, ct))
                {
                    cancelled++;
                }
            }
        }

        return cancelled;
    }

    private TimeSpan LeaseSpan => _options.AttemptTimeout + TimeSpan.FromSeconds(30);

    private AuditTrail TrailFor(WebhookEndpointRow endpoint) =>
        new(_log, writer: null, _clock) { Origin = new AuditOrigin(Channels.Webhook, null, null, "POST", $"/webhooks/{endpoint.PublicId}") };

    private static WebhookV1 PayloadFor(WebhookEndpointRow endpoint, WebhookDeliveryRow delivery) =>
        new(endpoint.PublicId, endpoint.AgencyCode, WebhookAddresses.ForRecord(endpoint.Url), DeliveryId: delivery.PublicId,
            EventPosition: delivery.EventPosition, EventType: delivery.EventType, WatchId: delivery.WatchId, AgreementId: delivery.AgreementId, Attempt: delivery.Attempts + 1);

    /// <summary>Why a delivery may not be sent now, or null: its endpoint disabled, or for a partner's, its standing.</summary>
    private async Task<string?> CancelReasonAsync(OpenParsDbContext db, AuditTrail trail, WebhookEndpointRow endpoint, WebhookDeliveryRow delivery, DateTimeOffset now, CancellationToken ct) =>
        !endpoint.Enabled ? $"endpoint-{endpoint.DisabledReason ?? "disabled"}"
        : endpoint.Audience == "partner" ? await PartnerStandingAsync(db, trail, endpoint, delivery, now, ct)
        : null;

    /// <summary>Why a partner's delivery may not be sent now, or null: its agreement must be active (not suspended,
    /// terminated or expired) and still the partner's, the partner still a partner agency, the token the endpoint
    /// was registered with neither revoked nor expired, and the watch that matched not cancelled.</summary>
    private async Task<string?> PartnerStandingAsync(OpenParsDbContext db, AuditTrail trail, WebhookEndpointRow endpoint, WebhookDeliveryRow delivery, DateTimeOffset now, CancellationToken ct)
    {
        var agency = await db.Agencies.AsNoTracking().SingleOrDefaultAsync(a => a.Id == endpoint.AgencyId, ct);
        if (agency is null || agency.Kind != AgencyKind.Partner || agency.Code != endpoint.AgencyCode)
        {
            return "agency-not-partner";
        }

        if (endpoint.CreatedByTokenId is not { } tokenId
            || await db.Tokens.AsNoTracking().SingleOrDefaultAsync(t => t.Id == tokenId, ct) is not { } token || token.RevokedAt is not null)
        {
            return "token-revoked";
        }

        if (token.ExpiresAt is { } expires && expires <= now)
        {
            return "token-expired";
        }

        if (delivery.WatchId is { } watchId
            && await db.PartnerWatches.AsNoTracking().Where(w => w.WatchId == watchId).Select(w => new { w.CancelledAt }).SingleOrDefaultAsync(ct) is not { CancelledAt: null })
        {
            return "watch-cancelled";
        }

        var agreement = delivery.AgreementId is { } id ? await new AgreementStore(db, _clock, trail).FindAsync(id, ct) : null;
        if (agreement is null || agreement.PartnerAgency != endpoint.AgencyCode)
        {
            return "agreement-missing";
        }

        return agreement.StatusAt(now).Status switch
        {
            AgreementStatus.Active => null,
            AgreementStatus.Suspended => "agreement-suspended",
            AgreementStatus.Terminated => "agreement-terminated",
            AgreementStatus.Expired => "agreement-expired",
            _ => "agreement-not-in-force",
        };
    }

    private static async Task<string> BodyAsync(OpenParsDbContext db, WebhookDeliveryRow delivery, CancellationToken ct)
    {
        var events = await FeedReader.ReadAfterAsync(db, delivery.EventPosition - 1, 1, ct);
        if (events.Count != 1 || events[0].Position != delivery.EventPosition)
        {
            throw new DomainException(ErrorCodes.StoreDamaged, $"The event at position {delivery.EventPosition} of delivery {delivery.PublicId} is missing.");
        }

        var e = events[0];
        if (OversightAlertFeed.Carries(e))
        {
            return JsonSerializer.Serialize(new OversightAlertWebhookEvent(e.Type, e.Position, e.StreamId, e.RecordedAt, JsonNode.Parse(e.Body)!), OpenParsJson.Options);
        }

        return e.Type == WatchMatched.Type
            ? JsonSerializer.Serialize(PartnerWebhookNotice.Of(WatchMatched.FromJson(e.Body)), OpenParsJson.Options)
            : JsonSerializer.Serialize(new StakeholderWebhookEvent(e.Type, e.Position, e.StreamId, e.RecordedAt, JsonNode.Parse(e.Body)!), OpenParsJson.Options);
    }

    private async Task LoopAsync(string name, Func<CancellationToken, Task> step, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await step(stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                _logger.LogError(e, "The webhook {Loop} loop failed; retrying.", name);
                await Task.Delay(_options.SenderInterval, stop).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }
}
