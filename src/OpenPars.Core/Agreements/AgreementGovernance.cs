using OpenPars.Core.Agencies;
using OpenPars.Core.Charter;
using OpenPars.Core.Common;

namespace OpenPars.Core.Agreements;

/// <summary>A vote as a stakeholder representative submits it.</summary>
/// <param name="Version">The version voted on: the proposal (consent/reject), or the version in force (withdraw, resume).</param>
/// <param name="NoticeEffectiveAt">For a withdrawal: when it takes effect; absent = at once.</param>
/// <param name="Kind">Consent, reject or withdraw.</param>
/// <param name="Statement">The representative's reasons, kept with the vote.</param>
public sealed record CastVote(int Version, VoteKind Kind, string Statement, DateTimeOffset? NoticeEffectiveAt = null);

/// <summary>
/// Decides the events that govern an agreement: draft, propose, vote, suspend. Each function is pure: it reads
/// the history and the clock and returns the event to append, or throws a <see cref="DomainException"/> with a
/// stable code. The store appends the event with optimistic concurrency on <see cref="AgreementEvent.Sequence"/>.
/// Who may call which (stakeholder representative, privacy officer) is the HTTP layer's role check; the rules
/// about agencies are here, because they hold whatever the role says.
/// Every decision takes the <see cref="GoverningCharter"/>: only the charter's stakeholder agencies govern, every
/// quorum is the charter's, and a document that would weaken the charter in force is refused at draft (and
/// renewal), proposal and consent with the PARS-CHR code of the charter rule (<see cref="CharterFit"/>).
/// </summary>
public static class AgreementGovernance
{
    public const int MaxStatementLength = 2000;

    /// <summary>A new draft, a rewrite of the current draft, or a renewal (version + 1 once the latest is proposed).</summary>
    public static AgreementDrafted DecideDraft(
        IReadOnlyList<AgreementEvent> history, AgreementDocument document, AgreementActor actor, DateTimeOffset now, GoverningCharter charter,
        ProhibitedCriteria? prohibited = null)
    {
        ArgumentNullException.ThrowIfNull(charter);
        var inForce = charter.At(now);
        EnsureStakeholder(actor, inForce);
        AgreementValidator.EnsureValid(document, prohibited);
        var ledger = AgreementLedger.Fold(history, charter.Charters, now);
        EnsureNotTerminated(ledger, now);

        // Rule: nothing in a document may weaken the charter in force (issue 9, "The charter"); a new version after
        // one that entered into force is a renewal and states the renewal quorum if it states one at all.
        CharterFit.EnsureFits(inForce, document, charter.PartnerKind, renewal: ledger.Versions.Values.Any(v => v.QuorumAt is not null));

        if (ledger.Latest is not { } latest)
        {
            Require(document.Version == 1, AgreementErrorCodes.UnknownVersion, "The first version of an agreement is version 1.");
        }
        else
        {
            Require(document.AgreementId == ledger.AgreementId && document.PartnerAgency == latest.Document.PartnerAgency,
                AgreementErrorCodes.InvalidRenewal, "A new version keeps the agreement id and the partner agency.");
            var expected = latest.ProposedAt is null ? latest.Number : latest.Number + 1;
            Require(document.Version == expected, AgreementErrorCodes.UnknownVersion, $"The next version of this agreement is {expected}.");

            // Rule: a renewal is a new version with a new expiry (issue, Lifecycle).
            var previous = ledger.Versions.Values.Where(v => v.QuorumAt is not null && v.Number < document.Version).MaxBy(v => v.Number);
            Require(previous is null || document.ExpiresAt > previous.Document.ExpiresAt,
                AgreementErrorCodes.InvalidRenewal, "A renewal must expire after the version it renews.");
        }

        return new AgreementDrafted { AgreementId = document.AgreementId, Sequence = ledger.LastSequence + 1, RecordedAt = now, Actor = actor, Document = document };
    }

    /// <summary>Freezes the latest draft and opens the vote on it.</summary>
    public static AgreementProposed DecideProposal(IReadOnlyList<AgreementEvent> history, int version, AgreementActor actor, DateTimeOffset now, GoverningCharter charter)
    {
        ArgumentNullException.ThrowIfNull(charter);
        var inForce = charter.At(now);
        EnsureStakeholder(actor, inForce);
        var ledger = AgreementLedger.Fold(history, charter.Charters, now);
        EnsureNotTerminated(ledger, now);
        Require(ledger.Latest is { } latest && latest.Number == version, AgreementErrorCodes.UnknownVersion, $"Version {version} is not the latest draft.");
        Require(ledger.Latest!.ProposedAt is null, AgreementErrorCodes.VoteNotAllowedNow, $"Version {version} is already proposed.");

        // Rule: the charter may have been amended since the draft; a proposal is checked against the one in force.
        CharterFit.EnsureFits(inForce, ledger.Latest.Document, charter.PartnerKind, renewal: ledger.IsRenewal(ledger.Latest));
        return new AgreementProposed { AgreementId = ledger.AgreementId, Sequence = ledger.LastSequence + 1, RecordedAt = now, Actor = actor, Version = version };
    }

