using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using OpenPars.Core.Agencies;
using OpenPars.Core.Agreements;
using OpenPars.Core.Audit;
using OpenPars.Core.Audit.Payloads;
using OpenPars.Core.Charter;
using OpenPars.Core.Common;
using OpenPars.Storage.Audit;
using OpenPars.Storage.Charter;
using OpenPars.Storage.Common;
using OpenPars.Storage.Events;

namespace OpenPars.Storage.Agreements;

/// <summary>An agreement as stored: its id, partner, creation and every event, oldest first, with what governs it
/// (the stored charters and the partner agency's stored kind, read with it).</summary>
public sealed record StoredAgreement(
    string AgreementId, string PartnerAgency, DateTimeOffset CreatedAt, IReadOnlyList<AgreementEvent> Events, [property: JsonIgnore] GoverningCharter Governing)
{
    public AgreementStanding StatusAt(DateTimeOffset now) => AgreementStatusCalculator.StatusAt(Events, Governing.Charters, now);
}

/// <summary>
/// Agreements by their events: each command loads the history, lets <see cref="AgreementGovernance"/> decide the
/// next event, and appends it with its audit entry in one transaction through <see cref="EventLog"/> (which refuses
/// an append to a stream that moved since it was read). Nothing is cached: the next request reads the events again,
/// so a termination, suspension or expiry takes effect on it (<see cref="ForPartnerDecisionAsync"/>, the partner
/// access path, keeps the verified streams per agreement generation, which every agreement or charter event advances). Every load checks each event against the audit entry
/// that recorded it: an agreement with an event the log does not vouch for is refused (StoreDamaged), so no status,
/// vote or partner decision is ever computed from a forged event. The charter is the stored one
/// (<see cref="CharterStore"/>), checked the same way, with the partner agency's stored kind.
/// </summary>
public sealed class AgreementStore(OpenParsDbContext db, TimeProvider clock, AuditTrail audit, AgreementCache? cache = null)
{
    public async Task<StoredAgreement?> FindAsync(string agreementId, CancellationToken ct = default)
    {
        var row = await db.Agreements.AsNoTracking().SingleOrDefaultAsync(a => a.AgreementId == agreementId, ct);
        return row is null ? null : await LoadAsync(row, ct);
    }

    /// <summary>The partner agency's agreement for a decision now (see <see cref="PartnerAgreements.ForDecision"/>).</summary>
    public Task<StoredAgreement?> FindForPartnerAsync(string agencyCode, CancellationToken ct = default) =>
        FindForPartnerAsync(agencyCode, Now(), ct);

    /// <summary>The partner agency's agreement for a decision at <paramref name="now"/>: the one in force, never
    /// "the newest naming it" (see <see cref="PartnerAgreements.ForDecision"/>).</summary>
    public async Task<StoredAgreement?> FindForPartnerAsync(string agencyCode, DateTimeOffset now, CancellationToken ct = default) =>
        PartnerAgreements.ForDecision(await ListForPartnerAsync(agencyCode, ct), now);

    /// <summary>The partner agency's agreement for a decision at <paramref name="now"/> (as <see cref="FindForPartnerAsync(string, DateTimeOffset, CancellationToken)"/>)
    /// and what governs the partner: that agreement's charter, or the stored one when none is in force. With an
    /// <see cref="AgreementCache"/> the verified streams are those of the agreement generation committed now (one
    /// counter read), loaded only when it moved; which agreement is in force is derived from them at <paramref name="now"/>.</summary>
    public async Task<(StoredAgreement? InForce, GoverningCharter Governing)> ForPartnerDecisionAsync(string agencyCode, DateTimeOffset now, CancellationToken ct = default)
    {
        var streams = cache is null ? await LoadStreamsAsync(agencyCode, ct) : await cache.GetAsync(db, agencyCode, () => LoadStreamsAsync(agencyCode, ct));
        var inForce = PartnerAgreements.ForDecision(streams.Agreements, now);
        return (inForce, inForce?.Governing ?? streams.Governing);
    }

