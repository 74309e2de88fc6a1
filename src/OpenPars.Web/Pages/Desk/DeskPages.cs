using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OpenPars.Web.Pages.Shared;
using OpenPars.Web.Security;

namespace OpenPars.Web.Pages.Desk;

/// <summary>The desk: where a signed-in user lands, their navigation as links (it shows no personal data).</summary>
public static class DeskPages
{
    /// <summary>Maps /desk.</summary>
    public static IEndpointRouteBuilder MapDeskPages(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/desk", (HttpContext context) => PageResults.Page<DeskHome>(context, "Desk"))
            .RequireAuthorization(Policies.Authenticated).ExcludeFromDescription();
        return routes;
    }
}