    /// <summary>
    /// Accepts or refuses a vote. Rules, each with its code:
    /// only a stakeholder agency votes, never a partner (-060); the version must be proposed (-063);
    /// nothing is voted on a terminated agreement (-062); one vote per agency per version and question (-061):
    /// entering into force (consent/reject), withdrawal, and each suspension's resumption are the three questions.
    /// Consent/reject: on the latest proposal not yet in force, or, while suspended, on the version in force to
    /// resume it. Withdraw: on the version in force (active or suspended) or approved and awaiting effectiveAt.
    /// A consent (to enter or to resume) is refused when the version would weaken the charter in force (PARS-CHR-0xx);
    /// a rejection or a withdrawal never is: they only take access away.
    /// </summary>
    public static AgreementVoteCast DecideVote(IReadOnlyList<AgreementEvent> history, CastVote vote, AgreementActor voter, DateTimeOffset now, GoverningCharter charter)
    {
        ArgumentNullException.ThrowIfNull(charter);
        var inForce = charter.At(now);
        EnsureStakeholder(voter, inForce);
        var errors = new ValidationErrors();
        errors.RequireText(vote.Statement, "statement", MaxStatementLength);
        if (vote.NoticeEffectiveAt is { } notice)
        {
            errors.Require(vote.Kind == VoteKind.Withdraw, "noticeEffectiveAt", "withdrawal-only", "noticeEffectiveAt is given only with a withdrawal.");
            errors.Require(notice >= now, "noticeEffectiveAt", "not-in-past", "noticeEffectiveAt must not be in the past.");
        }

        if (!errors.IsEmpty)
        {
            throw errors.ToException();
        }

        var ledger = AgreementLedger.Fold(history, charter.Charters, now);
        var standing = AgreementStatusCalculator.StatusAt(ledger, now);
        Require(ledger.Versions.TryGetValue(vote.Version, out var version) && version.ProposedAt is not null,
            AgreementErrorCodes.UnknownVersion, $"Version {vote.Version} is not a proposed version of this agreement.");
        EnsureNotTerminated(standing);

        var kind = voter.AgencyKind;
        int? resumes = null;
        if (vote.Kind == VoteKind.Withdraw)
        {
            var inForceOrApproved = standing.Status is AgreementStatus.Active or AgreementStatus.Suspended
                || (standing.Status == AgreementStatus.Proposed && standing.ConsentQuorumReached);
            Require(inForceOrApproved && standing.Version == vote.Version, AgreementErrorCodes.VoteNotAllowedNow,
                "A withdrawal is cast on the version in force; a proposal is rejected, not withdrawn.");
            Require(!version!.Withdrawals.ContainsKey(kind), AgreementErrorCodes.DuplicateVote, "This agency has already withdrawn from this version.");
        }
        else if (standing.Status == AgreementStatus.Suspended && standing.Version == vote.Version)
        {
            var suspension = ledger.Suspensions[^1];
            Require(!suspension.Votes.ContainsKey(kind), AgreementErrorCodes.DuplicateVote, "This agency has already voted on resuming this suspension.");
            resumes = suspension.Sequence;

            // Resuming puts the version back in force: it must fit the charter in force (its stated quorum is
            // ignored here, as by the status, so an amended quorum alone does not keep it suspended).
            if (vote.Kind == VoteKind.Consent)
            {
                EnsureFitsForEnforcement(inForce, version!.Document, charter.PartnerKind);
            }
        }
        else
        {
            Require(version!.QuorumAt is null, AgreementErrorCodes.VoteNotAllowedNow, $"Version {vote.Version} has already reached its consent quorum.");
            Require(vote.Version == ledger.Latest!.Number, AgreementErrorCodes.VoteNotAllowedNow, $"Version {vote.Version} is superseded by a newer version.");
            Require(!version.EntryVotes.ContainsKey(kind), AgreementErrorCodes.DuplicateVote, "This agency has already voted on this version.");
            if (vote.Kind == VoteKind.Consent)
            {
                CharterFit.EnsureFits(inForce, version.Document, charter.PartnerKind, renewal: ledger.IsRenewal(version));
            }
        }

        return new AgreementVoteCast
        {
            AgreementId = ledger.AgreementId,
            Sequence = ledger.LastSequence + 1,
            RecordedAt = now,
            Actor = voter,
            Version = vote.Version,
            Kind = vote.Kind,
            Statement = vote.Statement.Trim(),
            NoticeEffectiveAt = vote.NoticeEffectiveAt,
            ResumesSuspension = resumes,
        };
    }

