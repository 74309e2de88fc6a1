using OpenPars.Core.Arrests;
using OpenPars.Core.Arrests.Reference;

namespace OpenPars.Core.Agreements;

/// <summary>
/// Which arrests an agreement lets a partner see at all, as data: storage translates it into the SQL WHERE,
/// and <see cref="Policy.RowScopeRules.InScope(ArrestRecord, RowScope, DateTimeOffset)"/> is the reference
/// meaning that translation must match. Each member narrows; all of them must hold.
/// A member that is absent (null) does not narrow. An empty list matches nothing (fail closed), and
/// validation refuses it so a document never says "[]" meaning "any".
/// </summary>
public sealed record RowScope
{
    /// <summary>The age, at booking, below which a person is a minor.</summary>
    public const int AdultAge = 18;

    /// <summary>The arrest's status is one of these.</summary>
    public List<ArrestStatus>? Statuses { get; init; }

    /// <summary>At least one charge has one of these grades (e.g. F1, F2, F3 = felonies only). A charge without a grade counts as Ungraded.</summary>
    public List<OffenseGrade>? ChargeGrades { get; init; }

    /// <summary>At least one charge's statute is in one of these categories (from the statutes file).</summary>
    public List<string>? OffenseCategories { get; init; }

    /// <summary>The arrest was booked in one of these police districts.</summary>
    public List<string>? Districts { get; init; }

    /// <summary>Booked at or after <c>now − N × 24 h</c>; see <see cref="BookedSince"/>.</summary>
    public int? BookedWithinDays { get; init; }

    /// <summary>Only people aged 18 or more at booking (by their date of birth, UTC booking date).
    /// On by default; a person without a date of birth is then out of scope.</summary>
    public bool AdultsOnly { get; init; } = true;

    /// <summary>The earliest booking instant in scope at <paramref name="now"/>, or null when unbounded.
    /// Storage uses this exact instant as the SQL bound so both sides agree to the second.</summary>
    public DateTimeOffset? BookedSince(DateTimeOffset now) =>
        BookedWithinDays is { } days ? now.ToUniversalTime().AddDays(-days) : null;
}
