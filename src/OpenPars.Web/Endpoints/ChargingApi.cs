using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenPars.App.Charging;
using OpenPars.Core.Arrests;
using OpenPars.Core.Audit;
using OpenPars.Core.Common;
using OpenPars.Core.Charging;
using OpenPars.Storage.Arrests;
using OpenPars.Web.Audit;
using OpenPars.Web.OpenApi;
using OpenPars.Web.Security;
using static OpenPars.Web.Endpoints.HttpConventions;

namespace OpenPars.Web.Endpoints;

/// <summary>The DA's charging desk over HTTP (<see cref="ChargingUseCases"/>).</summary>
public static class ChargingApi
{
    public static IEndpointRouteBuilder MapChargingApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/v1/charging/queue", Queue).WithTags("Charging").RequireAuthorization(Policies.ChargingAttorney).Audited(AuditEventType.ChargingQueueRead)
            .WithName("getChargingQueue").WithQuery("cursor", "The cursor of the next page, from the previous answer.").WithQuery("limit", "Page size (1 to 100).").Refuses(ErrorCodes.ValidationFailed)
            .WithSummary("Arrests awaiting a charging decision, oldest booking first (charging attorney).");
        routes.MapPost("/api/v1/arrests/{arrestNumber}/charging-decision", Decide).WithTags("Charging").RequireAuthorization(Policies.ChargingAttorney).Audited(AuditEventType.ChargingDecided)
            .WithName("decideCharging").Refuses(ErrorCodes.ArrestNotFound, ErrorCodes.IllegalTransition, ErrorCodes.DeclinedIsFinal, ErrorCodes.ConcurrentChange)
            .WithSummary("Approve, modify or decline the charges (charging attorney).");
        return routes;
    }

    private static async Task<Ok<ArrestPage>> Queue(HttpContext context, ChargingUseCases charging) =>
        TypedResults.Ok(await charging.QueueAsync(context.User.ToCaller(), Query(context, "cursor"), Query(context, "limit"), context.RequestAborted));

    private static async Task<Ok<ArrestRecord>> Decide(string arrestNumber, ChargingDecision request, HttpContext context, ChargingUseCases charging)
    {
        var record = await charging.DecideAsync(context.User.ToCaller(), arrestNumber, request, context.RequestAborted);
        SetETag(context, record);
        return TypedResults.Ok(record);
    }
}
