using System.Globalization;
using System.Text;

namespace OpenPars.Core.Agreements;

/// <summary>
/// Compares names and terms the way a person reads them, so that a spelling cannot slip past a rule:
/// <c>place_of_birth</c>, <c>Place-Of-Birth</c>, <c>placeOfBırth</c> (dotless ı), <c>ｐｌａｃｅＯｆＢｉｒｔｈ</c>
/// (fullwidth) and <c>plасеOfBirth</c> (Cyrillic а, с, е) are one name; <c>foreign--born</c>, <c>foreign born</c>
/// and <c>s-w-e-e-p</c> fold like <c>foreignborn</c> and <c>sweep</c>.
/// The steps, in order:
/// 1. Unicode NFKD: compatibility forms (fullwidth, mathematical letters, ligatures, superscripts) become their
///    plain letters, and accented letters split into base letter + combining mark;
/// 2. combining marks are dropped (<c>é</c> → <c>e</c>);
/// 3. look-alike letters of other scripts become the Latin letter they imitate (<see cref="Confusables"/>);
/// 4. invariant lower case;
/// 5. everything that is not a letter or a digit (punctuation, spaces, separators, zero-width characters) is
///    dropped.
/// The result is a comparison key only: never stored, never shown.
/// </summary>
internal static class NameFolding
{
    public static string Fold(string name)
    {
        var decomposed = name.Normalize(NormalizationForm.FormKD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark)
            {
                continue;
            }

            var latin = char.ToLowerInvariant(Confusables.ToLatin(c));
            if (char.IsLetterOrDigit(latin))
            {
                builder.Append(latin);
            }
        }

        return builder.ToString();
    }

    /// <summary>Whether <paramref name="text"/> contains <paramref name="term"/> once both are folded. A blank term
    /// (or one that folds to nothing, such as "--") is contained nowhere.</summary>
    public static bool ContainsFolded(string text, string term)
    {
        var foldedTerm = Fold(term);
        return foldedTerm.Length > 0 && Fold(text).Contains(foldedTerm, StringComparison.Ordinal);
    }
}
