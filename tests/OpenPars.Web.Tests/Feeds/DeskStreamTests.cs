using System.Net;
using System.Net.ServerSentEvents;
using System.Text.Json.Nodes;
using OpenPars.App.Feeds;
using OpenPars.App.Hosting;
using OpenPars.Core.Agencies;
using OpenPars.Testing;
using OpenPars.Testing.Web;
using Microsoft.Extensions.DependencyInjection;

namespace OpenPars.Web.Tests.Feeds;

/// <summary>The feed suite's servers: heartbeats every 200 ms, so an idle stream shows one without a 15-second wait.</summary>
public sealed class FeedServerFixture : ProviderServers<WebServer>
{
    public static readonly FeedOptions Options = new() { HeartbeatInterval = TimeSpan.FromMilliseconds(200) };

    protected override FeedOptions? Feeds => Options;

    protected override WebServer Attach(OpenParsTestServer server) => new(server);
}

/// <summary>The desks' live streams over a real server, as a desk's browser or a curl -N sees them.</summary>
public sealed class DeskStreamTests(FeedServerFixture fixture) : IClassFixture<FeedServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, AllProviders]
    public async Task A_stream_whose_client_goes_ends_on_the_server(StorageProvider provider)
    {
        var web = await fixture.ForAsync(provider);
        await web.Server.StreamsClosedAsync();
        var dispatcher = web.Server.Services.GetRequiredService<FeedDispatcher>();
        await using (var stream = await SseStream.OpenAsync(web.Server.Client(Roles.ChargingAttorney), "/api/v1/streams/charging-queue", ct: Ct))
        {
            Assert.Equal(SseStream.Heartbeat, (await stream.NextAsync(heartbeats: true))!.Value.EventType);
            Assert.Equal(1, dispatcher.SubscriberCount);
        }

        await web.Server.StreamsClosedAsync();
        Assert.Equal(0, dispatcher.SubscriberCount);
    }

    [Theory, AllProviders]
    public async Task A_booking_and_its_charging_decision_reach_the_charging_queue_stream_with_their_positions(StorageProvider provider)
    {
        var web = await fixture.ForAsync(provider);
        using var attorney = web.Server.Client(Roles.ChargingAttorney);
        await using var stream = await SseStream.OpenAsync(attorney, "/api/v1/streams/charging-queue", ct: Ct);
        Assert.Equal(HttpStatusCode.OK, stream.Response.StatusCode);
        Assert.Equal("text/event-stream", stream.Response.Content.Headers.ContentType?.MediaType);

        var number = await web.BookAsync();
        var booked = await NextOfAsync(stream, number);
        Assert.Equal("arrest-booked", booked.EventType);
        Assert.Equal(await PositionOfAsync(web, number, version: 1), long.Parse(booked.EventId!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("Okafor", JsonNode.Parse(booked.Data)!["person"]!["lastName"]!.GetValue<string>());

        using var decided = await attorney.PostJsonAsync($"/api/v1/arrests/{number}/charging-decision", new JsonObject { ["outcome"] = "approve" });
        Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
        var left = await NextOfAsync(stream, number);
        Assert.Equal("charging-decided", left.EventType);
        Assert.Equal(await PositionOfAsync(web, number, version: 2), long.Parse(left.EventId!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory, AllProviders]
    public async Task Last_Event_ID_resumes_exactly_after_the_event_it_names_without_a_gap_or_a_repeat(StorageProvider provider)
    {
        var web = await fixture.ForAsync(provider);
        using var attorney = web.Server.Client(Roles.ChargingAttorney);
        var mine = new List<string>();
        string resumeFrom;
        await using (var first = await SseStream.OpenAsync(attorney, "/api/v1/streams/charging-queue", ct: Ct))
        {
            for (var i = 0; i < 3; i++)
            {
                mine.Add(await web.BookAsync(SampleBookings.Valid("Resumer", $"N{i}")));
            }

            var seen = await first.TakeAsync(3);
            Assert.Equal(mine, seen.Select(ArrestNumber));
            resumeFrom = seen[0].EventId!;
        }

        // While nobody listens, three more bookings; the client comes back with the id of the first event it had.
        for (var i = 3; i < 6; i++)
        {
            mine.Add(await web.BookAsync(SampleBookings.Valid("Resumer", $"N{i}")));
        }

        await using var resumed = await SseStream.OpenAsync(attorney, "/api/v1/streams/charging-queue", resumeFrom, Ct);
        var replayed = await resumed.TakeAsync(5);
        Assert.Equal(mine.Skip(1), replayed.Select(ArrestNumber));
        var positions = replayed.Select(e => long.Parse(e.EventId!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(positions.Order(), positions);
        Assert.True(positions[0] > long.Parse(resumeFrom, System.Globalization.CultureInfo.InvariantCulture));

        // And it goes on live from there, nothing sent twice.
        var live = await web.BookAsync(SampleBookings.Valid("Resumer", "Live"));
        var next = await resumed.NextAsync();
        Assert.Equal(live, ArrestNumber(next!.Value));
        Assert.True(long.Parse(next.Value.EventId!, System.Globalization.CultureInfo.InvariantCulture) > positions[^1]);
    }

    [Theory, AllProviders]
    public async Task An_idle_stream_sends_heartbeats_that_carry_no_id(StorageProvider provider)
    {
        var web = await fixture.ForAsync(provider);
        using var magistrate = web.Server.Client(Roles.Magistrate);
        await using var stream = await SseStream.OpenAsync(magistrate, "/api/v1/streams/arraignment-list?date=1999-01-04", ct: Ct);
        var beats = new List<SseItem<string>>();
        for (var i = 0; i < 3; i++)
        {
            beats.Add((await stream.NextAsync(heartbeats: true))!.Value);
        }

        Assert.All(beats, b => Assert.Equal(SseStream.Heartbeat, b.EventType));
        Assert.All(beats, b => Assert.Null(b.EventId));
        Assert.All(beats, b => Assert.Equal("", b.Data));
    }

    [Theory, AllProviders]
    public async Task Opening_and_every_delivery_are_on_the_record_before_the_event_arrives(StorageProvider provider)
    {
        var web = await fixture.ForAsync(provider);
        var size = await web.Server.AuditSizeAsync();
        using var representative = web.Server.Client(Roles.StakeholderRepresentative);
        var number = await web.BookAsync();
        await using var stream = await SseStream.OpenAsync(representative, $"/api/v1/streams/arrests/{number}", ct: Ct);
        using var attorney = web.Server.Client(Roles.ChargingAttorney);
        using var decided = await attorney.PostJsonAsync($"/api/v1/arrests/{number}/charging-decision", new JsonObject { ["outcome"] = "approve" });
        var evt = (await stream.NextAsync())!.Value;
        Assert.Equal("charging-decided", evt.EventType);

        var entries = await web.Server.AuditEntriesSinceAsync(size);
        var opened = Assert.Single(entries, e => e["event"]!.GetValue<string>() == "feeds.arrest-opened");
        Assert.Equal("stream", opened["channel"]!.GetValue<string>());
        Assert.Equal(Roles.StakeholderRepresentative, opened["actor"]!["user"]!.GetValue<string>());
        Assert.Contains(number, opened["records"]!.AsArray().Select(r => r!.GetValue<string>()));
        var delivered = Assert.Single(entries, e => e["event"]!.GetValue<string>() == "feeds.delivered" && e["path"]!.GetValue<string>() == $"/api/v1/streams/arrests/{number}");
        Assert.Equal("stream", delivered["channel"]!.GetValue<string>());
        Assert.Equal(Roles.StakeholderRepresentative, delivered["actor"]!["user"]!.GetValue<string>());
        Assert.Equal([number], delivered["records"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal(evt.EventId, delivered["payload"]!["firstPosition"]!.GetValue<string>());
        Assert.Equal("arrest", delivered["payload"]!["stream"]!.GetValue<string>());
        Assert.Equal("stream-delivered@1", delivered["payload"]!["schema"]!.GetValue<string>());
        Assert.Equal("arrest", opened["payload"]!["stream"]!.GetValue<string>());
    }

    [Theory, AllProviders]
    public async Task One_arrests_stream_carries_only_that_arrests_events(StorageProvider provider)
    {
        var web = await fixture.ForAsync(provider);
        var watched = await web.BookAsync();
        using var officer = web.Server.Client(Roles.BookingOfficer);
        await using var stream = await SseStream.OpenAsync(officer, $"/api/v1/streams/arrests/{watched}", ct: Ct);
        await web.BookAndChargeAsync();
        using var attorney = web.Server.Client(Roles.ChargingAttorney);
        using var decided = await attorney.PostJsonAsync($"/api/v1/arrests/{watched}/charging-decision", new JsonObject { ["outcome"] = "decline", ["reason"] = "No probable cause" });
        var evt = (await stream.NextAsync())!.Value;
        Assert.Equal("charging-decided", evt.EventType);
        Assert.Equal(watched, ArrestNumber(evt));
    }

    [Theory, AllProviders]
    public async Task The_arraignment_list_stream_carries_the_days_charges_and_arraignments_and_not_other_days(StorageProvider provider)
    {
        var web = await fixture.ForAsync(provider);
        using var magistrate = web.Server.Client(Roles.Magistrate);

        // Booked on 2026-11-23: charged, it waits on that day's list (and later days'), never on the 22nd's.
        await using var dayBefore = await SseStream.OpenAsync(magistrate, "/api/v1/streams/arraignment-list?date=2026-11-22", ct: Ct);
        await using var today = await SseStream.OpenAsync(magistrate, "/api/v1/streams/arraignment-list?date=2026-11-23", ct: Ct);
        var number = await web.BookAndChargeAsync();
        var charged = await NextOfAsync(today, number);
        Assert.Equal("charging-decided", charged.EventType);

        using var arraigned = await magistrate.PostJsonAsync($"/api/v1/arrests/{number}/arraignment", SampleBookings.ValidArraignment());
        Assert.Equal(HttpStatusCode.OK, arraigned.StatusCode);
        Assert.Equal("arraignment-recorded", (await NextOfAsync(today, number)).EventType);

        // The day before saw neither: a later booking's events would come first if it had.
        var probe = await web.BookAsync();
        await using var queue = await SseStream.OpenAsync(web.Server.Client(Roles.ChargingAttorney), "/api/v1/streams/charging-queue", charged.EventId, Ct);
        Assert.Equal(probe, ArrestNumber(await NextOfAsync(queue, probe)));
        var beat = await dayBefore.NextAsync(heartbeats: true);
        Assert.Equal(SseStream.Heartbeat, beat!.Value.EventType);
        Assert.Equal(SseStream.Heartbeat, (await dayBefore.NextAsync(heartbeats: true))!.Value.EventType);
    }

    public static TheoryData<StorageProvider, string> BadResumePoints() => Providers.Each(["-1", "abc", "1.5", "+7", "7a", "0x10", "99999999999999999999", ""]);

    [Theory]
    [MemberData(nameof(BadResumePoints))]
    public async Task A_malformed_Last_Event_ID_is_refused_naming_the_header(StorageProvider provider, string lastEventId)
    {
        var web = await fixture.ForAsync(provider);
        var size = await web.Server.AuditSizeAsync();
        await using var stream = await SseStream.OpenAsync(web.Server.Client(Roles.ChargingAttorney), "/api/v1/streams/charging-queue", lastEventId, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, stream.Response.StatusCode);
        var problem = await stream.Response.ReadAsync<JsonObject>();
        Assert.Equal("PARS-REQ-006", problem["code"]!.GetValue<string>());
        Assert.Equal("last-event-id-format", problem["errors"]!["Last-Event-ID"]![0]!["rule"]!.GetValue<string>());
        var entry = Assert.Single(await web.Server.AuditEntriesSinceAsync(size));
        Assert.Equal("refused", entry["outcome"]!.GetValue<string>());
    }

    [Theory, AllProviders]
    public async Task A_Last_Event_ID_ahead_of_the_log_is_refused(StorageProvider provider)
    {
        var web = await fixture.ForAsync(provider);
        await using var stream = await SseStream.OpenAsync(web.Server.Client(Roles.ChargingAttorney), "/api/v1/streams/charging-queue", "900000000000", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, stream.Response.StatusCode);
        Assert.Equal("PARS-FEED-001", (await stream.Response.ReadAsync<JsonObject>())["code"]!.GetValue<string>());
    }

    [Theory, AllProviders]
    public async Task A_stream_of_an_unknown_arrest_is_refused_and_the_attempt_names_it(StorageProvider provider)
    {
        var web = await fixture.ForAsync(provider);
        var size = await web.Server.AuditSizeAsync();
        await using var stream = await SseStream.OpenAsync(web.Server.Client(Roles.Magistrate), "/api/v1/streams/arrests/26-9999999", ct: Ct);
        Assert.Equal(HttpStatusCode.NotFound, stream.Response.StatusCode);
        var entry = Assert.Single(await web.Server.AuditEntriesSinceAsync(size));
        Assert.Contains("26-9999999", entry["requested"]!.AsArray().Select(r => r!.GetValue<string>()));
    }

    [Theory, AllProviders]
    public async Task A_partner_analyst_gets_no_desk_stream(StorageProvider provider)
    {
        var web = await fixture.ForAsync(provider);
        var number = await web.BookAsync();
        await using var stream = await SseStream.OpenAsync(web.Server.Client(Roles.PartnerAnalyst), $"/api/v1/streams/arrests/{number}", ct: Ct);
        Assert.Equal(HttpStatusCode.Forbidden, stream.Response.StatusCode);
    }

    /// <summary>The next event about <paramref name="number"/> (others' events of the shared server skipped).</summary>
    internal static async Task<SseItem<string>> NextOfAsync(SseStream stream, string number)
    {
        while (true)
        {
            var item = await stream.NextAsync() ?? throw new InvalidOperationException($"The stream ended before an event of {number}.");
            if (ArrestNumber(item) == number)
            {
                return item;
            }
        }
    }

    internal static string ArrestNumber(SseItem<string> item) => JsonNode.Parse(item.Data)!["arrestNumber"]!.GetValue<string>();

    private static async Task<long> PositionOfAsync(WebServer web, string number, int version)
    {
        await using var db = web.Server.NewContext();
        return await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(
            db.Events.Where(e => e.StreamType == "arrest" && e.StreamId == number && e.Version == version).Select(e => e.Position), Ct);
    }
}
