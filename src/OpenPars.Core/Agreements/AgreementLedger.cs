using OpenPars.Core.Agencies;
using OpenPars.Core.Charter;

namespace OpenPars.Core.Agreements;

/// <summary>
/// The fold of an agreement's events up to an instant: each version with its votes, the suspensions with
/// theirs, and the withdrawals still standing. Internal: <see cref="AgreementStatusCalculator"/> reads the
/// status from it and <see cref="AgreementGovernance"/> checks new events against it. Votes are keyed by
/// agency kind: there is exactly one police, one district-attorney and one courts stakeholder.
/// Every quorum is the charter's, never the document's: a consent counts towards the quorum of the charter in
/// force when it was cast (<see cref="CharterTimeline.At"/>), and a quorum is reached by a vote.
/// </summary>
internal sealed class AgreementLedger
{
    private readonly CharterTimeline _charters;

    private AgreementLedger(CharterTimeline charters, DateTimeOffset upTo)
    {
        _charters = charters;
        UpTo = upTo;
    }

    public DateTimeOffset UpTo { get; }

    public string AgreementId { get; private set; } = "";

    public SortedDictionary<int, VersionState> Versions { get; } = [];

    public List<SuspensionState> Suspensions { get; } = [];

    /// <summary>Each agency's withdrawal, unless the same agency consented to something after it.</summary>
    public Dictionary<AgencyKind, AgreementVoteCast> StandingWithdrawals { get; } = [];

    public int LastSequence { get; private set; }

    public VersionState? Latest => Versions.Count == 0 ? null : Versions.Values.Last();

    public static AgreementLedger Fold(IEnumerable<AgreementEvent> events, CharterTimeline charters, DateTimeOffset upTo)
    {
        var ledger = new AgreementLedger(charters, upTo);
        foreach (var e in events.Where(e => e.RecordedAt <= upTo).OrderBy(e => e.Sequence))
        {
            ledger.Apply(e);
        }

        return ledger;
    }

    private void Apply(AgreementEvent e)
    {
        AgreementId = e.AgreementId;
        LastSequence = Math.Max(LastSequence, e.Sequence);
        switch (e)
        {
            case AgreementDrafted d:
                if (Versions.TryGetValue(d.Document.Version, out var drafted) && drafted.ProposedAt is null)
                {
                    drafted.Document = d.Document;
                }
                else
                {
                    Versions[d.Document.Version] = new VersionState(d.Document);
                }

                break;
            case AgreementProposed p when Versions.TryGetValue(p.Version, out var proposed):
                proposed.ProposedAt ??= p.RecordedAt;
                break;
            case AgreementVoteCast v when Versions.TryGetValue(v.Version, out var version):
                ApplyVote(v, version);
                break;
            case AgreementSuspended s:
                Suspensions.Add(new SuspensionState(s.Sequence, s.RecordedAt));
                break;
        }
    }

    private void ApplyVote(AgreementVoteCast vote, VersionState version)
    {
        var kind = vote.Actor.AgencyKind;
        if (vote.Kind == VoteKind.Withdraw)
        {
            version.Withdrawals[kind] = vote;
            StandingWithdrawals[kind] = vote;
            return;
        }

        // A later consent (to a renewal, or to resume) is the agency's current word: its withdrawal no longer stands.
        if (vote.Kind == VoteKind.Consent)
        {
            StandingWithdrawals.Remove(kind);
        }

        var quorum = _charters.At(vote.RecordedAt).Quorum;
        if (vote.ResumesSuspension is { } sequence)
        {
            var suspension = Suspensions.FirstOrDefault(s => s.Sequence == sequence);
            if (suspension is null)
            {
                return;
            }

            suspension.Votes[kind] = vote;
            if (suspension.ResumedAt is null && suspension.Votes.Values.Count(x => x.Kind == VoteKind.Consent) >= quorum.ConsentsToResume)
            {
                suspension.ResumedAt = vote.RecordedAt;
            }

            return;
        }

        version.EntryVotes[kind] = vote;
        if (version.QuorumAt is null && version.EntryVotes.Values.Count(x => x.Kind == VoteKind.Consent) >= ConsentsFor(version, quorum))
        {
            version.QuorumAt = vote.RecordedAt;
        }
    }

    /// <summary>A renewal follows a version that entered into force; the charter may ask more (or fewer) consents for it.</summary>
    public bool IsRenewal(VersionState version) => Versions.Values.Any(v => v.Number < version.Number && v.QuorumAt is not null);

    /// <summary>The consents <paramref name="version"/> needs under <paramref name="quorum"/>.</summary>
    public int ConsentsFor(VersionState version, CharterQuorum quorum) => IsRenewal(version) ? quorum.ConsentsToRenew : quorum.ConsentsToEnter;

    /// <summary>The rejections already make the consent quorum of the charter in force impossible.</summary>
    public bool QuorumUnreachable(VersionState version)
    {
        var charter = _charters.At(UpTo);
        return version.QuorumAt is null
            && version.EntryVotes.Values.Count(v => v.Kind == VoteKind.Reject) > charter.Stakeholders.Count - ConsentsFor(version, charter.Quorum);
    }

    /// <summary>The instant the withdrawal quorum takes (or took) effect, or null while it is not reached: the first
    /// standing withdrawal that, counted with those before it, reaches the charter's number at its instant.</summary>
    public DateTimeOffset? WithdrawalCutOff()
    {
        var effective = StandingWithdrawals.Values.Select(w => w.WithdrawalEffectiveAt).Order().ToList();
        for (var i = 0; i < effective.Count; i++)
        {
            if (i + 1 >= _charters.At(effective[i]).Quorum.WithdrawalsToEnd)
            {
                return effective[i];
            }
        }

        return null;
    }

    internal sealed class VersionState(AgreementDocument document)
    {
        public AgreementDocument Document { get; set; } = document;

        public int Number => Document.Version;

        public DateTimeOffset? ProposedAt { get; set; }

        /// <summary>Consents and rejections on entering into force, one per agency.</summary>
        public Dictionary<AgencyKind, AgreementVoteCast> EntryVotes { get; } = [];

        public Dictionary<AgencyKind, AgreementVoteCast> Withdrawals { get; } = [];

        /// <summary>When the consent quorum was reached.</summary>
        public DateTimeOffset? QuorumAt { get; set; }

        /// <summary>In force from the later of effectiveAt and the consent quorum.</summary>
        public DateTimeOffset? StartsAt => QuorumAt is { } quorum ? Max(quorum, Document.EffectiveAt) : null;

        private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a >= b ? a : b;
    }

    internal sealed class SuspensionState(int sequence, DateTimeOffset at)
    {
        public int Sequence { get; } = sequence;

        public DateTimeOffset At { get; } = at;

        public Dictionary<AgencyKind, AgreementVoteCast> Votes { get; } = [];

        public DateTimeOffset? ResumedAt { get; set; }
    }
}
