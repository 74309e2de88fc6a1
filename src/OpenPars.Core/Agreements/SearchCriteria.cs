namespace OpenPars.Core.Agreements;

/// <summary>
/// The criteria a partner search can use (query-string names). An agreement allows a subset of them; no list,
/// document or configuration can make a <see cref="ProhibitedCriteria"/> name one of them.
/// </summary>
public static class SearchCriteria
{
    public const string ArrestNumber = "arrestNumber";
    public const string LastName = "lastName";
    public const string FirstName = "firstName";
    public const string DateOfBirth = "dateOfBirth";
    public const string Sid = "sid";
    public const string FbiNumber = "fbiNumber";
    public const string Pid = "pid";
    public const string BookedFrom = "bookedFrom";
    public const string BookedTo = "bookedTo";
    public const string District = "district";
    public const string Statute = "statute";

    public static IReadOnlyList<string> All { get; } =
    [
        ArrestNumber, LastName, FirstName, DateOfBirth, Sid, FbiNumber, Pid, BookedFrom, BookedTo, District, Statute,
    ];

    /// <summary>The catalogue name for a criterion, matched without case (query strings are typed by people).</summary>
    public static bool TryCanonical(string? name, out string canonical)
    {
        canonical = All.FirstOrDefault(c => string.Equals(c, name, StringComparison.OrdinalIgnoreCase)) ?? "";
        return canonical.Length > 0;
    }

    /// <summary>
    /// A partner search must identify a person, never sweep (PARS-AGR-022): an arrest number, or last name and
    /// date of birth together, or a SID or FBI number. Blank values do not count.
    /// </summary>
    public static bool IdentifiesPerson(IReadOnlyDictionary<string, string> criteria)
    {
        bool Has(string name) => criteria.Any(c =>
            string.Equals(c.Key, name, StringComparison.OrdinalIgnoreCase) && !string.IsNullOrWhiteSpace(c.Value));

        return Has(ArrestNumber) || (Has(LastName) && Has(DateOfBirth)) || Has(Sid) || Has(FbiNumber);
    }

    /// <summary>The identifying combinations, for validation: can an agreement's allowed criteria ever pass -022?</summary>
    public static bool CanIdentify(IEnumerable<string> allowed)
    {
        var set = allowed.ToHashSet(StringComparer.OrdinalIgnoreCase);
        return set.Contains(ArrestNumber) || (set.Contains(LastName) && set.Contains(DateOfBirth))
            || set.Contains(Sid) || set.Contains(FbiNumber);
    }
}
