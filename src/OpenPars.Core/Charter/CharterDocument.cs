using OpenPars.Core.Agencies;
using OpenPars.Core.Agreements;

namespace OpenPars.Core.Charter;

/// <summary>
/// The jurisdiction's rules above every agreement, exactly as its JSON says (data/charters/*.json, format in
/// data/README.md): who the stakeholders are, how many of them it takes to enter, renew, resume or end an
/// agreement, the longest term, the safeguards every agreement keeps, and the fields and purposes that are never
/// shared with a kind of partner. An agreement is checked against it by <see cref="CharterFit"/>; it changes only
/// by an amendment every stakeholder consented to (<see cref="CharterGovernance"/>).
/// A parsed charter is resolved: the rules of the packs it includes are in <see cref="PartnerRules"/>, each with
/// its <see cref="PartnerRule.Pack"/>, so the rules in force never change with the program's copy of a pack.
/// </summary>
public sealed record CharterDocument
{
    /// <summary>Stable id shared by every version, e.g. <c>philadelphia</c>.</summary>
    public required string CharterId { get; init; }

    /// <summary>1 for the charter adopted from the data file, one more per amendment.</summary>
    public required int Version { get; init; }

    public required string Jurisdiction { get; init; }

    public required string Title { get; init; }

    /// <summary>Exactly one police, one district-attorney and one courts agency: the agencies that govern.</summary>
    public required List<CharterStakeholder> Stakeholders { get; init; }

    public required CharterQuorum Quorum { get; init; }

    public required CharterTerm LongestTerm { get; init; }

    public required CharterSafeguards Safeguards { get; init; }

    /// <summary>The kinds a partner agency may be declared as; the partner rules name them.</summary>
    public List<PartnerKindDefinition> PartnerKinds { get; init; } = [];

    /// <summary>Rule packs included by name (data/charters/packs/&lt;name&gt;.json). Parsing a file adds their
    /// rules to <see cref="PartnerRules"/>.</summary>
    public List<string> Packs { get; init; } = [];

    /// <summary>Fields and purposes never shared with a kind of partner, each citing its authority.</summary>
    public List<PartnerRule> PartnerRules { get; init; } = [];

    /// <summary>The stakeholder for an agency kind, or null (a partner kind, or a kind the charter lacks).</summary>
    public CharterStakeholder? StakeholderOf(AgencyKind kind) => Stakeholders.FirstOrDefault(s => s.Kind == kind);

    /// <summary>Whether an agency (code and kind) is one of this charter's stakeholders.</summary>
    public bool IsStakeholder(string agencyCode, AgencyKind kind) =>
        kind != AgencyKind.Partner && StakeholderOf(kind) is { } stakeholder && string.Equals(stakeholder.Agency, agencyCode, StringComparison.Ordinal);

    /// <summary>The partner rules that bind a partner of <paramref name="partnerKind"/>. A partner whose kind is not
    /// declared, or not one this charter defines, is held to every partner rule (fail closed).</summary>
    public IEnumerable<PartnerRule> RulesFor(string? partnerKind) =>
        partnerKind is not null && PartnerKinds.Any(k => string.Equals(k.Code, partnerKind, StringComparison.Ordinal))
            ? PartnerRules.Where(r => r.PartnerKinds.Contains(partnerKind, StringComparer.Ordinal))
            : PartnerRules;
}

/// <summary>One governing agency: its code (as in the agencies table), its kind, its name.</summary>
public sealed record CharterStakeholder
{
    public required string Agency { get; init; }

    public required AgencyKind Kind { get; init; }

    public required string Name { get; init; }
}

/// <summary>How many stakeholder agencies it takes. The charter decides these, never the agreement document.</summary>
public sealed record CharterQuorum
{
    /// <summary>Consents for a first version to enter into force.</summary>
    public required int ConsentsToEnter { get; init; }

    /// <summary>Consents for a renewal (a version after one that entered into force) to enter into force.</summary>
    public required int ConsentsToRenew { get; init; }

    /// <summary>Consents to resume a suspended agreement.</summary>
    public required int ConsentsToResume { get; init; }

    /// <summary>Standing withdrawals that end an agreement.</summary>
    public required int WithdrawalsToEnd { get; init; }
}

/// <summary>The longest an agreement may run, from its effectiveAt to its expiresAt, in calendar months.</summary>
public sealed record CharterTerm
{
    public required int Months { get; init; }

    /// <summary>Why, for people (e.g. the PARS practice of renewing every 31 August).</summary>
    public string? Note { get; init; }
}

/// <summary>What every agreement must keep, whatever its partner.</summary>
public sealed record CharterSafeguards
{
    public required bool ReasonRequired { get; init; }

    public required bool CaseNumberRequired { get; init; }

    public required bool AdultsOnly { get; init; }

    /// <summary>The shortest stated reason a partner request may carry (the deployment may ask for more).</summary>
    public required int MinReasonLength { get; init; }

    /// <summary>Fields no agreement grants, whatever its partner (on top of the never-grantable catalogue).</summary>
    public List<string> NeverShared { get; init; } = [];

    /// <summary>Field → the only masks an agreement may grant it with (e.g. <c>person.ssn</c>: <c>last4</c>).</summary>
    public Dictionary<string, List<FieldMask>> MaskLimits { get; init; } = [];
}

/// <summary>A kind of partner agency, e.g. <c>immigration-enforcement</c>.</summary>
public sealed record PartnerKindDefinition
{
    public required string Code { get; init; }

    public required string Title { get; init; }
}

/// <summary>
/// Fields and purposes never shared with the partners of the listed kinds, with the authority the rule comes from.
/// A field matches by its catalogue name (or a name under it); a purpose matches when it contains a listed term
/// once both are folded (case, punctuation, spacing and look-alike letters do not matter).
/// </summary>
public sealed record PartnerRule
{
    /// <summary>Stable kebab-case id, e.g. <c>ca-sb54-no-home-address</c>; refusals name it.</summary>
    public required string Id { get; init; }

    public required string Title { get; init; }

    public required List<string> PartnerKinds { get; init; }

    public List<string> NeverFields { get; init; } = [];

    public List<string> NeverPurposes { get; init; } = [];

    /// <summary>The statute or instrument the rule cites, e.g. <c>Cal. Gov. Code § 7284.6(a)(1)(D)</c>.</summary>
    public required string Citation { get; init; }

    /// <summary>The pack the rule came from; null for the charter's own rules.</summary>
    public string? Pack { get; init; }
}
