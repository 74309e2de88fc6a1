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
          <link rel="stylesheet" href="/pages/site.css">
        </head>
        <body class="public">
          <h1>OpenPARS</h1>
          <p class="lede">The Preliminary Arraignment Reporting System: the arrest database that the police, the district attorney
          and the courts share from booking to the bail hearing.</p>
          <ul>
            <li><a href="/sign-in">Sign in</a> to the desks: password and authenticator code</li>
            <li><a href="/docs">API reference</a> (OpenAPI at <a href="/openapi/v1.json"><code>/openapi/v1.json</code></a>)</li>
            <li>Every endpoint needs a bearer token: <code>Authorization: Bearer opk_…</code></li>
            <li><a href="/healthz">Health</a></li>
          </ul>
        </body>
        </html>
        """;
}
