using System.Globalization;
using System.Text;

namespace OpenPars.Core.Oversight;

/// <summary>
/// Folds a name for comparison: compatibility-decomposed, accents removed, lower case, letters and digits only,
/// and the Cyrillic and Greek letters that look like Latin ones mapped to them. "García", "GARCIA", "Gar-cia"
/// and "Gаrcia" (Cyrillic а) are the same surname to a detector: varying how a name is typed must not dodge
/// one.
/// </summary>
public static class TextFolding
{
    private static readonly Dictionary<char, char> LookAlikes = new()
    {
        ['а'] = 'a', ['в'] = 'b', ['е'] = 'e', ['ё'] = 'e', ['к'] = 'k', ['м'] = 'm', ['н'] = 'h', ['о'] = 'o', ['р'] = 'p',
        ['с'] = 'c', ['т'] = 't', ['у'] = 'y', ['х'] = 'x', ['і'] = 'i', ['ј'] = 'j', ['ѕ'] = 's', ['ԁ'] = 'd', ['ԛ'] = 'q', ['ԝ'] = 'w',
        ['α'] = 'a', ['β'] = 'b', ['ε'] = 'e', ['η'] = 'n', ['ι'] = 'i', ['κ'] = 'k', ['ν'] = 'v', ['ο'] = 'o', ['ρ'] = 'p',
        ['τ'] = 't', ['υ'] = 'u', ['χ'] = 'x', ['ζ'] = 'z',
    };

    public static string Fold(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "";
        }

        var builder = new StringBuilder(text.Length);
        foreach (var c in text.Normalize(NormalizationForm.FormKD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark || !char.IsLetterOrDigit(c))
            {
                continue;
            }

            var lower = char.ToLowerInvariant(c);
            builder.Append(LookAlikes.TryGetValue(lower, out var latin) ? latin : lower);
        }

        return builder.ToString();
    }
}
