using OpenPars.Core.Charter;

namespace OpenPars.Core.Agreements;

/// <summary>
/// Computes an agreement's status from its events and the clock; the status is never stored (issue:
/// "Status is computed from events and the clock"). Events recorded after <c>now</c> are ignored, so the same
/// function answers "what was the status then?" for audits and notices.
///
/// The rules, in the order they are applied:
/// 1. A version enters into force at max(its effectiveAt, the instant its consent quorum was reached).
///    The governing version is the newest one in force at <c>now</c>: a renewal that reached quorum takes over
///    from the previous version at its own start, so a renewal approved before the expiry and effective by it
///    continues the agreement seamlessly; one approved after the expiry reactivates it from its start.
/// 2. Terminated, final, once the charter's withdrawal quorum has taken effect: the cut-off is the instant the
///    N-th standing withdrawal took effect (each at its notice instant, or when cast), N being the charter's
///    withdrawalsToEnd in force at that instant. Every quorum is the charter's; a document's own is ignored.
/// 3. No version in force: proposed (with <see cref="AgreementStanding.ConsentQuorumReached"/> when only
///    effectiveAt is ahead), or draft.
/// 4. Expired when now ≥ the governing version's expiresAt (to the second: expiresAt − 1 s is still active).
/// 5. Suspended while the latest suspension has no resumption quorum.
/// 6. Otherwise active.
/// </summary>
public static class AgreementStatusCalculator
{
    /// <summary>The status at <paramref name="now"/>, each vote counted under the charter in force when it was cast.</summary>
    public static AgreementStanding StatusAt(IEnumerable<AgreementEvent> agreementEvents, CharterTimeline charters, DateTimeOffset now)
    {
        var ledger = AgreementLedger.Fold(agreementEvents, charters, now);
        return StatusAt(ledger, now);
    }

    /// <summary>The status under one charter, in force since ever.</summary>
    public static AgreementStanding StatusAt(IEnumerable<AgreementEvent> agreementEvents, CharterDocument charter, DateTimeOffset now) =>
        StatusAt(agreementEvents, CharterTimeline.Of(charter), now);

    /// <summary>
    /// The first instant after <paramref name="now"/> at which the status may change with no new event: an approved
    /// version's expiry or start, or the withdrawal quorum taking effect at its notice instant. Null when none is
    /// ahead. A holder of a standing (an open partner stream) sets a timer for it and decides again when it fires.
    /// </summary>
    public static DateTimeOffset? NextChangeAt(IEnumerable<AgreementEvent> agreementEvents, CharterTimeline charters, DateTimeOffset now)
    {
        var ledger = AgreementLedger.Fold(agreementEvents, charters, now);
        var ahead = new List<DateTimeOffset>();
        if (ledger.WithdrawalCutOff() is { } cutOff && cutOff > now)
        {
            ahead.Add(cutOff);
        }

        foreach (var version in ledger.Versions.Values.Where(v => v.QuorumAt is not null))
        {
            if (version.StartsAt is { } starts && starts > now)
            {
                ahead.Add(starts);
            }

            if (version.Document.ExpiresAt > now)
            {
                ahead.Add(version.Document.ExpiresAt);
            }
        }

        return ahead.Count == 0 ? null : ahead.Min();
    }

    internal static AgreementStanding StatusAt(AgreementLedger ledger, DateTimeOffset now)
    {
        if (ledger.Latest is not { } latest)
        {
            return AgreementStanding.None(now);
        }

        var approved = ledger.Versions.Values.Where(v => v.QuorumAt is not null).ToList();
        var governing = approved.Where(v => v.StartsAt <= now).MaxBy(v => v.Number);
        var baseStanding = new AgreementStanding { AgreementId = ledger.AgreementId, At = now, LatestVersion = latest.Number };

        var ruling = governing ?? approved.LastOrDefault();
        if (ruling is not null && ledger.WithdrawalCutOff() is { } cutOff && cutOff <= now)
        {
            return Describe(baseStanding, ruling, AgreementStatus.Terminated) with { CutOffAt = cutOff };
        }

        if (governing is null)
        {
            var pending = approved.LastOrDefault() ?? latest;
            return Describe(baseStanding, pending, pending.ProposedAt is null ? AgreementStatus.Draft : AgreementStatus.Proposed)
                with { ConsentQuorumUnreachable = ledger.QuorumUnreachable(pending) };
        }

        if (now >= governing.Document.ExpiresAt)
        {
            return Describe(baseStanding, governing, AgreementStatus.Expired) with { CutOffAt = governing.Document.ExpiresAt };
        }

        var suspension = ledger.Suspensions.LastOrDefault();
        if (suspension is { ResumedAt: null })
        {
            return Describe(baseStanding, governing, AgreementStatus.Suspended) with { SuspendedAt = suspension.At };
        }

        return Describe(baseStanding, governing, AgreementStatus.Active);
    }

    private static AgreementStanding Describe(AgreementStanding standing, AgreementLedger.VersionState version, AgreementStatus status) =>
        standing with
        {
            Status = status,
            Version = version.Number,
            Document = version.Document,
            EffectiveAt = version.StartsAt,
            ExpiresAt = version.Document.ExpiresAt,
            ConsentQuorumReached = version.QuorumAt is not null,
        };
}
