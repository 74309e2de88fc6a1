using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace OpenPars.Core.Agreements;

/// <summary>
/// An agreement's instants must say their offset (<c>2026-01-01T00:00:00-05:00</c> or <c>…Z</c>): an expiry read
/// in the server's local zone would move by hours depending on where it runs. The issue: "instants with offset".
/// </summary>
public sealed partial class InstantWithOffsetConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException("An instant must be a string.");
        }

        var text = reader.GetString() ?? "";
        if (!InstantPattern().IsMatch(text)
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant))
        {
            throw new JsonException("An instant must be ISO 8601 with seconds and an offset, e.g. 2026-01-01T00:00:00-05:00.");
        }

        return instant;
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture));

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?(Z|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex InstantPattern();
}
