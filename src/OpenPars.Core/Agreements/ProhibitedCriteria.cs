namespace OpenPars.Core.Agreements;

/// <summary>
/// Search criteria a partner may never use, whatever an agreement says: the ways the 2018 PARS partner could
/// profile by national origin, race, ethnicity, language or religion. The list can only grow: a deployment's
/// configured names are unioned with <see cref="BuiltIn"/>, and there is no way to remove a built-in name.
/// Names compare folded (<see cref="NameFolding"/>): without case, punctuation or spacing, after NFKD and with
/// look-alike letters of other scripts read as the Latin letter they imitate, so <c>place_of_birth</c>,
/// <c>placeOfBırth</c> (dotless ı) and <c>ｐｌａｃｅＯｆＢｉｒｔｈ</c> (fullwidth) are all <c>placeOfBirth</c>, with or
/// without a <c>person.</c> prefix.
/// </summary>
public sealed class ProhibitedCriteria
{
    private static readonly string[] BuiltInNames =
    [
        "placeOfBirth", "countryOfBirth", "birthplace", "birthCountry", "cityOfBirth", "countryOfOrigin",
        "nationalOrigin", "nationality", "race", "ethnicity", "language", "primaryLanguage", "religion",
    ];

    private readonly HashSet<string> _folded;

    private ProhibitedCriteria(IEnumerable<string> names)
    {
        Names = [.. names.Distinct(StringComparer.OrdinalIgnoreCase)];
        _folded = [.. Names.Select(NameFolding.Fold)];
    }

    /// <summary>The built-in list; every instance contains it.</summary>
    public static ProhibitedCriteria BuiltIn { get; } = new(BuiltInNames);

    /// <summary>Every prohibited name, built-in first.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The built-in list plus a deployment's configured names. Blank names are ignored.</summary>
    public static ProhibitedCriteria WithConfigured(IEnumerable<string>? configured) =>
        new(BuiltInNames.Concat((configured ?? []).Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => n.Trim())));

    public bool IsProhibited(string? criterion) => Match(criterion) is not null;

    /// <summary>The canonical name a criterion matched, safe to print (never the user's spelling).</summary>
    public string CanonicalName(string criterion) => Match(criterion) ?? "a prohibited criterion";

    /// <summary>The listed name a criterion folds to, trying it as written and without a <c>person.</c> prefix.</summary>
    private string? Match(string? criterion)
    {
        if (string.IsNullOrWhiteSpace(criterion))
        {
            return null;
        }

        var folded = NameFolding.Fold(criterion);
        const string Person = "person";
        if (!_folded.Contains(folded) && folded.StartsWith(Person, StringComparison.Ordinal))
        {
            folded = folded[Person.Length..];
        }

        return _folded.Contains(folded) ? Names.First(n => NameFolding.Fold(n) == folded) : null;
    }
}
