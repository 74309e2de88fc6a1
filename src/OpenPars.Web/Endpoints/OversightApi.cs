using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenPars.App.Oversight;
using OpenPars.Core.Audit;
using OpenPars.Core.Common;
using OpenPars.Core.Oversight;
using OpenPars.Web.Audit;
using OpenPars.Web.OpenApi;
using OpenPars.Web.Security;
using static OpenPars.Web.Endpoints.HttpConventions;

namespace OpenPars.Web.Endpoints;

public sealed record AcknowledgementRequest(string? Statement);

/// <summary>Oversight of partner access for the stakeholders' privacy officers and representatives; every view is audited (12xxx).</summary>
public static class OversightApi
{
    public static RouteGroupBuilder MapOversightApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/oversight").WithTags("Oversight");
        group.MapGet("/usage", Usage).RequireAuthorization(Policies.Overseer).Audited(AuditEventType.OversightUsageRead)
            .WithName("getOversightUsage").WithQuery("agency", "Code of the partner agency (required).").WithQuery("from", "First local day, yyyy-MM-dd (default: 29 days before today).")
            .WithQuery("to", "Last local day, yyyy-MM-dd (default: today); at most 366 days after from.").WithQuery("groupBy", "day (default) or user.")
            .Refuses(ErrorCodes.ValidationFailed, ErrorCodes.StoreDamaged)
            .WithSummary("Partner usage per agreement and day (or user and day) from the looks the audit log proves: requests, refusals by code, records, distinct persons, criteria, quota headroom (privacy officer, stakeholder representative).");
        group.MapGet("/disparity", Disparity).RequireAuthorization(Policies.Overseer).Audited(AuditEventType.OversightDisparityRead)
            .WithName("getOversightDisparity").WithQuery("agency", "Code of the partner agency (required).").WithQuery("window", "7 or 30 (days); both when absent.")
            .Refuses(ErrorCodes.ValidationFailed, OversightErrorCodes.NoAgreementToMeasure, ErrorCodes.StoreDamaged)
            .WithSummary("The share of each attribute among the persons disclosed to the partner against the persons in its agreement's row scope booked in the same window, as a ratio with its 95% interval (privacy officer, stakeholder representative).");
        group.MapGet("/alerts", Alerts).RequireAuthorization(Policies.Overseer).Audited(AuditEventType.OversightAlertsRead)
            .WithName("listOversightAlerts").WithQuery("agency", "Only this partner agency's alerts.")
            .Refuses(ErrorCodes.ValidationFailed, ErrorCodes.StoreDamaged)
            .WithSummary("Every oversight alert, newest first, with its evidence (entry indexes), figures, automatic suspension and acknowledgements (privacy officer, stakeholder representative).");
        group.MapGet("/alerts/stream", AlertStream).RequireAuthorization(Policies.Overseer).Audited(AuditEventType.OversightAlertStreamOpened)
            .WithName("streamOversightAlerts").WithResumeHeader()
            .WithSummary("Live (SSE): oversight alerts as they are raised (oversight-alert-raised) and acknowledged (oversight-alert-acknowledged); id is the event's position, Last-Event-ID resumes after it (privacy officer, stakeholder representative).");
        group.MapPost("/alerts/{id}/acknowledgements", Acknowledge).RequireAuthorization(Policies.Overseer).Audited(AuditEventType.OversightAlertAcknowledged)
            .WithName("acknowledgeOversightAlert")
            .Refuses(ErrorCodes.MalformedJson, ErrorCodes.UnknownMember, ErrorCodes.ValidationFailed, ErrorCodes.UnsupportedMediaType, ErrorCodes.BodyTooLarge, OversightErrorCodes.AlertNotFound, OversightErrorCodes.AlreadyAcknowledged, ErrorCodes.ConcurrentChange, ErrorCodes.StoreDamaged)
            .WithSummary("Acknowledge an alert with a statement, once per stakeholder agency (privacy officer, stakeholder representative).");
        return group;
    }

    private static async Task<Ok<OversightAlertList>> Alerts(HttpContext context, OversightUseCases oversight) =>
        TypedResults.Ok(await oversight.AlertsAsync(context.User.ToCaller(), Query(context, "agency"), context.RequestAborted));

    private static async Task<ServerSentEventsResult<string>> AlertStream(HttpContext context, OversightAlertStreams streams) =>
        FeedsApi.Sse(await streams.OpenAsync(context.User.ToCaller(), FeedsApi.LastEventId(context), context.RequestAborted));

    private static async Task<Created<OversightAlertView>> Acknowledge(string id, AcknowledgementRequest request, HttpContext context, OversightUseCases oversight)
    {
        var alert = await oversight.AcknowledgeAsync(context.User.ToCaller(), id, request.Statement, context.RequestAborted);
        return TypedResults.Created($"/api/v1/oversight/alerts?agency={alert.Agency}", alert);
    }

    private static async Task<Ok<UsageReport>> Usage(HttpContext context, OversightUseCases oversight) =>
        TypedResults.Ok(await oversight.UsageAsync(context.User.ToCaller(),
            new UsageRequest(Query(context, "agency"), Query(context, "from"), Query(context, "to"), Query(context, "groupBy")), context.RequestAborted));

    private static async Task<Ok<DisparityView>> Disparity(HttpContext context, OversightUseCases oversight) =>
        TypedResults.Ok(await oversight.DisparityAsync(context.User.ToCaller(), Query(context, "agency"), Query(context, "window"), context.RequestAborted));
}