    /// <summary>A privacy officer of a stakeholder agency suspends an active agreement pending review (-064 otherwise).</summary>
    public static AgreementSuspended DecideSuspension(IReadOnlyList<AgreementEvent> history, string statement, AgreementActor actor, DateTimeOffset now, GoverningCharter charter)
    {
        ArgumentNullException.ThrowIfNull(charter);
        EnsureStakeholder(actor, charter.At(now));
        var errors = new ValidationErrors();
        errors.RequireText(statement, "statement", MaxStatementLength);
        if (!errors.IsEmpty)
        {
            throw errors.ToException();
        }

        var ledger = AgreementLedger.Fold(history, charter.Charters, now);
        var standing = AgreementStatusCalculator.StatusAt(ledger, now);
        Require(standing.Status == AgreementStatus.Active, AgreementErrorCodes.SuspensionNotAllowed, "Only an active agreement can be suspended.");
        return new AgreementSuspended { AgreementId = ledger.AgreementId, Sequence = ledger.LastSequence + 1, RecordedAt = now, Actor = actor, Statement = statement.Trim() };
    }

    /// <summary>
    /// The suspension an oversight alert of a kind the governing version lists in <c>autoSuspendOn</c> makes: the same
    /// event a privacy officer's suspension is (so the same consent quorum resumes it), by
    /// <see cref="AgreementActor.Oversight"/>, with a statement naming the alert. Refused (-064) unless the agreement is
    /// active and its governing version opted in to that kind.
    /// </summary>
    public static AgreementSuspended DecideAutomaticSuspension(IReadOnlyList<AgreementEvent> history, string alertKind, string statement, DateTimeOffset now, GoverningCharter charter)
    {
        ArgumentNullException.ThrowIfNull(charter);
        var ledger = AgreementLedger.Fold(history, charter.Charters, now);
        var standing = AgreementStatusCalculator.StatusAt(ledger, now);
        Require(standing.Status == AgreementStatus.Active, AgreementErrorCodes.SuspensionNotAllowed, "Only an active agreement can be suspended.");
        Require(standing.Document?.AutoSuspendOn?.Contains(alertKind, StringComparer.Ordinal) == true, AgreementErrorCodes.SuspensionNotAllowed,
            $"The agreement in force does not suspend automatically on {alertKind} alerts.");
        var text = statement.Trim();
        return new AgreementSuspended
        {
            AgreementId = ledger.AgreementId, Sequence = ledger.LastSequence + 1, RecordedAt = now, Actor = AgreementActor.Oversight,
            Statement = text.Length <= MaxStatementLength ? text : text[..MaxStatementLength],
        };
    }

    // Rule: only the three stakeholder agencies govern; a partner agency can never vote (issue, Lifecycle). The kinds
    // are listed rather than AgencyKinds.IsStakeholder (kind != Partner) so an undefined kind value is refused too,
    // and the agency must be the charter's stakeholder of that kind: a second "police" agency never votes.
    private static void EnsureStakeholder(AgreementActor actor, CharterDocument charter) =>
        Require(actor.AgencyKind is AgencyKind.Police or AgencyKind.DistrictAttorney or AgencyKind.Courts && charter.IsStakeholder(actor.AgencyCode, actor.AgencyKind),
            AgreementErrorCodes.VoterNotStakeholder,
            "Only the charter's police, district attorney and courts agencies govern agreements; a partner agency never votes.");

    private static void EnsureFitsForEnforcement(CharterDocument charter, AgreementDocument document, string? partnerKind)
    {
        var errors = CharterFit.Check(charter, document, partnerKind, governance: false);
        if (CharterFit.CodeOf(errors) is { } code)
        {
            throw new DomainException(code, "The agreement no longer fits the charter in force; renew it within the charter.", errors);
        }
    }

    private static void EnsureNotTerminated(AgreementLedger ledger, DateTimeOffset now) =>
        EnsureNotTerminated(AgreementStatusCalculator.StatusAt(ledger, now));

    // Rule: termination is final; a new agreement starts a new history.
    private static void EnsureNotTerminated(AgreementStanding standing) =>
        Require(standing.Status != AgreementStatus.Terminated, AgreementErrorCodes.VoteNotAllowedNow, "The agreement is terminated; nothing more can be decided on it.");

    private static void Require(bool condition, string code, string message)
    {
        if (!condition)
        {
            throw new DomainException(code, message);
        }
    }
}
