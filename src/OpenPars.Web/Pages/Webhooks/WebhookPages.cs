using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenPars.App.Webhooks;
using OpenPars.Core.Agencies;
using OpenPars.Core.Audit;
using OpenPars.Core.Common;
using OpenPars.Core.Webhooks;
using OpenPars.Web.Audit;
using OpenPars.Web.Pages.Shared;
using OpenPars.Web.Security;

namespace OpenPars.Web.Pages.Webhooks;

/// <summary>The records admin's webhook endpoints as a page (<see cref="Policies.RecordsAdmin"/>, the policy of
/// <c>/api/v1/webhooks</c>; anyone else gets the 403 page, audited), over <see cref="WebhookUseCases"/> with the
/// stakeholder audience, channel <c>page</c>, one use case per request: the caller's own agency's endpoints with their
/// kinds, state, newest delivery and failures (<see cref="WebhookUseCases.AgencyEndpointsAsync"/>: never another
/// agency's, although the API shows records admins every agency's), a registration whose answer shows the signing
/// secret this once (no-store, never in a redirect), and a delete. A refused form comes back alone with its refusal,
/// its field errors next to the fields.</summary>
public static class WebhookPages
{
    /// <summary>Maps GET and POST /admin/webhooks, POST /admin/webhooks/{id}/delete, GET /admin/webhooks/{id} (the
    /// endpoint's deliveries) and POST /admin/webhooks/deliveries/{id}/redeliver.</summary>
    public static IEndpointRouteBuilder MapWebhookPages(this IEndpointRouteBuilder routes)
    {
        var admin = routes.MapGroup("/admin/webhooks").RequireAuthorization(Policies.RecordsAdmin).ExcludeFromDescription();
        admin.MapGet("", List).Audited(AuditEventType.WebhooksListed);
        admin.MapPost("", Register).Audited(AuditEventType.WebhookRegistered).DisableAntiforgery();
        admin.MapPost("/{id}/delete", Delete).Audited(AuditEventType.WebhookDeleted).DisableAntiforgery();
        admin.MapGet("/{id}", Deliveries).Audited(AuditEventType.WebhookDeliveriesRead);
        admin.MapPost("/deliveries/{id}/redeliver", Redeliver).Audited(AuditEventType.WebhookRedelivered).DisableAntiforgery();
        return routes;
    }

    private static async Task<IResult> List(HttpContext context, WebhookUseCases webhooks)
    {
        var caller = Caller(context);
        var endpoints = await webhooks.AgencyEndpointsAsync(caller, WebhookAudience.Stakeholder, context.RequestAborted);
        var deleted = Id(context.Request.Query["deleted"]) is { } id ? $"Endpoint {id} is deleted; its pending deliveries are cancelled." : null;
        return Page(context, endpoints, Form(), deleted, null, null, null, 200);
    }

    private static async Task<IResult> Register(HttpContext context, WebhookUseCases webhooks)
    {
        if (await PageForms.ReadAsync(context, fieldsChecked: true) is not { } posted)
        {
            return PageForms.Refused(context);
        }

        var form = Form(FormState.Read(posted, _ => false));
        if (form.HasErrors)
        {
            await AuditEndpointConventions.RecordRefusalAsync(context, ErrorCodes.ValidationFailed, 400);
            return Page(context, null, form, null, null, ErrorCodes.ValidationFailed, null, 400);
        }

        var kinds = form["eventKinds"].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        try
        {
            var registered = await webhooks.RegisterAsync(Caller(context), WebhookAudience.Stakeholder, new RegisterWebhook(form.Text("url"), kinds.Length == 0 ? null : kinds), context.RequestAborted);
            context.Response.Headers.CacheControl = "no-store";
            var notice = $"Endpoint {registered.Endpoint.Id} is registered for {string.Join(", ", registered.Endpoint.EventKinds)}. Copy its signing secret now: it is shown this once and never again.";
            return Page(context, null, Form(), notice, registered, null, null, 201);
        }
        catch (DomainException refusal)
        {
            if (refusal.Errors is { IsEmpty: false } errors)
            {
                form.Add(errors.All.Select(e => e with { Field = e.Field.StartsWith("eventKinds", StringComparison.Ordinal) ? "eventKinds" : e.Field }));
            }

            return Page(context, null, form, null, null, refusal.Code, refusal.Message, ErrorCatalogue.StatusFor(refusal.Code));
        }
    }

