using OpenPars.Core.Agreements;
using OpenPars.Core.Arrests;
using OpenPars.Core.Arrests.Reference;

namespace OpenPars.Core.Policy;

/// <summary>
/// The reference meaning of a <see cref="RowScope"/>: the SQL storage generates must select exactly the arrests
/// for which this returns true (a storage test compares them). Every member narrows; all must hold.
/// </summary>
public static class RowScopeRules
{
    /// <summary>In scope, with offense categories unresolvable: a scope that names categories then matches
    /// nothing (fail closed). Use the overload with the statutes file when the scope has categories.</summary>
    public static bool InScope(ArrestRecord record, RowScope scope, DateTimeOffset now) =>
        InScope(record, scope, now, static _ => null);

    public static bool InScope(ArrestRecord record, RowScope scope, DateTimeOffset now, StatuteCatalog statutes) =>
        InScope(record, scope, now, citation => statutes.TryFind(citation, out var statute) ? statute.Category : null);

    /// <param name="record">The arrest judged.</param>
    /// <param name="scope">The agreement's row scope.</param>
    /// <param name="now">The instant of the request (ages and look-back windows are judged at it).</param>
    /// <param name="categoryOf">The offense category of a statute citation, or null when unknown.</param>
    public static bool InScope(ArrestRecord record, RowScope scope, DateTimeOffset now, Func<string, string?> categoryOf)
    {
        if (scope.Statuses is { } statuses && !statuses.Contains(record.Status))
        {
            return false;
        }

        if (scope.ChargeGrades is { } grades && !record.Charges.Any(c => grades.Contains(c.Grade ?? OffenseGrade.Ungraded)))
        {
            return false;
        }

        if (scope.OffenseCategories is { } categories
            && !record.Charges.Any(c => categoryOf(c.Citation) is { } category && categories.Contains(category, StringComparer.OrdinalIgnoreCase)))
        {
            return false;
        }

        if (scope.Districts is { } districts && !districts.Contains(record.District, StringComparer.Ordinal))
        {
            return false;
        }

        if (scope.BookedSince(now) is { } since && record.BookedAt < since)
        {
            return false;
        }

        return !scope.AdultsOnly || IsAdultAtBooking(record);
    }

    /// <summary>Aged <see cref="RowScope.AdultAge"/> or more on the (UTC) booking date; unknown age is not adult.</summary>
    public static bool IsAdultAtBooking(ArrestRecord record) =>
        record.Person.DateOfBirth is { } dob
        && dob.AddYears(RowScope.AdultAge) <= DateOnly.FromDateTime(record.BookedAt.UtcDateTime);
}
