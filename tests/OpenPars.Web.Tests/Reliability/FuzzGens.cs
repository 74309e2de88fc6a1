using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;

namespace OpenPars.Web.Tests.Reliability;

/// <summary>What hostile input is made of: CsCheck generators of strings, numbers, dates, cursors and ETags a
/// client could send, weighted towards the edges (NUL, lone surrogates, confusables, right-to-left marks, the
/// largest and smallest numbers, impossible and extreme dates).</summary>
public static class FuzzGens
{
    /// <summary>Strings chosen for what they break: empty, blank, huge, control characters, invalid UTF-16,
    /// look-alikes, bidirectional overrides, injection and traversal shapes, literals of other JSON types.</summary>
    public static readonly string[] EdgeStrings =
    [
        "", " ", "   \t  ", "\0", "a\0b", "\u0007", "\r\n", "line\nbreak", "\uD800", "\uDC00x", "x\uD83D", "\uFFFE", "\uFEFFOkafor",
        "Оkafor" /* Cyrillic O */, "Okafor\u200B", "\u202Erofako", "\u200F24", "e\u0301\u0301\u0301", "𝕏😀👩‍👩‍👧", "İı", "ß", "ǅ", "Ⅻ",
        "١٢٣", "٢١٩-٠٩-٩٩٩٩", "２４", "'; DROP TABLE arrests;--", "\" OR 1=1 --", "%00", "%", "%zz", "../../etc/passwd", "..\\..\\boot.ini",
        "<script>alert(1)</script>", "${jndi:ldap://x}", "{{7*7}}", "null", "true", "[]", "{}", "NaN", "-0", "1e309", "0x10",
        "Bearer", "opk_", "*", "?", "#", "&", "=", ";", ",", "/", "\\", "\"", "'", "`",
        new string('x', 10_000), new string('9', 400), string.Concat(Enumerable.Repeat("é", 5_000)), string.Concat(Enumerable.Repeat("\uD83D\uDE00", 300)),
    ];

    /// <summary>Numbers at and past every boundary a .NET or SQL type has, written as JSON or query text.</summary>
    public static readonly string[] EdgeNumbers =
    [
        "0", "-1", "1", "2", "7", "200", "201", "999", "1000", "3650", "3651", "2147483647", "2147483648", "-2147483648", "-2147483649",
        "9223372036854775807", "9223372036854775808", "-9223372036854775809", "18446744073709551616", "1e308", "1e400", "-1e400", "5e-324",
        "0.5", "10.005", "2500.00", "79228162514264337593543950336", "1.0", "01", "-0", "1E2", "100000000000000000000000000000000000000",
    ];

    /// <summary>Dates and instants: valid, impossible, at the ends of the calendar, with odd offsets, across DST.</summary>
    public static readonly string[] EdgeDates =
    [
        "2026-11-23", "2026-11-24", "1991-05-17", "0001-01-01", "9999-12-31", "2024-02-29", "2026-02-29", "2026-13-01", "2026-00-10", "0000-00-00",
        "20261123", "-2026-01-01", "+002026-01-01", "2026-11-23T14:00:00Z", "2026-11-23T14:00:00+14:00", "2026-11-23T14:00:00-12:00",
        "2026-11-23T14:00:00", "2026-11-23 14:00", "2026-11-23T24:00:00Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.9999999Z",
        "9999-12-31T23:59:59.9999999-14:00", "0001-01-01T00:00:00+14:00", "2026-03-08T02:30:00-05:00", "1969-12-31T23:59:59Z", "2026-11",
        "tomorrow", "1733000000",
    ];

    /// <summary>Cursors a client could forge: empty, not base64, base64 of noise, of JSON, of a negative offset, huge.</summary>
    public static readonly string[] ForgedCursors =
    [
        "", "not-a-cursor!", "AAAA", "====", "_-_-", Base64("{}"), Base64("{\"k\":\"x\",\"id\":-1}"), Base64("null"), Base64("[1,2]"),
        Base64("2026-11-23T14:00:00Z|26-0000001"), Base64("9999-12-31T23:59:59Z|" + new string('9', 50)), Base64("\0\0\0\0"),
        Convert.ToBase64String(new byte[64]), Base64(new string('A', 3000)), "eyJ", "%2F%2F", Base64("-1"), Base64("1e400|x"),
    ];

