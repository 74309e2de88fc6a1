using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using OpenPars.Core.Common;
using OpenPars.Storage.Agencies;
using OpenPars.Web.Problems;

namespace OpenPars.Web.Security;

/// <summary>
/// Resolves `Authorization: Bearer opk_…` through <see cref="IdentityStore.AuthenticateAsync"/>: the token's owner is
/// cached (<see cref="CredentialCache"/>), but every request checks the store's credential generation first, so a
/// revoked token stops working on the very next request, in every process on the store.
/// </summary>
public sealed class BearerTokenHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.Fail("Authorization is not a bearer token.");
        }

        // An address that failed too often has no credential checked until its window ends (guessing stops there).
        var abuse = Context.RequestServices.GetRequiredService<AuthenticationAbuseLimiter>();
        var address = Context.Connection.RemoteIpAddress?.ToString();
        if (abuse.Throttled(address) is { } throttled)
        {
            Context.Items[ThrottledKey] = throttled;
            return AuthenticateResult.Fail("Too many failed credentials from this address.");
        }

        var identity = Context.RequestServices.GetRequiredService<IdentityStore>();
        var secret = header["Bearer ".Length..].Trim();
        var caller = await identity.AuthenticateAsync(secret, Context.RequestAborted);
        if (caller is null)
        {
            var account = await identity.AccountOfFailedSecretAsync(secret, Context.RequestAborted);
            if (abuse.RecordFailure(address, account?.ToString(System.Globalization.CultureInfo.InvariantCulture)) is { } refusal)
            {
                Context.Items[ThrottledKey] = refusal;
            }

            return AuthenticateResult.Fail("The token is unknown, revoked or expired.");
        }

        return AuthenticateResult.Success(new AuthenticationTicket(OpenParsClaims.ToPrincipal(caller, SchemeName), SchemeName));
    }

    /// <summary>Where a request's rate-limit refusal waits for the challenge that answers it.</summary>
    private const string ThrottledKey = "OpenPars.AuthenticationThrottled";

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Context.Items[ThrottledKey] is RateLimitRefusal throttled)
        {
            await throttled.RefuseAsync(Context, Core.Audit.AuditEventType.AuthenticationThrottled);
            return;
        }

        Response.Headers[HeaderNames.WWWAuthenticate] = "Bearer";
        await ProblemResults.RefuseAsync(Context, 401, ErrorCodes.Unauthenticated, "Authentication required",
            "Send a valid, unrevoked, unexpired token as `Authorization: Bearer <token>`.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ProblemResults.RefuseAsync(Context, 403, ErrorCodes.Forbidden, "Forbidden", "Your roles do not allow this request.");
}
