using OpenPars.Core.Agreements;

namespace OpenPars.Core.Audit.Payloads;

/// <summary>An agreement's draft, proposal, renewal draft or suspension (7001, 7002, 7004, 7005): which agreement,
/// the event's sequence in its stream and the version it concerns (none for a suspension).</summary>
public sealed record AgreementChangeV1(string AgreementId, int Sequence, int? Version) : IAuditPayload<AgreementChangeV1>
{
    public static AuditPayloadSchema Schema { get; } = new("agreement-change", 1,
        [AuditEventType.AgreementDrafted, AuditEventType.AgreementProposed, AuditEventType.AgreementRenewalDrafted, AuditEventType.AgreementSuspended]);

    public static AgreementChangeV1 FromDetails(IReadOnlyDictionary<string, string> details) =>
        new(details.Text("agreementId") ?? "", details.Int("sequence") ?? 0, details.Int("version"));
}

/// <summary>A stakeholder's vote (7003): the agreement, the event's sequence, the version voted on, the vote
/// (<c>consent</c>, <c>reject</c>, <c>withdraw</c>) and a withdrawal's stated notice instant.</summary>
public sealed record AgreementVoteV1(string AgreementId, int Sequence, int? Version, VoteKind? Vote, DateTimeOffset? NoticeEffectiveAt) : IAuditPayload<AgreementVoteV1>
{
    public static AuditPayloadSchema Schema { get; } = new("agreement-vote", 1, [AuditEventType.AgreementVoteCast]);

    public static AgreementVoteV1 FromDetails(IReadOnlyDictionary<string, string> details) => new(
        details.Text("agreementId") ?? "",
        details.Int("sequence") ?? 0,
        details.Int("version"),
        details.Text("vote") is { } vote && Enum.TryParse<VoteKind>(vote, ignoreCase: true, out var kind) ? kind : null,
        details.Text("noticeEffectiveAt") is { } notice && DateTimeOffset.TryParse(notice, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind, out var at) ? at : null);
}

/// <summary>A read of one agreement or of its notice (7007, 7008).</summary>
public sealed record AgreementReadV1(string AgreementId) : IAuditPayload<AgreementReadV1>
{
    public static AuditPayloadSchema Schema { get; } = new("agreement-read", 1, [AuditEventType.AgreementRead, AuditEventType.AgreementNoticeRead]);

    public static AgreementReadV1 FromDetails(IReadOnlyDictionary<string, string> details) => new(details.Text("agreementId") ?? "");
}
