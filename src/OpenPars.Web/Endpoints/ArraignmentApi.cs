using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenPars.App.Arraignment;
using OpenPars.Core.Arraignment;
using OpenPars.Core.Arrests;
using OpenPars.Core.Audit;
using OpenPars.Core.Common;
using OpenPars.Web.Audit;
using OpenPars.Web.OpenApi;
using OpenPars.Web.Security;
using static OpenPars.Web.Endpoints.HttpConventions;

namespace OpenPars.Web.Endpoints;

/// <summary>The arraignment court over HTTP (<see cref="ArraignmentUseCases"/>).</summary>
public static class ArraignmentApi
{
    public static IEndpointRouteBuilder MapArraignmentApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/v1/arraignment/list", List).WithTags("Arraignment").RequireAuthorization(Policies.Magistrate).Audited(AuditEventType.ArraignmentListRead)
            .WithName("getArraignmentList").WithQuery("date", "The day, yyyy-MM-dd in the city's zone; default today.").Refuses(ErrorCodes.ValidationFailed)
            .WithSummary("The day's list (date=yyyy-MM-dd in the city's zone, default today): charged and waiting, then arraigned that day (magistrate).");
        routes.MapPost("/api/v1/arrests/{arrestNumber}/arraignment", Record).WithTags("Arraignment").RequireAuthorization(Policies.Magistrate).Audited(AuditEventType.ArraignmentRecorded)
            .WithName("recordArraignment").Refuses(ErrorCodes.ArrestNotFound, ErrorCodes.IllegalTransition, ErrorCodes.DeclinedIsFinal, ErrorCodes.ConcurrentChange)
            .WithSummary("Record bail, conditions, docket number and next hearing (magistrate).");
        return routes;
    }

    private static async Task<Ok<ArraignmentListResponse>> List(HttpContext context, ArraignmentUseCases arraignment) =>
        TypedResults.Ok(await arraignment.ListAsync(context.User.ToCaller(), Query(context, "date"), context.RequestAborted));

    private static async Task<Ok<ArrestRecord>> Record(string arrestNumber, ArraignmentRecord request, HttpContext context, ArraignmentUseCases arraignment)
    {
        var record = await arraignment.RecordAsync(context.User.ToCaller(), arrestNumber, request, context.RequestAborted);
        SetETag(context, record);
        return TypedResults.Ok(record);
    }
}
