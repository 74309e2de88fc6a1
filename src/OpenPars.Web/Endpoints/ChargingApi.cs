using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenPars.Core.Arrests;
using OpenPars.Core.Charging;
using OpenPars.Core.Common;
using OpenPars.Storage.Arrests;
using OpenPars.Core.Audit;
using OpenPars.Web.Audit;
using OpenPars.Web.Security;
using static OpenPars.Web.Endpoints.HttpConventions;

namespace OpenPars.Web.Endpoints;

/// <summary>The DA's charging desk: the queue of arrests awaiting review, and the decision on each.</summary>
public static class ChargingApi
{
    public static IEndpointRouteBuilder MapChargingApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/v1/charging/queue", Queue).WithTags("Charging").RequireAuthorization(Policies.ChargingAttorney).Audited(AuditEventType.ChargingQueueRead)
            .WithSummary("Arrests awaiting a charging decision, oldest booking first (charging attorney).");
        routes.MapPost("/api/v1/arrests/{arrestNumber}/charging-decision", Decide).WithTags("Charging").RequireAuthorization(Policies.ChargingAttorney).Audited(AuditEventType.ChargingDecided)
            .WithSummary("Approve, modify or decline the charges (charging attorney).");
        return routes;
    }

    private static async Task<Ok<ArrestPage>> Queue(HttpContext context, ArrestStore store)
    {
        var errors = new ValidationErrors();
        var after = Cursor(HttpConventions.Query(context, "cursor"), errors);
        var limit = Limit(HttpConventions.Query(context, "limit"), errors);
        ThrowIfAny(errors);
        return TypedResults.Ok(await store.ChargingQueueAsync(after, limit, context.RequestAborted));
    }

    private static async Task<Ok<ArrestRecord>> Decide(string arrestNumber, ChargingDecision request, HttpContext context, ArrestStore store)
    {
        var record = await store.DecideChargingAsync(arrestNumber, request, context.User.ToActor(), context.RequestAborted);
        SetETag(context, record);
        return TypedResults.Ok(record);
    }
}
