namespace OpenPars.Core.Arrests.Reference;

/// <summary>
/// A reference data file (statutes, districts) broke a rule. The message names the file, the
/// entry (index and citation or code) and the rule, e.g.
/// <c>pa.json: statutes[12] "18 § 2701(a)(1)": grade "X1" is not one of F1, F2, …</c>.
/// </summary>
public sealed class ReferenceDataException : Exception
{
    public ReferenceDataException()
    {
    }

    public ReferenceDataException(string message)
        : base(message)
    {
    }

    public ReferenceDataException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ReferenceDataException(string origin, string? entry, string rule, Exception? innerException = null)
        : base(Format(origin, entry, rule), innerException)
    {
        Origin = origin;
        Entry = entry;
        Rule = rule;
    }

    /// <summary>The file or resource that was being read.</summary>
    public string? Origin { get; }

    /// <summary>The entry at fault, e.g. <c>statutes[12] "18 § 2701(a)(1)"</c>; null for the file as a whole.</summary>
    public string? Entry { get; }

    /// <summary>The rule that was broken, e.g. <c>demoWeight must be greater than 0</c>.</summary>
    public string? Rule { get; }

    private static string Format(string origin, string? entry, string rule) =>
        entry is null ? $"{origin}: {rule}" : $"{origin}: {entry}: {rule}";
}
