using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace OpenPars.Core.Arrests.Reference;

/// <summary>
/// The offenses a jurisdiction charges, loaded from a statute file (data/statutes/*.json, format in
/// data/README.md). The default is the embedded Pennsylvania file; another state passes its own
/// file to <see cref="LoadFile"/>. Immutable once loaded, safe to share.
/// </summary>
public sealed partial class StatuteCatalog
{
    /// <summary>Logical name of the embedded Pennsylvania file (see OpenPars.Core.csproj).</summary>
    public const string DefaultResourceName = "OpenPars.ReferenceData.statutes.pa.json";

    private static readonly string[] FileMembers = ["jurisdiction", "name", "grades", "statutes"];
    private static readonly string[] EntryMembers = ["citation", "title", "grade", "category", "hasVictim", "demoWeight"];
    private static readonly Lazy<StatuteCatalog> Default = new(() =>
    {
        using var stream = ReferenceJson.OpenEmbedded(DefaultResourceName);
        return Load(stream, DefaultResourceName);
    });

    private readonly Dictionary<string, Statute> _byCitation;
    private readonly Indexed[] _index;

    private StatuteCatalog(string jurisdiction, string name, List<Statute> statutes)
    {
        Jurisdiction = jurisdiction;
        Name = name;
        All = statutes.AsReadOnly();
        _byCitation = statutes.ToDictionary(s => s.Citation, StringComparer.OrdinalIgnoreCase);
        _index = [.. statutes.Select(s => new Indexed(s, SectionOf(s.Citation), Words(s.Title + " " + s.Category)))];
    }

    /// <summary>Jurisdiction the file declares, e.g. "PA".</summary>
    public string Jurisdiction { get; }

    /// <summary>Human-readable name of the collection; empty if the file has none.</summary>
    public string Name { get; }

    /// <summary>Every statute, in file order.</summary>
    public IReadOnlyList<Statute> All { get; }

    /// <summary>The embedded Pennsylvania catalog (loaded once, shared).</summary>
    public static StatuteCatalog LoadDefault() => Default.Value;

    /// <summary>Loads and validates a statute file; throws <see cref="ReferenceDataException"/> naming the entry and the rule.</summary>
    public static StatuteCatalog Load(Stream json) => Load(json, "statute file");

    public static StatuteCatalog LoadFile(string path)
    {
        using var stream = ReferenceJson.OpenFile(path);
        return Load(stream, path);
    }

    internal static StatuteCatalog Load(Stream json, string origin)
    {
        using var document = ReferenceJson.Parse(json, origin);
        var root = document.RootElement;
        ReferenceJson.CheckMembers(root, FileMembers, origin, null);
        var file = ReferenceJson.Deserialize(root, ReferenceJsonContext.Default.StatuteFileDto, origin, null);

        if (string.IsNullOrWhiteSpace(file.Jurisdiction))
        {
            throw new ReferenceDataException(origin, null, "\"jurisdiction\" is required");
        }

        var declared = DeclaredGrades(file.Grades, origin);

        if (file.Statutes is not { Count: > 0 })
        {
            throw new ReferenceDataException(origin, null, "\"statutes\" is required and must hold at least one entry");
        }

        var statutes = new List<Statute>(file.Statutes.Count);
        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < file.Statutes.Count; i++)
        {
            var element = file.Statutes[i];
            var entry = ReferenceJson.Label("statutes", i, element, "citation");
            ReferenceJson.CheckMembers(element, EntryMembers, origin, entry);
            var dto = ReferenceJson.Deserialize(element, ReferenceJsonContext.Default.StatuteEntryDto, origin, entry);
            var statute = Validate(dto, declared, origin, entry);
            if (seen.TryGetValue(statute.Citation, out var first))
            {
                throw new ReferenceDataException(origin, entry, $"duplicate citation (same as statutes[{first}] once normalized)");
            }

            seen.Add(statute.Citation, i);
            statutes.Add(statute);
        }

