using System.Net.Sockets;
using System.Security.Cryptography;
using OpenPars.App.Audit;
using OpenPars.App.Identity;
using OpenPars.Core.Agencies;
using OpenPars.Core.Agreements;
using OpenPars.Core.Audit;
using OpenPars.Core.Audit.Payloads;
using OpenPars.Core.Common;
using OpenPars.Core.Webhooks;
using OpenPars.Storage.Agreements;
using OpenPars.Storage.Common;
using OpenPars.Storage.Webhooks;

namespace OpenPars.App.Webhooks;

/// <summary>What a caller sends to register an endpoint.</summary>
/// <param name="Url">Where deliveries are posted (https; the host on the agency's allow list).</param>
/// <param name="EventKinds">The event types to receive; all the agency may receive when absent.</param>
public sealed record RegisterWebhook(string? Url, IReadOnlyList<string>? EventKinds);

/// <summary>An endpoint as its agency (and the records admins) see it: never its secret.</summary>
public sealed record WebhookView(
    string Id, string Agency, WebhookAudience Audience, string Url, IReadOnlyList<string> EventKinds, bool Enabled, string? DisabledReason, DateTimeOffset CreatedAt, DateTimeOffset? DisabledAt)
{
    internal static WebhookView Of(WebhookEndpointRow row) => new(
        row.PublicId, row.AgencyCode, Enum.Parse<WebhookAudience>(row.Audience, ignoreCase: true), row.Url, row.KindList, row.Enabled, row.DisabledReason, row.CreatedAt, row.DisabledAt);
}

/// <summary>A registration's answer: the endpoint and its signing secret, shown this once and never again.</summary>
public sealed record RegisteredWebhook(WebhookView Endpoint, string Secret);

/// <summary>One attempt of a delivery.</summary>
public sealed record WebhookAttemptView(int Number, DateTimeOffset StartedAt, long DurationMs, int? Status, string? Error, string Outcome);

/// <summary>One delivery with its attempts, newest first.</summary>
public sealed record WebhookDeliveryView(
    string Id, long EventPosition, string EventType, string? ArrestNumber, string? WatchId, string State, int Attempts, DateTimeOffset? NextAttemptAt,
    int? LastStatus, string? LastError, string? CancelReason, DateTimeOffset CreatedAt, DateTimeOffset? FinishedAt, IReadOnlyList<WebhookAttemptView> AttemptLog)
{
    internal static WebhookDeliveryView Of(StoredDelivery stored)
    {
        var d = stored.Delivery;
        return new(d.PublicId, d.EventPosition, d.EventType, d.ArrestNumber, d.WatchId, d.State, d.Attempts, d.State == WebhookStates.Pending ? d.NextAttemptAt : null,
            d.LastStatus, d.LastError, d.CancelReason, d.CreatedAt, d.FinishedAt,
            [.. stored.Attempts.Select(a => new WebhookAttemptView(a.Number, a.StartedAt, a.DurationMs, a.Status, a.Error, a.Outcome))]);
    }
}

/// <summary>An endpoint's newest delivery as its agency's administration page shows it (no arrest number: the page
/// lists endpoints, not records).</summary>
/// <param name="Id">The delivery's id.</param>
/// <param name="EventType">The event it carries.</param>
/// <param name="State">pending, delivered, dead or cancelled.</param>
/// <param name="Attempts">Attempts made so far.</param>
/// <param name="At">When it finished, or when it was enqueued while it is pending.</param>
/// <param name="NextAttemptAt">When a pending delivery is tried next.</param>
/// <param name="LastStatus">The receiver's last HTTP status.</param>
/// <param name="LastError">The last attempt's error, when it had no status.</param>
/// <param name="CancelReason">Why it was cancelled.</param>
public sealed record WebhookLastDelivery(
    string Id, string EventType, string State, int Attempts, DateTimeOffset At, DateTimeOffset? NextAttemptAt, int? LastStatus, string? LastError, string? CancelReason);

/// <summary>One of the agency's endpoints with what its deliveries come to.</summary>
/// <param name="Endpoint">The endpoint (never its secret).</param>
/// <param name="LastDelivery">Its newest delivery, or null when none was enqueued yet.</param>
/// <param name="Delivered">Deliveries the receiver accepted.</param>
/// <param name="Retrying">Pending deliveries that failed at least once.</param>
/// <param name="Dead">Deliveries dead-lettered after their last failure.</param>
/// <param name="Cancelled">Deliveries cancelled before they were sent.</param>
public sealed record WebhookEndpointSummary(WebhookView Endpoint, WebhookLastDelivery? LastDelivery, int Delivered, int Retrying, int Dead, int Cancelled);

