using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;
using OpenPars.Core.Agencies;
using OpenPars.Core.Arrests;
using OpenPars.Core.Arrests.Reference;
using OpenPars.Core.Common;

namespace OpenPars.Core.Agreements;

/// <summary>
/// Reads and writes agreement documents (and agreement events) strictly: camelCase members, unknown or
/// duplicate members refused, required members required, nulls only where the type allows them, enums by
/// name only, instants only with an offset. The published schema is docs/agreements/agreement.schema.json.
/// </summary>
public static class AgreementJson
{
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>Parses a document or throws <see cref="ErrorCodes.MalformedJson"/> naming the JSON path (never a value).
    /// Parsing does not validate: call <see cref="AgreementValidator.Validate"/> next.</summary>
    public static AgreementDocument Parse(string json)
    {
        // A document from a person (a request body, a file given to the CLI) holds no control character in any
        // member or value: checked here as well as at the HTTP door, so both ways in refuse it alike.
        var errors = new ValidationErrors();
        ControlCharacters.FindInJson(System.Text.Encoding.UTF8.GetBytes(json), errors);
        if (!errors.IsEmpty)
        {
            throw errors.ToException();
        }

        if (TryParse(json, out var document, out var error))
        {
            return document;
        }

        throw new DomainException(ErrorCodes.MalformedJson, error);
    }

    public static bool TryParse(string json, [NotNullWhen(true)] out AgreementDocument? document, [NotNullWhen(false)] out string? error)
    {
        try
        {
            document = JsonSerializer.Deserialize<AgreementDocument>(json, Options);
            error = document is null ? "The agreement document is null." : null;
            return document is not null;
        }
        catch (JsonException e)
        {
            document = null;

            // The exception's own message may quote input; only its path is safe to repeat.
            error = $"The agreement document is not valid JSON for the agreement format (at {e.Path ?? "$"}).";
            return false;
        }
    }

    public static string Serialize(AgreementDocument document) => JsonSerializer.Serialize(document, Options);

    /// <summary>The wire name of a mask: full, last4, year, initial.</summary>
    public static string MaskName(FieldMask mask) => JsonNamingPolicy.CamelCase.ConvertName(mask.ToString());

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            AllowDuplicateProperties = false,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            NumberHandling = JsonNumberHandling.Strict,
            WriteIndented = true,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        options.Converters.Add(new JsonStringEnumConverter<PartnerOperation>(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.Converters.Add(new JsonStringEnumConverter<FieldMask>(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.Converters.Add(new JsonStringEnumConverter<VoteKind>(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.Converters.Add(new JsonStringEnumConverter<AgreementStatus>(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.Converters.Add(new JsonStringEnumConverter<AgencyKind>(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false));
        options.Converters.Add(new JsonStringEnumConverter<ArrestStatus>(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false));
        options.Converters.Add(new JsonStringEnumConverter<OffenseGrade>(namingPolicy: null, allowIntegerValues: false));
        options.Converters.Add(new InstantWithOffsetConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
