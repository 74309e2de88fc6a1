using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace OpenPars.Core.Arrests.Reference;

/// <summary>
/// A city's police districts, loaded from a district file (data/districts/*.json, format in
/// data/README.md). The default is the embedded Philadelphia file. Immutable once loaded.
/// </summary>
public sealed class DistrictCatalog
{
    /// <summary>Logical name of the embedded Philadelphia file (see OpenPars.Core.csproj).</summary>
    public const string DefaultResourceName = "OpenPars.ReferenceData.districts.philadelphia.json";

    private static readonly string[] FileMembers = ["jurisdiction", "name", "districts"];
    private static readonly string[] EntryMembers = ["code", "name", "division", "demoWeight"];
    private static readonly Lazy<DistrictCatalog> Default = new(() =>
    {
        using var stream = ReferenceJson.OpenEmbedded(DefaultResourceName);
        return Load(stream, DefaultResourceName);
    });

    private readonly Dictionary<string, District> _byCode;

    private DistrictCatalog(string jurisdiction, List<District> districts)
    {
        Jurisdiction = jurisdiction;
        All = districts.AsReadOnly();
        _byCode = districts.ToDictionary(d => d.Code, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Jurisdiction the file declares, e.g. "Philadelphia, PA".</summary>
    public string Jurisdiction { get; }

    /// <summary>Every district, in file order.</summary>
    public IReadOnlyList<District> All { get; }

    /// <summary>The embedded Philadelphia catalog (loaded once, shared).</summary>
    public static DistrictCatalog LoadDefault() => Default.Value;

    /// <summary>Loads and validates a district file; throws <see cref="ReferenceDataException"/> naming the entry and the rule.</summary>
    public static DistrictCatalog Load(Stream json) => Load(json, "district file");

    public static DistrictCatalog LoadFile(string path)
    {
        using var stream = ReferenceJson.OpenFile(path);
        return Load(stream, path);
    }

    internal static DistrictCatalog Load(Stream json, string origin)
    {
        using var document = ReferenceJson.Parse(json, origin);
        var root = document.RootElement;
        ReferenceJson.CheckMembers(root, FileMembers, origin, null);
        var file = ReferenceJson.Deserialize(root, ReferenceJsonContext.Default.DistrictFileDto, origin, null);

        if (string.IsNullOrWhiteSpace(file.Jurisdiction))
        {
            throw new ReferenceDataException(origin, null, "\"jurisdiction\" is required");
        }

        if (file.Districts is not { Count: > 0 })
        {
            throw new ReferenceDataException(origin, null, "\"districts\" is required and must hold at least one entry");
        }

        var districts = new List<District>(file.Districts.Count);
        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < file.Districts.Count; i++)
        {
            var element = file.Districts[i];
            var entry = ReferenceJson.Label("districts", i, element, "code");
            ReferenceJson.CheckMembers(element, EntryMembers, origin, entry);
            var dto = ReferenceJson.Deserialize(element, ReferenceJsonContext.Default.DistrictEntryDto, origin, entry);
            var district = Validate(dto, origin, entry);
            if (seen.TryGetValue(district.Code, out var first))
            {
                throw new ReferenceDataException(origin, entry, $"duplicate code (same as districts[{first}] once normalized)");
            }

            seen.Add(district.Code, i);
            districts.Add(district);
        }

        return new DistrictCatalog(file.Jurisdiction.Trim(), districts);
    }

    /// <summary>Finds a district by code; numeric codes match with or without leading zeros ("1", "01", "001").</summary>
    public bool TryFind(string code, [NotNullWhen(true)] out District? district)
    {
        district = null;
        return !string.IsNullOrWhiteSpace(code) && _byCode.TryGetValue(NormalizeCode(code), out district);
    }

    /// <summary>Canonical code: numeric codes as at least two digits ("1" → "01"); other codes trimmed.</summary>
    public static string NormalizeCode(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        var trimmed = code.Trim();
        if (trimmed.Length == 0 || !trimmed.All(char.IsAsciiDigit))
        {
            return trimmed;
        }

        return trimmed.TrimStart('0').PadLeft(2, '0');
    }

    private static District Validate(DistrictEntryDto dto, string origin, string entry)
    {
        if (string.IsNullOrWhiteSpace(dto.Code))
        {
            throw new ReferenceDataException(origin, entry, "\"code\" is required");
        }

        if (string.IsNullOrWhiteSpace(dto.Name))
        {
            throw new ReferenceDataException(origin, entry, "\"name\" is required");
        }

        if (string.IsNullOrWhiteSpace(dto.Division))
        {
            throw new ReferenceDataException(origin, entry, "\"division\" is required");
        }

        if (dto.DemoWeight is not { } weight)
        {
            throw new ReferenceDataException(origin, entry, "\"demoWeight\" is required");
        }

        if (weight <= 0)
        {
            throw new ReferenceDataException(origin, entry, $"demoWeight must be greater than 0 (was {weight.ToString(CultureInfo.InvariantCulture)})");
        }

        return new District(NormalizeCode(dto.Code), dto.Name.Trim(), dto.Division.Trim(), weight);
    }
}