/// <summary>
/// Webhook endpoints and their deliveries, for three audiences over the same machinery: a partner agency's analysts
/// (<see cref="WebhookAudience.Partner"/>: the thin notice of their own watches' matches, only while their agreement
/// is in force; never an oversight alert, PARS-HOOK-010), the police's records admins
/// (<see cref="WebhookAudience.Stakeholder"/>: full arrest events of their own agency's desks, for systems such as the
/// jail's, and the oversight alerts) and every stakeholder agency's privacy officers
/// (<see cref="WebhookAudience.Oversight"/>: the oversight alerts raised and acknowledged, aggregates only). An
/// agency sees and manages only its own endpoints (a privacy officer: its agency's oversight endpoints); records
/// admins also see every agency's endpoints and deliveries (and may redeliver), but delete only their own.
/// Something not visible is not found (PARS-HOOK-005/-006), so an id of another agency reveals nothing. Every call
/// is one audit entry; the secret is in no entry, log or answer but the registration's.
/// </summary>
public sealed class WebhookUseCases(WebhookStore store, AgreementStore agreements, WebhookOptions options, SecretBoxes boxes, AuditScope audit, TimeProvider clock)
{
    /// <summary>The most deliveries one read returns.</summary>
    public const int DeliveriesShown = 200;

    /// <summary>Registers an endpoint for the caller's agency; the answer carries the secret, once.</summary>
    public Task<RegisteredWebhook> RegisterAsync(Caller caller, WebhookAudience audience, RegisterWebhook? request, CancellationToken ct = default) =>
        audit.WriteAsync(caller, AuditEventType.WebhookRegistered, async () =>
        {
            Access.Require(caller, RuleFor(audience));
            if (audience == WebhookAudience.Partner)
            {
                var agreement = await agreements.FindForPartnerAsync(caller.AgencyCode, clock.GetUtcNow(), ct);
                if (agreement is null || agreement.StatusAt(clock.GetUtcNow()).Status != AgreementStatus.Active)
                {
                    throw new DomainException(WebhookErrorCodes.NoAgreementInForce, "Your agency has no agreement in force; it may register no webhook.");
                }
            }

            var kinds = Kinds(caller, audience, request?.EventKinds);
            var url = await CheckUrlAsync(caller, request?.Url, ct);
            var key = RandomNumberGenerator.GetBytes(WebhookSignature.KeyBytes);
            var secret = WebhookSignature.SecretFor(key);
            var row = await store.RegisterAsync(new WebhookEndpointRow
            {
                AgencyId = caller.AgencyId,
                AgencyCode = caller.AgencyCode,
                Audience = AudienceName(audience),
                Url = url.Uri.AbsoluteUri,
                EventKinds = string.Join(',', kinds),
                SecretSealed = boxes.Webhooks.Seal(secret, caller.AgencyId),
                CreatedByUserId = caller.UserId,
                CreatedByTokenId = caller.TokenId,
            }, ct);
            return new RegisteredWebhook(WebhookView.Of(row), secret);
        });

    /// <summary>The caller's agency's endpoints (a records admin: every agency's).</summary>
    public Task<IReadOnlyList<WebhookView>> ListAsync(Caller caller, WebhookAudience audience, CancellationToken ct = default) =>
        audit.ReadAsync(caller, AuditEventType.WebhooksListed, async () =>
        {
            Access.Require(caller, RuleFor(audience));
            var rows = await store.ListAsync(audience == WebhookAudience.Stakeholder ? null : caller.AgencyId, ct);
            return (IReadOnlyList<WebhookView>)[.. rows.Where(r => Visible(caller, audience, r)).Select(WebhookView.Of)];
        });

    /// <summary>The caller's own agency's endpoints (never another agency's, whatever the audience), each with its
    /// newest delivery and its deliveries counted by state: the administration page's list. One entry,
    /// <c>webhooks.listed</c>.</summary>
    public Task<IReadOnlyList<WebhookEndpointSummary>> AgencyEndpointsAsync(Caller caller, WebhookAudience audience, CancellationToken ct = default) =>
        audit.ReadAsync(caller, AuditEventType.WebhooksListed, async () =>
        {
            Access.Require(caller, RuleFor(audience));
            var rows = (await store.ListAsync(caller.AgencyId, ct)).Where(r => Visible(caller, audience, r, ownAgencyOnly: true)).ToList();
            var tallies = (await store.TallyAsync([.. rows.Select(r => r.Id)], ct)).ToDictionary(t => t.EndpointId);
            return (IReadOnlyList<WebhookEndpointSummary>)[.. rows.Select(r =>
            {
                var t = tallies[r.Id];
                var last = t.Last is { } d
                    ? new WebhookLastDelivery(d.PublicId, d.EventType, d.State, d.Attempts, d.FinishedAt ?? d.CreatedAt, d.State == WebhookStates.Pending ? d.NextAttemptAt : null, d.LastStatus, d.LastError, d.CancelReason)
                    : null;
                return new WebhookEndpointSummary(WebhookView.Of(r), last, t.Delivered, t.Retrying, t.Dead, t.Cancelled);
            })];
        });

