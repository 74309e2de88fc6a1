using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenPars.App.Hosting;
using OpenPars.Core.Agencies;
using OpenPars.Core.Audit;
using OpenPars.Core.Watches;
using OpenPars.Storage.Events;
using OpenPars.Storage.Watches;
using OpenPars.Testing;
using OpenPars.Testing.Web;
using OpenPars.Web.Hosting;
using Shouldly;
using static OpenPars.Web.Tests.Agreements.AgreementHttp;

namespace OpenPars.Web.Tests.Watches;

/// <summary>Partner watches over HTTP on both providers: register, list, cancel, the privacy officer's view; the
/// search's identification and prohibited-criteria rules; the quota under 64 concurrent registrations; another
/// agency's id; the matcher's one match per watched re-arrest, across a restart and a mark moved back.</summary>
public sealed class WatchTests
{
    [Theory, AllProviders]
    public async Task A_partner_registers_lists_and_cancels_its_watch_and_the_privacy_officer_sees_it(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: TestContext.Current.CancellationToken);
        var server = web.Server;
        var agreementId = await AgreementArrange.AgreementAsync(server, "ICE", ArrangedState.Active);
        var sid = WatchHttp.Sid();

        var (status, watch) = await PartnerAsync(server, WatchHttp.Register(sid));
        status.ShouldBe(HttpStatusCode.Created);
        var id = watch["id"]!.GetValue<string>();
        id.ShouldStartWith(WatchRules.IdPrefix);
        watch["agreementId"]!.GetValue<string>().ShouldBe(agreementId);
        watch["status"]!.GetValue<string>().ShouldBe("active");
        watch["criteria"]!["sid"]!.GetValue<string>().ShouldBe(sid);
        var registered = await LastEntryAsync(server, AuditEventType.WatchRegistered);
        registered["payload"]!["watchId"]!.GetValue<string>().ShouldBe(id);
        registered["criteria"]!["sid"]!.GetValue<string>().ShouldBe(sid);

        var listed = await SendOkAsync(server, Roles.PartnerAnalyst, new HttpRequestMessage(HttpMethod.Get, "/api/v1/partner/watches"), HttpStatusCode.OK);
        listed["watches"]!.AsArray().Select(w => w!["id"]!.GetValue<string>()).ShouldBe([id]);
        var overseen = await SendOkAsync(server, Roles.PrivacyOfficer, new HttpRequestMessage(HttpMethod.Get, "/api/v1/oversight/watches"), HttpStatusCode.OK);
        var seen = overseen["watches"]!.AsArray().ShouldHaveSingleItem()!;
        seen["agency"]!.GetValue<string>().ShouldBe("ICE");
        seen["purpose"]!.GetValue<string>().ShouldBe(TestAgreementDocuments.Purpose);

        using (var client = server.Client(Roles.PartnerAnalyst))
        using (var cancelled = await client.DeleteAsync($"/api/v1/partner/watches/{id}"))
        {
            cancelled.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }

        (await SendOkAsync(server, Roles.PrivacyOfficer, new HttpRequestMessage(HttpMethod.Get, "/api/v1/oversight/watches"), HttpStatusCode.OK))["watches"]!.AsArray().ShouldBeEmpty();
        using (var client = server.Client(Roles.PartnerAnalyst))
        using (var again = await client.DeleteAsync($"/api/v1/partner/watches/{id}"))
        {
            again.StatusCode.ShouldBe(HttpStatusCode.Conflict);
            (await again.Content.ReadAsStringAsync()).ShouldContain(WatchErrorCodes.WatchEnded);
        }

