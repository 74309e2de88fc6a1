using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OpenPars.App.Feeds;
using OpenPars.App.Hosting;
using OpenPars.Core.Agencies;
using OpenPars.Core.Arrests;
using OpenPars.Storage.Arrests;
using OpenPars.Testing;
using OpenPars.Testing.Web;
using static OpenPars.Web.Tests.Feeds.DeskStreamTests;

namespace OpenPars.Web.Tests.Feeds;

/// <summary>What a stream promises when things go wrong: a subscriber that falls behind is cut off with a final
/// overflow and resumes without loss; a server restart mid-stream loses nothing. Each test runs its own server.</summary>
public sealed class FeedDeliveryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Bookings written straight through the store, as another process would: no in-process wake-up, so the
    /// dispatcher finds them all in one read of the table (its polling) and offers them at once.</summary>
    private static async Task<IReadOnlyList<string>> BookBehindTheServersBackAsync(OpenParsTestServer server, int count)
    {
        await using var db = server.NewContext();
        var reference = ReferenceData.LoadDefault();
        var store = new ArrestStore(db, reference, server.Clock, TestAudit.Trail(server.Storage, server.Clock));
        var numbers = new List<string>();
        for (var i = 0; i < count; i++)
        {
            numbers.Add((await store.BookAsync(new ArrestBuilder(reference).Build(), TestActors.BookingOfficer, null, Ct)).Record.ArrestNumber);
        }

        return numbers;
    }

    [Theory, AllProviders]
    public async Task A_subscriber_whose_buffer_fills_is_cut_off_after_what_it_holds(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, clock: null, feeds: new FeedOptions { SubscriberBuffer = 2, PollInterval = TimeSpan.FromMilliseconds(100) }, ct: Ct);
        var dispatcher = web.Server.Services.GetRequiredService<FeedDispatcher>();
        using var subscription = await dispatcher.SubscribeAsync(_ => true, Ct);

        // Nobody reads: the third event finds the buffer full.
        var numbers = await BookBehindTheServersBackAsync(web.Server, 3);
        for (var i = 0; i < 500 && !subscription.Overflowed; i++)
        {
            await Task.Delay(20, Ct);
        }

        Assert.True(subscription.Overflowed);
        var held = new List<string>();
        await foreach (var e in subscription.Events.ReadAllAsync(Ct))
        {
            held.Add(e.StreamId);
        }

        Assert.Equal(numbers.Take(2), held);
    }

    [Theory, AllProviders]
    public async Task A_stream_that_falls_behind_ends_with_overflow_and_resumes_from_it_without_loss(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, clock: null, feeds: new FeedOptions { SubscriberBuffer = 1, PollInterval = TimeSpan.FromMilliseconds(200) }, ct: Ct);
        using var attorney = web.Server.Client(Roles.ChargingAttorney);
        var received = new List<string>();
        var overflows = 0;
        string? resumeFrom = null;
        IReadOnlyList<string>? numbers = null;

        // As a client does: read until the stream ends with overflow, then reconnect with the id it names, until
        // it has everything. A buffer of one is cut off by every burst the dispatcher offers at once.
        while (numbers is null || received.Count < numbers.Count)
        {
            await using var stream = await SseStream.OpenAsync(attorney, "/api/v1/streams/charging-queue", resumeFrom, Ct);
            Assert.Equal(HttpStatusCode.OK, stream.Response.StatusCode);
            Assert.Equal(SseStream.Heartbeat, (await stream.NextAsync(heartbeats: true))!.Value.EventType);
            numbers ??= await BookBehindTheServersBackAsync(web.Server, 20);
            while (received.Count < numbers.Count)
            {
                var item = (await stream.NextAsync())!.Value;
                if (item.EventType == "overflow")
                {
                    overflows++;
                    resumeFrom = System.Text.Json.Nodes.JsonNode.Parse(item.Data)!["lastEventId"]!.GetValue<string>();
                    Assert.Null(await stream.NextAsync());
                    break;
                }

                received.Add(ArrestNumber(item));
                resumeFrom = item.EventId;
            }
        }

        // On SQLite nothing wakes the dispatcher for these commits but its polling, so it offers them in bursts and a
        // buffer of one is cut off; on PostgreSQL each commit's NOTIFY wakes it, and the stream may keep up (the
        // cut-off itself is proven for both by the test above). Either way nothing is lost and nothing repeats.
        if (provider == StorageProvider.Sqlite)
        {
            Assert.True(overflows > 0, "events offered in bursts should overflow a buffer of one");
        }

        Assert.Equal(numbers, received);
    }

    [Theory, AllProviders]
    public async Task A_server_restart_mid_stream_loses_nothing(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var server = web.Server;
        var booked = new List<string>();
        var received = new List<string>();
        string lastId;
        using (var attorney = server.Client(Roles.ChargingAttorney))
        await using (var stream = await SseStream.OpenAsync(attorney, "/api/v1/streams/charging-queue", ct: Ct))
        {
            using var officer = server.Client(Roles.BookingOfficer);
            for (var i = 0; i < 2; i++)
            {
                booked.Add(await BookAsync(officer));
            }

            var items = await stream.TakeAsync(2);
            received.AddRange(items.Select(ArrestNumber));
            lastId = items[^1].EventId!;

            // The stopping server ends the stream (a clean end: the client is told to reconnect).
            await server.RestartAsync();
            Assert.Null(await stream.NextAsync());
        }

        // Bookings while the client is away, on the new process; then it comes back with the last id it had.
        using (var officer = server.Client(Roles.BookingOfficer))
        {
            for (var i = 0; i < 2; i++)
            {
                booked.Add(await BookAsync(officer));
            }
        }

        using var again = server.Client(Roles.ChargingAttorney);
        await using var resumed = await SseStream.OpenAsync(again, "/api/v1/streams/charging-queue", lastId, Ct);
        received.AddRange((await resumed.TakeAsync(2)).Select(ArrestNumber));
        Assert.Equal(booked, received);
    }

    private static async Task<string> BookAsync(HttpClient officer)
    {
        using var response = await officer.PostJsonAsync("/api/v1/arrests", SampleBookings.Valid());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.ReadAsync<System.Text.Json.Nodes.JsonObject>())["arrestNumber"]!.GetValue<string>();
    }
}
