using OpenPars.Core.Agreements;

namespace OpenPars.Storage.Agreements;

/// <summary>
/// Which of a partner's agreements governs its requests, and the rule that keeps that choice unambiguous: at most
/// one agreement per partner in force at an instant. Pure functions of the agreements' events and the instant.
/// </summary>
public static class PartnerAgreements
{
    /// <summary>
    /// The agreement a partner decision at <paramref name="now"/> is taken under:
    /// 1. the one in force (active or suspended by its events: effective ≤ now &lt; expiry); were there ever two,
    ///    the one that entered into force first (the other's proposal should have been refused);
    /// 2. else the newest created one that reached its consent quorum (expired, terminated, or approved and not
    ///    yet effective), so the refusal says why (-003, -004, -002);
    /// 3. else none (-001). A draft or a proposal without its quorum is never chosen: it cannot affect access.
    /// </summary>
    public static StoredAgreement? ForDecision(IReadOnlyList<StoredAgreement> agreements, DateTimeOffset now)
    {
        var standings = agreements.Select(a => (Agreement: a, Standing: a.StatusAt(now))).ToList();
        var inForce = standings.Where(s => IsInForce(s.Standing)).OrderBy(s => s.Standing.EffectiveAt).Select(s => s.Agreement).FirstOrDefault();
        return inForce ?? standings.LastOrDefault(s => s.Standing.ConsentQuorumReached).Agreement;
    }

    /// <summary>In force at its instant: active or suspended (a suspension refuses with -004 but keeps the term).</summary>
    public static bool IsInForce(AgreementStanding standing) => standing.Status is AgreementStatus.Active or AgreementStatus.Suspended;

    /// <summary>
    /// The other agreement (of the same partner) that the version named by <paramref name="history"/>'s last
    /// event (a proposal or a consent) would share an instant in force with, or null. Only approved agreements
    /// that have not ended count (active, suspended, or approved and awaiting their effective instant); drafts and
    /// proposals without quorum are nobody's term yet. The agreement's own renewal is in its own history, never here.
    /// </summary>
    public static StoredAgreement? Overlapping(IReadOnlyList<AgreementEvent> history, IEnumerable<StoredAgreement> others, DateTimeOffset now)
    {
        var version = history[^1] switch
        {
            AgreementProposed p => p.Version,
            AgreementVoteCast v => v.Version,
            _ => (int?)null,
        };
        var document = history.OfType<AgreementDrafted>().LastOrDefault(d => d.Document.Version == version)?.Document;
        if (document is null)
        {
            return null;
        }

        return others.FirstOrDefault(other =>
        {
            var standing = other.StatusAt(now);
            var live = IsInForce(standing) || standing is { Status: AgreementStatus.Proposed, ConsentQuorumReached: true };
            return live && standing.EffectiveAt < document.ExpiresAt && document.EffectiveAt < standing.ExpiresAt;
        });
    }
}
