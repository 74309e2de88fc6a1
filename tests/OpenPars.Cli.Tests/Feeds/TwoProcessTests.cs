using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using OpenPars.App.Hosting;
using OpenPars.Testing;

namespace OpenPars.Cli.Tests.Feeds;

/// <summary>
/// Two real <c>openpars serve</c> processes on one store: a booking made through A reaches a desk stream open on B.
/// On PostgreSQL B's polling is set to an hour, so the booking can reach it only by A's NOTIFY (LISTEN/NOTIFY carries
/// the wake-up between processes); on SQLite, which has no such channel, B finds it by polling the event table.
/// </summary>
public sealed class TwoProcessTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, AllProviders]
    public async Task A_booking_through_one_process_reaches_a_stream_open_on_the_other(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider, Ct);
        var store = CliRunner.StorageArgs(db.Settings);
        await CliRunner.RunAsync(["agency", "add", "--code", "PPD", "--name", "Police Department", "--kind", "police", .. store]);
        await CliRunner.RunAsync(["agency", "add", "--code", "DAO", "--name", "District Attorney", "--kind", "district-attorney", .. store]);
        var officer = await db.Identity().AddUserAsync("PPD", "ppd.booking", ["booking-officer"]);
        var attorney = await db.Identity().AddUserAsync("DAO", "dao.charging", ["charging-attorney"]);
        var (_, officerToken) = await ServeProcess.SystemClockIdentity(db).CreateTokenAsync(officer.Id, null, "process A");
        var (_, attorneyToken) = await ServeProcess.SystemClockIdentity(db).CreateTokenAsync(attorney.Id, null, "process B");

        var poll = provider == StorageProvider.Postgres ? "3600" : "0.2";
        using var a = await ServeProcess.StartAsync(store, "--feed-poll-seconds", poll);
        using var b = await ServeProcess.StartAsync(store, "--feed-poll-seconds", poll);
        using var onB = new HttpClient { BaseAddress = b.Address, Timeout = TimeSpan.FromSeconds(60) };
        onB.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", attorneyToken);
        await using var stream = await SseStream.OpenAsync(onB, "/api/v1/streams/charging-queue", ct: Ct);
        Assert.Equal(HttpStatusCode.OK, stream.Response.StatusCode);
        Assert.Equal(SseStream.Heartbeat, (await stream.NextAsync(heartbeats: true))!.Value.EventType);

        using var onA = new HttpClient { BaseAddress = a.Address };
        onA.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", officerToken);
        using var booked = await onA.PostAsync("/api/v1/arrests", new StringContent(ServeProcess.Booking("Twoprocess"), Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.Created, booked.StatusCode);
        var number = booked.Headers.Location!.ToString().Split('/')[^1];

        var delivered = (await stream.NextAsync(TimeSpan.FromSeconds(30)))!.Value;
        Assert.Equal("arrest-booked", delivered.EventType);
        Assert.Equal(number, JsonNode.Parse(delivered.Data)!["arrestNumber"]!.GetValue<string>());
    }
}
