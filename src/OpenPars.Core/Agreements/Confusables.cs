using System.Collections.Frozen;

namespace OpenPars.Core.Agreements;

/// <summary>
/// Letters of other scripts that look like a Latin letter, mapped to it, for <see cref="NameFolding"/>.
/// Source: the Unicode confusables data of UTS #39 (Unicode Security Mechanisms, confusables.txt), restricted to
/// the single letters that map to one Latin letter: the Cyrillic, Greek and Armenian look-alikes, the Latin
/// letters without a dot or in small-capital form, and the letterlike ℮. No NuGet package that restores here
/// offers the UTS #39 skeleton (ICU wrappers only, alpha or native), so the table is kept small and local.
/// Fullwidth forms, mathematical letters and ligatures need no entry: NFKD already makes them plain letters.
/// Digits are not mapped (<c>sw33p</c> is spelling, not a look-alike; see Agreements/README.md, known limits).
/// </summary>
internal static class Confusables
{
    private static readonly FrozenDictionary<char, char> Map = new Dictionary<char, char>
    {
        // Cyrillic capitals
        ['\u0410'] = 'A', ['\u0412'] = 'B', ['\u0415'] = 'E', ['\u041A'] = 'K', ['\u041C'] = 'M', ['\u041D'] = 'H',
        ['\u041E'] = 'O', ['\u0420'] = 'P', ['\u0421'] = 'C', ['\u0422'] = 'T', ['\u0423'] = 'Y', ['\u0425'] = 'X',
        ['\u0405'] = 'S', ['\u0406'] = 'I', ['\u0408'] = 'J', ['\u04AE'] = 'Y', ['\u04BA'] = 'H', ['\u04C0'] = 'l',
        ['\u051A'] = 'Q', ['\u051C'] = 'W', ['\u0474'] = 'V',

        // Cyrillic small letters
        ['\u0430'] = 'a', ['\u0435'] = 'e', ['\u043E'] = 'o', ['\u0440'] = 'p', ['\u0441'] = 'c', ['\u0443'] = 'y',
        ['\u0445'] = 'x', ['\u0455'] = 's', ['\u0456'] = 'i', ['\u0458'] = 'j', ['\u04AF'] = 'y', ['\u04BB'] = 'h',
        ['\u04CF'] = 'l', ['\u0501'] = 'd', ['\u051B'] = 'q', ['\u051D'] = 'w', ['\u0475'] = 'v', ['\u0433'] = 'r',

        // Greek capitals
        ['\u0391'] = 'A', ['\u0392'] = 'B', ['\u0395'] = 'E', ['\u0396'] = 'Z', ['\u0397'] = 'H', ['\u0399'] = 'I',
        ['\u039A'] = 'K', ['\u039C'] = 'M', ['\u039D'] = 'N', ['\u039F'] = 'O', ['\u03A1'] = 'P', ['\u03A4'] = 'T',
        ['\u03A5'] = 'Y', ['\u03A7'] = 'X',

        // Greek small letters
        ['\u03B1'] = 'a', ['\u03B3'] = 'y', ['\u03B9'] = 'i', ['\u03BA'] = 'k', ['\u03BD'] = 'v', ['\u03BF'] = 'o',
        ['\u03C1'] = 'p', ['\u03C5'] = 'u', ['\u03C7'] = 'x', ['\u03F2'] = 'c', ['\u03F3'] = 'j',

        // Armenian small letters
        ['\u0585'] = 'o', ['\u057D'] = 'u', ['\u0570'] = 'h', ['\u0578'] = 'n', ['\u0581'] = 'g',

        // Latin without a dot, Latin small capitals and other Latin look-alikes
        ['\u0131'] = 'i', ['\u0237'] = 'j', ['\u0251'] = 'a', ['\u0261'] = 'g', ['\u0269'] = 'i', ['\u026A'] = 'i',
        ['\u01C0'] = 'l', ['\u0138'] = 'k',

        // Letterlike symbols that NFKD leaves alone
        ['\u212E'] = 'e',
    }.ToFrozenDictionary();

    /// <summary>The Latin letter <paramref name="c"/> imitates, or <paramref name="c"/> itself.</summary>
    public static char ToLatin(char c) => Map.TryGetValue(c, out var latin) ? latin : c;
}
