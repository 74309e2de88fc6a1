using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace OpenPars.Web.Pages.Shared;

/// <summary>The pages' own files, embedded in the binary and served from /pages/ (no CDN, no build chain), and the
/// headers every page answer carries: a strict Content-Security-Policy (no inline script or style), no sniffing, no
/// referrer, no framing.</summary>
public static class PageAssets
{
    /// <summary>The pages' policy: only the site's own script, style and fetches; images also as data: (the QR code).</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /// <summary>Maps /pages/site.css, /pages/live.js and /pages/proof.js (the audit explorer's proof check).</summary>
    public static IEndpointRouteBuilder MapPageAssets(this IEndpointRouteBuilder routes)
    {
        Map(routes, "/pages/site.css", "site.css", "text/css; charset=utf-8");
        Map(routes, "/pages/live.js", "live.js", "text/javascript; charset=utf-8");
        Map(routes, "/pages/proof.js", "proof.js", "text/javascript; charset=utf-8");
        return routes;
    }

    /// <summary>Adds the page headers to every answer outside /api and /openapi (the API reference sets its own).</summary>
    public static IApplicationBuilder UsePageHeaders(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var path = context.Request.Path;
        if (!path.StartsWithSegments("/api", StringComparison.Ordinal) && !path.StartsWithSegments("/docs", StringComparison.Ordinal)
            && !path.StartsWithSegments("/openapi", StringComparison.Ordinal))
        {
            context.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
            context.Response.Headers.XContentTypeOptions = "nosniff";
            context.Response.Headers["Referrer-Policy"] = "no-referrer";
            context.Response.Headers.XFrameOptions = "DENY";
        }

        await next(context);
    });

    private static void Map(IEndpointRouteBuilder routes, string path, string resource, string contentType)
    {
        var bytes = Read(resource);
        routes.MapGet(path, () => TypedResults.Bytes(bytes, contentType)).AllowAnonymous().ExcludeFromDescription();
    }

    private static byte[] Read(string name)
    {
        using var stream = typeof(PageAssets).Assembly.GetManifestResourceStream($"OpenPars.Web.Pages.{name}")
            ?? throw new InvalidOperationException($"The page asset {name} is not embedded.");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }
}
