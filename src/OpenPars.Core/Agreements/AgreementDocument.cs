namespace OpenPars.Core.Agreements;

/// <summary>
/// One version of a data-sharing agreement, exactly as its JSON document says (camelCase, see
/// <see cref="AgreementJson"/> and docs/agreements/agreement.schema.json). A renewal is a new version of the
/// same <see cref="AgreementId"/>. The document is data: what it may say is checked by
/// <see cref="AgreementValidator"/>, and nothing in it can grant what <see cref="DisclosableFields"/> says is
/// never grantable or make a prohibited criterion searchable.
/// </summary>
public sealed record AgreementDocument
{
    public const string DefaultTimeZone = "America/New_York";

    /// <summary>Stable id shared by every version, e.g. <c>ice-2026</c>.</summary>
    public required string AgreementId { get; init; }

    /// <summary>1 for the first proposal, one more per renewal or amendment.</summary>
    public required int Version { get; init; }

    /// <summary>The partner agency's code; only its users are served under this agreement.</summary>
    public required string PartnerAgency { get; init; }

    public required string Title { get; init; }

    /// <summary>Purposes a request may state (kebab-case), e.g. <c>criminal-investigation</c>.</summary>
    public required List<string> Purposes { get; init; }

    public required List<PartnerOperation> Operations { get; init; }

    /// <summary>Field grants: catalogue name → mask. A field not listed is withheld.</summary>
    public required Dictionary<string, FieldMask> Fields { get; init; }

    public RowScope RowScope { get; init; } = new();

    /// <summary>Search criteria names a partner may use (see <see cref="SearchCriteria"/>).</summary>
    public required List<string> AllowedCriteria { get; init; }

    public required AgreementQuotas Quotas { get; init; }

    public bool ReasonRequired { get; init; } = true;

    public bool CaseNumberRequired { get; init; } = true;

    /// <summary>Terms a stated reason may not contain (case-insensitive), e.g. "sweep".</summary>
    public List<string> BlockedReasonTerms { get; init; } = [];

    /// <summary>Oversight alert kinds (<see cref="Oversight.AlertKinds.Name"/>, e.g. <c>disparity</c>, <c>arrest-number-run</c>)
    /// on which the agreement is suspended automatically, as a privacy officer would, the moment the alert is raised;
    /// only the consent quorum resumes it. Absent or empty: alerts never suspend.</summary>
    public List<string>? AutoSuspendOn { get; init; }

    /// <summary>An instant with an offset; access starts here (once the consent quorum is reached).</summary>
    public required DateTimeOffset EffectiveAt { get; init; }

    /// <summary>An instant with an offset; access ends here, to the second, unless a renewal took over.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>IANA zone for calendar days (quotas) and for the times printed on notices.</summary>
    public string TimeZone { get; init; } = DefaultTimeZone;

    /// <summary>Not the agreement's to decide: the charter's quorum governs every vote. A document may leave it out
    /// (preferred) or state exactly the charter's; any other quorum is refused (PARS-CHR-001) and, in a history that
    /// skipped governance, ignored.</summary>
    public QuorumRule? Quorum { get; init; }

    /// <summary>The grants in catalogue order, as the decision hands them to storage. Fails closed on a document
    /// that skipped validation: a name outside the catalogue (so every never-grantable name) or a mask the
    /// field does not allow is withheld, never shown.</summary>
    public IReadOnlyList<FieldGrant> Grants() =>
    [
        .. DisclosableFields.All
            .Where(f => Fields.TryGetValue(f.Name, out var mask) && f.Allows(mask))
            .Select(f => new FieldGrant(f.Name, Fields[f.Name])),
    ];
}
