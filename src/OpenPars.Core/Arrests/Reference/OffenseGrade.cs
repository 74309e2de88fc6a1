namespace OpenPars.Core.Arrests.Reference;

/// <summary>
/// Grade of an offense under 18 Pa.C.S. § 106: felonies and misdemeanors of the first to third
/// degree, summary offenses, and <see cref="Ungraded"/> for offenses whose grade depends on the
/// facts (amount, priors, the underlying offense) or that the statute leaves without a degree
/// (murder of the first and second degree, the Controlled Substance Act, DUI).
/// </summary>
public enum OffenseGrade
{
    F1,
    F2,
    F3,
    M1,
    M2,
    M3,
    S,
    Ungraded,
}

public static class OffenseGrades
{
    /// <summary>The codes as they appear in reference files, in enum order.</summary>
    public static IReadOnlyList<string> Codes { get; } = ["F1", "F2", "F3", "M1", "M2", "M3", "S", "ungraded"];

    /// <summary>Parses a code ("F1" … "S", "ungraded"), ignoring case and surrounding whitespace.</summary>
    public static bool TryParse(string s, out OffenseGrade g)
    {
        g = default;
        if (s is null)
        {
            return false;
        }

        var code = s.Trim();
        for (var i = 0; i < Codes.Count; i++)
        {
            if (string.Equals(Codes[i], code, StringComparison.OrdinalIgnoreCase))
            {
                g = (OffenseGrade)i;
                return true;
            }
        }

        return false;
    }

    public static string ToCode(OffenseGrade g) =>
        (int)g >= 0 && (int)g < Codes.Count
            ? Codes[(int)g]
            : throw new ArgumentOutOfRangeException(nameof(g), g, "Not a defined offense grade.");

    public static bool IsFelony(OffenseGrade g) => g is OffenseGrade.F1 or OffenseGrade.F2 or OffenseGrade.F3;

    public static bool IsMisdemeanor(OffenseGrade g) => g is OffenseGrade.M1 or OffenseGrade.M2 or OffenseGrade.M3;
}
