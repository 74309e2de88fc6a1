using OpenPars.App.Audit;
using OpenPars.App.Identity;
using OpenPars.Core.Agencies;
using OpenPars.Core.Agreements;
using OpenPars.Core.Audit;
using OpenPars.Core.Charter;
using OpenPars.Core.Common;
using OpenPars.Storage.Charter;

namespace OpenPars.App.Charter;

/// <summary>An amendment vote as a representative casts it: consent or reject, with a statement. It is always the
/// vote of the caller's own agency: there is no field naming another.</summary>
public sealed record CharterVoteRequest(string? Vote, string? Statement);

/// <summary>
/// The charter: read by every stakeholder role (with its history and votes) and by the public (agency codes and dates
/// only), amended only by stakeholder representatives — a proposal by one, in force only with the consent of every
/// stakeholder agency of the charter it amends (<see cref="CharterGovernance"/>). Every call but the public read is one
/// audit entry (100xx); the public read is nobody's data, like the audit log's public key.
/// </summary>
public sealed class CharterUseCases(CharterStore store, TimeProvider clock, AuditScope audit)
{
    private static readonly Func<Caller, bool> Readers = c => c.IsOperator || Access.Stakeholder(c);

    public Task<CharterView> GetAsync(Caller caller, CancellationToken ct = default) =>
        audit.ReadAsync(caller, AuditEventType.CharterRead, async () =>
        {
            Access.Require(caller, Readers);
            return CharterViews.Stakeholder(await store.EventsAsync(ct), clock.GetUtcNow());
        });

    /// <summary>The charter in force and its amendment history for the transparency page: anonymous, not audited.</summary>
    public async Task<TransparencyCharterView> PublicAsync(CancellationToken ct = default) =>
        CharterViews.Public(await store.EventsAsync(ct), clock.GetUtcNow());

    /// <summary>A representative proposes the next version of the charter: <paramref name="charterJson"/> is the whole
    /// document (the charter format of data/README.md; its packs resolved from the embedded ones).</summary>
    public Task<CharterView> ProposeAmendmentAsync(Caller caller, string? charterJson, string? statement, CancellationToken ct = default) =>
        audit.WriteAsync(caller, AuditEventType.CharterAmendmentProposed, async () =>
        {
            Access.Require(caller, Access.Representative);
            if (string.IsNullOrWhiteSpace(charterJson))
            {
                throw new ValidationErrors().Add("charter", "required", "charter must be the proposed charter document.").ToException();
            }

            await store.ProposeAsync(CharterJson.Parse(charterJson), statement ?? "", caller.ToAgreementActor(), ct);
            return CharterViews.Stakeholder(await store.EventsAsync(ct), clock.GetUtcNow());
        });

    /// <summary>The caller's agency's consent to, or rejection of, the open amendment of <paramref name="version"/>.</summary>
    public Task<CharterView> VoteAsync(Caller caller, int version, CharterVoteRequest vote, CancellationToken ct = default) =>
        audit.WriteAsync(caller, AuditEventType.CharterAmendmentVoteCast, async () =>
        {
            Access.Require(caller, Access.Representative);
            var kind = vote.Vote switch
            {
                "consent" => VoteKind.Consent,
                "reject" => VoteKind.Reject,
                _ => throw new DomainException(CharterErrorCodes.InvalidVote, "An amendment is consented to or rejected.",
                    new ValidationErrors().Add("vote", "vote-kind", "vote is one of consent, reject.")),
            };
            await store.VoteAsync(version, kind, vote.Statement ?? "", caller.ToAgreementActor(), ct);
            return CharterViews.Stakeholder(await store.EventsAsync(ct), clock.GetUtcNow());
        });
}
