using System.Text.Json.Serialization;
using OpenPars.Core.Agreements;

namespace OpenPars.Core.Charter;

/// <summary>
/// The charter changes only by appended events, decided by <see cref="CharterGovernance"/>; which charter is in
/// force, since when, and every amendment's fate are computed from them by <see cref="CharterHistory"/>, never
/// stored. The discriminators are stored: never rename them.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(CharterAdopted), "charter-adopted")]
[JsonDerivedType(typeof(CharterAmendmentProposed), "charter-amendment-proposed")]
[JsonDerivedType(typeof(CharterAmendmentVoteCast), "charter-amendment-vote-cast")]
public abstract record CharterEvent
{
    /// <summary>1 for the adoption, then one more per event.</summary>
    public int Sequence { get; init; }

    public DateTimeOffset RecordedAt { get; init; }

    public AgreementActor Actor { get; init; } = new(0, "", "", Agencies.AgencyKind.Partner);
}

/// <summary>The first charter, loaded from the data file on an empty history; in force when recorded.</summary>
public sealed record CharterAdopted : CharterEvent
{
    public CharterDocument Charter { get; init; } = null!;

    /// <summary>Where it came from, e.g. the data file's name.</summary>
    public string Source { get; init; } = "";
}

/// <summary>A stakeholder proposes the next version of the charter (the whole resolved document).</summary>
public sealed record CharterAmendmentProposed : CharterEvent
{
    public CharterDocument Charter { get; init; } = null!;

    public string Statement { get; init; } = "";
}

/// <summary>A stakeholder agency's consent to, or rejection of, the open amendment of <see cref="Version"/>.</summary>
public sealed record CharterAmendmentVoteCast : CharterEvent
{
    public int Version { get; init; }

    public VoteKind Kind { get; init; }

    public string Statement { get; init; } = "";
}
