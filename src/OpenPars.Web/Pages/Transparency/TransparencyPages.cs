using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OpenPars.App.Charter;
using OpenPars.App.Transparency;
using OpenPars.Core.Common;
using OpenPars.Web.Pages.Shared;

namespace OpenPars.Web.Pages.Transparency;

/// <summary>The public transparency report as a page of the site (anonymous): the month's figures from
/// <see cref="TransparencyUseCases"/>, drawn by <see cref="TransparencyHtml.Figures"/> (the renderer the published
/// report folder's standalone page uses too) inside the site's layout, with a month chooser that works without script.</summary>
public static class TransparencyPages
{
    /// <summary>Maps /transparency (?month=yyyy-MM; default this month).</summary>
    public static IEndpointRouteBuilder MapTransparencyPages(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/transparency", Month).AllowAnonymous().ExcludeFromDescription();
        return routes;
    }

    private static async Task<IResult> Month(HttpContext context, TransparencyUseCases transparency, CharterUseCases charter)
    {
        var month = context.Request.Query["month"].ToString();
        try
        {
            var report = await transparency.MonthAsync(month.Length == 0 ? null : month, context.RequestAborted);
            return PageResults.Page<TransparencyPage>(context, TransparencyHtml.Title(report), new Dictionary<string, object?>
            {
                ["Report"] = report,
                ["Charter"] = await charter.PublicAsync(context.RequestAborted),
            });
        }
        catch (DomainException refusal)
        {
            return PageResults.Page<MessagePage>(context, "No report for this month", new Dictionary<string, object?>
            {
                ["Message"] = refusal.Message,
                ["Code"] = refusal.Code,
                ["Back"] = "/transparency",
            }, ErrorCatalogue.StatusFor(refusal.Code));
        }
    }
}
