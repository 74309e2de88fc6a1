using System.Text.Json.Serialization;

namespace OpenPars.Core.Agreements;

/// <summary>
/// An agreement changes only by appended events; its status is computed from them and the clock by
/// <see cref="AgreementStatusCalculator"/>, never stored. The discriminators are stored: never rename them.
/// Every event is decided by <see cref="AgreementGovernance"/>, which is where its rules live.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(AgreementDrafted), "agreement-drafted")]
[JsonDerivedType(typeof(AgreementProposed), "agreement-proposed")]
[JsonDerivedType(typeof(AgreementVoteCast), "agreement-vote-cast")]
[JsonDerivedType(typeof(AgreementSuspended), "agreement-suspended")]
public abstract record AgreementEvent
{
    public string AgreementId { get; init; } = "";

    /// <summary>1 for the first draft, then one more per event.</summary>
    public int Sequence { get; init; }

    public DateTimeOffset RecordedAt { get; init; }

    public AgreementActor Actor { get; init; } = new(0, "", "", Agencies.AgencyKind.Partner);
}

/// <summary>A version's document, written or rewritten while it is a draft.</summary>
public sealed record AgreementDrafted : AgreementEvent
{
    public AgreementDocument Document { get; init; } = null!;
}

/// <summary>The draft of <see cref="Version"/> is frozen and put to the stakeholders' vote.</summary>
public sealed record AgreementProposed : AgreementEvent
{
    public int Version { get; init; }
}

public enum VoteKind
{
    Consent,
    Reject,
    Withdraw,
}

/// <summary>
/// A stakeholder's vote on a version: voter (<see cref="AgreementEvent.Actor"/>), agency, time and statement.
/// A consent or reject with <see cref="ResumesSuspension"/> set answers that suspension (resume or not);
/// without it, it answers whether the version enters into force. A withdrawal takes effect at
/// <see cref="NoticeEffectiveAt"/> if stated, else at once.
/// </summary>
public sealed record AgreementVoteCast : AgreementEvent
{
    public int Version { get; init; }
    public VoteKind Kind { get; init; }
    public string Statement { get; init; } = "";
    public DateTimeOffset? NoticeEffectiveAt { get; init; }

    /// <summary>The <see cref="AgreementEvent.Sequence"/> of the suspension this vote answers, if any.</summary>
    public int? ResumesSuspension { get; init; }

    /// <summary>When a withdrawal counts: its stated notice instant, never earlier than when it was cast.</summary>
    [JsonIgnore]
    public DateTimeOffset WithdrawalEffectiveAt =>
        NoticeEffectiveAt is { } notice && notice > RecordedAt ? notice : RecordedAt;
}

/// <summary>A privacy officer suspends the agreement pending review; it resumes by a consent quorum.</summary>
public sealed record AgreementSuspended : AgreementEvent
{
    public string Statement { get; init; } = "";
}