    /// <summary>The kinds an endpoint of <paramref name="audience"/> registered by <paramref name="caller"/> may
    /// receive (what a registration without <c>eventKinds</c> subscribes to).</summary>
    public static IReadOnlyList<string> KindsFor(Caller caller, WebhookAudience audience)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return WebhookEventKinds.For(audience, caller.AgencyKind);
    }

    /// <summary>Deletes one of the caller's agency's endpoints; its pending deliveries are cancelled.</summary>
    public Task<bool> DeleteAsync(Caller caller, WebhookAudience audience, string id, CancellationToken ct = default) =>
        audit.WriteAsync(caller, AuditEventType.WebhookDeleted, async () =>
        {
            Access.Require(caller, RuleFor(audience));
            var endpoint = await store.FindEndpointAsync(id, ct);
            if (endpoint is null || endpoint.AgencyId != caller.AgencyId || !Visible(caller, audience, endpoint) || endpoint.DisabledReason == "deleted")
            {
                audit.Trail.Payload(new WebhookV1(Clip(id), caller.AgencyCode));
                throw NotFound();
            }

            await store.DeleteAsync(endpoint, ct);
            return true;
        });

    /// <summary>One endpoint's latest deliveries and their attempts.</summary>
    public Task<IReadOnlyList<WebhookDeliveryView>> DeliveriesAsync(Caller caller, WebhookAudience audience, string id, CancellationToken ct = default) =>
        DeliveriesAsync(caller, audience, id, ownAgencyOnly: false, ct);

    /// <summary>One endpoint's latest deliveries and their attempts; with <paramref name="ownAgencyOnly"/> (the
    /// administration page), another agency's endpoint is not found even for a records admin.</summary>
    public Task<IReadOnlyList<WebhookDeliveryView>> DeliveriesAsync(Caller caller, WebhookAudience audience, string id, bool ownAgencyOnly, CancellationToken ct = default) =>
        audit.ReadAsync(caller, AuditEventType.WebhookDeliveriesRead, async () =>
        {
            Access.Require(caller, RuleFor(audience));
            audit.Trail.Payload(new WebhookV1(Clip(id), caller.AgencyCode));
            var endpoint = await store.FindEndpointAsync(id, ct);
            if (endpoint is null || !Visible(caller, audience, endpoint, ownAgencyOnly))
            {
                throw NotFound();
            }

            audit.Trail.Payload(new WebhookV1(endpoint.PublicId, endpoint.AgencyCode));
            var deliveries = await store.DeliveriesAsync(endpoint.Id, DeliveriesShown, ct);
            audit.Trail.Touched(deliveries.Select(d => d.Delivery.ArrestNumber).OfType<string>().Distinct(StringComparer.Ordinal));
            return (IReadOnlyList<WebhookDeliveryView>)[.. deliveries.Select(WebhookDeliveryView.Of)];
        });

    /// <summary>Puts a delivered or dead delivery back on the schedule, due now (a partner's is re-checked before it is sent, as always).</summary>
    public Task<bool> RedeliverAsync(Caller caller, WebhookAudience audience, string deliveryId, CancellationToken ct = default) =>
        RedeliverAsync(caller, audience, deliveryId, ownAgencyOnly: false, ct);

    /// <summary>As <see cref="RedeliverAsync(Caller, WebhookAudience, string, CancellationToken)"/>; with
    /// <paramref name="ownAgencyOnly"/> (the administration page), another agency's delivery is not found.</summary>
    public Task<bool> RedeliverAsync(Caller caller, WebhookAudience audience, string deliveryId, bool ownAgencyOnly, CancellationToken ct = default) =>
        audit.WriteAsync(caller, AuditEventType.WebhookRedelivered, async () =>
        {
            Access.Require(caller, RuleFor(audience));
            var found = await store.FindDeliveryAsync(deliveryId, ct);
            if (found is not var (delivery, endpoint) || !Visible(caller, audience, endpoint, ownAgencyOnly))
            {
                audit.Trail.Payload(new WebhookV1("", caller.AgencyCode, DeliveryId: Clip(deliveryId)));
                throw new DomainException(WebhookErrorCodes.DeliveryNotFound, "No webhook delivery with this id is visible to you.");
            }

            audit.Trail.Payload(new WebhookV1(endpoint.PublicId, endpoint.AgencyCode, DeliveryId: delivery.PublicId, EventPosition: delivery.EventPosition));
            if (!endpoint.Enabled)
            {
                throw Redelivery($"Its endpoint is {(endpoint.DisabledReason == "gone" ? "disabled (the receiver answered 410 Gone)" : "deleted")}.");
            }

            if (delivery.State is not (WebhookStates.Delivered or WebhookStates.Dead) || !await store.RedeliverAsync(delivery, endpoint, ct))
            {
                throw Redelivery(delivery.State == WebhookStates.Cancelled
                    ? "It was cancelled because what it was for was revoked; a cancellation is final."
                    : "It is still pending.");
            }

            return true;
        });

    private static Func<Caller, bool> RuleFor(WebhookAudience audience) => audience switch
    {
        WebhookAudience.Partner => Access.PartnerAnalyst,
        WebhookAudience.Oversight => Access.PrivacyOfficer,
        _ => Access.RecordsAdmin,
    };

    /// <summary>As the overload without <paramref name="ownAgencyOnly"/>; with it, only the caller's own agency's
    /// endpoints, whatever the audience (the administration pages).</summary>
    private static bool Visible(Caller caller, WebhookAudience audience, WebhookEndpointRow endpoint, bool ownAgencyOnly) =>
        (!ownAgencyOnly || endpoint.AgencyId == caller.AgencyId) && Visible(caller, audience, endpoint);

    /// <summary>The owning agency sees its endpoints (a privacy officer: its agency's oversight endpoints, not its
    /// desks' integrations); a records admin (stakeholder routes) sees every agency's.</summary>
    private static bool Visible(Caller caller, WebhookAudience audience, WebhookEndpointRow endpoint) => audience switch
    {
        WebhookAudience.Stakeholder => true,
        WebhookAudience.Oversight => endpoint.AgencyId == caller.AgencyId && endpoint.Audience == AudienceName(WebhookAudience.Oversight),
        _ => endpoint.AgencyId == caller.AgencyId,
    };

    private static string AudienceName(WebhookAudience audience) => audience.ToString().ToLowerInvariant();

    private static List<string> Kinds(Caller caller, WebhookAudience audience, IReadOnlyList<string>? asked)
    {
        var allowed = WebhookEventKinds.For(audience, caller.AgencyKind);
        if (asked is null || asked.Count == 0)
        {
            return [.. allowed];
        }

        foreach (var kind in asked)
        {
            if (audience == WebhookAudience.Partner && WebhookEventKinds.IsAlertKind(kind))
            {
                const string why = "Oversight alerts about partners go only to stakeholder agencies' endpoints, never to a partner's.";
                throw new DomainException(WebhookErrorCodes.AlertKindStakeholdersOnly, why, new ValidationErrors().Add("eventKinds", "stakeholders-only", why));
            }

            if (kind is null || !allowed.Contains(kind, StringComparer.Ordinal))
            {
                throw KindRefused("allowed-kind", $"eventKinds may name only {string.Join(", ", allowed)} for your agency.");
            }
        }

        if (asked.Distinct(StringComparer.Ordinal).Count() != asked.Count)
        {
            throw KindRefused("unique", "eventKinds names a kind twice.");
        }

        return [.. asked];
    }

    private async Task<WebhookUrl> CheckUrlAsync(Caller caller, string? url, CancellationToken ct)
    {
        var (checkedUrl, refusal) = WebhookAddresses.CheckUrl(url, caller.AgencyCode, options.Addresses);
        if (refusal is var (code, rule, message))
        {
            throw new DomainException(code, message, new ValidationErrors().Add("url", rule, message));
        }

        try
        {
            await WebhookHttp.AllowedAddressesAsync(checkedUrl!.AsciiHost, options, ct);
        }
        catch (Exception e) when (e is WebhookAddressRefusedException or SocketException)
        {
            var why = e is SocketException ? $"{checkedUrl!.AsciiHost} does not resolve." : e.Message;
            throw new DomainException(WebhookErrorCodes.AddressRefused, why, new ValidationErrors().Add("url", "public-address", why));
        }

        return checkedUrl;
    }

    private static DomainException KindRefused(string rule, string message) =>
        new(WebhookErrorCodes.EventKindRefused, message, new ValidationErrors().Add("eventKinds", rule, message));

    private static DomainException NotFound() => new(WebhookErrorCodes.EndpointNotFound, "No webhook endpoint with this id is visible to you.");

    private static DomainException Redelivery(string why) => new(WebhookErrorCodes.RedeliveryRefused, $"This delivery cannot be sent again. {why}");

    private static string Clip(string text) => text.Length <= 40 ? text : text[..40];
}
