using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OpenPars.Core.Agencies;
using OpenPars.Core.Audit;
using OpenPars.Core.Common;
using OpenPars.Storage.Audit;
using OpenPars.Web.Problems;
using OpenPars.Web.Security;

namespace OpenPars.Web.Audit;

/// <summary>Endpoint metadata: the audit event a refusal made before the endpoint runs (401, 403, a body that could
/// not be read) is recorded as. The endpoint's use case records everything else itself (<c>App/Audit/AuditScope</c>);
/// this metadata only names the event for the refusals the framework makes first.</summary>
public sealed record AuditedAs(AuditEventType Type);

public static class AuditEndpointConventions
{
    /// <summary>Names the audit event of an endpoint's framework refusals (see <see cref="AuditedAs"/>).</summary>
    public static TBuilder Audited<TBuilder>(this TBuilder builder, AuditEventType type)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.WithMetadata(new AuditedAs(type));
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
            trail.Origin = new AuditOrigin(context.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal) ? Channels.Http : Channels.Page, context.User.ToCallerOrNull()?.ToAuditActor(), context.Connection.RemoteIpAddress?.ToString(), context.Request.Method, context.Request.Path);

            // A refusal before the endpoint still names the record the request was for.
            if (context.GetRouteValue("arrestNumber") is string arrestNumber && arrestNumber.Length is > 0 and <= 100)
            {
                trail.Requested(arrestNumber);
            }
        }

        await next(context);
    });

    /// <summary>Records a refusal or failure made outside a use case (401, 403, a body that could not be read, a
    /// parameter the adapter could not map, a 500), unless the use case already recorded the request. Reads the
    /// request's trail, not the endpoint: the exception handler clears the endpoint before it runs.</summary>
    public static async Task RecordRefusalAsync(HttpContext context, string code, int status, AuditOutcome outcome = AuditOutcome.Refused)
    {
        var trail = context.RequestServices.GetRequiredService<AuditTrail>();
        if (trail.EventType is not null)
        {
            await trail.CommitAsync(outcome, code, status);
        }
    }
}
