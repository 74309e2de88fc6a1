using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenPars.App.Webhooks;
using OpenPars.Core.Audit;
using OpenPars.Core.Common;
using OpenPars.Core.Webhooks;
using OpenPars.Web.Audit;
using OpenPars.Web.OpenApi;
using OpenPars.Web.Security;

namespace OpenPars.Web.Endpoints;

/// <summary>The body of a webhook registration.</summary>
/// <param name="Url">Where deliveries are posted: https, on the agency's allow list.</param>
/// <param name="EventKinds">Event types to receive (default: every kind the agency may receive).</param>
public sealed record WebhookRegistration(string? Url, IReadOnlyList<string>? EventKinds);

/// <summary>
/// Webhooks over HTTP (<see cref="WebhookUseCases"/>), for two audiences on one machinery: a partner agency's
/// analysts under <c>/api/v1/partner/webhooks</c> (thin watch notices; the partner rate limit applies) and the
/// police's records admins under <c>/api/v1/webhooks</c> (stakeholder integrations: full events of their desks and the
/// oversight alerts; they also see every agency's endpoints and deliveries) and every stakeholder agency's privacy
/// officers under <c>/api/v1/oversight/webhooks</c> (the oversight alerts, their own agency's endpoints only). The
/// secret is in the registration's answer only.
/// </summary>
public static class WebhooksApi
{
    /// <summary>Maps both route families.</summary>
    public static IEndpointRouteBuilder MapWebhooksApi(this IEndpointRouteBuilder routes)
    {
        Map(routes.MapGroup("/api/v1/partner/webhooks").WithTags("Webhooks").RequireRateLimiting(PartnerRateLimit.Policy), WebhookAudience.Partner, Policies.PartnerAnalyst, "Partner", "partner analyst");
        Map(routes.MapGroup("/api/v1/webhooks").WithTags("Webhooks"), WebhookAudience.Stakeholder, Policies.RecordsAdmin, "Stakeholder", "records admin");
        Map(routes.MapGroup("/api/v1/oversight/webhooks").WithTags("Webhooks"), WebhookAudience.Oversight, Policies.PrivacyOfficer, "Oversight", "privacy officer");
        return routes;
    }

    private static void Map(RouteGroupBuilder group, WebhookAudience audience, string policy, string name, string who)
    {
        var prefix = audience switch
        {
            WebhookAudience.Partner => "/api/v1/partner/webhooks",
            WebhookAudience.Oversight => "/api/v1/oversight/webhooks",
            _ => "/api/v1/webhooks",
        };
        var kinds = audience switch
        {
            WebhookAudience.Partner => "the thin notice of your watches' matches (partner-watch-matched: watch id, arrest number, event kind, time)",
            WebhookAudience.Oversight => "the oversight alerts about partners (oversight-alert-raised, oversight-alert-acknowledged: the alert with its figures and evidence, aggregates only)",
            _ => "your agency's desks' full arrest events (the police: arrest-booked, arrest-corrected) and the oversight alerts",
        };
        group.MapPost("", async Task<Created<RegisteredWebhook>> (WebhookRegistration request, HttpContext context, WebhookUseCases webhooks) =>
            {
                var registered = await webhooks.RegisterAsync(context.User.ToCaller(), audience, new RegisterWebhook(request.Url, request.EventKinds), context.RequestAborted);
                return TypedResults.Created($"{prefix}/{registered.Endpoint.Id}/deliveries", registered);
            })
            .RequireAuthorization(policy).Audited(AuditEventType.WebhookRegistered).WithName($"register{name}Webhook")
            .Refuses(ErrorCodes.MalformedJson, ErrorCodes.UnknownMember, ErrorCodes.UnsupportedMediaType, ErrorCodes.BodyTooLarge, WebhookErrorCodes.UrlRefused, WebhookErrorCodes.AddressRefused,
                WebhookErrorCodes.HostNotAllowed, WebhookErrorCodes.EventKindRefused, WebhookErrorCodes.TooManyEndpoints, WebhookErrorCodes.NoAgreementInForce, WebhookErrorCodes.AlertKindStakeholdersOnly)
            .WithSummary($"Register a webhook endpoint for {kinds}, signed by the Standard Webhooks scheme; the answer carries its secret (whsec_…) this once ({who}).");
        group.MapGet("", async Task<Ok<IReadOnlyList<WebhookView>>> (HttpContext context, WebhookUseCases webhooks) =>
                TypedResults.Ok(await webhooks.ListAsync(context.User.ToCaller(), audience, context.RequestAborted)))
            .RequireAuthorization(policy).Audited(AuditEventType.WebhooksListed).WithName($"list{name}Webhooks")
            .WithSummary(audience == WebhookAudience.Stakeholder ? $"Every agency's webhook endpoints, without their secrets ({who})." : $"Your agency's {(audience == WebhookAudience.Oversight ? "oversight " : "")}webhook endpoints, without their secrets ({who}).");
        group.MapDelete("/{id}", async Task<NoContent> (string id, HttpContext context, WebhookUseCases webhooks) =>
            {
                await webhooks.DeleteAsync(context.User.ToCaller(), audience, id, context.RequestAborted);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(policy).Audited(AuditEventType.WebhookDeleted).WithName($"delete{name}Webhook").Refuses(WebhookErrorCodes.EndpointNotFound)
            .WithSummary($"Delete one of your agency's webhook endpoints; its pending deliveries are cancelled ({who}).");
        group.MapGet("/{id}/deliveries", async Task<Ok<IReadOnlyList<WebhookDeliveryView>>> (string id, HttpContext context, WebhookUseCases webhooks) =>
                TypedResults.Ok(await webhooks.DeliveriesAsync(context.User.ToCaller(), audience, id, context.RequestAborted)))
            .RequireAuthorization(policy).Audited(AuditEventType.WebhookDeliveriesRead).WithName($"list{name}WebhookDeliveries").Refuses(WebhookErrorCodes.EndpointNotFound)
            .WithSummary($"An endpoint's latest {WebhookUseCases.DeliveriesShown} deliveries with their state, schedule and every attempt ({who}).");
        group.MapPost("/deliveries/{id}/redeliver", async Task<Accepted> (string id, HttpContext context, WebhookUseCases webhooks) =>
            {
                await webhooks.RedeliverAsync(context.User.ToCaller(), audience, id, context.RequestAborted);
                return TypedResults.Accepted((string?)null);
            })
            .RequireAuthorization(policy).Audited(AuditEventType.WebhookRedelivered).WithName($"redeliver{name}Webhook").Refuses(WebhookErrorCodes.DeliveryNotFound, WebhookErrorCodes.RedeliveryRefused)
            .WithSummary($"Send a delivered or dead delivery again, due now, with a fresh schedule; a cancelled one stays cancelled ({who}).");
    }
}
