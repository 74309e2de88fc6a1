using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OpenPars.App.Arraignment;
using OpenPars.App.Arrests;
using OpenPars.App.Audit;
using OpenPars.App.Hosting;
using OpenPars.App.Identity;
using OpenPars.Core.Agencies;
using OpenPars.Core.Audit;
using OpenPars.Core.Audit.Payloads;
using OpenPars.Core.Common;
using OpenPars.Core.Feeds;
using OpenPars.Storage;
using OpenPars.Storage.Audit;
using OpenPars.Storage.Feeds;

namespace OpenPars.App.Feeds;

/// <summary>
/// The desks' live streams (channel <c>stream</c>), audited like reads: opening is one entry (refused or allowed,
/// committed before the stream starts), and every batch of events is one more (<c>feeds.delivered</c>, naming the
/// arrests and positions), committed before the batch is sent.
/// </summary>
public sealed class FeedUseCases(
    FeedDispatcher dispatcher,
    OpenParsDbContext db,
    CityClock city,
    OpenParsAppOptions options,
    AuditScope audit,
    AuditLog log,
    IAuditEntrySink writer,
    TimeProvider clock)
{
    public const string LastEventIdField = "Last-Event-ID";

    /// <summary>Arrests entering (booked) and leaving (charging decided) the charging queue (charging attorney).</summary>
    public Task<DeskStream> ChargingQueueAsync(Caller caller, string? lastEventId, CancellationToken ct = default) =>
        OpenAsync(caller, AuditEventType.ChargingQueueStreamOpened, "charging-queue", Access.ChargingAttorney, () => Task.FromResult<Func<FeedEvent, bool>>(DeskFeeds.ChargingQueue), lastEventId, ct);

    /// <summary>The day's arraignment list changing: arrests charged onto it, arraignments recorded that day (magistrate).</summary>
    public Task<DeskStream> ArraignmentListAsync(Caller caller, string? date, string? lastEventId, CancellationToken ct = default) =>
        OpenAsync(caller, AuditEventType.ArraignmentListStreamOpened, "arraignment-list", Access.Magistrate, () =>
        {
            var day = ArraignmentUseCases.ListDate(city, date);
            audit.Trail.Criterion("date", day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            var (start, end) = city.DayBounds(day);
            return Task.FromResult<Func<FeedEvent, bool>>(e => DeskFeeds.ArraignmentList(e, start, end));
        }, lastEventId, ct);

    /// <summary>One arrest's new events, its timeline live (stakeholder roles).</summary>
    public Task<DeskStream> ArrestAsync(Caller caller, string arrestNumber, string? lastEventId, CancellationToken ct = default)
    {
        audit.Requested(arrestNumber);
        return OpenAsync(caller, AuditEventType.ArrestStreamOpened, "arrest", Access.Stakeholder, async () =>
        {
            if (!await db.Arrests.AnyAsync(a => a.ArrestNumber == arrestNumber, ct))
            {
                throw ArrestUseCases.NotFound(arrestNumber);
            }

            audit.Trail.Touched(arrestNumber);
            return e => DeskFeeds.ArrestTimeline(e, arrestNumber);
        }, lastEventId, ct);
    }

    /// <summary>Opens a stream: the caller checked by <paramref name="rule"/>, the resume point, the filter, the audit of opening and of every batch (also the oversight alert stream's).</summary>
    internal Task<DeskStream> OpenAsync(Caller caller, AuditEventType opened, string stream, Func<Caller, bool> rule, Func<Task<Func<FeedEvent, bool>>> filterFor, string? lastEventId, CancellationToken ct) =>
        audit.ReadAsync(caller.Via(Channels.Stream), opened, async () =>
        {
            Access.Require(caller, rule);
            var resume = ParseLastEventId(lastEventId);
            audit.Trail.Payload(new StreamOpenedV1(stream, resume));
            var filter = await filterFor();
            var origin = audit.Trail.Origin;
            return await JoinAsync(resume, filter, _ => batch => DeliveredAsync(origin, stream, batch), ct);
        });

    /// <summary>Joins the dispatcher for a stream whose caller has been decided on: the resume point checked against
    /// the log (PARS-FEED-001), the subscription, the replay and <paramref name="delivered"/> (given the subscription:
    /// it commits each batch's entry before the batch is sent, and may revoke the subscription instead). The desk
    /// streams, the overseers' alert stream and the partner stream all open through here.</summary>
    internal async Task<DeskStream> JoinAsync(long? resume, Func<FeedEvent, bool> filter, Func<FeedSubscription, Func<IReadOnlyList<FeedEvent>, Task>> delivered, CancellationToken ct)
    {
        // Without Last-Event-ID the stream starts at the log's head as committed now (not at the dispatcher's
        // position, which may trail it by a commit or two): "new events" means after this request.
        var head = await FeedReader.HeadAsync(db, ct);
        if (resume is { } after && after > head)
        {
            throw new DomainException(FeedErrorCodes.ResumeAheadOfLog, $"Last-Event-ID {after} is ahead of the event log, which ends at {head}.");
        }

        var subscription = await dispatcher.SubscribeAsync(filter, ct);
        return new DeskStream(subscription, resume ?? head, filter, db, options.Feeds, delivered(subscription));
    }

    private async Task DeliveredAsync(AuditOrigin origin, string stream, IReadOnlyList<FeedEvent> batch)
    {
        var entry = new AuditTrail(log, writer, clock) { Origin = origin, EventType = AuditEventType.StreamDelivered };
        entry.Touched(batch.Where(e => e.StreamType == FeedStreams.Arrest).Select(e => e.StreamId).Distinct(StringComparer.Ordinal));
        entry.Payload(new StreamDeliveredV1(stream, batch.Count, batch[0].Position, batch[^1].Position));
        await entry.CommitAsync(AuditOutcome.Allowed, null, 200);
    }

    /// <summary>Last-Event-ID: absent (start live) or a position we sent (digits only, at most 18).</summary>
    public static long? ParseLastEventId(string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (text.Length is 0 or > 18 || !long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var position))
        {
            throw new ValidationErrors().Add(LastEventIdField, "last-event-id-format", "Last-Event-ID must be the id of an event this stream sent (a whole number).").ToException();
        }

        return position;
    }
}
