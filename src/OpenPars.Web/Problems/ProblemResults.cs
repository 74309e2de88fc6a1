using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using OpenPars.Core.Common;
using OpenPars.Web.Audit;

namespace OpenPars.Web.Problems;

/// <summary>
/// RFC 9457 answers. Every one carries a stable <c>code</c> (see <see cref="ErrorCodes"/>); validation answers
/// carry <c>errors</c>: for each field, the rules it broke.
/// </summary>
public static class ProblemResults
{
    public const string ContentType = "application/problem+json";

    /// <summary>The status a code answers with, from the one catalogue (<see cref="ErrorCatalogue"/>).</summary>
    public static int StatusFor(string code) => ErrorCatalogue.StatusFor(code);

    public static ProblemDetails Create(HttpContext context, int status, string code, string title, string detail, ValidationErrors? errors = null)
    {
        var problem = new ProblemDetails
        {
            Type = $"urn:openpars:problem:{code}",
            Title = title,
            Status = status,
            Detail = detail,
            // The occurrence, not the path: a path can carry anything a client typed (a name, a birth date in a
            // segment), and an error must never echo a sensitive value back.
            Instance = $"urn:openpars:request:{context.TraceIdentifier}",
        };
        problem.Extensions["code"] = code;
        problem.Extensions["traceId"] = context.TraceIdentifier;
        if (errors is { IsEmpty: false })
        {
            problem.Extensions["errors"] = errors.ByField().ToDictionary(
                e => e.Key,
                e => e.Value.Select(v => new { rule = v.Rule, message = v.Message }).ToArray());
        }

        return problem;
    }

    /// <summary>A domain refusal as its problem answer: status and title from the catalogue, the message as detail.</summary>
    public static Task RefuseAsync(HttpContext context, DomainException refusal)
    {
        var description = ErrorCatalogue.Describe(refusal.Code);
        return RefuseAsync(context, description.Status, refusal.Code, description.Title, refusal.Message, refusal.Errors);
    }

    /// <summary>Refusals the framework makes itself (no route, wrong method, body too large, not JSON), described
    /// once for the two places they surface: an empty status code and a BadHttpRequestException.</summary>
    public static (string Code, string Title, string Detail)? FrameworkRefusal(int status, string method) => status switch
    {
        404 => (ErrorCodes.NotFound, ErrorCatalogue.Describe(ErrorCodes.NotFound).Title, "There is no such resource."),
        405 => (ErrorCodes.MethodNotAllowed, ErrorCatalogue.Describe(ErrorCodes.MethodNotAllowed).Title, $"{method} is not allowed here."),
        413 => (ErrorCodes.BodyTooLarge, ErrorCatalogue.Describe(ErrorCodes.BodyTooLarge).Title, "The request body is limited to 1 MiB."),
        415 => (ErrorCodes.UnsupportedMediaType, ErrorCatalogue.Describe(ErrorCodes.UnsupportedMediaType).Title, "Send the body as application/json."),
        _ => null,
    };

    /// <summary>A refusal made outside an endpoint: recorded in the request's audit trail first, then answered.</summary>
    public static async Task RefuseAsync(HttpContext context, int status, string code, string title, string detail, ValidationErrors? errors = null)
    {
        await AuditEndpointConventions.RecordRefusalAsync(context, code, status);
        await Write(context, status, code, title, detail, errors);
    }

    public static Task Write(HttpContext context, int status, string code, string title, string detail, ValidationErrors? errors = null)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = ContentType;
        return context.Response.WriteAsync(JsonSerializer.Serialize(Create(context, status, code, title, detail, errors), OpenParsJson.Options));
    }
}
