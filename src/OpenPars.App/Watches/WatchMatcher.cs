using OpenPars.App.Hosting;
using OpenPars.Core.Arrests;
using OpenPars.Core.Agreements;
using OpenPars.Core.Feeds;
using OpenPars.Core.Watches;
using OpenPars.Storage;
using OpenPars.Storage.Agreements;
using OpenPars.Storage.Audit;
using OpenPars.Storage.Feeds;
using OpenPars.Storage.Watches;

namespace OpenPars.App.Watches;

/// <summary>
/// The server-run matcher of partner watches: a durable feed consumer (mark <see cref="WatchStore.MatcherConsumer"/> in
/// <c>feed_consumers</c>). For each batch of committed events above its mark it finds, for every arrest event, the
/// watches active at the event's instant (registered before it, not expired, not cancelled) whose agreement is in force
/// then and grants <c>watch</c>, and whose criteria find the arrest as a partner search would under the agreement's row
/// scope; it appends one <see cref="WatchMatched"/> per (watch, event) with its audit entry and moves the mark, in one
/// transaction. A restart resumes from the mark; a second process loses the mark's compare-and-set and writes nothing;
/// the primary key of <c>partner_watch_matches</c> refuses a duplicate whatever happens to the mark. Matches appended
/// raise this process's <see cref="Feeds.FeedSignal"/>, so the partner streams and the webhook enqueuer see them at once.
/// </summary>
public sealed class WatchMatcher(OpenParsDbContext db, WatchStore watches, AgreementStore agreements, ReferenceData reference, OpenParsAppOptions options, AuditTrail trail, Feeds.FeedSignal signal)
{
    /// <summary>How the matcher's entries name their origin: no user, the system channel.</summary>
    public static AuditOrigin Origin { get; } = new("system", null, null, "SYSTEM", "watch-matcher");

    /// <summary>Handles every committed event above the mark, batch by batch; returns the matches appended.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct = default)
    {
        trail.Origin = Origin;
        var appended = 0;
        while (true)
        {
            var mark = await FeedConsumers.MarkAsync(db, WatchStore.MatcherConsumer, ct);
            var batch = await FeedReader.ReadAfterAsync(db, mark, options.Feeds.ReadBatch, ct);
            if (batch.Count == 0)
            {
                if (appended > 0)
                {
                    // Committed: this process's dispatcher reads the matches now (other processes: the NOTIFY, or their poll).
                    signal.Raise();
                }

                return appended;
            }

            var matches = await MatchAsync(batch, ct);
            if (!await watches.AppendMatchesAsync(mark, batch[^1].Position, matches, ct))
            {
                // Another matcher (another process) handled this batch first: read on from its mark.
                continue;
            }

            appended += matches.Count;
        }
    }

    private async Task<IReadOnlyList<WatchMatched>> MatchAsync(IReadOnlyList<FeedEvent> batch, CancellationToken ct)
    {
        var arrestEvents = batch.Where(e => e.StreamType == FeedStreams.Arrest).ToList();
        var candidates = arrestEvents.Count == 0 ? [] : await watches.CandidatesAsync(batch, ct);
        if (candidates.Count == 0)
        {
            return [];
        }

        var loaded = new Dictionary<string, StoredAgreement?>(StringComparer.Ordinal);
        var matches = new List<WatchMatched>();

        // One query per watch and agreement version narrows the batch's arrests to those its search could find at all;
        // each event of those is then checked at its own instant.
        var numbers = arrestEvents.Select(e => e.StreamId).Distinct(StringComparer.Ordinal).ToList();
        var earliest = arrestEvents.Min(e => e.RecordedAt);
        var narrowed = new Dictionary<(string WatchId, int Version), IReadOnlySet<string>>();
        foreach (var e in arrestEvents)
        {
            foreach (var watch in candidates.Where(w => w.RegisteredPosition < e.Position && WatchRules.ActiveAt(w.RegisteredAt, w.ExpiresAt, w.CancelledAt, e.RecordedAt)))
            {
                if (!loaded.TryGetValue(watch.AgreementId, out var agreement))
                {
                    agreement = loaded[watch.AgreementId] = await agreements.FindAsync(watch.AgreementId, ct);
                }

                var standing = agreement?.StatusAt(e.RecordedAt);
                if (agreement is null || standing is null || WatchRules.Revoked(standing, watch.AgreementId, e.RecordedAt) is not null
                    || !string.Equals(agreement.PartnerAgency, watch.AgencyCode, StringComparison.Ordinal))
                {
                    continue;
                }

                if (!narrowed.TryGetValue((watch.WatchId, standing.Version), out var candidatesOfWatch))
                {
                    candidatesOfWatch = narrowed[(watch.WatchId, standing.Version)] =
                        await watches.MatchingAsync(watch, standing.Document!, standing.Version, numbers, earliest, reference.Statutes, ct);
                }

                if (candidatesOfWatch.Contains(e.StreamId)
                    && await watches.MatchesAsync(watch, standing.Document!, standing.Version, e.StreamId, e.RecordedAt, reference.Statutes, ct))
                {
                    matches.Add(new WatchMatched(watch.WatchId, watch.AgreementId, watch.AgencyId, watch.AgencyCode, e.StreamId, e.Type, e.RecordedAt, e.Position));
                }
            }
        }

        if (matches.Count == 0)
        {
            return matches;
        }

        var done = await watches.MatchedAsync([.. matches.Select(m => m.WatchId).Distinct(StringComparer.Ordinal)], batch[0].Position - 1, batch[^1].Position, ct);
        return [.. matches.Where(m => !done.Contains((m.WatchId, m.MatchedPosition)))];
    }
}
