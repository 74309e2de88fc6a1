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

        if (EntityTagHeaderValue.TryParse(header.Trim(), out var tag) && !tag.IsWeak &&
            int.TryParse(tag.Tag.AsSpan(1, tag.Tag.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            return version;
        }

        throw new DomainException(ErrorCodes.ArrestStale, "If-Match does not name a version of this arrest.");
    }

    /// <summary>A query parameter's value, or null when it was not sent (repeated values are joined by commas).</summary>
    public static string? Query(HttpContext context, string name) =>
        context.Request.Query.TryGetValue(name, out var values) && values.Count > 0 ? values.ToString() : null;

    public static int Limit(string? text, ValidationErrors errors, int fallback = 50)
    {
        if (text is null)
        {
            return fallback;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) || limit < 1 || limit > ArrestQuery.MaxLimit)
        {
            errors.Add("limit", "limit-range", $"limit must be a whole number from 1 to {ArrestQuery.MaxLimit}.");
            return fallback;
        }

        return limit;
    }

    public static PageCursor? Cursor(string? text, ValidationErrors errors)
    {
        if (text is null)
        {
            return null;
        }

        if (!PageCursor.TryDecode(text, out var cursor))
        {
            errors.Add("cursor", "cursor-format", "cursor must be a nextCursor value from an earlier page.");
        }

        return cursor;
    }

    public static DateOnly? Date(string? text, string field, ValidationErrors errors)
    {
        if (text is null)
        {
            return null;
        }

        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            errors.Add(field, "date-format", $"{field} must be a date written yyyy-MM-dd.");
            return null;
        }

        return date;
    }

    public static DateTimeOffset? Instant(string? text, string field, ValidationErrors errors)
    {
        if (text is null)
        {
            return null;
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant))
        {
            errors.Add(field, "instant-format", $"{field} must be an ISO 8601 instant, e.g. 2026-11-23T08:00:00-05:00.");
            return null;
        }

        return instant;
    }

    public static void ThrowIfAny(ValidationErrors errors)
    {
        if (!errors.IsEmpty)
        {
            throw errors.ToException();
        }
    }
}
