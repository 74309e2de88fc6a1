using System.Text.Json;
using System.Text.Json.Serialization;
using OpenPars.Core.Arrests.Reference;

namespace OpenPars.Core.Common;

/// <summary>
/// The one JSON dialect of OpenPARS, on the wire and in stored event payloads: camelCase members,
/// kebab-case enum values (<c>awaiting-charging</c>), grades as written in statutes (<c>F1</c>), and unknown
/// members refused, so a misspelt field is an error instead of silently ignored.
/// </summary>
public static class OpenParsJson
{
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.Converters.Add(new OffenseGradeJsonConverter());
        options.Converters.Add(new Rfc3339UtcJsonConverter());
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false));
        return options;
    }
}

/// <summary>The one instant format on the wire and in stored events: RFC 3339 in UTC with <c>Z</c>
/// (<c>2026-11-23T16:00:00Z</c>, fractions only when present). Read: any RFC 3339 instant with an offset.</summary>
public sealed class Rfc3339UtcJsonConverter : JsonConverter<DateTimeOffset>
{
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'";

    public static string ToText(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString(Format, System.Globalization.CultureInfo.InvariantCulture);

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetDateTimeOffset();

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(ToText(value));
}

public sealed class OffenseGradeJsonConverter : JsonConverter<OffenseGrade>
{
    public override OffenseGrade Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return OffenseGrades.TryParse(text ?? "", out var grade)
            ? grade
            : throw new JsonException("A grade is one of F1, F2, F3, M1, M2, M3, S or ungraded.");
    }

    public override void Write(Utf8JsonWriter writer, OffenseGrade value, JsonSerializerOptions options) =>
        writer.WriteStringValue(OffenseGrades.ToCode(value));
}
