using System.Globalization;
using System.Text.RegularExpressions;

namespace OpenPars.Core.Arrests;

/// <summary>Arrest numbers are assigned by the server: two-digit year, dash, seven-digit sequence (26-0001234).</summary>
public static partial class ArrestNumbers
{
    public static string Format(int year, long sequence) =>
        string.Create(CultureInfo.InvariantCulture, $"{year % 100:D2}-{sequence:D7}");

    public static bool IsWellFormed(string? text) => text is not null && Pattern().IsMatch(text);

    /// <summary>The detail of a "no such arrest" refusal: it names the number only when it is one (an arrest number
    /// is no personal data, but a path segment that is not one may be a name or a birth date a client typed, and an
    /// error never echoes such a value).</summary>
    public static string NotFoundMessage(string text) =>
        text.Length <= 16 && IsWellFormed(text) ? $"No arrest {text}." : "No arrest has this number.";

    [GeneratedRegex(@"^\d{2}-\d{7,}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
