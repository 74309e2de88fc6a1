using System.Globalization;
using System.Net;
using System.Net.ServerSentEvents;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenPars.App.Hosting;
using OpenPars.Core.Agencies;
using OpenPars.Core.Audit;
using OpenPars.Core.Watches;
using OpenPars.Storage.Events;
using OpenPars.Testing;
using OpenPars.Testing.Web;
using OpenPars.Web.Hosting;
using OpenPars.Web.Tests.Feeds;
using Shouldly;
using static OpenPars.Web.Tests.Agreements.AgreementHttp;

namespace OpenPars.Web.Tests.Watches;

/// <summary>
/// The partner stream over a real server on both databases, read as a partner's SSE client reads it: a watch match
/// arrives as a thin notice (never record data) with its position as the id, resumes by Last-Event-ID, carries only
/// the caller's agency's matches, is refused as a search would be; and revocation bites at once — a suspension, a
/// quorum's withdrawal at its notice instant, the agreement's expiry (both on a moved clock) and a revoked token each
/// close the open stream within a second with <c>event: revoked</c> naming the reason, and nothing after it.
/// </summary>
public sealed class PartnerStreamTests
{
    /// <summary>How long a revocation may take to reach an open stream (issue 10: "closes within one second").</summary>
    private static readonly TimeSpan BitesWithin = TimeSpan.FromSeconds(1);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, AllProviders]
    public async Task A_watched_re_arrest_reaches_the_stream_as_a_thin_notice_and_opening_and_delivery_are_on_the_record(StorageProvider provider)
    {
        await using var web = await StartAsync(provider);
        var server = web.Server;
        var agreementId = await AgreementArrange.AgreementAsync(server, "ICE", ArrangedState.Active);
        var sid = WatchHttp.Sid();
        var watchId = await WatchHttp.RegisterAsync(server, sid);
        var size = await server.AuditSizeAsync();
        using var analyst = server.Client(Roles.PartnerAnalyst);
        await using var stream = await SseStream.OpenAsync(analyst, WatchHttp.Stream(), Ct);
        stream.Response.StatusCode.ShouldBe(HttpStatusCode.OK);
        stream.Response.Content.Headers.ContentType?.MediaType.ShouldBe("text/event-stream");

        var number = await BookWatchedAsync(server, sid);
        var notice = (await stream.NextAsync())!.Value;
        notice.EventType.ShouldBe(WatchMatched.Type);
        var data = JsonNode.Parse(notice.Data)!.AsObject();
        data.Select(m => m.Key).Order().ShouldBe(["arrestNumber", "eventKind", "occurredAt", "type", "watchId"]);
        data["watchId"]!.GetValue<string>().ShouldBe(watchId);
        data["arrestNumber"]!.GetValue<string>().ShouldBe(number);
        data["eventKind"]!.GetValue<string>().ShouldBe("arrest-booked");
        notice.Data.ShouldNotContain("Okafor");
        long.Parse(notice.EventId!, CultureInfo.InvariantCulture).ShouldBe(await MatchPositionAsync(server, watchId));

        var entries = await server.AuditEntriesSinceAsync(size);
        var opened = entries.Where(e => Event(e) == "watches.stream-opened").ShouldHaveSingleItem();
        opened["channel"]!.GetValue<string>().ShouldBe("stream");
        opened["outcome"]!.GetValue<string>().ShouldBe("allowed");
        opened["payload"]!["agreementId"]!.GetValue<string>().ShouldBe(agreementId);
        var delivered = entries.Where(e => Event(e) == "watches.stream-delivered").ShouldHaveSingleItem();
        delivered["channel"]!.GetValue<string>().ShouldBe("stream");
        delivered["actor"]!["user"]!.GetValue<string>().ShouldBe(Roles.PartnerAnalyst);
        delivered["records"]!.AsArray().Select(r => r!.GetValue<string>()).ShouldBe([number]);
        delivered["payload"]!["agreementId"]!.GetValue<string>().ShouldBe(agreementId);
        delivered["payload"]!["firstPosition"]!.GetValue<string>().ShouldBe(notice.EventId);
    }

    [Theory, AllProviders]
    public async Task Another_agencys_matches_never_reach_a_partners_stream(StorageProvider provider)
    {
        await using var web = await StartAsync(provider);
        var server = web.Server;
        await AgreementArrange.AgreementAsync(server, "ICE", ArrangedState.Active);
        var other = await AgreementArrange.NewPartnerAsync(server);
        await AgreementArrange.AgreementAsync(server, other, ArrangedState.Active);
        var (_, otherToken) = await WatchHttp.PartnerAnalystTokenAsync(server, other);
        var iceSid = WatchHttp.Sid();
        var otherSid = WatchHttp.Sid();
        await WatchHttp.RegisterAsync(server, iceSid);
        using var otherClient = server.Client();
        otherClient.DefaultRequestHeaders.Authorization = new("Bearer", otherToken);
        using (var registered = await otherClient.SendAsync(WatchHttp.Register(otherSid), Ct))
        {
            registered.StatusCode.ShouldBe(HttpStatusCode.Created);
        }

        await using var stream = await SseStream.OpenAsync(otherClient, WatchHttp.Stream(), Ct);
        stream.Response.StatusCode.ShouldBe(HttpStatusCode.OK);
        await BookWatchedAsync(server, iceSid);
        var own = await BookWatchedAsync(server, otherSid);

        // ICE's match came first in the log; the other partner's stream skipped it and sent its own.
        var notice = (await stream.NextAsync())!.Value;
        JsonNode.Parse(notice.Data)!["arrestNumber"]!.GetValue<string>().ShouldBe(own);
    }

    [Theory, AllProviders]
    public async Task Last_Event_ID_resumes_right_after_the_match_it_names(StorageProvider provider)
    {
        await using var web = await StartAsync(provider);
        var server = web.Server;
        await AgreementArrange.AgreementAsync(server, "ICE", ArrangedState.Active);
        var sid = WatchHttp.Sid();
        await WatchHttp.RegisterAsync(server, sid);
        using var analyst = server.Client(Roles.PartnerAnalyst);
        string first;
        await using (var stream = await SseStream.OpenAsync(analyst, WatchHttp.Stream(), Ct))
        {
            await BookWatchedAsync(server, sid);
            first = (await stream.NextAsync())!.Value.EventId!;
        }

        var second = await BookWatchedAsync(server, sid);
        var third = await BookWatchedAsync(server, sid);
        await using var resumed = await SseStream.OpenAsync(analyst, WatchHttp.Stream(first), Ct);
        var replayed = await resumed.TakeAsync(2);
        replayed.Select(ArrestNumber).ShouldBe([second, third]);
        replayed.ShouldAllBe(e => long.Parse(e.EventId!, CultureInfo.InvariantCulture) > long.Parse(first, CultureInfo.InvariantCulture));
    }

    [Theory, AllProviders]
    public async Task The_stream_is_refused_as_a_search_would_be_and_the_refusal_is_on_the_record(StorageProvider provider)
    {
        await using var web = await StartAsync(provider);
        var server = web.Server;
        using var analyst = server.Client(Roles.PartnerAnalyst);
        await using (var none = await SseStream.OpenAsync(analyst, WatchHttp.Stream(), Ct))
        {
            none.Response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            (await none.Response.ReadAsync<JsonObject>())["code"]!.GetValue<string>().ShouldBe("PARS-AGR-001");
        }

        await AgreementArrange.AgreementAsync(server, "ICE", ArrangedState.Active);
        var noReason = WatchHttp.Stream();
        noReason.Headers.Remove("OpenPars-Reason");
        await using (var refused = await SseStream.OpenAsync(analyst, noReason, Ct))
        {
            ((int)refused.Response.StatusCode).ShouldBeInRange(400, 403);
            (await refused.Response.ReadAsync<JsonObject>())["code"]!.GetValue<string>().ShouldBe("PARS-AGR-011");
        }

        var entry = await LastEntryAsync(server, AuditEventType.PartnerStreamOpened);
        entry["outcome"]!.GetValue<string>().ShouldBe("refused");
        entry["code"]!.GetValue<string>().ShouldBe("PARS-AGR-011");
        await using var ahead = await SseStream.OpenAsync(analyst, WatchHttp.Stream("900000000000"), Ct);
        ahead.Response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ahead.Response.ReadAsync<JsonObject>())["code"]!.GetValue<string>().ShouldBe("PARS-FEED-001");
    }

    [Theory, AllProviders]
    public async Task A_suspension_closes_the_open_stream_at_once_and_the_watches_stop_matching(StorageProvider provider)
    {
        await using var web = await StartAsync(provider);
        var server = web.Server;
        var agreementId = await AgreementArrange.AgreementAsync(server, "ICE", ArrangedState.Active);
        await using var watching = await WatchingAsync(server);

        await SendOkAsync(server, Roles.PrivacyOfficer, TestAgreementDocuments.PostJson($"/api/v1/agreements/{agreementId}/suspension",
            new JsonObject { ["statement"] = "Suspended pending review of a complaint." }), HttpStatusCode.OK);
        await ClosedAsync(server, watching.Stream, "suspended", "PARS-AGR-004");
        await watching.StoppedMatchingAsync(server, HttpStatusCode.Forbidden, "PARS-AGR-004");
    }

    [Theory, AllProviders]
    public async Task A_quorums_withdrawal_closes_the_stream_at_its_notice_instant_on_the_moved_clock(StorageProvider provider)
    {
        await using var web = await StartAsync(provider);
        var server = web.Server;
        var agreementId = await AgreementArrange.AgreementAsync(server, "ICE", ArrangedState.Active);
        var reps = await AgreementArrange.RepresentativesAsync(server);
        await using var watching = await WatchingAsync(server);
        var cutOff = server.Clock.GetUtcNow().AddHours(1);
        await VoteAsync(server, reps["PPD"], agreementId, "withdraw", noticeAt: cutOff);
        await VoteAsync(server, reps["FJD"], agreementId, "withdraw", noticeAt: cutOff);

        // The quorum is reached but takes effect at its notice instant: a second before it, the stream stays open.
        await ClosesAtAsync(server, watching.Stream, cutOff, "terminated", "PARS-AGR-004");
        await watching.StoppedMatchingAsync(server, HttpStatusCode.Forbidden, "PARS-AGR-004");
    }

    [Theory, AllProviders]
    public async Task The_agreements_expiry_closes_the_stream_to_the_second_on_the_moved_clock_and_the_watches_stop_matching(StorageProvider provider)
    {
        await using var web = await StartAsync(provider);
        var server = web.Server;
        var expiresAt = server.Clock.GetUtcNow().AddHours(2);
        await AgreementArrange.AgreementAsync(server, "ICE", ArrangedState.Active, expiresAt: expiresAt);
        await using var watching = await WatchingAsync(server);

        await ClosesAtAsync(server, watching.Stream, expiresAt, "expired", "PARS-AGR-003");
        await watching.StoppedMatchingAsync(server, HttpStatusCode.Forbidden, "PARS-AGR-003");
    }

    [Theory, AllProviders]
    public async Task A_revoked_token_closes_its_stream_at_once_and_nothing_more_is_sent(StorageProvider provider)
    {
        await using var web = await StartAsync(provider);
        var server = web.Server;
        await AgreementArrange.AgreementAsync(server, "ICE", ArrangedState.Active);
        var sid = WatchHttp.Sid();
        await WatchHttp.RegisterAsync(server, sid);
        var (tokenId, token) = await WatchHttp.PartnerAnalystTokenAsync(server, "ICE");
        using var analyst = server.Client();
        analyst.DefaultRequestHeaders.Authorization = new("Bearer", token);
        await using var stream = await OpenLiveAsync(analyst);
        await using var colleague = await OpenLiveAsync(server.Client(Roles.PartnerAnalyst));

        // `openpars token revoke`'s use case, run in the server's process.
        using (var scope = server.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<App.Identity.IdentityUseCases>().RevokeTokenAsync(Caller.Operator("test"), tokenId, Ct);
        }

        await ClosedAsync(server, stream, "token-revoked", "PARS-AUTH-001");

        // The colleague's stream, on another token of the same agency, goes on and gets the next match.
        var number = await BookWatchedAsync(server, sid);
        ArrestNumber((await colleague.NextAsync())!.Value).ShouldBe(number);
        await RefusedAgainAsync(analyst, HttpStatusCode.Unauthorized, "PARS-AUTH-001");
    }

    private static async Task<ProviderTestServer> StartAsync(StorageProvider provider) =>
        await ProviderTestServer.StartAsync(provider, clock: null, feeds: FeedServerFixture.Options, ct: Ct);

    /// <summary>Opens the partner stream and waits for its first heartbeat: it is open, audited and guarded.</summary>
    private static async Task<SseStream> OpenLiveAsync(HttpClient client)
    {
        var stream = await SseStream.OpenAsync(client, WatchHttp.Stream(), Ct);
        stream.Response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await stream.NextAsync(heartbeats: true))!.Value.EventType.ShouldBe(SseStream.Heartbeat);
        return stream;
    }

    /// <summary>The stream's next item is <c>revoked</c> with this reason and code, within a second; then it ends, and
    /// the close is on the record.</summary>
    private static async Task ClosedAsync(OpenParsTestServer server, SseStream stream, string reason, string code)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        SseItem<string> item;
        do
        {
            item = (await stream.NextAsync(BitesWithin - started.Elapsed > TimeSpan.Zero ? BitesWithin - started.Elapsed : TimeSpan.FromMilliseconds(1), heartbeats: true))!.Value;
        }
        while (item.EventType == SseStream.Heartbeat);

        item.EventType.ShouldBe("revoked");
        var data = JsonNode.Parse(item.Data)!;
        data["reason"]!.GetValue<string>().ShouldBe(reason);
        data["code"]!.GetValue<string>().ShouldBe(code);
        (await stream.NextAsync(TimeSpan.FromSeconds(5), heartbeats: true)).ShouldBeNull();
        var entry = await LastEntryAsync(server, AuditEventType.PartnerStreamRevoked);
        entry["payload"]!["reason"]!.GetValue<string>().ShouldBe(reason);
        entry["code"]!.GetValue<string>().ShouldBe(code);
        entry["channel"]!.GetValue<string>().ShouldBe("stream");
    }

    /// <summary>The clock moved to a second before <paramref name="at"/>: two heartbeats later (the guard's timer and a
    /// dispatcher cycle had their chance) the stream is still open; moved on to <paramref name="at"/>, it closes.</summary>
    private static async Task ClosesAtAsync(OpenParsTestServer server, SseStream stream, DateTimeOffset at, string reason, string code)
    {
        server.Clock.Advance(at - server.Clock.GetUtcNow() - TimeSpan.FromSeconds(1));
        for (var i = 0; i < 2; i++)
        {
            (await stream.NextAsync(heartbeats: true))!.Value.EventType.ShouldBe(SseStream.Heartbeat);
        }

        server.Clock.Advance(TimeSpan.FromSeconds(1));
        await ClosedAsync(server, stream, reason, code);
    }

    private static async Task RefusedAgainAsync(HttpClient client, HttpStatusCode status, string code)
    {
        await using var again = await SseStream.OpenAsync(client, WatchHttp.Stream(), Ct);
        again.Response.StatusCode.ShouldBe(status);
        (await again.Response.ReadAsync<JsonObject>())["code"]!.GetValue<string>().ShouldBe(code);
    }

    /// <summary>Books an arrest of the person with <paramref name="sid"/> and runs the matcher once.</summary>
    private static async Task<string> BookWatchedAsync(OpenParsTestServer server, string sid)
    {
        var booking = SampleBookings.Valid("Rearresta");
        booking["person"]!["identifiers"]!["sid"] = sid;
        var number = await BookAsync(server, booking);
        await server.Services.GetRequiredService<WatchMatcherService>().RunOnceAsync(Ct);
        return number;
    }

    private static async Task<long> MatchPositionAsync(OpenParsTestServer server, string watchId)
    {
        await using var db = server.NewContext();
        return await db.Events.Where(e => e.StreamType == EventStreams.PartnerWatch && e.StreamId == watchId && e.Type == WatchMatched.Type).Select(e => e.Position).SingleAsync(Ct);
    }

    /// <summary>A watch of ICE's analyst and the analyst's open partner stream.</summary>
    private static async Task<Watching> WatchingAsync(OpenParsTestServer server)
    {
        var sid = WatchHttp.Sid();
        var watchId = await WatchHttp.RegisterAsync(server, sid);
        var analyst = server.Client(Roles.PartnerAnalyst);
        return new Watching(sid, watchId, analyst, await OpenLiveAsync(analyst));
    }

    private sealed record Watching(string Sid, string WatchId, HttpClient Analyst, SseStream Stream) : IAsyncDisposable
    {
        /// <summary>After the revocation: a re-arrest of the watched person is matched to nothing, and opening again is refused.</summary>
        public async Task StoppedMatchingAsync(OpenParsTestServer server, HttpStatusCode status, string code)
        {
            await BookWatchedAsync(server, Sid);
            await using (var db = server.NewContext())
            {
                (await db.WatchMatches.CountAsync(m => m.WatchId == WatchId, Ct)).ShouldBe(0);
            }

            await RefusedAgainAsync(Analyst, status, code);
        }

        public async ValueTask DisposeAsync()
        {
            await Stream.DisposeAsync();
            Analyst.Dispose();
        }
    }

    private static string Event(JsonObject entry) => entry["event"]!.GetValue<string>();

    private static string ArrestNumber(SseItem<string> item) => JsonNode.Parse(item.Data)!["arrestNumber"]!.GetValue<string>();
}
