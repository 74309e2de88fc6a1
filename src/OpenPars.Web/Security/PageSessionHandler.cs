using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenPars.App.Identity;
using OpenPars.Core.Common;
using OpenPars.Web.Audit;
using OpenPars.Web.Pages.Shared;
using OpenPars.Web.Problems;

namespace OpenPars.Web.Security;

/// <summary>
/// The page session cookie: its secret is looked up on every request (<see cref="SignInUseCases.AuthenticateAsync"/>),
/// which restarts the idle timeout or ends a session found idle or too old (audited). No cache: a signed-out session
/// fails on the very next request. A page refused for want of a session redirects to the sign-in page; a refused
/// stream answers 401 as the API does. A forbidden page is the 403 page, audited as the page's refusal.
/// </summary>
public sealed class PageSessionHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The scheme's name.</summary>
    public const string SchemeName = "PageSession";

    /// <summary>The live session's cookie.</summary>
    public const string SessionCookie = "openpars-session";

    /// <summary>The cookie of a session whose password passed and whose code is awaited.</summary>
    public const string PendingCookie = "openpars-pending";

    /// <summary>The one scheme every request is authenticated by: bearer tokens for the API; the page session (password
    /// and second factor) for the pages, where a bearer token signs nobody in (a token is one factor, and a person
    /// at a desk signs in with two); and for the desk streams either (an EventSource cannot send a header). The API's
    /// writes never accept the cookie, so no form on another site can act through it (SameSite=Strict besides).</summary>
    public const string SelectorScheme = "OpenPars";

    /// <summary>Which scheme authenticates this request (see <see cref="SelectorScheme"/>).</summary>
    public static string Select(HttpContext context)
    {
        var path = context.Request.Path;
        if (!path.StartsWithSegments("/api", StringComparison.Ordinal))
        {
            return SchemeName;
        }

        return path.StartsWithSegments("/api/v1/streams", StringComparison.Ordinal) && context.Request.Headers.Authorization.Count == 0
            ? SchemeName
            : BearerTokenHandler.SchemeName;
    }

    /// <summary>The cookie options of both cookies: HttpOnly, SameSite=Strict, Secure when the request is HTTPS.</summary>
    public static CookieOptions CookieOptions(HttpContext context) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = context.Request.IsHttps,
        Path = "/",
        IsEssential = true,
    };

    /// <inheritdoc/>
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Cookies.TryGetValue(SessionCookie, out var secret) || string.IsNullOrEmpty(secret))
        {
            return AuthenticateResult.NoResult();
        }

        var signIn = Context.RequestServices.GetRequiredService<SignInUseCases>();
        var caller = await signIn.AuthenticateAsync(secret, Context.RequestAborted);
        return caller is null
            ? AuthenticateResult.Fail("The page session is unknown, ended, idle or past its maximum.")
            : AuthenticateResult.Success(new AuthenticationTicket(OpenParsClaims.ToPrincipal(caller, SchemeName), SchemeName));
    }

    /// <inheritdoc/>
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Request.Path.StartsWithSegments("/api", StringComparison.Ordinal))
        {
            await ProblemResults.RefuseAsync(Context, 401, ErrorCodes.Unauthenticated, "Authentication required",
                "Sign in at /sign-in (the page session cookie) or send `Authorization: Bearer <token>`.");
            return;
        }

        Response.Cookies.Delete(SessionCookie, CookieOptions(Context));
        var back = Request.Method == HttpMethods.Get ? (Request.Path + Request.QueryString).ToString() : "/desk";
        Response.Redirect("/sign-in?returnUrl=" + Uri.EscapeDataString(back));
    }

    /// <inheritdoc/>
    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        if (Request.Path.StartsWithSegments("/api", StringComparison.Ordinal))
        {
            await ProblemResults.RefuseAsync(Context, 403, ErrorCodes.Forbidden, "Forbidden", "Your roles do not allow this request.");
            return;
        }

        await AuditEndpointConventions.RecordRefusalAsync(Context, ErrorCodes.Forbidden, 403);
        await PageResults.RenderAsync<ForbiddenPage>(Context, 403, new Dictionary<string, object?>());
    }
}