    private static async Task<IResult> Delete(string id, HttpContext context, WebhookUseCases webhooks)
    {
        if (await PageForms.ReadAsync(context) is null)
        {
            return PageForms.Refused(context);
        }

        try
        {
            await webhooks.DeleteAsync(Caller(context), WebhookAudience.Stakeholder, id, context.RequestAborted);
            return Results.Redirect($"/admin/webhooks?deleted={Uri.EscapeDataString(id)}");
        }
        catch (DomainException refusal)
        {
            return Refused(context, "Endpoint not deleted", refusal);
        }
    }

    /// <summary>One of the agency's endpoints and its latest deliveries with every attempt (another agency's is not
    /// found here), a redeliver button on each delivered or dead one.</summary>
    private static async Task<IResult> Deliveries(string id, HttpContext context, WebhookUseCases webhooks)
    {
        try
        {
            var deliveries = await webhooks.DeliveriesAsync(Caller(context), WebhookAudience.Stakeholder, id, ownAgencyOnly: true, context.RequestAborted);
            var redelivered = Id(context.Request.Query["redelivered"]) is { } delivery ? $"Delivery {delivery} is due again now, with a fresh schedule." : null;
            return PageResults.Page<WebhookDeliveriesPage>(context, $"Deliveries of {id}", new Dictionary<string, object?>
            {
                ["EndpointId"] = id, ["Deliveries"] = deliveries, ["Notice"] = redelivered,
            }, 200);
        }
        catch (DomainException refusal)
        {
            return Refused(context, "Endpoint not found", refusal);
        }
    }

    private static async Task<IResult> Redeliver(string id, HttpContext context, WebhookUseCases webhooks)
    {
        if (await PageForms.ReadAsync(context) is not { } posted)
        {
            return PageForms.Refused(context);
        }

        try
        {
            await webhooks.RedeliverAsync(Caller(context), WebhookAudience.Stakeholder, id, ownAgencyOnly: true, context.RequestAborted);
            return Results.Redirect(Id(posted["endpoint"]) is { } endpoint
                ? $"/admin/webhooks/{endpoint}?redelivered={Uri.EscapeDataString(id)}"
                : "/admin/webhooks");
        }
        catch (DomainException refusal)
        {
            return Refused(context, "Not sent again", refusal);
        }
    }

    private static RazorComponentResult Refused(HttpContext context, string title, DomainException refusal) =>
        PageResults.Refused(context, title, refusal, "/admin/webhooks");

    // An endpoint's or delivery's id from a query or a form (wh-…, whd-…), never more than it can be.
    private static string? Id(Microsoft.Extensions.Primitives.StringValues value) =>
        value.ToString() is { Length: > 0 and <= 40 } id && id.All(c => char.IsAsciiLetterOrDigit(c) || c == '-') ? id : null;

    /// <summary>The registration form: the url and the kinds (checkboxes of one name; none ticked is every kind).</summary>
    private static FormState Form(FormState? form = null)
    {
        form ??= new FormState();
        form.Label("url", "Receiver URL (https, on your agency's allow list)");
        form.Label("eventKinds", "Event kinds");
        return form;
    }

    private static Caller Caller(HttpContext context) => context.User.ToCaller(Channels.Page);

    private static RazorComponentResult Page(HttpContext context, IReadOnlyList<WebhookEndpointSummary>? endpoints, FormState form, string? notice, RegisteredWebhook? registered, string? code, string? message, int status) =>
        PageResults.Page<WebhooksPage>(context, "Webhooks", new Dictionary<string, object?>
        {
            ["Endpoints"] = endpoints, ["Form"] = form, ["Kinds"] = WebhookUseCases.KindsFor(Caller(context), WebhookAudience.Stakeholder),
            ["Notice"] = notice, ["Registered"] = registered, ["Code"] = code, ["Message"] = message,
        }, status);
}
