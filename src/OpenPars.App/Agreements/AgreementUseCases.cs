using OpenPars.App.Audit;
using OpenPars.App.Identity;
using OpenPars.Core.Agencies;
using OpenPars.Core.Agreements;
using OpenPars.Core.Audit;
using OpenPars.Core.Common;
using OpenPars.Storage.Agreements;

namespace OpenPars.App.Agreements;

/// <summary>A vote as a representative casts it: the kind as sent (consent, reject, withdraw), the statement, the
/// notice instant of a withdrawal, and the version it is about (by default the one the vote concerns).</summary>
public sealed record VoteRequest(string? Vote, string? Statement, DateTimeOffset? NoticeEffectiveAt, int? Version);

/// <summary>
/// Data-sharing agreements: drafted, proposed, voted, renewed and suspended by the stakeholders. Representatives write
/// and vote, privacy officers suspend, every stakeholder role reads. Whatever the role, a partner agency never governs
/// (PARS-AGR-060). Every call is one audit entry (7xxx).
/// </summary>
public sealed class AgreementUseCases(AgreementStore store, PartnerAccessLog access, TimeProvider clock, AuditScope audit)
{
    /// <summary>Agreements say what is shared about people, never anything about a person: every stakeholder role
    /// reads them, and so does the operator at the terminal, who holds the store itself.</summary>
    private static readonly Func<Caller, bool> Readers = c => c.IsOperator || Access.Stakeholder(c);

    public TimeProvider Clock => clock;

    public Task<StoredAgreement> DraftAsync(Caller caller, AgreementDocument document, CancellationToken ct = default) =>
        audit.WriteAsync(caller, AuditEventType.AgreementDrafted, () =>
        {
            Access.Require(caller, Access.Representative);
            return store.DraftAsync(document, caller.ToAgreementActor(), ct);
        });

    public Task<StoredAgreement> ProposeAsync(Caller caller, string agreementId, int? version = null, CancellationToken ct = default) =>
        audit.WriteAsync(caller, AuditEventType.AgreementProposed, () =>
        {
            Access.Require(caller, Access.Representative);
            return store.ProposeAsync(agreementId, version, caller.ToAgreementActor(), ct);
        });

    public Task<StoredAgreement> VoteAsync(Caller caller, string agreementId, VoteRequest vote, CancellationToken ct = default) =>
        audit.WriteAsync(caller, AuditEventType.AgreementVoteCast, () =>
        {
            Access.Require(caller, Access.Representative);
            var kind = ParseVote(vote.Vote);
            return store.VoteAsync(agreementId, kind, vote.Statement ?? "", vote.NoticeEffectiveAt, vote.Version, caller.ToAgreementActor(), ct);
        });

    public Task<StoredAgreement> RenewAsync(Caller caller, string agreementId, AgreementDocument document, CancellationToken ct = default) =>
        audit.WriteAsync(caller, AuditEventType.AgreementRenewalDrafted, () =>
        {
            Access.Require(caller, Access.Representative);
            return store.RenewAsync(agreementId, document, caller.ToAgreementActor(), ct);
        });

    public Task<StoredAgreement> SuspendAsync(Caller caller, string agreementId, string? statement, CancellationToken ct = default) =>
        audit.WriteAsync(caller, AuditEventType.AgreementSuspended, () =>
        {
            Access.Require(caller, Access.PrivacyOfficer);
            return store.SuspendAsync(agreementId, statement ?? "", caller.ToAgreementActor(), ct);
        });

    public Task<IReadOnlyList<StoredAgreement>> ListAsync(Caller caller, CancellationToken ct = default) =>
        audit.ReadAsync(caller, AuditEventType.AgreementsListed, () =>
        {
            Access.Require(caller, Readers);
            return store.ListAsync(ct);
        });

    public Task<StoredAgreement> GetAsync(Caller caller, string agreementId, CancellationToken ct = default) =>
        audit.ReadAsync(caller, AuditEventType.AgreementRead, () => FindAsync(caller, agreementId, ct));

    /// <summary>The termination or expiry notice, with what the partner asked, was refused and received.</summary>
    public Task<AgreementNoticeDocument> NoticeAsync(Caller caller, string agreementId, CancellationToken ct = default) =>
        audit.ReadAsync(caller, AuditEventType.AgreementNoticeRead, async () =>
        {
            var stored = await FindAsync(caller, agreementId, ct);
            var now = clock.GetUtcNow();
            var figures = await access.FiguresAsync(stored.AgreementId, stored.PartnerAgency, ct);
            return AgreementNotice.Create(stored.Events, stored.StatusAt(now), figures, now);
        });

    private async Task<StoredAgreement> FindAsync(Caller caller, string agreementId, CancellationToken ct)
    {
        Access.Require(caller, Readers);
        store.NoteRead(agreementId);
        return await store.FindAsync(agreementId, ct) ?? throw AgreementStore.NotFound();
    }

    private static VoteKind ParseVote(string? vote) => vote switch
    {
        "consent" => VoteKind.Consent,
        "reject" => VoteKind.Reject,
        "withdraw" => VoteKind.Withdraw,
        _ => throw new ValidationErrors().Add("vote", "vote-kind", "vote is one of consent, reject, withdraw.").ToException(),
    };
}