    private async Task<PartnerStreams> LoadStreamsAsync(string agencyCode, CancellationToken ct) =>
        new(await ListForPartnerAsync(agencyCode, ct), await new CharterStore(db, clock, audit).GoverningAsync(agencyCode, ct));

    /// <summary>Every agreement naming the partner, oldest first, each with its events (one query for the events).</summary>
    public async Task<IReadOnlyList<StoredAgreement>> ListForPartnerAsync(string agencyCode, CancellationToken ct = default)
    {
        var rows = await db.Agreements.AsNoTracking().Where(a => a.PartnerAgency == agencyCode).OrderBy(a => a.Id).ToListAsync(ct);
        if (rows.Count == 0)
        {
            return [];
        }

        // Each of the partner's agreements loaded as any load is, its events checked against their audit entries: a
        // forged vote on one of them refuses the decision (PARS-AUD-004) rather than counting. A partner has a handful.
        var loaded = new List<StoredAgreement>(rows.Count);
        foreach (var row in rows)
        {
            loaded.Add(await LoadAsync(row, ct));
        }

        return loaded;
    }

    public async Task<IReadOnlyList<StoredAgreement>> ListAsync(CancellationToken ct = default)
    {
        var rows = await db.Agreements.AsNoTracking().OrderBy(a => a.Id).ToListAsync(ct);
        var events = await EventLog.ReadAllAsync(db, EventStreams.Agreement, ct);
        var charters = await new CharterStore(db, clock, audit).TimelineAsync(ct);
        var kinds = await db.Agencies.AsNoTracking().Where(a => a.PartnerKind != null).ToDictionaryAsync(a => a.Code, a => a.PartnerKind, ct);
        return [.. rows.Select(r => new StoredAgreement(r.AgreementId, r.PartnerAgency, r.CreatedAt, [.. events[r.AgreementId].Select(e => Deserialize(e.Body))],
            new GoverningCharter(charters, kinds.GetValueOrDefault(r.PartnerAgency))))];
    }

    /// <summary>Writes a new agreement's first draft, or rewrites its draft while no version was proposed.
    /// A new version of an agreement already put to the vote is a renewal (<see cref="RenewAsync"/>).</summary>
    public async Task<StoredAgreement> DraftAsync(AgreementDocument document, AgreementActor actor, CancellationToken ct = default)
    {
        var existing = document.AgreementId is null ? null : await FindAsync(document.AgreementId, ct);
        if (existing is not null && existing.Events.OfType<AgreementProposed>().Any())
        {
            throw new DomainException(AgreementErrorCodes.UseRenewal, $"Agreement {document.AgreementId} has been proposed; a new version is a renewal (POST /api/v1/agreements/{document.AgreementId}/renewals).");
        }

        return await AppendAsync(document.AgreementId ?? "", AuditEventType.AgreementDrafted, (history, charter) => AgreementGovernance.DecideDraft(history, document, actor, Now(), charter), document, ct);
    }

    /// <summary>A renewal: the next version of an agreement that was proposed, with a later expiry, for its own vote.</summary>
    public async Task<StoredAgreement> RenewAsync(string agreementId, AgreementDocument document, AgreementActor actor, CancellationToken ct = default)
    {
        if (!string.Equals(document.AgreementId, agreementId, StringComparison.Ordinal))
        {
            throw new ValidationErrors().Add("agreementId", "route-mismatch", "agreementId must be the agreement renewed.").ToException();
        }

        var existing = await FindAsync(agreementId, ct) ?? throw NotFound();
        if (!existing.Events.OfType<AgreementProposed>().Any())
        {
            throw new DomainException(AgreementErrorCodes.InvalidRenewal, "Only an agreement that was proposed can be renewed; rewrite the draft instead.");
        }

        return await AppendAsync(agreementId, AuditEventType.AgreementRenewalDrafted, (history, charter) => AgreementGovernance.DecideDraft(history, document, actor, Now(), charter), null, ct);
    }

