namespace OpenPars.Core.Charter;

/// <summary>One stable code of the charter feature, its validation rule name (null when it is not a rule of a
/// field) and a title for people (the transparency page lists them).</summary>
public sealed record CharterCode(string Code, string? Rule, string Title);

/// <summary>
/// Stable codes of the charter feature (PARS-CHR-0xx): never reused or renumbered once released.
/// 00x an agreement that would weaken the charter · 02x the charter document · 03x amendments.
/// </summary>
public static class CharterErrorCodes
{
    // An agreement document against the charter in force (CharterFit): each is also a validation rule name.
    public const string QuorumInDocument = "PARS-CHR-001";
    public const string TermTooLong = "PARS-CHR-002";
    public const string ReasonRequired = "PARS-CHR-003";
    public const string CaseNumberRequired = "PARS-CHR-004";
    public const string AdultsOnly = "PARS-CHR-005";
    public const string NeverShared = "PARS-CHR-006";
    public const string MaskLimit = "PARS-CHR-007";
    public const string FieldForPartnerKind = "PARS-CHR-008";
    public const string PurposeForPartnerKind = "PARS-CHR-009";

    // The charter document itself.
    public const string MalformedCharter = "PARS-CHR-020";
    public const string InvalidCharter = "PARS-CHR-021";
    public const string NoCharter = "PARS-CHR-022";

    // Amendments.
    public const string NotAStakeholder = "PARS-CHR-030";
    public const string DuplicateVote = "PARS-CHR-031";
    public const string NoOpenAmendment = "PARS-CHR-032";
    public const string WrongVersion = "PARS-CHR-033";
    public const string AmendmentOpen = "PARS-CHR-034";
    public const string AlreadyAdopted = "PARS-CHR-035";
    public const string InvalidVote = "PARS-CHR-036";

    /// <summary>The validation rule names of <see cref="CharterFit"/>.</summary>
    public static class Rules
    {
        public const string Quorum = "charter-quorum";
        public const string LongestTerm = "charter-longest-term";
        public const string ReasonRequired = "charter-reason-required";
        public const string CaseNumberRequired = "charter-case-number-required";
        public const string AdultsOnly = "charter-adults-only";
        public const string NeverShared = "charter-never-shared";
        public const string MaskLimit = "charter-mask-limit";
        public const string PartnerField = "charter-partner-field";
        public const string PartnerPurpose = "charter-partner-purpose";
    }

    /// <summary>Every code with its title, in code order.</summary>
    public static IReadOnlyList<CharterCode> All { get; } =
    [
        new(QuorumInDocument, Rules.Quorum, "The agreement states a quorum other than the charter's; the charter decides the quorum."),
        new(TermTooLong, Rules.LongestTerm, "The agreement runs longer than the charter's longest term."),
        new(ReasonRequired, Rules.ReasonRequired, "The charter requires every partner request to state a reason."),
        new(CaseNumberRequired, Rules.CaseNumberRequired, "The charter requires every partner request to carry a case number."),
        new(AdultsOnly, Rules.AdultsOnly, "The charter shares arrests of adults only."),
        new(NeverShared, Rules.NeverShared, "The charter never shares this field with any partner."),
        new(MaskLimit, Rules.MaskLimit, "The charter allows this field only with a stronger mask."),
        new(FieldForPartnerKind, Rules.PartnerField, "The charter never shares this field with this kind of partner."),
        new(PurposeForPartnerKind, Rules.PartnerPurpose, "The charter never shares data for this purpose with this kind of partner."),
        new(MalformedCharter, null, "The charter document is not valid JSON for the charter format."),
        new(InvalidCharter, null, "The charter document breaks a rule of the charter format."),
        new(NoCharter, null, "No charter is in force."),
        new(NotAStakeholder, null, "Only the charter's stakeholder agencies propose and vote on amendments."),
        new(DuplicateVote, null, "This stakeholder agency has already voted on this amendment."),
        new(NoOpenAmendment, null, "No amendment of that version is open for votes."),
        new(WrongVersion, null, "An amendment is the next version of the charter in force, with the same id."),
        new(AmendmentOpen, null, "An amendment is already open; it must be decided first."),
        new(AlreadyAdopted, null, "The charter is adopted once, from the data file, on an empty history."),
        new(InvalidVote, null, "An amendment vote is a consent or a rejection with a statement."),
    ];

    /// <summary>The code of one <see cref="CharterFit"/> validation rule.</summary>
    public static string CodeOf(string rule) =>
        All.FirstOrDefault(c => c.Rule == rule)?.Code ?? InvalidCharter;

    public static string TitleOf(string code) => All.FirstOrDefault(c => c.Code == code)?.Title ?? code;
}
