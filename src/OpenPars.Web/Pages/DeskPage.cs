using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace OpenPars.Web.Pages;

/// <summary>
/// The desk: a page for booking officers, charging attorneys and magistrates over the same API, with the same
/// tokens and the same audit. Served from the binary; a strict Content-Security-Policy allows only its own files.
/// </summary>
public static class DeskPage
{
    private const string Policy = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static IEndpointRouteBuilder MapDesk(this IEndpointRouteBuilder routes)
    {
        Map(routes, "/desk", "desk.html", "text/html; charset=utf-8");
        Map(routes, "/desk/desk.js", "desk.js", "text/javascript; charset=utf-8");
        Map(routes, "/desk/desk.css", "desk.css", "text/css; charset=utf-8");
        return routes;
    }

    private static void Map(IEndpointRouteBuilder routes, string path, string resource, string contentType)
    {
        var bytes = Read(resource);
        routes.MapGet(path, (HttpContext context) =>
        {
            context.Response.Headers.ContentSecurityPolicy = Policy;
            context.Response.Headers.XContentTypeOptions = "nosniff";
            context.Response.Headers["Referrer-Policy"] = "no-referrer";
            return TypedResults.Bytes(bytes, contentType);
        }).AllowAnonymous().ExcludeFromDescription();
    }

    private static byte[] Read(string name)
    {
        using var stream = typeof(DeskPage).Assembly.GetManifestResourceStream($"OpenPars.Web.Desk.{name}")
            ?? throw new InvalidOperationException($"The desk resource {name} is not embedded.");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }
}
