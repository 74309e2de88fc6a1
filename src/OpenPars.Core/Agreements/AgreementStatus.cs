namespace OpenPars.Core.Agreements;

/// <summary>
/// Where an agreement stands at an instant: computed by <see cref="AgreementStatusCalculator"/>, never stored.
/// draft → proposed → active → expired | terminated | suspended (→ active again by quorum).
/// </summary>
public enum AgreementStatus
{
    /// <summary>Being written; no vote yet.</summary>
    Draft,

    /// <summary>Put to the vote; either the consent quorum is not reached, or it is and effectiveAt is ahead.</summary>
    Proposed,

    /// <summary>Consent quorum reached, effectiveAt reached, expiresAt not reached, not withdrawn or suspended.</summary>
    Active,

    /// <summary>The effective version's expiresAt is reached and no renewal has taken over.</summary>
    Expired,

    /// <summary>The withdrawal quorum took effect. Final.</summary>
    Terminated,

    /// <summary>Suspended by a privacy officer, until a consent quorum resumes it.</summary>
    Suspended,
}

/// <summary>
/// The computed standing of an agreement at <see cref="At"/>.
/// <see cref="Version"/> and <see cref="Document"/> are the governing version when one has entered into force
/// (active, suspended, expired, terminated), else the latest version (draft, proposed).
/// </summary>
public sealed record AgreementStanding
{
    public string AgreementId { get; init; } = "";
    public AgreementStatus Status { get; init; }
    public DateTimeOffset At { get; init; }
    public int Version { get; init; }
    public AgreementDocument? Document { get; init; }

    /// <summary>When <see cref="Version"/> entered (or will enter) into force: max(effectiveAt, consent quorum); null without quorum.</summary>
    public DateTimeOffset? EffectiveAt { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>The instant access ended: for terminated, when the withdrawal quorum took effect; for expired, the expiry.</summary>
    public DateTimeOffset? CutOffAt { get; init; }

    public DateTimeOffset? SuspendedAt { get; init; }

    /// <summary>True when <see cref="Version"/> has its consent quorum (for proposed: it is only waiting for effectiveAt).</summary>
    public bool ConsentQuorumReached { get; init; }

    /// <summary>For proposed: the rejections already make the consent quorum impossible.</summary>
    public bool ConsentQuorumUnreachable { get; init; }

    /// <summary>The newest version with a document, which may be a renewal still collecting votes.</summary>
    public int LatestVersion { get; init; }

    public static AgreementStanding None(DateTimeOffset at) => new() { Status = AgreementStatus.Draft, At = at };
}
