using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenPars.Core.Arraignment;
using OpenPars.Core.Arrests;
using OpenPars.Core.Common;
using OpenPars.Storage.Arrests;
using OpenPars.Web.Hosting;
using OpenPars.Core.Audit;
using OpenPars.Web.Audit;
using OpenPars.Web.Security;
using static OpenPars.Web.Endpoints.HttpConventions;

namespace OpenPars.Web.Endpoints;

/// <summary>The arraignment court: the day's list and the record of each preliminary arraignment.</summary>
public static class ArraignmentApi
{
    public static IEndpointRouteBuilder MapArraignmentApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/v1/arraignment/list", List).WithTags("Arraignment").RequireAuthorization(Policies.Magistrate).Audited(AuditEventType.ArraignmentListRead)
            .WithSummary("The day's list (date=yyyy-MM-dd in the city's zone, default today): charged and waiting, then arraigned that day (magistrate).");
        routes.MapPost("/api/v1/arrests/{arrestNumber}/arraignment", Record).WithTags("Arraignment").RequireAuthorization(Policies.Magistrate).Audited(AuditEventType.ArraignmentRecorded)
            .WithSummary("Record bail, conditions, docket number and next hearing (magistrate).");
        return routes;
    }

    private static async Task<Ok<ArraignmentListResponse>> List(HttpContext context, ArrestStore store, CityClock city)
    {
        var errors = new ValidationErrors();
        var date = Date(HttpConventions.Query(context, "date"), "date", errors) ?? city.Today();
        ThrowIfAny(errors);
        var (start, end) = city.DayBounds(date);
        var list = await store.ArraignmentListAsync(start, end, context.RequestAborted);
        return TypedResults.Ok(new ArraignmentListResponse(date, list.Waiting, list.Arraigned));
    }

    private static async Task<Ok<ArrestRecord>> Record(string arrestNumber, ArraignmentRecord request, HttpContext context, ArrestStore store)
    {
        var record = await store.RecordArraignmentAsync(arrestNumber, request, context.User.ToActor(), context.RequestAborted);
        SetETag(context, record);
        return TypedResults.Ok(record);
    }
}

public sealed record ArraignmentListResponse(DateOnly Date, IReadOnlyList<ArrestSummary> Waiting, IReadOnlyList<ArrestSummary> Arraigned);
