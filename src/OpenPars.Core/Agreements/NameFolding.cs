using System.Text;

namespace OpenPars.Core.Agreements;

/// <summary>Compares names the way a person would: <c>place_of_birth</c>, <c>Place-Of-Birth</c> and
/// <c>placeOfBirth</c> are one name. Letters and digits only, upper-cased invariantly.</summary>
internal static class NameFolding
{
    public static string Fold(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            if (char.IsLetterOrDigit(c))
            {
                builder.Append(char.ToUpperInvariant(c));
            }
        }

        return builder.ToString();
    }
}
