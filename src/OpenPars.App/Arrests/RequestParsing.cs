using System.Globalization;
using OpenPars.Core.Common;
using OpenPars.Storage.Arrests;

namespace OpenPars.App.Arrests;

/// <summary>
/// The parsing rules every adapter's text input follows (query strings, form fields, CLI options), so a page, a CLI
/// command and an API call refuse the same input with the same field and rule.
/// </summary>
public static class RequestParsing
{
    public const int DefaultLimit = 50;

    public static int Limit(string? text, ValidationErrors errors, int fallback = DefaultLimit)
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
            errors.Add(field, "instant-format", $"{field} must be an RFC 3339 instant, e.g. 2026-11-23T08:00:00-05:00.");
            return null;
        }

        return instant;
    }

    public static long? WholeNumber(string? text, string field, ValidationErrors errors, bool required)
    {
        if (text is null)
        {
            errors.Require(!required, field, "required", $"{field} is required.");
            return null;
        }

        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            errors.Add(field, "whole-number", $"{field} must be a whole number ≥ 0.");
            return null;
        }

        return value;
    }

    public static string? Text(string? text, string field, ValidationErrors errors, int max = 100)
    {
        if (text is not null && (text.Trim().Length == 0 || text.Length > max))
        {
            errors.Add(field, "text-length", $"{field} must be 1 to {max} characters.");
            return null;
        }

        return text;
    }

    public static void ThrowIfAny(ValidationErrors errors)
    {
        if (!errors.IsEmpty)
        {
            throw errors.ToException();
        }
    }
}
