using System.Text.Json;
using OpenPars.Core.Agreements;
using OpenPars.Core.Common;

namespace OpenPars.Core.Charter;

/// <summary>One rule pack as its file says (data/charters/packs/&lt;name&gt;.json): rules modelled on one law.</summary>
public sealed record CharterPack
{
    /// <summary>The pack's name, the same as its file name, e.g. <c>california-sb54</c>.</summary>
    public required string Pack { get; init; }

    public required string Title { get; init; }

    public required string Jurisdiction { get; init; }

    /// <summary>Where the rules' text was read (statute, session law).</summary>
    public required string Source { get; init; }

    public required List<PartnerRule> Rules { get; init; }
}

/// <summary>
/// Reads charter files strictly (like statutes: unknown, duplicate or missing members refused, enums by name,
/// every rule checked) and resolves the packs a charter includes. Every refusal is a <see cref="DomainException"/>:
/// <see cref="CharterErrorCodes.MalformedCharter"/> naming the JSON path (never a value), or
/// <see cref="CharterErrorCodes.InvalidCharter"/> with the broken rules by field.
/// The default charter (Philadelphia) and the packs are embedded in OpenPars.Core
/// (<c>OpenPars.Charters.&lt;name&gt;.json</c>, <c>OpenPars.Charters.packs.&lt;name&gt;.json</c>).
/// </summary>
public static class CharterJson
{
    public const string DefaultResourceName = "OpenPars.Charters.philadelphia.json";
    public const string PackResourcePrefix = "OpenPars.Charters.packs.";

    private static readonly Lazy<CharterDocument> Default = new(() => Parse(ReadEmbedded(DefaultResourceName)
        ?? throw new InvalidOperationException($"The embedded charter {DefaultResourceName} is missing from OpenPars.Core.")));

    /// <summary>The same strict options as agreements (camelCase, kebab-case agency kinds, masks by name).</summary>
    public static JsonSerializerOptions Options => AgreementJson.Options;

    /// <summary>The embedded Philadelphia charter, loaded once.</summary>
    public static CharterDocument LoadDefault() => Default.Value;

    /// <summary>A charter file; its packs come from a <c>packs/</c> folder beside it, else from the embedded packs.</summary>
    public static CharterDocument LoadFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        return Parse(File.ReadAllText(path), name =>
        {
            var beside = Path.Combine(folder, "packs", name + ".json");
            return IsPackName(name) && File.Exists(beside) ? File.ReadAllText(beside) : EmbeddedPack(name);
        });
    }

    /// <summary>The embedded pack of that name, or null.</summary>
    public static string? EmbeddedPack(string name) => IsPackName(name) ? ReadEmbedded(PackResourcePrefix + name + ".json") : null;

    /// <summary>
    /// Parses a charter as written by people (a data file, or an amendment's text): strict JSON, then its packs
    /// added to the partner rules (each rule tagged with its pack), then every rule of the format checked.
    /// <paramref name="packSource"/> gives a pack's JSON by name (default: the embedded packs).
    /// </summary>
    public static CharterDocument Parse(string json, Func<string, string?>? packSource = null)
    {
        var errors = new ValidationErrors();

        // Written by people: no control character in any member or value (the HTTP door checks the same).
        ControlCharacters.FindInJson(System.Text.Encoding.UTF8.GetBytes(json), errors);
        if (!errors.IsEmpty)
        {
            throw errors.ToException();
        }

        var written = Deserialize<CharterDocument>(json, "charter");
        var rules = new List<PartnerRule>();
        for (var i = 0; i < (written.PartnerRules?.Count ?? 0); i++)
        {
            var rule = written.PartnerRules![i];
            errors.Require(rule?.Pack is null, $"partnerRules[{i}].pack", "pack-rule-inline",
                "A pack's rules come from the pack file: list the pack in packs instead.");
            rules.Add(rule!);
        }

        var packs = written.Packs ?? [];
        for (var i = 0; i < packs.Count; i++)
        {
            var text = packs[i] is { } name ? (packSource ?? EmbeddedPack)(name) : null;
            if (text is null)
            {
                errors.Add($"packs[{i}]", "unknown-pack", "packs lists a pack that does not exist (data/charters/packs/<name>.json).");
                continue;
            }

            var pack = Deserialize<CharterPack>(text, $"pack {packs[i]}");
            errors.Require(pack.Pack == packs[i], $"packs[{i}]", "pack-name", "A pack file's pack member must be its name.");
            rules.AddRange(pack.Rules.Select(r => r with { Pack = packs[i] }));
        }

        var resolved = written with { PartnerRules = rules, Packs = [.. packs] };
        if (errors.IsEmpty)
        {
            CharterValidator.Validate(resolved, errors);
        }

        if (!errors.IsEmpty)
        {
            throw new DomainException(CharterErrorCodes.InvalidCharter, "The charter document has invalid fields.", errors);
        }

        return resolved;
    }

    /// <summary>A resolved charter (as an amendment event stores it): its pack rules are inline, and are kept.</summary>
    public static string Serialize(CharterDocument charter) => JsonSerializer.Serialize(charter, Options);

    private static T Deserialize<T>(string json, string what)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, Options)
                ?? throw new DomainException(CharterErrorCodes.MalformedCharter, $"The {what} document is null.");
        }
        catch (JsonException e)
        {
            // The exception's own message may quote input; only its path is safe to repeat.
            throw new DomainException(CharterErrorCodes.MalformedCharter, $"The {what} document is not valid JSON for the charter format (at {e.Path ?? "$"}).");
        }
    }

    private static bool IsPackName(string name) => CharterValidator.IsKebab(name);

    private static string? ReadEmbedded(string logicalName)
    {
        using var stream = typeof(CharterJson).Assembly.GetManifestResourceStream(logicalName);
        if (stream is null)
        {
            return null;
        }

        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
