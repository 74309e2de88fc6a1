namespace OpenPars.Core.Agreements;

/// <summary>
/// Stable codes of the agreement and partner-policy features (PARS-AGR-0xx). Clients, auditors and the
/// transparency report key on them: a code is never reused or renumbered once released.
/// 0xx request gate (issue text) · 05x document validation · 06x votes and lifecycle.
/// </summary>
public static class AgreementErrorCodes
{
    // The partner-request pipeline, in the order its checks run (see Policy/PartnerPolicy.cs).
    public const string NoActiveAgreement = "PARS-AGR-001";
    public const string NotYetEffective = "PARS-AGR-002";
    public const string Expired = "PARS-AGR-003";
    public const string TerminatedOrSuspended = "PARS-AGR-004";
    public const string PurposeNotAllowed = "PARS-AGR-010";
    public const string ReasonMissing = "PARS-AGR-011";
    public const string CaseNumberMissing = "PARS-AGR-012";
    public const string ReasonBlockedTerm = "PARS-AGR-013";
    public const string ProhibitedCriterion = "PARS-AGR-020";
    public const string CriterionNotAllowed = "PARS-AGR-021";
    public const string QueryTooBroad = "PARS-AGR-022";
    public const string QuotaExceeded = "PARS-AGR-030";
    public const string OperationNotGranted = "PARS-AGR-040";

    // Agreement document validation: each is also the code of a validation rule (see CodeOf).
    public const string NeverGrantableField = "PARS-AGR-050";
    public const string ProhibitedCriterionAllowed = "PARS-AGR-051";
    public const string ExpiresNotAfterEffective = "PARS-AGR-052";
    public const string InvalidDocument = "PARS-AGR-053";

    // Votes and lifecycle.
    public const string VoterNotStakeholder = "PARS-AGR-060";
    public const string DuplicateVote = "PARS-AGR-061";
    public const string VoteNotAllowedNow = "PARS-AGR-062";
    public const string UnknownVersion = "PARS-AGR-063";
    public const string SuspensionNotAllowed = "PARS-AGR-064";
    public const string InvalidRenewal = "PARS-AGR-065";
    public const string NoticeNotDue = "PARS-AGR-066";
    public const string AgreementNotFound = "PARS-AGR-067";

    /// <summary>POST /agreements names an agreement already put to the vote: a new version is a renewal.</summary>
    public const string UseRenewal = "PARS-AGR-068";

    /// <summary>A proposal or consent would put a second agreement of the same partner in force over an overlapping
    /// term; only the agreement's own renewal may follow it.</summary>
    public const string OverlapsAgreementInForce = "PARS-AGR-069";

    /// <summary>The validation rule names that carry a code of their own (others fall under <see cref="InvalidDocument"/>).</summary>
    public static class Rules
    {
        public const string NeverGrantable = "never-grantable";
        public const string ProhibitedCriterion = "prohibited-criterion";
        public const string ExpiresAfterEffective = "expires-after-effective";
    }

    /// <summary>The code to report for one validation error: the specific code for the three rules the issue
    /// names, <see cref="InvalidDocument"/> for every other broken rule.</summary>
    public static string CodeOf(string rule) => rule switch
    {
        Rules.NeverGrantable => NeverGrantableField,
        Rules.ProhibitedCriterion => ProhibitedCriterionAllowed,
        Rules.ExpiresAfterEffective => ExpiresNotAfterEffective,
        _ => InvalidDocument,
    };
}
