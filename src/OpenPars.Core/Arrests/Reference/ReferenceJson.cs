using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace OpenPars.Core.Arrests.Reference;

// The file formats (documented in data/README.md). Every member is nullable so that a missing one
// is reported by the validator with the entry and the rule, not by a generic serializer message.

internal sealed class StatuteFileDto
{
    public string? Jurisdiction { get; set; }
    public string? Name { get; set; }
    public List<string>? Grades { get; set; }
    public List<JsonElement>? Statutes { get; set; }
}

internal sealed class StatuteEntryDto
{
    public string? Citation { get; set; }
    public string? Title { get; set; }
    public string? Grade { get; set; }
    public string? Category { get; set; }
    public bool? HasVictim { get; set; }
    public int? DemoWeight { get; set; }
}

internal sealed class DistrictFileDto
{
    public string? Jurisdiction { get; set; }
    public string? Name { get; set; }
    public List<JsonElement>? Districts { get; set; }
}

internal sealed class DistrictEntryDto
{
    public string? Code { get; set; }
    public string? Name { get; set; }
    public string? Division { get; set; }
    public int? DemoWeight { get; set; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(StatuteFileDto))]
[JsonSerializable(typeof(StatuteEntryDto))]
[JsonSerializable(typeof(DistrictFileDto))]
[JsonSerializable(typeof(DistrictEntryDto))]
internal sealed partial class ReferenceJsonContext : JsonSerializerContext;

/// <summary>Shared strict reading: parse, reject unknown members by name, deserialize with the entry named on failure.</summary>
internal static class ReferenceJson
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { AllowDuplicateProperties = false };

    public static JsonDocument Parse(Stream json, string origin)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException ex)
        {
            throw new ReferenceDataException(origin, null, $"not valid JSON (line {(ex.LineNumber ?? 0) + 1}): {ex.Message}", ex);
        }
    }

    /// <summary>Strictness: every member of <paramref name="element"/> must be one of <paramref name="allowed"/> (exact spelling).</summary>
    public static void CheckMembers(JsonElement element, string[] allowed, string origin, string? entry)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new ReferenceDataException(origin, entry, $"must be a JSON object, not {element.ValueKind}");
        }

        foreach (var property in element.EnumerateObject())
        {
            if (Array.IndexOf(allowed, property.Name) < 0)
            {
                throw new ReferenceDataException(
                    origin, entry, $"unknown member \"{property.Name}\" (allowed: {string.Join(", ", allowed)})");
            }
        }
    }

    public static T Deserialize<T>(JsonElement element, JsonTypeInfo<T> typeInfo, string origin, string? entry)
        where T : class
    {
        try
        {
            return element.Deserialize(typeInfo)
                ?? throw new ReferenceDataException(origin, entry, "must be a JSON object, not null");
        }
        catch (JsonException ex)
        {
            var member = ex.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : ex.Path ?? "value";
            throw new ReferenceDataException(origin, entry, $"\"{member}\" has the wrong JSON type or is malformed ({ex.Message})", ex);
        }
    }

    /// <summary>Labels an array entry for messages: <c>statutes[3] "18 § 2701(a)(1)"</c>, or just the index if it has no usable key.</summary>
    public static string Label(string array, int index, JsonElement element, string keyMember)
    {
        var label = $"{array}[{index}]";
        return element.ValueKind == JsonValueKind.Object
            && element.TryGetProperty(keyMember, out var key)
            && key.ValueKind == JsonValueKind.String
            && !string.IsNullOrWhiteSpace(key.GetString())
                ? $"{label} \"{key.GetString()!.Trim()}\""
                : label;
    }

    public static Stream OpenEmbedded(string logicalName) =>
        typeof(ReferenceJson).Assembly.GetManifestResourceStream(logicalName)
            ?? throw new ReferenceDataException(logicalName, null, "embedded reference data resource is missing from OpenPars.Core");

    public static Stream OpenFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        try
        {
            return File.OpenRead(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ReferenceDataException(path, null, $"cannot be read: {ex.Message}", ex);
        }
    }
}
