using System.Globalization;
using System.Text;
using OpenPars.Core.Agreements;
using OpenPars.Core.Arrests;
using OpenPars.Core.Arrests.Reference;

namespace OpenPars.Core.Tests.Policy;

/// <summary>
/// The partner rules restated by the tests from raw inputs (birth date, booking instant, grades, citations, the
/// values a mask is applied to), written without calling <c>RowScopeRules</c>, <c>RowScope.BookedSince</c> or
/// <c>FieldMasks</c>: a property that compares the product with these catches a bug in the product's own helper,
/// which a property that compared the product with that helper could not.
/// </summary>
public static class PartnerOracle
{
    /// <summary>Agreements README: "18 or older on the UTC date of booking; no date of birth = not adult".</summary>
    public const int AdultAge = 18;

    /// <summary>
    /// Age in whole years on the UTC calendar date of <paramref name="bookedAt"/>, counted the way a person
    /// counts birthdays. A person born on 29 February has the birthday on 28 February in a common year: that is
    /// the rule the product applies today (pinned by a test of its own, and noted in docs/testing.md).
    /// </summary>
    public static int AgeOn(DateOnly birth, DateTimeOffset bookedAt)
    {
        var utc = bookedAt.UtcDateTime;
        var (month, day) = (birth.Month, birth.Day);
        if (month == 2 && day == 29 && !DateTime.IsLeapYear(utc.Year))
        {
            day = 28;
        }

        var birthdayNotYetReached = utc.Month < month || (utc.Month == month && utc.Day < day);
        return utc.Year - birth.Year - (birthdayNotYetReached ? 1 : 0);
    }

    public static bool IsAdult(DateOnly? birth, DateTimeOffset bookedAt) => birth is { } b && AgeOn(b, bookedAt) >= AdultAge;

    /// <summary>Every member of the scope narrows; <paramref name="categoryOf"/> is the test's own citation → category map.</summary>
    public static bool InScope(ArrestRecord arrest, RowScope scope, DateTimeOffset now, IReadOnlyDictionary<string, string> categoryOf)
    {
        var grades = arrest.Charges.Select(c => c.Grade ?? OffenseGrade.Ungraded).ToList();
        var categories = arrest.Charges.Select(c => categoryOf.GetValueOrDefault(c.Citation)).OfType<string>().ToList();
        return (scope.Statuses is null || scope.Statuses.Contains(arrest.Status))
            && (scope.ChargeGrades is null || grades.Exists(scope.ChargeGrades.Contains))
            && (scope.OffenseCategories is null || categories.Exists(c => scope.OffenseCategories.Exists(s => string.Equals(s, c, StringComparison.OrdinalIgnoreCase))))
            && (scope.Districts is null || scope.Districts.Contains(arrest.District))
            && (scope.BookedWithinDays is not { } days || arrest.BookedAt.UtcTicks >= now.UtcTicks - (days * TimeSpan.TicksPerDay))
            && (!scope.AdultsOnly || IsAdult(arrest.Person.DateOfBirth, arrest.BookedAt));
    }

    /// <summary>"***-**-" and the last four ASCII digits of the input, read from its end; null with fewer than four.</summary>
    public static string? Last4Of(string? ssn)
    {
        if (ssn is null)
        {
            return null;
        }

        var lastFour = new StringBuilder();
        for (var i = ssn.Length - 1; i >= 0 && lastFour.Length < 4; i--)
        {
            if (ssn[i] is >= '0' and <= '9')
            {
                lastFour.Insert(0, ssn[i]);
            }
        }

        return lastFour.Length == 4 ? "***-**-" + lastFour : null;
    }

    /// <summary>The date of birth reduced to its year: four ASCII digits.</summary>
    public static string? YearOf(DateOnly? birth) => birth is { } b ? b.Year.ToString("0000", CultureInfo.InvariantCulture) : null;

    /// <summary>
    /// The initial of a name: its first letter (a code point, so a letter outside the BMP is one), upper-cased,
    /// with the combining marks written right after it, then a dot; null when the name has no letter.
    /// </summary>
    public static string? InitialOf(string? name)
    {
        if (name is null)
        {
            return null;
        }

        var runes = name.EnumerateRunes().ToList();
        var first = runes.FindIndex(Rune.IsLetter);
        if (first < 0)
        {
            return null;
        }

        var initial = new StringBuilder(Rune.ToUpperInvariant(runes[first]).ToString());
        foreach (var mark in runes.Skip(first + 1).TakeWhile(IsCombiningMark))
        {
            initial.Append(mark.ToString());
        }

        return initial.Append('.').ToString();
    }

    /// <summary>True when <paramref name="initial"/> is one letter, its combining marks, and a dot.</summary>
    public static bool IsOneLetter(string initial)
    {
        if (!initial.EndsWith('.'))
        {
            return false;
        }

        var runes = initial[..^1].EnumerateRunes().ToList();
        return runes.Count >= 1 && Rune.IsLetter(runes[0]) && runes.Skip(1).All(IsCombiningMark);
    }

    private static bool IsCombiningMark(Rune rune) =>
        Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark;
}