    /// <summary>Puts the latest draft to the vote (<paramref name="version"/> defaults to it). Refused
    /// (<see cref="AgreementErrorCodes.OverlapsAgreementInForce"/>) when its term overlaps another approved
    /// agreement of the same partner: at most one agreement per partner is in force at an instant.</summary>
    public Task<StoredAgreement> ProposeAsync(string agreementId, int? version, AgreementActor actor, CancellationToken ct = default) =>
        AppendAsync(agreementId, AuditEventType.AgreementProposed, (history, charter) =>
            AgreementGovernance.DecideProposal(history, version ?? AgreementStatusCalculator.StatusAt(history, charter.Charters, Now()).LatestVersion, actor, Now(), charter), null, ct, refuseOverlap: true);

    /// <summary>A vote. Without <paramref name="version"/>: a withdrawal is on the version in force; a consent or
    /// reject on the version in force while it is suspended (resumption), else on the latest proposal.</summary>
    public Task<StoredAgreement> VoteAsync(string agreementId, VoteKind kind, string statement, DateTimeOffset? noticeEffectiveAt, int? version, AgreementActor voter, CancellationToken ct = default) =>
        AppendAsync(agreementId, AuditEventType.AgreementVoteCast, (history, charter) =>
        {
            var now = Now();
            var standing = AgreementStatusCalculator.StatusAt(history, charter.Charters, now);
            var on = version ?? (kind == VoteKind.Withdraw || standing.Status == AgreementStatus.Suspended ? standing.Version : standing.LatestVersion);
            return AgreementGovernance.DecideVote(history, new CastVote(on, kind, statement, noticeEffectiveAt), voter, now, charter);
        }, null, ct, refuseOverlap: kind == VoteKind.Consent);

    /// <summary>A privacy officer's suspension of an active agreement.</summary>
    public Task<StoredAgreement> SuspendAsync(string agreementId, string statement, AgreementActor actor, CancellationToken ct = default) =>
        AppendAsync(agreementId, AuditEventType.AgreementSuspended, (history, charter) => AgreementGovernance.DecideSuspension(history, statement, actor, Now(), charter), null, ct);

    /// <summary>The suspension an oversight alert makes when the agreement in force opted in to its kind
    /// (<c>autoSuspendOn</c>): recorded like a privacy officer's (7005), resumed only by the consent quorum.</summary>
    public Task<StoredAgreement> SuspendForAlertAsync(string agreementId, string alertKind, string statement, CancellationToken ct = default) =>
        AppendAsync(agreementId, AuditEventType.AgreementSuspended, (history, charter) => AgreementGovernance.DecideAutomaticSuspension(history, alertKind, statement, Now(), charter), null, ct);

    /// <summary>Notes a read of one agreement in the audit trail (the HTTP filter or the CLI commits it).</summary>
    public void NoteRead(string agreementId) => audit.Payload(new AgreementReadV1(agreementId));

    /// <summary>The refusal for an unknown agreement id. It does not repeat the id: a path segment can carry anything a
    /// client typed, and an error never echoes it.</summary>
    public static DomainException NotFound() => new(AgreementErrorCodes.AgreementNotFound, "No agreement has this id.");

    private DateTimeOffset Now() => StoredTime.Now(clock);

    private async Task<StoredAgreement> AppendAsync(
        string agreementId, AuditEventType auditAs, Func<IReadOnlyList<AgreementEvent>, GoverningCharter, AgreementEvent> decide, AgreementDocument? newDraft, CancellationToken ct,
        bool refuseOverlap = false)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var row = await db.Agreements.SingleOrDefaultAsync(a => a.AgreementId == agreementId, ct);
        if (row is null && newDraft is null)
        {
            throw NotFound();
        }

