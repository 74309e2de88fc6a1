using System.Globalization;
using System.Net;
using System.Net.ServerSentEvents;
using System.Text.Json.Nodes;
using OpenPars.App.Hosting;
using OpenPars.Core.Agencies;
using OpenPars.Testing;
using OpenPars.Testing.Web;
using Shouldly;
using static OpenPars.Web.Tests.Agreements.AgreementHttp;
using static OpenPars.Web.Tests.Oversight.OversightHttp;

namespace OpenPars.Web.Tests.Oversight;

/// <summary>
/// The overseers' live alert stream (<c>GET /api/v1/oversight/alerts/stream</c>): an alert the evaluator raises from
/// partner traffic reaches an open stream, acknowledgements follow, <c>Last-Event-ID</c> resumes without a gap or a
/// repeat, opening and every batch are on the record, and nobody but a privacy officer or a representative opens it.
/// </summary>
public sealed class OversightAlertStreamTests
{
    private const string Path = "/api/v1/oversight/alerts/stream";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, AllProviders]
    public async Task An_alert_the_evaluator_raises_from_partner_traffic_reaches_an_open_stream_and_so_does_its_acknowledgement(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var server = web.Server;
        await AgreementArrange.AgreementAsync(server, "ICE", ArrangedState.Active);
        var numbers = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            numbers.Add(await BookAsync(server));
        }

        var size = await server.AuditSizeAsync();
        await using var stream = await SseStream.OpenAsync(server.Client(Roles.StakeholderRepresentative), Path, ct: Ct);
        stream.Response.StatusCode.ShouldBe(HttpStatusCode.OK);
        foreach (var number in numbers)
        {
            var (status, body) = await PartnerAsync(server, TestAgreementDocuments.PartnerGet($"/api/v1/partner/arrests/{number}"));
            status.ShouldBe(HttpStatusCode.OK, body.ToJsonString());
        }

        server.Clock.Advance(TimeSpan.FromMinutes(1));
        (await Evaluator(server).RunOnceAsync(Ct)).ShouldBe(1);

        var raised = (await stream.NextAsync())!.Value;
        raised.EventType.ShouldBe("oversight-alert-raised");
        var alert = JsonNode.Parse(raised.Data)!;
        alert["kind"]!.GetValue<string>().ShouldBe("arrest-number-run");
        alert["agency"]!.GetValue<string>().ShouldBe("ICE");
        var listed = (await GetAsync(server, "/api/v1/oversight/alerts")).AsArrayOf().ShouldHaveSingleItem();
        alert["alertId"]!.GetValue<string>().ShouldBe(listed["id"]!.GetValue<string>());
        foreach (var number in numbers)
        {
            raised.Data.ShouldNotContain(number);
        }

        await SendOkAsync(server, Roles.PrivacyOfficer, TestAgreementDocuments.PostJson($"/api/v1/oversight/alerts/{listed["id"]!.GetValue<string>()}/acknowledgements",
            new JsonObject { ["statement"] = "The courts asked ICE for its case files." }), HttpStatusCode.Created);
        var acknowledged = (await stream.NextAsync())!.Value;
        acknowledged.EventType.ShouldBe("oversight-alert-acknowledged");
        Position(acknowledged).ShouldBeGreaterThan(Position(raised));

        // On the record: the opening (the representative, channel stream) and each batch before it was sent.
        var entries = await server.AuditEntriesSinceAsync(size);
        var opened = entries.Single(e => e["event"]!.GetValue<string>() == "oversight.alert-stream-opened");
        opened["channel"]!.GetValue<string>().ShouldBe("stream");
        opened["outcome"]!.GetValue<string>().ShouldBe("allowed");
        opened["actor"]!["user"]!.GetValue<string>().ShouldBe(Roles.StakeholderRepresentative);
        opened["payload"]!["stream"]!.GetValue<string>().ShouldBe("oversight-alert");
        var delivered = entries.Where(e => e["event"]!.GetValue<string>() == "feeds.delivered" && e["path"]!.GetValue<string>() == Path).ToList();
        delivered.Select(e => e["payload"]!["firstPosition"]!.GetValue<string>()).ShouldBe([raised.EventId!, acknowledged.EventId!]);
        delivered.ShouldAllBe(e => e["payload"]!["stream"]!.GetValue<string>() == "oversight-alert");
        delivered.ShouldAllBe(e => e["actor"]!["user"]!.GetValue<string>() == Roles.StakeholderRepresentative);
    }

    [Theory, AllProviders]
    public async Task Last_Event_ID_resumes_right_after_the_alert_it_names_without_a_gap_or_a_repeat(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var server = web.Server;
        using var officer = server.Client(Roles.PrivacyOfficer);
        var ids = new List<string>();
        string resumeFrom;
        await using (var first = await SseStream.OpenAsync(officer, Path, ct: Ct))
        {
            for (var i = 0; i < 3; i++)
            {
                ids.Add(await RaiseAlertAsync(server));
                // A booking between alerts: positions the stream must skip, not a gap it reports.
                await BookAsync(server);
            }

            var seen = await first.TakeAsync(3);
            seen.Select(AlertId).ShouldBe(ids);
            resumeFrom = seen[0].EventId!;
        }

        // While nobody listens, two more alerts and an acknowledgement of the first.
        ids.Add(await RaiseAlertAsync(server));
        ids.Add(await RaiseAlertAsync(server, "FBI"));
        await SendOkAsync(server, Roles.PrivacyOfficer, TestAgreementDocuments.PostJson($"/api/v1/oversight/alerts/{ids[0]}/acknowledgements",
            new JsonObject { ["statement"] = "Reviewed with ICE." }), HttpStatusCode.Created);

        await using var resumed = await SseStream.OpenAsync(officer, Path, resumeFrom, Ct);
        var replayed = await resumed.TakeAsync(5);
        replayed.Select(AlertId).ShouldBe([.. ids.Skip(1), ids[0]]);
        replayed[^1].EventType.ShouldBe("oversight-alert-acknowledged");
        var positions = replayed.Select(Position).ToList();
        positions.ShouldBe(positions.Order().ToList());
        positions.Distinct().Count().ShouldBe(5);
        positions[0].ShouldBeGreaterThan(long.Parse(resumeFrom, CultureInfo.InvariantCulture));

        // Then live from there: the next alert once, after everything replayed.
        var live = await RaiseAlertAsync(server);
        var next = (await resumed.NextAsync())!.Value;
        AlertId(next).ShouldBe(live);
        Position(next).ShouldBeGreaterThan(positions[^1]);
    }

    [Theory, AllProviders]
    public async Task A_stream_opened_without_Last_Event_ID_carries_only_alerts_raised_after_it_opened(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var server = web.Server;
        await RaiseAlertAsync(server);
        await using var stream = await SseStream.OpenAsync(server.Client(Roles.PrivacyOfficer), Path, ct: Ct);
        var after = await RaiseAlertAsync(server);
        AlertId((await stream.NextAsync())!.Value).ShouldBe(after);
    }

    public static TheoryData<StorageProvider, string> Refused() => Providers.Each([Roles.PartnerAnalyst, Roles.BookingOfficer]);

    [Theory, MemberData(nameof(Refused))]
    public async Task A_partner_analyst_and_a_booking_officer_are_refused_and_the_attempt_is_on_the_record(StorageProvider provider, string role)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var server = web.Server;
        await RaiseAlertAsync(server);
        var size = await server.AuditSizeAsync();
        await using var stream = await SseStream.OpenAsync(server.Client(role), Path, "0", Ct);
        stream.Response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await stream.Response.Content.ReadAsStringAsync(Ct)).ShouldNotContain("oversight-alert-raised");
        var entry = (await server.AuditEntriesSinceAsync(size)).ShouldHaveSingleItem();
        entry["event"]!.GetValue<string>().ShouldBe("oversight.alert-stream-opened");
        entry["outcome"]!.GetValue<string>().ShouldBe("refused");
        entry["actor"]!["user"]!.GetValue<string>().ShouldBe(role);
    }

    private static long Position(SseItem<string> item) => long.Parse(item.EventId!, CultureInfo.InvariantCulture);

    private static string AlertId(SseItem<string> item) => JsonNode.Parse(item.Data)!["alertId"]!.GetValue<string>();
}
