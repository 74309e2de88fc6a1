using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OpenPars.Core.Audit;
using OpenPars.Core.Common;
using OpenPars.Storage.Audit;
using OpenPars.Web.Problems;
using OpenPars.Web.Security;

namespace OpenPars.Web.Audit;

/// <summary>Endpoint metadata: the audit event an endpoint records. <see cref="RefusalsOnly"/> for endpoints that
/// read no arrest data (reference lists), whose refusals are still recorded.</summary>
public sealed record AuditedAs(AuditEventType Type, bool RefusalsOnly = false);

public static class AuditEndpointConventions
{
    /// <summary>Marks an endpoint as audited and commits its entry before its answer is written.</summary>
    public static TBuilder Audited<TBuilder>(this TBuilder builder, AuditEventType type, bool refusalsOnly = false)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.WithMetadata(new AuditedAs(type, refusalsOnly));
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var trail = http.RequestServices.GetRequiredService<AuditTrail>();
            object? result;
            try
            {
                result = await next(context);
            }
            catch (DomainException refusal)
            {
                await trail.CommitAsync(AuditOutcome.Refused, refusal.Code, ProblemResults.StatusFor(refusal.Code));
                throw;
            }

            // The entry is durable before the result is executed: if the audit fails, no data is written.
            if (!refusalsOnly)
            {
                await trail.CommitAsync(AuditOutcome.Allowed, null, (result as IStatusCodeHttpResult)?.StatusCode ?? 200);
            }

            return result;
        });
        return builder;
    }

    /// <summary>Fills the request's audit origin (caller, client, request line, event) once authentication ran.</summary>
    public static IApplicationBuilder UseAuditOrigin(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var audited = context.GetEndpoint()?.Metadata.GetMetadata<AuditedAs>();

        // An API request no audited endpoint took (an unknown route, a body type routing rejects) can still be refused.
        var type = audited?.Type ?? (context.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal) && context.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is null
            ? AuditEventType.RequestRefused
            : null);
        if (type is not null)
        {
            var trail = context.RequestServices.GetRequiredService<AuditTrail>();
            trail.EventType = type;
            trail.Origin = new AuditOrigin("http", ActorOf(context.User), context.Connection.RemoteIpAddress?.ToString(), context.Request.Method, context.Request.Path);
        }

        await next(context);
    });

    /// <summary>Records a refusal made outside an endpoint (401, 403, a body that could not be read), if the endpoint
    /// is audited. Reads the request's trail, not the endpoint: the exception handler clears the endpoint before it runs.</summary>
    public static async Task RecordRefusalAsync(HttpContext context, string code, int status)
    {
        var trail = context.RequestServices.GetRequiredService<AuditTrail>();
        if (trail.EventType is not null)
        {
            await trail.CommitAsync(AuditOutcome.Refused, code, status);
        }
    }

    private static AuditActor? ActorOf(ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true)
        {
            return null;
        }

        return new AuditActor(
            long.Parse(user.FindFirstValue(OpenParsClaims.UserId)!, CultureInfo.InvariantCulture),
            user.Identity.Name ?? "",
            user.FindFirstValue(OpenParsClaims.AgencyCode) ?? "",
            user.FindAll(ClaimTypes.Role).Select(c => c.Value).ToList(),
            long.TryParse(user.FindFirstValue(OpenParsClaims.TokenId), CultureInfo.InvariantCulture, out var tokenId) ? tokenId : null);
    }
}