        await using var db = server.NewContext();
        (await db.Events.CountAsync(e => e.StreamType == EventStreams.PartnerWatch && e.StreamId == id)).ShouldBe(2);
    }

    [Theory, AllProviders]
    public async Task Another_agency_cannot_see_or_cancel_a_watch_and_the_attempt_is_on_the_record(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: TestContext.Current.CancellationToken);
        var server = web.Server;
        await AgreementArrange.AgreementAsync(server, "ICE", ArrangedState.Active);
        var id = await WatchHttp.RegisterAsync(server, WatchHttp.Sid());
        var other = await AgreementArrange.NewPartnerAsync(server);
        var (_, token) = await WatchHttp.PartnerAnalystTokenAsync(server, other);

        using var client = server.Client();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using (var response = await client.DeleteAsync($"/api/v1/partner/watches/{id}"))
        {
            response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
            (await response.Content.ReadAsStringAsync()).ShouldContain(WatchErrorCodes.WatchNotFound);
        }

        using (var response = await client.GetAsync("/api/v1/partner/watches"))
        {
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            JsonNode.Parse(await response.Content.ReadAsStringAsync())!["watches"]!.AsArray().ShouldBeEmpty();
        }

        var refused = await LastEntryAsync(server, AuditEventType.WatchCancelled);
        refused["outcome"]!.GetValue<string>().ShouldBe("refused");
        refused["code"]!.GetValue<string>().ShouldBe(WatchErrorCodes.WatchNotFound);
        await using var db = server.NewContext();
        (await db.PartnerWatches.SingleAsync(w => w.WatchId == id)).CancelledAt.ShouldBeNull();
    }

    public static TheoryData<StorageProvider, string, string> RefusedBodies() => Providers.Each<string, string>(
    [
        ("{\"lastName\":\"Okafor\"}", "PARS-AGR-022"),
        ("{\"firstName\":\"Chidi\",\"dateOfBirth\":\"1991-05-17\"}", "PARS-AGR-022"),
        ("{\"sid\":\"28519463\",\"placeOfBirth\":\"Lagos\"}", "PARS-AGR-020"),
        ("{\"lastName\":\"Okafor\",\"race\":\"black\",\"dateOfBirth\":\"1991-05-17\"}", "PARS-AGR-020"),
        ("{\"sid\":\"28519463\",\"statute\":\"18 § 2701\"}", "PARS-AGR-021"),
        ("{}", WatchErrorCodes.InvalidWatch),
    ]);

    [Theory]
    [MemberData(nameof(RefusedBodies))]
    public async Task A_watch_must_identify_one_person_by_the_search_rules_and_a_refusal_changes_nothing(StorageProvider provider, string criteria, string code)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: TestContext.Current.CancellationToken);
        var server = web.Server;
        await AgreementArrange.AgreementAsync(server, "ICE", ArrangedState.Active);
        var (status, body) = await PartnerAsync(server, WatchHttp.Register(JsonNode.Parse(criteria)!.AsObject()));
        ((int)status).ShouldBeInRange(400, 403);
        body["code"]!.GetValue<string>().ShouldBe(code);
        await using var db = server.NewContext();
        (await db.PartnerWatches.CountAsync()).ShouldBe(0);
        (await db.Events.CountAsync(e => e.StreamType == EventStreams.PartnerWatch)).ShouldBe(0);
        var entry = await LastEntryAsync(server, AuditEventType.WatchRegistered);
        entry["outcome"]!.GetValue<string>().ShouldBe("refused");
        entry["code"]!.GetValue<string>().ShouldBe(code);
    }

    [Theory, AllProviders]
    public async Task An_expiry_after_the_agreements_is_refused_naming_the_field(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: TestContext.Current.CancellationToken);
        var server = web.Server;
        await AgreementArrange.AgreementAsync(server, "ICE", ArrangedState.Active);
        var (status, body) = await PartnerAsync(server, WatchHttp.Register(new JsonObject { ["sid"] = WatchHttp.Sid() }, TestAgreementDocuments.Instant(server.Clock.GetUtcNow().AddDays(400))));
        status.ShouldBe(HttpStatusCode.BadRequest);
        body["code"]!.GetValue<string>().ShouldBe(WatchErrorCodes.ExpiryOutOfRange);
        body.ToJsonString().ShouldContain("expiresAt");
        var (pastStatus, past) = await PartnerAsync(server, WatchHttp.Register(new JsonObject { ["sid"] = WatchHttp.Sid() }, TestAgreementDocuments.Instant(server.Clock.GetUtcNow().AddDays(-1))));
        pastStatus.ShouldBe(HttpStatusCode.BadRequest);
        past["code"]!.GetValue<string>().ShouldBe(WatchErrorCodes.ExpiryOutOfRange);
    }

    [Theory, AllProviders]
    public async Task Sixty_four_concurrent_registrations_at_one_below_the_quota_create_exactly_one(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: TestContext.Current.CancellationToken);
        var server = web.Server;
        await AgreementArrange.AgreementAsync(server, "ICE", ArrangedState.Active);
        for (var i = 0; i < 49; i++)
        {
            await WatchHttp.RegisterAsync(server, WatchHttp.Sid());
        }

        using var client = server.Client(Roles.PartnerAnalyst);
        var answers = await Task.WhenAll(Enumerable.Range(0, 64).Select(async _ =>
        {
            using var response = await client.SendAsync(WatchHttp.Register(WatchHttp.Sid()));
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }));

        answers.Count(a => a.StatusCode == HttpStatusCode.Created).ShouldBe(1);
        answers.Where(a => a.StatusCode != HttpStatusCode.Created).ShouldAllBe(a => a.StatusCode == HttpStatusCode.TooManyRequests && a.Item2.Contains("PARS-AGR-030"));
        await using var db = server.NewContext();
        (await db.PartnerWatches.CountAsync(w => w.AgencyCode == "ICE")).ShouldBe(50);
    }

    [Theory, AllProviders]
    public async Task The_matcher_appends_one_match_per_watched_re_arrest_and_none_twice_after_a_restart_or_a_mark_moved_back(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: TestContext.Current.CancellationToken);
        var server = web.Server;
        await AgreementArrange.AgreementAsync(server, "ICE", ArrangedState.Active);
        var sid = WatchHttp.Sid();
        var first = SampleBookings.Valid("Rearresta");
        first["person"]!["identifiers"]!["sid"] = sid;
        await BookAsync(server, first);                       // before the watch: never a match
        var id = await WatchHttp.RegisterAsync(server, sid);
        var unwatched = await BookAsync(server, SampleBookings.Valid("Otherperson"));
        var second = SampleBookings.Valid("Rearresta");
        second["person"]!["identifiers"]!["sid"] = sid;
        second["bookedAt"] = "2026-11-23T13:45:00Z";
        var rearrest = await BookAsync(server, second);

        await MatchAsync(server);
        var matches = await MatchesAsync(server, id);
        var match = matches.ShouldHaveSingleItem();
        match.ArrestNumber.ShouldBe(rearrest);
        match.EventKind.ShouldBe("arrest-booked");
        match.AgencyCode.ShouldBe("ICE");
        matches.ShouldNotContain(m => m.ArrestNumber == unwatched);
        var entry = await LastEntryAsync(server, AuditEventType.WatchMatched);
        entry["records"]!.AsArray().Select(r => r!.GetValue<string>()).ShouldBe([rearrest]);
        entry["payload"]!["watchId"]!.GetValue<string>().ShouldBe(id);

        await server.RestartAsync();
        await MatchAsync(server);
        (await MatchesAsync(server, id)).Count.ShouldBe(1);

        // The mark moved back (a restored row, a second process that lost it): the unique key still holds.
        await using (var db = server.NewContext())
        {
            await db.FeedConsumers.Where(c => c.Name == WatchStore.MatcherConsumer).ExecuteUpdateAsync(u => u.SetProperty(c => c.Position, 0L));
        }

        await MatchAsync(server);
        (await MatchesAsync(server, id)).Count.ShouldBe(1);
        await using var check = server.NewContext();
        (await check.WatchMatches.CountAsync(m => m.WatchId == id)).ShouldBe(1);
    }

    [Theory, AllProviders]
    public async Task A_cancelled_watch_and_a_suspended_agreement_match_nothing(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: TestContext.Current.CancellationToken);
        var server = web.Server;
        var agreementId = await AgreementArrange.AgreementAsync(server, "ICE", ArrangedState.Active);
        var cancelledSid = WatchHttp.Sid();
        var cancelled = await WatchHttp.RegisterAsync(server, cancelledSid);
        using (var client = server.Client(Roles.PartnerAnalyst))
        {
            (await client.DeleteAsync($"/api/v1/partner/watches/{cancelled}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }

        var suspendedSid = WatchHttp.Sid();
        var suspended = await WatchHttp.RegisterAsync(server, suspendedSid);
        await SendOkAsync(server, Roles.PrivacyOfficer, TestAgreementDocuments.PostJson($"/api/v1/agreements/{agreementId}/suspension",
            new JsonObject { ["statement"] = "Suspended pending review of a complaint." }), HttpStatusCode.OK);
        foreach (var sid in new[] { cancelledSid, suspendedSid })
        {
            var booking = SampleBookings.Valid("Watchedperson");
            booking["person"]!["identifiers"]!["sid"] = sid;
            await BookAsync(server, booking);
        }

        await MatchAsync(server);
        (await MatchesAsync(server, cancelled)).ShouldBeEmpty();
        (await MatchesAsync(server, suspended)).ShouldBeEmpty();
    }

    private static async Task MatchAsync(OpenParsTestServer server) =>
        await server.Services.GetRequiredService<WatchMatcherService>().RunOnceAsync(TestContext.Current.CancellationToken);

    private static async Task<IReadOnlyList<WatchMatched>> MatchesAsync(OpenParsTestServer server, string watchId)
    {
        await using var db = server.NewContext();
        var bodies = await db.Events.Where(e => e.StreamType == EventStreams.PartnerWatch && e.StreamId == watchId && e.Type == WatchMatched.Type)
            .OrderBy(e => e.Position).Select(e => e.Body).ToListAsync();
        return [.. bodies.Select(WatchMatched.FromJson)];
    }
}