    /// <summary>If-Match values: current-looking, stale, weak, wildcard, empty, lists, numbers past every width, junk.</summary>
    public static readonly string[] ForgedETags =
    [
        "\"1\"", "\"2\"", "\"0\"", "\"-1\"", "W/\"1\"", "*", "\"\"", "\"99999999999999999999\"", "\"2147483648\"", "1", "\"1\", \"2\"", "\"abc\"", "\"1", "\" 1\"", "garbage",
    ];

    /// <summary>Content types, right and wrong.</summary>
    public static readonly string?[] ContentTypes =
    [
        "application/json", "application/json", "application/json", "application/json; charset=utf-8", null, "text/plain",
        "application/problem+json", "application/x-www-form-urlencoded", "application/json; charset=utf-16", "multipart/form-data; boundary=x", "application/xml",
    ];

    /// <summary>Whole bodies that are not the expected object: malformed, other JSON types, deep nesting, huge.</summary>
    public static readonly string[] JunkBodies =
    [
        "", " ", "{", "}", "{\"a\":", "[1,2,3]", "null", "0", "\"text\"", "true", "{}", "[]", "{\"\":null}", "{\"a\":1,}", "{'a':1}",
        "{\"a\":NaN}", "{\"a\":Infinity}", "/* c */ {}", "{\"a\":\"\\uD800\"}", "{\"a\":\"\\u0000\"}", new string('[', 5_000) + new string(']', 5_000),
        "{\"a\":" + new string('[', 70) + new string(']', 70) + "}", "\uFEFF{}", "{\"a\":1} trailing", "{\"__proto__\":{\"admin\":true}}",
    ];

    public static Gen<string> HostileString { get; } = Gen.Frequency(
        (6, Gen.OneOf(EdgeStrings)),
        (2, Gen.String[0, 40]),
        (2, Gen.Char["\0\u0001\u001F\u007F\u0085\u00A0\u200B\u200E\u200F\u202A\u202E\u2028\u2029\uD800\uDBFF\uDC00\uDFFFaZ09-_./ éıОо"].Array[0, 30].Select(c => new string(c))));

    public static Gen<string> NumberText { get; } = Gen.Frequency((5, Gen.OneOf(EdgeNumbers)), (1, Gen.Long.Select(l => l.ToString(System.Globalization.CultureInfo.InvariantCulture))));

    public static Gen<string> DateText { get; } = Gen.OneOf(EdgeDates);

    /// <summary>Any query or path text: mostly the edges, sometimes a plausible value.</summary>
    public static Gen<string> AnyText { get; } = Gen.Frequency((5, HostileString), (2, NumberText), (2, DateText), (1, Gen.OneOf(ForgedCursors)));

    /// <summary>A JSON value of any type, hostile in its content.</summary>
    public static Gen<JsonNode?> AnyJson { get; } = Gen.Frequency(
        (3, HostileString.Select(s => (JsonNode?)JsonValue.Create(s))),
        (2, NumberText.Select(Number)),
        (1, DateText.Select(d => (JsonNode?)JsonValue.Create(d))),
        (1, Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b))),
        (2, Gen.Const<JsonNode?>(() => null)),
        (1, Gen.Const<JsonNode?>(() => new JsonArray())),
        (1, Gen.Const<JsonNode?>(() => new JsonObject())),
        (1, Gen.Const<JsonNode?>(() => new JsonArray((JsonNode?)null))),
        (1, HostileString.Select(s => (JsonNode?)new JsonArray(JsonValue.Create(s)))));

    /// <summary>A number as JSON, kept as written (1e400 stays 1e400); text that is no JSON number stays a string.</summary>
    public static JsonNode? Number(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Number ? JsonValue.Create(document.RootElement.Clone()) : JsonValue.Create(text);
        }
        catch (JsonException)
        {
            return JsonValue.Create(text);
        }
    }

    /// <summary>Header text a client can put on the wire (printable ASCII: anything else Kestrel refuses before the app).</summary>
    public static string AsHeaderText(string value)
    {
        var builder = new StringBuilder(Math.Min(value.Length, 2_000));
        foreach (var c in value.Take(2_000))
        {
            builder.Append(c is >= ' ' and <= '~' ? c : '?');
        }

        return builder.ToString().Trim();
    }

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