        var history = row is null ? [] : (await LoadAsync(row, ct)).Events;
        var charter = await new CharterStore(db, clock, audit).GoverningAsync(row?.PartnerAgency ?? newDraft!.PartnerAgency, ct);
        var evt = decide(history, charter);
        if (refuseOverlap && row is not null)
        {
            // Inside the transaction: on SQLite the writer lock serializes competing proposals and votes.
            var others = (await ListForPartnerAsync(row.PartnerAgency, ct)).Where(a => a.AgreementId != row.AgreementId).ToList();
            if (PartnerAgreements.Overlapping([.. history, evt], others, evt.RecordedAt) is { } overlapped)
            {
                throw new DomainException(AgreementErrorCodes.OverlapsAgreementInForce,
                    $"Agreement {overlapped.AgreementId} of {row.PartnerAgency} is approved for an overlapping term; at most one agreement per partner is in force at an instant (a new term is its renewal).");
            }
        }

        if (row is null)
        {
            await EnsurePartnerAgencyAsync(newDraft!.PartnerAgency, ct);
            row = new AgreementRow { AgreementId = evt.AgreementId, PartnerAgency = newDraft.PartnerAgency, CreatedAt = evt.RecordedAt };
            db.Agreements.Add(row);
            await db.SaveChangesAsync(ct);
        }

        if (evt is AgreementVoteCast vote)
        {
            audit.Payload(new AgreementVoteV1(evt.AgreementId, evt.Sequence, vote.Version, vote.Kind, vote.NoticeEffectiveAt?.ToUniversalTime()));
        }
        else
        {
            audit.Payload(new AgreementChangeV1(evt.AgreementId, evt.Sequence, VersionOf(evt)));
        }
        try
        {
            var stored = new NewEvent(EventStreams.Agreement, evt.AgreementId, evt.Sequence, TypeOf(evt), JsonSerializer.Serialize(evt, AgreementJson.Options),
                evt.RecordedAt, evt.Actor.UserId, evt.Actor.AgencyCode);
            await EventLog.AppendAsync(db, audit, auditAs, [], [stored], ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateException)
        {
            throw new DomainException(ErrorCodes.ConcurrentChange, $"Agreement {agreementId} was changed at the same time; reload it and retry.");
        }

        return await LoadAsync(row, ct);
    }

    // Rule: an agreement serves one outside agency, which must exist and be a partner (never a stakeholder).
    private async Task EnsurePartnerAgencyAsync(string code, CancellationToken ct)
    {
        var kind = await db.Agencies.Where(a => a.Code == code).Select(a => (AgencyKind?)a.Kind).SingleOrDefaultAsync(ct);
        if (kind != AgencyKind.Partner)
        {
            throw new ValidationErrors().Add("partnerAgency", "unknown-partner-agency", "partnerAgency must be the code of a partner agency.").ToException();
        }
    }

    private async Task<StoredAgreement> LoadAsync(AgreementRow row, CancellationToken ct)
    {
        var events = await EventLog.ReadAsync(db, EventStreams.Agreement, row.AgreementId, ct);
        var charter = await new CharterStore(db, clock, audit).GoverningAsync(row.PartnerAgency, ct);
        return new StoredAgreement(row.AgreementId, row.PartnerAgency, row.CreatedAt, [.. events.Select(e => Deserialize(e.Body))], charter);
    }

    private static AgreementEvent Deserialize(string payload) =>
        JsonSerializer.Deserialize<AgreementEvent>(payload, AgreementJson.Options) ?? throw new InvalidOperationException("An agreement event is null in the store.");

    private static int? VersionOf(AgreementEvent evt) => evt switch
    {
        AgreementDrafted d => d.Document.Version,
        AgreementProposed p => p.Version,
        AgreementVoteCast v => v.Version,
        _ => null,
    };

    private static string TypeOf(AgreementEvent evt) => evt switch
    {
        AgreementDrafted => "agreement-drafted",
        AgreementProposed => "agreement-proposed",
        AgreementVoteCast => "agreement-vote-cast",
        AgreementSuspended => "agreement-suspended",
        _ => throw new ArgumentOutOfRangeException(nameof(evt)),
    };
}
