using System.Globalization;
using System.Text;

namespace OpenPars.Core.Policy;

/// <summary>
/// The masks an agreement can put on a field. Pure, total (null in, null out) and conservative: when the input
/// is too short to mask as specified, nothing is shown rather than too much.
/// </summary>
public static class FieldMasks
{
    /// <summary>SSN → <c>***-**-1234</c>: the last four digits, whatever the punctuation. Null when there are
    /// fewer than four digits (a partial mask of a malformed value could reveal all of it).</summary>
    public static string? Last4(string? ssn)
    {
        if (ssn is null)
        {
            return null;
        }

        var digits = new StringBuilder(9);
        foreach (var c in ssn)
        {
            if (char.IsAsciiDigit(c))
            {
                digits.Append(c);
            }
        }

        return digits.Length < 4 ? null : "***-**-" + digits.ToString(digits.Length - 4, 4);
    }

    /// <summary>Date of birth → <c>1987</c>.</summary>
    public static string? Year(DateOnly? date) => date?.Year.ToString("D4", CultureInfo.InvariantCulture);

    /// <summary>Name → <c>J.</c>: the first letter (a whole grapheme, so <c>Łukasz</c> → <c>Ł.</c>, <c>Ǆ</c>
    /// and accents stay whole, surrogate pairs are never split), upper-cased invariantly. Leading spaces and
    /// punctuation are skipped (<c>'Abdul</c> → <c>A.</c>). Null when the name has no letter.</summary>
    public static string? Initial(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        var elements = StringInfo.GetTextElementEnumerator(name);
        while (elements.MoveNext())
        {
            var element = elements.GetTextElement();
            if (char.IsLetter(element, 0))
            {
                return element.ToUpperInvariant() + ".";
            }
        }

        return null;
    }
}
