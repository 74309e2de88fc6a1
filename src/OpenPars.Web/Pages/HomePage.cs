using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace OpenPars.Web.Pages;

/// <summary>The public front page: what this system is and where its API and documentation live.</summary>
public static class HomePage
{
    public static IEndpointRouteBuilder MapPages(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/", () => TypedResults.Content(Html, "text/html; charset=utf-8")).AllowAnonymous().ExcludeFromDescription();

        // Browsers ask for it on every page; an empty answer is better than a logged 404.
        routes.MapGet("/favicon.ico", () => TypedResults.NoContent()).AllowAnonymous().ExcludeFromDescription();
        return routes;
    }

    private const string Html = """
        <!doctype html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <meta name="viewport" content="width=device-width, initial-scale=1">
          <title>OpenPARS</title>
          <style>
            body { font-family: system-ui, sans-serif; max-width: 46rem; margin: 3rem auto; padding: 0 1rem; line-height: 1.5; color: #1b1b1b; }
            h1 { margin-bottom: .2rem; } .lede { color: #444; } code { background: #f2f2f2; padding: .1rem .3rem; border-radius: 3px; }
            li { margin: .3rem 0; }
          </style>
        </head>
        <body>
          <h1>OpenPARS</h1>
          <p class="lede">The Preliminary Arraignment Reporting System: the arrest database that the police, the district attorney
          and the courts share from booking to the bail hearing.</p>
          <ul>
            <li><a href="/desk">The desk</a>: search arrests, the charging queue, the arraignment list (sign in with a token)</li>
            <li><a href="/docs">API reference</a> (OpenAPI at <a href="/openapi/v1.json"><code>/openapi/v1.json</code></a>)</li>
            <li>Every endpoint needs a bearer token: <code>Authorization: Bearer opk_…</code></li>
            <li><a href="/healthz">Health</a></li>
          </ul>
        </body>
        </html>
        """;
}
