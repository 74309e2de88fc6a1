using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using OpenPars.Core.Arrests;
using OpenPars.Core.Common;
using OpenPars.Storage.Arrests;

namespace OpenPars.Web.Endpoints;

/// <summary>Small shared rules of our HTTP surface: ETags, query parameters, paging.</summary>
public static class HttpConventions
{
    public static string ETagFor(int version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    public static void SetETag(HttpContext context, ArrestRecord record) =>
        context.Response.Headers.ETag = ETagFor(record.Version);

    /// <summary>Reads If-Match: a single strong ETag we issued. Missing → 428; anything else unparsable → 412.</summary>
    public static int RequireIfMatch(HttpContext context)
    {
        string? header = context.Request.Headers.IfMatch;
        if (string.IsNullOrWhiteSpace(header))
        {
            throw new DomainException(ErrorCodes.PreconditionRequired, "Send If-Match with the ETag of the version you corrected.");
        }

        // `If-Match: *` ("any version") would skip the very check a correction needs: it must name one version.
        if (EntityTagHeaderValue.TryParse(header.Trim(), out var any) && any == EntityTagHeaderValue.Any)
        {
            throw new DomainException(ErrorCodes.PreconditionRequired, "If-Match: * names no version; send the ETag of the version you corrected.");
        }

        if (EntityTagHeaderValue.TryParse(header.Trim(), out var tag) && !tag.IsWeak && tag.Tag.Length > 2 &&
            int.TryParse(tag.Tag.AsSpan(1, tag.Tag.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            return version;
        }

        throw new DomainException(ErrorCodes.ArrestStale, "If-Match does not name a version of this arrest.");
    }

    /// <summary>A query parameter's value, or null when it was not sent (repeated values are joined by commas).</summary>
    public static string? Query(HttpContext context, string name) =>
        context.Request.Query.TryGetValue(name, out var values) && values.Count > 0 ? values.ToString() : null;

    /// <summary>Refuses a query parameter of a retired vocabulary with a 400 naming the name that replaced it.</summary>
    public static void RefuseRenamed(HttpContext context, IReadOnlyDictionary<string, string> renamed)
    {
        var errors = new ValidationErrors();
        foreach (var (old, current) in renamed)
        {
            if (context.Request.Query.ContainsKey(old))
            {
                errors.Add(old, "renamed-parameter", $"{old} is not a search parameter; use {current}.");
            }
        }

        ThrowIfAny(errors);
    }

    public static void ThrowIfAny(ValidationErrors errors)
    {
        if (!errors.IsEmpty)
        {
            throw errors.ToException();
        }
    }
}
