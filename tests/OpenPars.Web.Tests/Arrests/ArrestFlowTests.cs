using System.Net;
using System.Text.Json.Nodes;
using OpenPars.Core.Agencies;
using OpenPars.Testing;
using OpenPars.Testing.Web;
using OpenPars.App.Hosting;
using OpenPars.Web.Hosting;

namespace OpenPars.Web.Tests.Arrests;

/// <summary>One arrest through the three desks, as the people at them see it over HTTP.</summary>
public sealed class ArrestFlowTests(WebServerFixture fixture) : IClassFixture<WebServerFixture>
{
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, AllProviders]
    public async Task Booking_charging_and_arraignment_move_the_arrest_through_its_statuses(StorageProvider provider)
    {
        var web = await fixture.ForAsync(provider);
        var number = await web.BookAsync();

        using var attorney = web.Server.Client(Roles.ChargingAttorney);
        var queue = await (await attorney.GetAsync("/api/v1/charging/queue?limit=200", Ct)).ReadAsync<JsonObject>();
        Assert.Contains(queue["items"]!.AsArray(), i => i!["arrestNumber"]!.GetValue<string>() == number);

        using var decided = await attorney.PostJsonAsync($"/api/v1/arrests/{number}/charging-decision",
            new JsonObject { ["outcome"] = "modify", ["charges"] = new JsonArray(new JsonObject { ["citation"] = "18 § 2702(a)(1)", ["counts"] = 1 }) });
        Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
        var charged = await decided.ReadAsync<JsonObject>();
        Assert.Equal("charged", charged["status"]!.GetValue<string>());
        Assert.Equal("18 § 2702(a)(1)", charged["charges"]![0]!["citation"]!.GetValue<string>());
        Assert.Equal("F1", charged["charges"]![0]!["grade"]!.GetValue<string>());

        using var magistrate = web.Server.Client(Roles.Magistrate);
        var list = await (await magistrate.GetAsync("/api/v1/arraignment/list?date=2026-11-23", Ct)).ReadAsync<JsonObject>();
        Assert.Contains(list["waiting"]!.AsArray(), i => i!["arrestNumber"]!.GetValue<string>() == number);

        using var arraigned = await magistrate.PostJsonAsync($"/api/v1/arrests/{number}/arraignment", SampleBookings.ValidArraignment());
        Assert.Equal(HttpStatusCode.OK, arraigned.StatusCode);
        var record = await arraigned.ReadAsync<JsonObject>();
        Assert.Equal("arraigned", record["status"]!.GetValue<string>());
        Assert.Equal("MC-51-CR-0012345-2026", record["arraignment"]!["docketNumber"]!.GetValue<string>());
        Assert.Equal(2500m, record["arraignment"]!["bailAmount"]!.GetValue<decimal>());

        list = await (await magistrate.GetAsync("/api/v1/arraignment/list?date=2026-11-23", Ct)).ReadAsync<JsonObject>();
        Assert.Contains(list["arraigned"]!.AsArray(), i => i!["arrestNumber"]!.GetValue<string>() == number);
        Assert.DoesNotContain(list["waiting"]!.AsArray(), i => i!["arrestNumber"]!.GetValue<string>() == number);

        using var reader = web.Server.Client(Roles.StakeholderRepresentative);
        var history = await (await reader.GetAsync($"/api/v1/arrests/{number}/history", Ct)).ReadAsync<JsonObject>();
        Assert.Equal(["arrest-booked", "charging-decided", "arraignment-recorded"], history["events"]!.AsArray().Select(e => e!["type"]!.GetValue<string>()));
    }

    public static TheoryData<StorageProvider, string, string> Names() =>
        Providers.Each([("Núñez-Żółć", "Zoë"), ("王", "小明"), ("محمد", "عبد الله"), ("Nguyễn", "Thị Ánh")]);

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Names_in_any_script_round_trip_exactly_and_can_be_searched(StorageProvider provider, string lastName, string firstName)
    {
        var web = await fixture.ForAsync(provider);
        var number = await web.BookAsync(SampleBookings.Valid(lastName, firstName));
        using var client = web.Server.Client(Roles.ChargingAttorney);
        var record = await (await client.GetAsync($"/api/v1/arrests/{number}", Ct)).ReadAsync<JsonObject>();
        Assert.Equal(lastName, record["person"]!["lastName"]!.GetValue<string>());
        Assert.Equal(firstName, record["person"]!["firstName"]!.GetValue<string>());

        var found = await (await client.GetAsync($"/api/v1/arrests?lastName={Uri.EscapeDataString(lastName.ToLowerInvariant())}", Ct)).ReadAsync<JsonObject>();
        Assert.Contains(found["items"]!.AsArray(), i => i!["arrestNumber"]!.GetValue<string>() == number);
    }

    [Theory, AllProviders]
    public async Task A_retried_booking_with_the_same_idempotency_key_returns_the_first_arrest(StorageProvider provider)
    {
        var web = await fixture.ForAsync(provider);
        using var client = web.Server.Client(Roles.BookingOfficer);
        var key = Guid.NewGuid().ToString();
        async Task<HttpResponseMessage> Send()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/arrests") { Content = JsonContent(SampleBookings.Valid("Idem", "Potent")) };
            request.Headers.Add("Idempotency-Key", key);
            return await client.SendAsync(request, Ct);
        }

        using var first = await Send();
        var before = await web.Server.CountRowsAsync();
        using var second = await Send();

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Equal("true", second.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(before, await web.Server.CountRowsAsync());
    }

    [Theory, AllProviders]
    public async Task A_correction_needs_the_current_etag_and_issues_the_next(StorageProvider provider)
    {
        var web = await fixture.ForAsync(provider);
        var number = await web.BookAsync();
        using var client = web.Server.Client(Roles.RecordsAdmin);
        using var read = await client.GetAsync($"/api/v1/arrests/{number}", Ct);
        var etag = read.Headers.ETag!;

        using var corrected = await client.SendAsync(Correction(number, etag.Tag, "Wrong district keyed at booking"), Ct);
        Assert.Equal(HttpStatusCode.OK, corrected.StatusCode);
        Assert.NotEqual(etag.Tag, corrected.Headers.ETag!.Tag);
        Assert.Equal("25", (await corrected.ReadAsync<JsonObject>())["district"]!.GetValue<string>());

        using var stale = await client.SendAsync(Correction(number, etag.Tag, "A second, stale correction"), Ct);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
    }

    [Theory, AllProviders]
    public async Task Of_two_concurrent_charging_decisions_exactly_one_succeeds(StorageProvider provider)
    {
        var web = await fixture.ForAsync(provider);
        for (var round = 0; round < 5; round++)
        {
            var number = await web.BookAsync();
            using var a = web.Server.Client(Roles.ChargingAttorney);
            using var b = web.Server.Client(Roles.ChargingAttorney);
            var responses = await Task.WhenAll(
                a.PostJsonAsync($"/api/v1/arrests/{number}/charging-decision", new JsonObject { ["outcome"] = "approve" }),
                b.PostJsonAsync($"/api/v1/arrests/{number}/charging-decision", new JsonObject { ["outcome"] = "decline", ["reason"] = "No probable cause" }));

            Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
            Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Conflict);
            using var history = await a.GetAsync($"/api/v1/arrests/{number}/history", Ct);
            Assert.Equal(2, (await history.ReadAsync<JsonObject>())["events"]!.AsArray().Count);
            foreach (var response in responses)
            {
                response.Dispose();
            }
        }
    }

    [Theory, AllProviders]
    public async Task A_revoked_token_stops_working_on_the_next_request(StorageProvider provider)
    {
        var web = await fixture.ForAsync(provider);

        // The booking officer makes a token for themselves (no one obtains one for another person); the records admin revokes it.
        using var admin = web.Server.Client(Roles.RecordsAdmin);
        using var owner = web.Server.Client(Roles.BookingOfficer);
        using var created = await owner.PostJsonAsync($"/api/v1/users/{web.Server.UserIds[Roles.BookingOfficer]}/tokens", new JsonObject { ["label"] = "laptop" });
        var token = await created.ReadAsync<JsonObject>();
        using var client = new HttpClient { BaseAddress = web.Server.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new("Bearer", token["token"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/districts", Ct)).StatusCode);
        using var revoked = await admin.DeleteAsync($"/api/v1/tokens/{token["id"]}", Ct);
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/districts", Ct)).StatusCode);
    }

    [Theory, AllProviders]
    public async Task Search_pages_newest_first_without_gaps_or_repeats(StorageProvider provider)
    {
        var web = await fixture.ForAsync(provider);
        var mine = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            mine.Add(await web.BookAsync(SampleBookings.Valid("Pagewalker", $"N{i}")));
        }

        using var client = web.Server.Client(Roles.PrivacyOfficer);
        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await (await client.GetAsync($"/api/v1/arrests?lastName=pagewalker&limit=3{(cursor is null ? "" : "&cursor=" + cursor)}", Ct)).ReadAsync<JsonObject>();
            seen.AddRange(page["items"]!.AsArray().Select(i => i!["arrestNumber"]!.GetValue<string>()));
            cursor = page["nextCursor"]?.GetValue<string>();
        }
        while (cursor is not null);

        Assert.Equal(mine.AsEnumerable().Reverse(), seen);
    }

    private static HttpRequestMessage Correction(string number, string etag, string reason)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/arrests/{number}/corrections")
        {
            Content = JsonContent(new JsonObject { ["reason"] = reason, ["district"] = "25" }),
        };
        request.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue(etag));
        return request;
    }

    private static StringContent JsonContent(JsonObject body) => new(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
}