        return new StatuteCatalog(file.Jurisdiction.Trim(), file.Name?.Trim() ?? "", statutes);
    }

    /// <summary>
    /// Looks a citation up, tolerant of spacing, case, and of "§", "Sec.", "Section", "s.",
    /// "Pa.C.S." and "P.S." spellings: <c>18 §2701(a)(1)</c>, <c>18 Sec. 2701 (A)(1)</c> and
    /// <c>18 Pa.C.S. § 2701(a)(1)</c> all find <c>18 § 2701(a)(1)</c>.
    /// </summary>
    public bool TryFind(string citation, [NotNullWhen(true)] out Statute? statute)
    {
        statute = null;
        return !string.IsNullOrWhiteSpace(citation) && _byCitation.TryGetValue(Normalize(citation), out statute);
    }

    /// <summary>
    /// Canonical spelling of a citation, used as the lookup key and for storage:
    /// <c>&lt;title&gt; § &lt;section&gt;(subsections)</c> with no other spaces and lower-case
    /// subsection letters, e.g. <c>18 § 2701(a)(1)</c>, <c>35 § 780-113(a)(16)</c>. A citation
    /// that does not look like "title + section mark + section" (another state's style) is only
    /// trimmed with inner whitespace collapsed; lookups still ignore case.
    /// </summary>
    public static string Normalize(string citation)
    {
        ArgumentNullException.ThrowIfNull(citation);
        var match = CitationPattern().Match(citation);
        if (match.Success && (match.Groups["src"].Success || match.Groups["mark"].Success))
        {
            var section = Whitespace().Replace(match.Groups["section"].Value, "").ToLowerInvariant();
            return string.Create(CultureInfo.InvariantCulture, $"{match.Groups["title"].Value} § {section}");
        }

        return Whitespace().Replace(citation.Trim(), " ");
    }

    /// <summary>
    /// Statutes whose citation starts with <paramref name="query"/> (the full citation, or the
    /// section alone such as "2701" or "780-113(a)(3"), in file order; then statutes whose title or
    /// category has a word starting with each word of the query, heaviest <see cref="Statute.DemoWeight"/>
    /// first. Case-insensitive. Null or blank query: the first <paramref name="limit"/> statutes.
    /// </summary>
    public IReadOnlyList<Statute> Search(string? query, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        if (limit == 0)
        {
            return [];
        }

        if (string.IsNullOrWhiteSpace(query))
        {
            return [.. All.Take(limit)];
        }

        var prefix = Normalize(query);
        var compact = Whitespace().Replace(query, "");
        var bySection = compact.Length > 0 && char.IsAsciiDigit(compact[0]);
        var words = Words(query);

        var byCitation = new List<Statute>();
        var byTitle = new List<Statute>();
        foreach (var item in _index)
        {
            if (item.Statute.Citation.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
                || (bySection && item.Section.StartsWith(compact, StringComparison.OrdinalIgnoreCase)))
            {
                byCitation.Add(item.Statute);
            }
            else if (words.Length > 0 && Array.TrueForAll(words, w => Array.Exists(item.Words, t => t.StartsWith(w, StringComparison.OrdinalIgnoreCase))))
            {
                byTitle.Add(item.Statute);
            }
        }

        // OrderByDescending is stable: equal weights keep file order.
        return [.. byCitation.Concat(byTitle.OrderByDescending(s => s.DemoWeight)).Take(limit)];
    }

    private static HashSet<OffenseGrade>? DeclaredGrades(List<string>? grades, string origin)
    {
        if (grades is null)
        {
            return null;
        }

        var declared = new HashSet<OffenseGrade>();
        for (var i = 0; i < grades.Count; i++)
        {
            if (!OffenseGrades.TryParse(grades[i], out var grade))
            {
                throw new ReferenceDataException(origin, $"grades[{i}]", $"grade \"{grades[i]}\" is not one of {string.Join(", ", OffenseGrades.Codes)}");
            }

            if (!declared.Add(grade))
            {
                throw new ReferenceDataException(origin, $"grades[{i}]", $"grade \"{grades[i]}\" is listed twice");
            }
        }

        return declared;
    }

    private static Statute Validate(StatuteEntryDto dto, HashSet<OffenseGrade>? declared, string origin, string entry)
    {
        if (string.IsNullOrWhiteSpace(dto.Citation))
        {
            throw new ReferenceDataException(origin, entry, "\"citation\" is required");
        }

        if (string.IsNullOrWhiteSpace(dto.Title))
        {
            throw new ReferenceDataException(origin, entry, "\"title\" is required");
        }

        if (string.IsNullOrWhiteSpace(dto.Grade))
        {
            throw new ReferenceDataException(origin, entry, "\"grade\" is required");
        }

        if (!OffenseGrades.TryParse(dto.Grade, out var grade))
        {
            throw new ReferenceDataException(origin, entry, $"grade \"{dto.Grade}\" is not one of {string.Join(", ", OffenseGrades.Codes)}");
        }

        if (declared is not null && !declared.Contains(grade))
        {
            throw new ReferenceDataException(origin, entry, $"grade \"{dto.Grade}\" is not in the file's \"grades\" list");
        }

        if (string.IsNullOrWhiteSpace(dto.Category))
        {
            throw new ReferenceDataException(origin, entry, "\"category\" is required");
        }

        if (!CategoryPattern().IsMatch(dto.Category))
        {
            throw new ReferenceDataException(origin, entry, $"category \"{dto.Category}\" must be lower-case words joined by hyphens (e.g. \"sexual-offense\")");
        }

        if (dto.HasVictim is not { } hasVictim)
        {
            throw new ReferenceDataException(origin, entry, "\"hasVictim\" is required (true or false)");
        }

        if (dto.DemoWeight is not { } weight)
        {
            throw new ReferenceDataException(origin, entry, "\"demoWeight\" is required");
        }

        if (weight <= 0)
        {
            throw new ReferenceDataException(origin, entry, $"demoWeight must be greater than 0 (was {weight.ToString(CultureInfo.InvariantCulture)})");
        }

        return new Statute(Normalize(dto.Citation), dto.Title.Trim(), grade, dto.Category, hasVictim, weight);
    }

    private static string SectionOf(string citation)
    {
        var mark = citation.IndexOf("§ ", StringComparison.Ordinal);
        return mark < 0 ? citation : citation[(mark + 2)..];
    }

    private static string[] Words(string text)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                current.Append(c);
            }
            else if (current.Length > 0)
            {
                words.Add(current.ToString());
                current.Clear();
            }
        }

        if (current.Length > 0)
        {
            words.Add(current.ToString());
        }

        return [.. words];
    }

    // "18 § 2701(a)(1)", "18 §§2701", "18 Sec. 2701", "18 Section 2701", "18 s. 2701",
    // "18 Pa.C.S. § 2701", "18 Pa.C.S.A. 2701", "35 P.S. § 780-113(a)(16)".
    [GeneratedRegex(
        @"^\s*(?<title>\d+)\s*(?:(?<src>pa\.?\s*c\.?\s*s\.?(?:\s*a\.?)?|p\.?\s*s\.?)\s*)?(?<mark>§+|sections?\b\.?|secs?\.|sec\b|s\.)?\s*(?<section>\d.*?)\s*$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CitationPattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex("^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex CategoryPattern();

    private sealed record Indexed(Statute Statute, string Section, string[] Words);
}
