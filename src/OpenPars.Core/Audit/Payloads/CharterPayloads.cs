using OpenPars.Core.Agreements;
using OpenPars.Core.Charter;

namespace OpenPars.Core.Audit.Payloads;

/// <summary>A charter event (10001 adopted, 10002 amendment proposed, 10003 amendment vote): its sequence in the
/// charter's stream, the charter version it concerns, and what only some kinds say — the adopted charter's id and
/// source file, the vote cast.</summary>
public sealed record CharterChangeV1(int Sequence, int CharterVersion, string? CharterId = null, string? Source = null, VoteKind? Vote = null)
    : IAuditPayload<CharterChangeV1>
{
    /// <inheritdoc/>
    public static AuditPayloadSchema Schema { get; } = new("charter-change", 1,
        [AuditEventType.CharterAdopted, AuditEventType.CharterAmendmentProposed, AuditEventType.CharterAmendmentVoteCast]);

    /// <inheritdoc/>
    public static CharterChangeV1 FromDetails(IReadOnlyDictionary<string, string> details) => new(
        details.Int("sequence") ?? 0,
        details.Int("charterVersion") ?? 0,
        details.Text("charterId"),
        details.Text("source"),
        details.Text("vote") is { } vote && Enum.TryParse<VoteKind>(vote, ignoreCase: true, out var kind) ? kind : null);

    /// <summary>The payload of the entry that records <paramref name="charterEvent"/>.</summary>
    public static CharterChangeV1 Of(CharterEvent charterEvent) => charterEvent switch
    {
        CharterAdopted a => new(a.Sequence, a.Charter.Version, a.Charter.CharterId, a.Source),
        CharterAmendmentProposed p => new(p.Sequence, p.Charter.Version),
        CharterAmendmentVoteCast v => new(v.Sequence, v.Version, Vote: v.Kind),
        _ => throw new ArgumentOutOfRangeException(nameof(charterEvent), charterEvent.GetType().Name, "Not a charter event this payload describes."),
    };
}
