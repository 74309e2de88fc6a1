using OpenPars.App.Feeds;
using OpenPars.Core.Agencies;
using OpenPars.Core.Audit;
using OpenPars.Core.Feeds;
using OpenPars.Core.Oversight;

namespace OpenPars.App.Oversight;

/// <summary>
/// The overseers' live alert stream (<c>GET /api/v1/oversight/alerts/stream</c>): every alert the evaluator raises and
/// every acknowledgement, as they commit, through the desks' machinery (<see cref="FeedDispatcher"/>,
/// <see cref="DeskStream"/>): <c>Last-Event-ID</c> resumes without a gap or a repeat, opening is one audit entry
/// (12010, refused or allowed) and every batch one more (<c>feeds.delivered</c>) committed before it is sent.
/// </summary>
public sealed class OversightAlertStreams(FeedUseCases feeds)
{
    /// <summary>Opens the stream for a privacy officer or a stakeholder representative.</summary>
    public Task<DeskStream> OpenAsync(Caller caller, string? lastEventId, CancellationToken ct = default) =>
        feeds.OpenAsync(caller, AuditEventType.OversightAlertStreamOpened, OversightAlertFeed.StreamName, OversightUseCases.Overseers,
            () => Task.FromResult<Func<FeedEvent, bool>>(OversightAlertFeed.Carries), lastEventId, ct);
}
