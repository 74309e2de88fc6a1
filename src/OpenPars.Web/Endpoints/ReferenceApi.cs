using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenPars.Core.Arrests;
using OpenPars.App.Reference;
using OpenPars.Core.Common;
using OpenPars.Core.Audit;
using OpenPars.Web.Audit;
using OpenPars.Web.OpenApi;
using OpenPars.Web.Security;

namespace OpenPars.Web.Endpoints;

/// <summary>The jurisdiction's statutes and districts, for the desks' pickers.</summary>
public static class ReferenceApi
{
    public static IEndpointRouteBuilder MapReferenceApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/v1/statutes", Statutes).WithTags("Reference").RequireAuthorization(Policies.Authenticated).Audited(AuditEventType.StatutesRead)
            .WithName("searchStatutes").WithQuery("q", "Citation prefix or words of the title.").WithQuery("limit", "How many statutes at most.").Refuses(ErrorCodes.ValidationFailed)
            .WithSummary("Statutes matching q (citation prefix or words of the title); any authenticated user.");
        routes.MapGet("/api/v1/districts", Districts).WithTags("Reference").RequireAuthorization(Policies.Authenticated).Audited(AuditEventType.DistrictsRead)
            .WithName("listDistricts")
            .WithSummary("Police districts; any authenticated user.");
        return routes;
    }

    private static async Task<Ok<StatuteList>> Statutes(HttpContext context, ReferenceUseCases reference) =>
        TypedResults.Ok(await reference.StatutesAsync(context.User.ToCaller(), HttpConventions.Query(context, "q"), HttpConventions.Query(context, "limit")));

    private static async Task<Ok<DistrictList>> Districts(HttpContext context, ReferenceUseCases reference) =>
        TypedResults.Ok(await reference.DistrictsAsync(context.User.ToCaller()));
}
