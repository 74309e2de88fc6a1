using System.Diagnostics.CodeAnalysis;

namespace OpenPars.Core.Agreements;

/// <summary>One field a partner may be granted: its stable name (a JSON path of the partner record) and the
/// masks it can be shown with.</summary>
public sealed record DisclosableField(string Name, IReadOnlyList<FieldMask> Masks, bool Sensitive = false)
{
    public bool Allows(FieldMask mask) => Masks.Contains(mask);
}

/// <summary>
/// The catalogue of what an agreement can grant, by stable name, and what it never can. The names are part of
/// the agreement format and of the audit log (<c>disclosedFields</c>): add, never rename.
/// </summary>
public static class DisclosableFields
{
    private static readonly FieldMask[] FullOnly = [FieldMask.Full];
    private static readonly FieldMask[] Name = [FieldMask.Full, FieldMask.Initial];

    public const string ArrestNumber = "arrestNumber";
    public const string BookedAt = "bookedAt";
    public const string District = "district";
    public const string Status = "status";
    public const string LastName = "person.lastName";
    public const string FirstName = "person.firstName";
    public const string MiddleName = "person.middleName";
    public const string Aliases = "person.aliases";
    public const string DateOfBirth = "person.dateOfBirth";
    public const string Sex = "person.sex";
    public const string Ssn = "person.ssn";
    public const string Sid = "person.identifiers.sid";
    public const string FbiNumber = "person.identifiers.fbiNumber";
    public const string Pid = "person.identifiers.pid";
    public const string Address = "person.address";
    public const string Charges = "charges";
    public const string OffenseLocation = "incident.offenseLocation";
    public const string OccurredAt = "incident.occurredAt";
    public const string ChargingOutcome = "charging.outcome";
    public const string DocketNumber = "arraignment.docketNumber";
    public const string NextHearingDate = "arraignment.nextHearingDate";
    public const string NextHearingCourtroom = "arraignment.nextHearingCourtroom";
    public const string BailType = "arraignment.bailType";
    public const string Custody = "arraignment.custody";

    /// <summary>Everything grantable, in the order partner records list it.</summary>
    public static IReadOnlyList<DisclosableField> All { get; } =
    [
        new(ArrestNumber, FullOnly),
        new(BookedAt, FullOnly),
        new(District, FullOnly),
        new(Status, FullOnly),
        new(LastName, Name),
        new(FirstName, Name),
        new(MiddleName, Name),
        new(Aliases, Name),
        new(DateOfBirth, [FieldMask.Full, FieldMask.Year], Sensitive: true),
        new(Sex, FullOnly),
        new(Ssn, [FieldMask.Full, FieldMask.Last4], Sensitive: true),
        new(Sid, FullOnly),
        new(FbiNumber, FullOnly),
        new(Pid, FullOnly),
        new(Address, FullOnly, Sensitive: true),
        new(Charges, FullOnly),
        new(OffenseLocation, FullOnly),
        new(OccurredAt, FullOnly),
        new(ChargingOutcome, FullOnly),
        new(DocketNumber, FullOnly),
        new(NextHearingDate, FullOnly),
        new(NextHearingCourtroom, FullOnly),
        new(BailType, FullOnly),
        new(Custody, FullOnly),
    ];

    /// <summary>
    /// Never grantable to a partner, whatever a document says; validation refuses each with PARS-AGR-050.
    /// - involvedParties: victims and witnesses are never disclosed (the 2009 PARS revision).
    /// - incident.narrative: free text that names victims and witnesses; it cannot be masked reliably.
    /// - person.placeOfBirth, person.race, person.ethnicity: the issue prohibits them as criteria; a partner that
    ///   could read them could filter on them itself, so OpenPARS refuses them as output too (product choice,
    ///   see Agreements/README.md).
    /// - immigration or citizenship status: no such field exists; naming one is refused, not ignored.
    /// </summary>
    public static IReadOnlyList<string> NeverGrantable { get; } =
    [
        "involvedParties",
        "incident.narrative",
        "person.placeOfBirth",
        "person.race",
        "person.ethnicity",
        "person.immigrationStatus",
        "person.citizenship",
    ];

    /// <summary>Words that make any field name never grantable, so that variants (<c>victims</c>,
    /// <c>person.countryOfBirth</c>, <c>citizenshipStatus</c>) are refused as firmly as the listed names.</summary>
    private static readonly string[] NeverGrantableWords =
    [
        "involvedpart", "victim", "witness", "narrative", "placeofbirth", "birthplace", "countryofbirth",
        "birthcountry", "cityofbirth", "origin", "race", "ethnic", "immigra", "citizen", "nationality", "visa",
        "alien", "religion", "language",
    ];

    public static bool TryFind(string? name, [NotNullWhen(true)] out DisclosableField? field)
    {
        field = All.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.Ordinal));
        return field is not null;
    }

    /// <summary>True for the listed names and for any name containing one of the never-grantable words,
    /// compared without case or punctuation. No catalogue name contains one (a test keeps it so).</summary>
    public static bool IsNeverGrantable(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return false;
        }

        var folded = NameFolding.Fold(name);
        return NeverGrantable.Any(n => NameFolding.Fold(n) == folded)
            || NeverGrantableWords.Any(w => folded.Contains(NameFolding.Fold(w), StringComparison.Ordinal));
    }
}
