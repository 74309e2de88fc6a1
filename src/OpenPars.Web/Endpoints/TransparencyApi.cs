using OpenPars.App.Charter;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenPars.App.Transparency;
using OpenPars.Core.Common;
using OpenPars.Core.Transparency;
using OpenPars.Web.OpenApi;
using static OpenPars.Web.Endpoints.HttpConventions;

namespace OpenPars.Web.Endpoints;

/// <summary>Public transparency (anonymous): what was shared with partners each month, small cells suppressed. The
/// page <c>/transparency</c> is in <c>Pages/Transparency</c>.</summary>
public static class TransparencyApi
{
    public static IEndpointRouteBuilder MapTransparencyApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/v1/transparency", Json).AllowAnonymous().WithTags("Transparency")
            .WithName("getTransparencyReport").WithQuery("month", "The month, yyyy-MM (default: this month).").Refuses(ErrorCodes.ValidationFailed, ErrorCodes.StoreDamaged)
            .WithSummary("The month's public report (anonymous): agreements' status, terms and votes; requests, refusals by rule, records, alerts and suspensions per partner, 1–10 as <11 with complementary suppression.");
        routes.MapGet("/api/v1/transparency.csv", Csv).AllowAnonymous().WithTags("Transparency")
            .WithName("getTransparencyCsv").WithQuery("month", "The month, yyyy-MM (default: this month).").Refuses(ErrorCodes.ValidationFailed, ErrorCodes.StoreDamaged)
            .WithSummary("The month's published tables as CSV: month, table, row, column, value (anonymous).");
        return routes;
    }

    private static async Task<Ok<TransparencyMonth>> Json(HttpContext context, TransparencyUseCases transparency) =>
        TypedResults.Ok(await transparency.MonthAsync(Query(context, "month"), context.RequestAborted));

    private static async Task<ContentHttpResult> Csv(HttpContext context, TransparencyUseCases transparency) =>
        TypedResults.Content(TransparencyReports.ToCsv(await transparency.MonthAsync(Query(context, "month"), context.RequestAborted)), "text/csv; charset=utf-8");
}
