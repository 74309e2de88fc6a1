using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenPars.Core.Common;
using OpenPars.Storage.Audit;
using OpenPars.Web.Audit;

namespace OpenPars.Web.Problems;

/// <summary>
/// Turns what escaped an endpoint into a problem answer. Domain refusals keep their code; malformed requests
/// get the request-shape codes; anything else is a 500 whose log line names only the exception type, never
/// its message, which could carry a sensitive value.
/// </summary>
public sealed partial class OpenParsExceptionHandler(ILogger<OpenParsExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (httpContext.Response.HasStarted)
        {
            return false;
        }

        switch (exception)
        {
            case DomainException domain:
                // Recorded here unless its use case already recorded it (a refusal the adapter made while mapping).
                await ProblemResults.RefuseAsync(httpContext, domain);
                return true;
            case BadHttpRequestException bad:
                await WriteBadRequest(httpContext, bad);
                return true;
            case var gone when OpenPars.App.Hosting.OpenParsDatabase.IsUnavailable(gone):
                // Fail closed: the database is gone, so nothing was written and nothing can be audited now. The
                // pool reconnects by itself; the client retries.
                LogDatabaseUnavailable(logger, httpContext.Request.Method, httpContext.Request.Path, gone.GetType().FullName ?? "?");
                httpContext.RequestServices.GetService<OpenPars.App.Audit.StoreHealth>()?.RecordUnavailable(gone);
                httpContext.Response.Headers.RetryAfter = "5";
                await ProblemResults.Write(httpContext, 503, ErrorCodes.DatabaseUnavailable, ErrorCatalogue.Describe(ErrorCodes.DatabaseUnavailable).Title,
                    "The database is unavailable, so the request was not carried out and nothing was changed. Retry later; /healthz says why.");
                return true;
            case AuditUnavailableException:
                // Fail closed: without its audit entry a request gets no data and changes nothing.
                LogAuditUnavailable(logger, httpContext.Request.Method, httpContext.Request.Path);
                await ProblemResults.Write(httpContext, 503, ErrorCodes.AuditUnavailable, "Audit log unavailable",
                    "The request could not be recorded in the audit log, so it was not carried out. Retry later.");
                return true;
            default:
                LogUnhandled(logger, exception.GetType().FullName ?? "?", httpContext.Request.Method, httpContext.Request.Path);
                await RecordFailureAsync(httpContext);
                await ProblemResults.Write(httpContext, 500, ErrorCodes.Internal, ErrorCatalogue.Describe(ErrorCodes.Internal).Title, "The server failed; nothing was changed. The trace id identifies the failure in the server log.");
                return true;
        }
    }

    /// <summary>A failure is audited like a refusal (outcome failed), so a request that broke the server is still
    /// found in the log; if even that fails, the 500 is answered all the same and the log line says so.</summary>
    private async Task RecordFailureAsync(HttpContext context)
    {
        try
        {
            await AuditEndpointConventions.RecordRefusalAsync(context, ErrorCodes.Internal, 500, Core.Audit.AuditOutcome.Failed);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogAuditUnavailable(logger, context.Request.Method, context.Request.Path);
        }
    }

    private static Task WriteBadRequest(HttpContext context, BadHttpRequestException bad)
    {
        if (bad.StatusCode is StatusCodes.Status413PayloadTooLarge or StatusCodes.Status415UnsupportedMediaType
            && ProblemResults.FrameworkRefusal(bad.StatusCode, context.Request.Method) is { } refusal)
        {
            return ProblemResults.RefuseAsync(context, bad.StatusCode, refusal.Code, refusal.Title, refusal.Detail);
        }

        if (bad.InnerException is JsonException json)
        {
            var field = FieldFromPath(json.Path);
            var errors = new ValidationErrors();
            if (json.Message.Contains("could not be mapped", StringComparison.Ordinal))
            {
                errors.Add(field, "unknown-member", $"{field} is not a member of this request.");
                return ProblemResults.RefuseAsync(context, 400, ErrorCodes.UnknownMember, "Unknown member", $"{field} is not a member of this request.", errors);
            }

            errors.Add(field, "json", $"{(field.Length == 0 ? "The body" : field)} is not valid JSON of the expected type.");
            return ProblemResults.RefuseAsync(context, 400, ErrorCodes.MalformedJson, "Malformed JSON", "The body is not valid JSON of the expected shape.", errors);
        }

        return ProblemResults.RefuseAsync(context, 400, ErrorCodes.MalformedJson, ErrorCatalogue.Describe(ErrorCodes.MalformedJson).Title, "The request body is missing or not valid JSON.");
    }

    /// <summary>"$.person.ssn" → "person.ssn"; "$.charges[0].counts" → "charges[0].counts".</summary>
    private static string FieldFromPath(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');

    [LoggerMessage(EventId = 2, Level = LogLevel.Critical, Message = "Refused {Method} {Path}: its audit entry could not be committed")]
    private static partial void LogAuditUnavailable(ILogger logger, string method, string path);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "Refused {Method} {Path}: the database is unavailable ({ExceptionType})")]
    private static partial void LogDatabaseUnavailable(ILogger logger, string method, string path, string exceptionType);

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Unhandled {ExceptionType} on {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, string exceptionType, string method, string path);
}
