using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenPars.Core.Arrests;
using OpenPars.Core.Arrests.Reference;
using OpenPars.Core.Common;
using OpenPars.Core.Audit;
using OpenPars.Web.Audit;
using OpenPars.Web.Security;

namespace OpenPars.Web.Endpoints;

/// <summary>The jurisdiction's statutes and districts, for the desks' pickers.</summary>
public static class ReferenceApi
{
    public static IEndpointRouteBuilder MapReferenceApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/v1/statutes", Statutes).WithTags("Reference").RequireAuthorization(Policies.Authenticated).Audited(AuditEventType.StatutesRead, refusalsOnly: true)
            .WithSummary("Statutes matching q (citation prefix or words of the title); any authenticated user.");
        routes.MapGet("/api/v1/districts", Districts).WithTags("Reference").RequireAuthorization(Policies.Authenticated).Audited(AuditEventType.DistrictsRead, refusalsOnly: true)
            .WithSummary("Police districts; any authenticated user.");
        return routes;
    }

    private static Ok<StatuteList> Statutes(HttpContext context, ReferenceData reference)
    {
        var errors = new ValidationErrors();
        var q = context.Request.Query["q"].ToString();
        errors.Require(q.Length <= 100, "q", "text-length", "q must be at most 100 characters.");
        var limit = HttpConventions.Limit(HttpConventions.Query(context, "limit"), errors);
        HttpConventions.ThrowIfAny(errors);
        return TypedResults.Ok(new StatuteList(reference.Statutes.Jurisdiction,
            reference.Statutes.Search(q, limit).Select(s => new StatuteView(s.Citation, s.Title, s.DefaultGrade, s.Category)).ToList()));
    }

    private static Ok<DistrictList> Districts(ReferenceData reference) =>
        TypedResults.Ok(new DistrictList(reference.Districts.Jurisdiction, reference.Districts.All.Select(d => new DistrictView(d.Code, d.Name, d.Division)).ToList()));
}

public sealed record StatuteView(string Citation, string Title, OffenseGrade DefaultGrade, string Category);

public sealed record StatuteList(string Jurisdiction, IReadOnlyList<StatuteView> Items);

public sealed record DistrictView(string Code, string Name, string Division);

public sealed record DistrictList(string Jurisdiction, IReadOnlyList<DistrictView> Items);
