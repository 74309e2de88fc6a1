using OpenPars.Core.Agreements;

namespace OpenPars.Core.Charter;

public enum AmendmentOutcome
{
    /// <summary>Collecting votes.</summary>
    Open,

    /// <summary>Every stakeholder agency consented: the amendment is the charter in force from its last consent.</summary>
    InForce,

    /// <summary>A stakeholder agency rejected it: unanimity is impossible, the amendment is closed.</summary>
    Rejected,
}

/// <summary>One proposed amendment and its votes, by the stakeholder agencies of the charter it amends.</summary>
public sealed record CharterAmendment
{
    public required int Sequence { get; init; }
    public required CharterDocument Charter { get; init; }
    public required AgreementActor ProposedBy { get; init; }
    public required DateTimeOffset ProposedAt { get; init; }
    public required string Statement { get; init; }

    /// <summary>The stakeholder agencies (codes) whose consent it needs: every stakeholder of the charter it amends.</summary>
    public required IReadOnlyList<string> Voters { get; init; }

    /// <summary>The votes, by agency code.</summary>
    public required IReadOnlyDictionary<string, CharterAmendmentVoteCast> Votes { get; init; }

    public required AmendmentOutcome Outcome { get; init; }

    /// <summary>When it came into force or was rejected.</summary>
    public DateTimeOffset? DecidedAt { get; init; }

    /// <summary>The stakeholder agencies that have not voted yet.</summary>
    public IReadOnlyList<string> Awaiting => [.. Voters.Where(v => !Votes.ContainsKey(v))];
}

/// <summary>
/// The fold of the charter's events up to an instant: the charter in force and since when, every version's period
/// (<see cref="Timeline"/>, for agreement votes), and every amendment with its votes and outcome (the history shown
/// to stakeholders and on the transparency page). Events recorded after the instant are ignored.
/// </summary>
public sealed class CharterHistory
{
    private readonly List<CharterPeriod> _periods = [];
    private readonly List<CharterAmendment> _amendments = [];

    private CharterHistory(DateTimeOffset at) => At = at;

    public DateTimeOffset At { get; }

    /// <summary>The charter in force, or null before the adoption.</summary>
    public CharterDocument? InForce => _periods.Count == 0 ? null : _periods[^1].Charter;

    public DateTimeOffset? InForceSince => _periods.Count == 0 ? null : _periods[^1].From;

    /// <summary>Every version that was in force, oldest first.</summary>
    public IReadOnlyList<CharterPeriod> Periods => _periods;

    /// <summary>The charters over time, or null before the adoption.</summary>
    public CharterTimeline? Timeline => _periods.Count == 0 ? null : CharterTimeline.From(_periods);

    /// <summary>Every amendment, oldest first.</summary>
    public IReadOnlyList<CharterAmendment> Amendments => _amendments;

    public CharterAmendment? Open => _amendments.LastOrDefault(a => a.Outcome == AmendmentOutcome.Open);

    public int LastSequence { get; private set; }

    public static CharterHistory Fold(IEnumerable<CharterEvent> events, DateTimeOffset upTo)
    {
        var history = new CharterHistory(upTo);
        foreach (var e in events.Where(e => e.RecordedAt <= upTo).OrderBy(e => e.Sequence))
        {
            history.Apply(e);
        }

        return history;
    }

    private void Apply(CharterEvent e)
    {
        LastSequence = Math.Max(LastSequence, e.Sequence);
        switch (e)
        {
            // Only the first adoption counts: a second one in a history is not how a charter changes.
            case CharterAdopted adopted when _periods.Count == 0:
                _periods.Add(new CharterPeriod(adopted.Charter, adopted.RecordedAt));
                break;
            case CharterAmendmentProposed proposed when InForce is { } current && Open is null:
                _amendments.Add(new CharterAmendment
                {
                    Sequence = proposed.Sequence,
                    Charter = proposed.Charter,
                    ProposedBy = proposed.Actor,
                    ProposedAt = proposed.RecordedAt,
                    Statement = proposed.Statement,
                    Voters = [.. current.Stakeholders.Select(s => s.Agency)],
                    Votes = new Dictionary<string, CharterAmendmentVoteCast>(StringComparer.Ordinal),
                    Outcome = AmendmentOutcome.Open,
                });
                break;
            case CharterAmendmentVoteCast vote when Open is { } open && open.Charter.Version == vote.Version && open.Voters.Contains(vote.Actor.AgencyCode):
                ApplyVote(open, vote);
                break;
        }
    }

    private void ApplyVote(CharterAmendment open, CharterAmendmentVoteCast vote)
    {
        var votes = new Dictionary<string, CharterAmendmentVoteCast>(open.Votes, StringComparer.Ordinal);
        if (!votes.TryAdd(vote.Actor.AgencyCode, vote))
        {
            return;
        }

        var outcome = vote.Kind == VoteKind.Reject ? AmendmentOutcome.Rejected
            : open.Voters.All(v => votes.TryGetValue(v, out var cast) && cast.Kind == VoteKind.Consent) ? AmendmentOutcome.InForce
            : AmendmentOutcome.Open;
        _amendments[^1] = open with { Votes = votes, Outcome = outcome, DecidedAt = outcome == AmendmentOutcome.Open ? null : vote.RecordedAt };
        if (outcome == AmendmentOutcome.InForce)
        {
            _periods.Add(new CharterPeriod(open.Charter, vote.RecordedAt));
        }
    }
}
