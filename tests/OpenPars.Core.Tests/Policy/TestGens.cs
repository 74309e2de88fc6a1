using System.Globalization;
using CsCheck;

namespace OpenPars.Core.Tests.Policy;

/// <summary>Generators of the raw values the masks are applied to, shared by the mask and projection properties.</summary>
public static class TestGens
{
    // Name pieces in several scripts, with combining marks, letters outside the BMP (one without case, one with),
    // punctuation, digits and spaces, so that the initial mask meets what real names hold.
    private static readonly string[] NamePieces =
        ["J", "o", "hn", "ł", "Ł", "É", "E\u0301", "Ольга", "محمد", "张", "𝒜", "𐐨", "ǆ", "ß", "'", "-", " ", ".", " \u0301", "3"];

    /// <summary>Zero to four pieces: empty, letterless, leading punctuation, mixed scripts.</summary>
    public static readonly Gen<string> Name = Gen.Int[0, NamePieces.Length - 1].Array[0, 4].Select(p => string.Concat(p.Select(i => NamePieces[i])));

    private static readonly string[] SsnShapes =
        ["123-45-6789", "123456789", " 219 09 9999 ", "6789", "789", "", "abc-de-fghi", "١٢٣-٤٥-٦٧٨٩", "12-34", "9-8-7-6-5", "12a34b56c78d9"];

    /// <summary>Well-formed, unformatted, too short, letters, non-ASCII digits, random well-formed, or none.</summary>
    public static readonly Gen<string?> Ssn =
        Gen.Select(Gen.Int[0, SsnShapes.Length + 1], Gen.Int[0, 999_999_999]).Select((shape, digits) => shape switch
        {
            _ when shape < SsnShapes.Length => SsnShapes[shape],
            _ when shape == SsnShapes.Length => digits.ToString("000-00-0000", CultureInfo.InvariantCulture),
            _ => null,
        });
}
