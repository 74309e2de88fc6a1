using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using OpenPars.Core.Common;

namespace OpenPars.Web.Problems;

/// <summary>
/// Refuses a request whose query (names or values) or JSON body (member names or string values) holds a control
/// character (<see cref="ControlCharacters"/>), before any endpoint runs: 400 <c>PARS-REQ-006</c> naming each field
/// with the rule <c>no-control-characters</c>, audited like any refusal, nothing changed. One guard for every route,
/// so no search, filter, statement or audit index can carry a NUL to PostgreSQL (whose text type refuses it with a
/// server error) or an escape sequence to a reader's screen. JSON free text keeps tab, line feed and carriage return.
/// Runs after authentication and authorization: an anonymous caller learns nothing about a route's fields.
/// </summary>
public static class ControlCharacterGuard
{
    /// <summary>Adds the guard to the pipeline (after <c>UseAuthorization</c>, so the refusal is audited with its caller).</summary>
    public static IApplicationBuilder UseControlCharacterGuard(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var errors = new ValidationErrors();
        foreach (var (name, values) in context.Request.Query)
        {
            if (ControlCharacters.AnyRefused(name, freeText: false) || values.Any(v => v is not null && ControlCharacters.AnyRefused(v, freeText: false)))
            {
                errors.Add(name, ControlCharacters.Rule, ControlCharacters.Message(name));
            }
        }

        if (errors.IsEmpty && IsJson(context.Request) && context.Request.ContentLength is not 0)
        {
            // Buffered so the endpoint reads the same bytes; the body limit (Kestrel's) still applies while reading.
            context.Request.EnableBuffering();
            var body = await ReadAllAsync(context.Request.Body, context.RequestAborted);
            context.Request.Body.Position = 0;
            ControlCharacters.FindInJson(body, errors);
        }

        if (!errors.IsEmpty)
        {
            throw errors.ToException();
        }

        await next(context);
    });

    private static bool IsJson(HttpRequest request) =>
        request.ContentType is { } type && (type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) ||
                                            (type.Contains("+json", StringComparison.OrdinalIgnoreCase) && type.StartsWith("application/", StringComparison.OrdinalIgnoreCase)));

    private static async Task<byte[]> ReadAllAsync(Stream body, CancellationToken ct)
    {
        using var copy = new MemoryStream();
        await body.CopyToAsync(copy, ct);
        return copy.ToArray();
    }
}
