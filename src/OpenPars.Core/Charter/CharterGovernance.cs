using OpenPars.Core.Agreements;
using OpenPars.Core.Common;

namespace OpenPars.Core.Charter;

/// <summary>
/// Decides the events that change the charter: the adoption of the first charter (from the data file, on an empty
/// history), an amendment's proposal, and the stakeholders' votes on it. An amendment comes into force only when
/// every stakeholder agency of the charter it amends has consented; one rejection closes it. Pure: each function
/// reads the history and the clock and returns the event to append (optimistic concurrency on
/// <see cref="CharterEvent.Sequence"/>) or throws a <see cref="DomainException"/> with a PARS-CHR code. Which role
/// may call which is the caller's check; the agency rules are here, because they hold whatever the role says.
/// </summary>
public static class CharterGovernance
{
    public const int MaxStatementLength = AgreementGovernance.MaxStatementLength;

    /// <summary>The first charter, in force from <paramref name="now"/>. Only on an empty history (-035).</summary>
    public static CharterAdopted DecideAdoption(IReadOnlyList<CharterEvent> history, CharterDocument charter, string source, AgreementActor actor, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(history);
        Require(history.Count == 0, CharterErrorCodes.AlreadyAdopted, "A charter is adopted once; it changes only by amendment.");
        CharterValidator.EnsureValid(charter);
        return new CharterAdopted { Sequence = 1, RecordedAt = now, Actor = actor, Charter = charter, Source = source };
    }

    /// <summary>A stakeholder proposes the next version (-030 not a stakeholder, -034 one is open, -033 not the next
    /// version of this charter, -021 invalid).</summary>
    public static CharterAmendmentProposed DecideAmendment(
        IReadOnlyList<CharterEvent> history, CharterDocument proposed, string statement, AgreementActor actor, DateTimeOffset now)
    {
        var (state, inForce) = InForce(history, now);
        EnsureStakeholder(actor, inForce);
        RequireStatement(statement);
        Require(state.Open is null, CharterErrorCodes.AmendmentOpen, $"The amendment to version {state.Open?.Charter.Version} is open; it must be decided first.");
        Require(proposed.CharterId == inForce.CharterId && proposed.Version == inForce.Version + 1, CharterErrorCodes.WrongVersion,
            $"An amendment of charter {inForce.CharterId} is its version {inForce.Version + 1}.");
        CharterValidator.EnsureValid(proposed);
        return new CharterAmendmentProposed { Sequence = state.LastSequence + 1, RecordedAt = now, Actor = actor, Charter = proposed, Statement = statement.Trim() };
    }

    /// <summary>A stakeholder agency's consent or rejection of the open amendment of <paramref name="version"/>
    /// (-030 not a stakeholder, -036 a withdrawal or no statement, -032 no such open amendment, -031 voted already).</summary>
    public static CharterAmendmentVoteCast DecideVote(
        IReadOnlyList<CharterEvent> history, int version, VoteKind kind, string statement, AgreementActor voter, DateTimeOffset now)
    {
        var (state, inForce) = InForce(history, now);
        EnsureStakeholder(voter, inForce);
        Require(kind is VoteKind.Consent or VoteKind.Reject, CharterErrorCodes.InvalidVote, "An amendment is consented to or rejected; nothing is withdrawn from a charter.");
        RequireStatement(statement);
        Require(state.Open is { } open && open.Charter.Version == version, CharterErrorCodes.NoOpenAmendment, $"No amendment to version {version} is open for votes.");
        Require(!state.Open!.Votes.ContainsKey(voter.AgencyCode), CharterErrorCodes.DuplicateVote, "This agency has already voted on this amendment.");
        return new CharterAmendmentVoteCast { Sequence = state.LastSequence + 1, RecordedAt = now, Actor = voter, Version = version, Kind = kind, Statement = statement.Trim() };
    }

    private static (CharterHistory State, CharterDocument InForce) InForce(IReadOnlyList<CharterEvent> history, DateTimeOffset now)
    {
        var state = CharterHistory.Fold(history, now);
        return state.InForce is { } inForce
            ? (state, inForce)
            : throw new DomainException(CharterErrorCodes.NoCharter, "No charter is in force; adopt one from the data file first.");
    }

    // Rule: every stakeholder agency, and only they, decide the charter (issue 9: "only by amendment with the consent
    // of every stakeholder agency"); the agency must be the charter's stakeholder of its kind.
    private static void EnsureStakeholder(AgreementActor actor, CharterDocument charter) =>
        Require(charter.IsStakeholder(actor.AgencyCode, actor.AgencyKind), CharterErrorCodes.NotAStakeholder,
            "Only the charter's stakeholder agencies propose and vote on its amendments.");

    private static void RequireStatement(string? statement)
    {
        var errors = new ValidationErrors();
        errors.RequireText(statement, "statement", MaxStatementLength);
        if (!errors.IsEmpty)
        {
            throw new DomainException(CharterErrorCodes.InvalidVote, "An amendment or a vote carries a statement.", errors);
        }
    }

    private static void Require(bool condition, string code, string message)
    {
        if (!condition)
        {
            throw new DomainException(code, message);
        }
    }
}
