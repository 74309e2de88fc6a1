using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenPars.App.Feeds;
using OpenPars.Core.Audit;
using OpenPars.Core.Common;
using OpenPars.Core.Feeds;
using OpenPars.Web.Audit;
using OpenPars.Web.OpenApi;
using OpenPars.Web.Security;
using static OpenPars.Web.Endpoints.HttpConventions;

namespace OpenPars.Web.Endpoints;

/// <summary>
/// The desks' live streams as Server-Sent Events (<see cref="FeedUseCases"/>): <c>id:</c> is the event's global
/// position and <c>Last-Event-ID</c> resumes right after it; <c>event:</c> is the event's type and <c>data:</c> its
/// JSON as stored. An idle stream sends <c>event: heartbeat</c> with empty data — the built-in SSE formatter writes no
/// comment lines, and an event with empty data is, like a comment, never dispatched by EventSource; a subscriber that
/// fell behind gets <c>event: overflow</c> (data: the last id it was sent) and the stream ends; a partner stream whose
/// agreement stopped or whose token was revoked gets <c>event: revoked</c> (data: the reason and code) and ends.
/// </summary>
public static class FeedsApi
{
    public const string Heartbeat = "heartbeat";
    public const string Overflow = "overflow";
    public const string Revoked = "revoked";

    public static IEndpointRouteBuilder MapFeedsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/v1/streams/charging-queue", ChargingQueue).WithTags("Streams").RequireAuthorization(Policies.ChargingAttorney)
            .Audited(AuditEventType.ChargingQueueStreamOpened).WithName("streamChargingQueue").WithResumeHeader()
            .WithSummary("Live (SSE): arrests entering (arrest-booked) and leaving (charging-decided) the charging queue (charging attorney).");
        routes.MapGet("/api/v1/streams/arraignment-list", ArraignmentList).WithTags("Streams").RequireAuthorization(Policies.Magistrate)
            .Audited(AuditEventType.ArraignmentListStreamOpened).WithName("streamArraignmentList").WithQuery("date", "The day, yyyy-MM-dd in the city's zone; default today.").WithResumeHeader()
            .WithSummary("Live (SSE): the day's arraignment list changing — arrests charged onto it, arraignments recorded that day (magistrate).");
        routes.MapGet("/api/v1/streams/arrests/{arrestNumber}", Arrest).WithTags("Streams").RequireAuthorization(Policies.Stakeholder)
            .Audited(AuditEventType.ArrestStreamOpened).WithName("streamArrest").WithResumeHeader().Refuses(ErrorCodes.ArrestNotFound)
            .WithSummary("Live (SSE): one arrest's new events, its timeline as it happens (stakeholder roles).");
        return routes;
    }

    /// <summary>The optional <c>Last-Event-ID</c> header and its refusals, as every stream documents them.</summary>
    internal static TBuilder WithResumeHeader<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithHeader(FeedUseCases.LastEventIdField, required: false, "Resume right after this event id (the global position); sent by EventSource on reconnect.")
            .Refuses(ErrorCodes.ValidationFailed, FeedErrorCodes.ResumeAheadOfLog);

    private static async Task<ServerSentEventsResult<string>> ChargingQueue(HttpContext context, FeedUseCases feeds) =>
        Sse(await feeds.ChargingQueueAsync(context.User.ToCaller(), LastEventId(context), context.RequestAborted));

    private static async Task<ServerSentEventsResult<string>> ArraignmentList(HttpContext context, FeedUseCases feeds) =>
        Sse(await feeds.ArraignmentListAsync(context.User.ToCaller(), Query(context, "date"), LastEventId(context), context.RequestAborted));

    private static async Task<ServerSentEventsResult<string>> Arrest(string arrestNumber, HttpContext context, FeedUseCases feeds) =>
        Sse(await feeds.ArrestAsync(context.User.ToCaller(), arrestNumber, LastEventId(context), context.RequestAborted));

    internal static string? LastEventId(HttpContext context) =>
        context.Request.Headers.TryGetValue(FeedUseCases.LastEventIdField, out var values) && values.Count > 0 ? values.ToString() : null;

    /// <summary>A stream's items as Server-Sent Events (id, event type, data as stored; heartbeat; overflow).</summary>
    internal static ServerSentEventsResult<string> Sse(IAsyncEnumerable<StreamItem> items) => TypedResults.ServerSentEvents(ToSse(items));

    private static async IAsyncEnumerable<SseItem<string>> ToSse(IAsyncEnumerable<StreamItem> items, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await foreach (var item in items.WithCancellation(ct))
        {
            yield return item.Kind switch
            {
                StreamItemKind.Event => new SseItem<string>(item.Event!.Body, item.Event.Type) { EventId = item.Event.Position.ToString(CultureInfo.InvariantCulture) },
                StreamItemKind.Heartbeat => new SseItem<string>("", Heartbeat),
                StreamItemKind.Revoked => new SseItem<string>(JsonSerializer.Serialize(new RevokedNotice(item.Revocation!.Reason, item.Revocation.Code), OpenParsJson.Options), Revoked),
                _ => new SseItem<string>(JsonSerializer.Serialize(new OverflowNotice(item.LastEventId.ToString(CultureInfo.InvariantCulture)), OpenParsJson.Options), Overflow),
            };
        }
    }

    /// <summary>The data of the final <c>revoked</c> event (the partner stream): why it closed — <c>terminated</c>,
    /// <c>suspended</c>, <c>expired</c>, <c>not-granted</c>, <c>no-agreement</c>, <c>token-revoked</c>,
    /// <c>token-expired</c> — and the refusal code a new request would get. Reconnecting is refused with that code.</summary>
    /// <param name="Reason">The stable reason.</param>
    /// <param name="Code">The refusal code.</param>
    public sealed record RevokedNotice(string Reason, string Code);

    /// <summary>The data of the final <c>overflow</c> event: where to resume.</summary>
    public sealed record OverflowNotice(string LastEventId);
}
