using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using OpenPars.Core.Agencies;
using OpenPars.Testing;
using OpenPars.Testing.Web;
using OpenPars.App.Hosting;
using OpenPars.Web.Hosting;

namespace OpenPars.Web.Tests.Security;

/// <summary>
/// Every endpoint × every caller (each role, anonymous, a revoked and an expired token), on both providers, checked
/// against <see cref="EndpointPromises"/>: an allowed caller gets the endpoint's success status; anyone else 401 (no
/// valid token) or 403 (valid token, wrong role), never data. Whatever the answer, the audit log holds what the promise
/// says: exactly one entry of the promised event for every read, every write and every refusal (naming the caller, the
/// request and, for an arrest, its number), none where nothing is promised; and nothing but an allowed write changes a row.
/// </summary>
public sealed partial class RoleEndpointMatrixTests(WebServerFixture fixture) : IClassFixture<WebServerFixture>
{
    /// <summary>How to make a request an endpoint would accept (preparing state as needed) and its success status.</summary>
    /// <param name="Streams">An allowed answer is a stream that does not end by itself: the matrix reads its headers only.</param>
    public sealed record EndpointRequest(string Endpoint, HttpStatusCode Success, Func<WebServer, Task<HttpRequestMessage>> Make, bool Streams = false);

    public static readonly IReadOnlyList<EndpointRequest> Requests =
    [
        new("POST /api/v1/arrests", HttpStatusCode.Created,
            _ => Task.FromResult(Json(HttpMethod.Post, "/api/v1/arrests", SampleBookings.Valid()))),
        new("GET /api/v1/arrests/{n}", HttpStatusCode.OK,
            async f => new HttpRequestMessage(HttpMethod.Get, $"/api/v1/arrests/{await f.BookAsync()}")),
        new("GET /api/v1/arrests", HttpStatusCode.OK,
            _ => Task.FromResult(new HttpRequestMessage(HttpMethod.Get, "/api/v1/arrests?lastName=Okafor"))),
        new("GET /api/v1/arrests/{n}/history", HttpStatusCode.OK,
            async f => new HttpRequestMessage(HttpMethod.Get, $"/api/v1/arrests/{await f.BookAsync()}/history")),
        new("POST /api/v1/arrests/{n}/corrections", HttpStatusCode.OK,
            async f =>
            {
                var request = Json(HttpMethod.Post, $"/api/v1/arrests/{await f.BookAsync()}/corrections",
                    new JsonObject { ["reason"] = "Wrong district keyed", ["district"] = "25" });
                request.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue("\"1\""));
                return request;
            }),
        new("GET /api/v1/charging/queue", HttpStatusCode.OK,
            _ => Task.FromResult(new HttpRequestMessage(HttpMethod.Get, "/api/v1/charging/queue"))),
        new("GET /api/v1/streams/charging-queue", HttpStatusCode.OK,
            _ => Task.FromResult(new HttpRequestMessage(HttpMethod.Get, "/api/v1/streams/charging-queue")), Streams: true),
        new("GET /api/v1/streams/arraignment-list", HttpStatusCode.OK,
            _ => Task.FromResult(new HttpRequestMessage(HttpMethod.Get, "/api/v1/streams/arraignment-list?date=2026-11-23")), Streams: true),
        new("GET /api/v1/streams/arrests/{n}", HttpStatusCode.OK,
            async f => new HttpRequestMessage(HttpMethod.Get, $"/api/v1/streams/arrests/{await f.BookAsync()}"), Streams: true),
        new("POST /api/v1/arrests/{n}/charging-decision", HttpStatusCode.OK,
            async f => Json(HttpMethod.Post, $"/api/v1/arrests/{await f.BookAsync()}/charging-decision", new JsonObject { ["outcome"] = "approve" })),
        new("GET /api/v1/arraignment/list", HttpStatusCode.OK,
            _ => Task.FromResult(new HttpRequestMessage(HttpMethod.Get, "/api/v1/arraignment/list?date=2026-11-23"))),
        new("POST /api/v1/arrests/{n}/arraignment", HttpStatusCode.OK,
            async f => Json(HttpMethod.Post, $"/api/v1/arrests/{await f.BookAndChargeAsync()}/arraignment", SampleBookings.ValidArraignment())),
        new("GET /api/v1/statutes", HttpStatusCode.OK,
            _ => Task.FromResult(new HttpRequestMessage(HttpMethod.Get, "/api/v1/statutes?q=assault"))),
        new("GET /api/v1/districts", HttpStatusCode.OK,
            _ => Task.FromResult(new HttpRequestMessage(HttpMethod.Get, "/api/v1/districts"))),
        new("GET /api/v1/agencies", HttpStatusCode.OK,
            _ => Task.FromResult(new HttpRequestMessage(HttpMethod.Get, "/api/v1/agencies"))),
        new("POST /api/v1/agencies", HttpStatusCode.Created,
            _ => Task.FromResult(Json(HttpMethod.Post, "/api/v1/agencies",
                new JsonObject { ["code"] = "C" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant(), ["name"] = "County Sheriff", ["kind"] = "partner" }))),
        new("GET /api/v1/users", HttpStatusCode.OK,
            _ => Task.FromResult(new HttpRequestMessage(HttpMethod.Get, "/api/v1/users"))),
        new("POST /api/v1/users", HttpStatusCode.Created,
            _ => Task.FromResult(Json(HttpMethod.Post, "/api/v1/users",
                new JsonObject { ["agency"] = "PPD", ["name"] = "officer-" + Guid.NewGuid().ToString("N")[..8], ["roles"] = new JsonArray("booking-officer") }))),
        new("POST /api/v1/users/{id}/tokens", HttpStatusCode.Created,
            f => Task.FromResult(Json(HttpMethod.Post, $"/api/v1/users/{f.Server.UserIds[Roles.BookingOfficer]}/tokens", new JsonObject { ["expiresInDays"] = 7 }))),
        new("PUT /api/v1/users/{id}/roles", HttpStatusCode.OK,
            f => Task.FromResult(Json(HttpMethod.Put, $"/api/v1/users/{f.Server.UserIds[Roles.BookingOfficer]}/roles", new JsonObject { ["roles"] = new JsonArray("booking-officer") }))),
        new("POST /api/v1/users/{id}/enrolments", HttpStatusCode.Created,
            f => Task.FromResult(new HttpRequestMessage(HttpMethod.Post, $"/api/v1/users/{f.Server.UserIds[Roles.BookingOfficer]}/enrolments"))),
        new("POST /api/v1/enrolments/redeem", HttpStatusCode.Created,
            async f => Json(HttpMethod.Post, "/api/v1/enrolments/redeem", new JsonObject { ["secret"] = await f.NewEnrolmentSecretAsync() })),
        new("GET /api/v1/tokens", HttpStatusCode.OK,
            _ => Task.FromResult(new HttpRequestMessage(HttpMethod.Get, "/api/v1/tokens"))),
        new("POST /api/v1/users/{id}/password", HttpStatusCode.NoContent,
            f => Task.FromResult(Json(HttpMethod.Post, $"/api/v1/users/{f.Server.UserIds[Roles.BookingOfficer]}/password", new JsonObject { ["password"] = "a new initial password" }))),
        new("POST /api/v1/users/{id}/second-factor-reset", HttpStatusCode.NoContent,
            f => Task.FromResult(new HttpRequestMessage(HttpMethod.Post, $"/api/v1/users/{f.Server.UserIds[Roles.BookingOfficer]}/second-factor-reset"))),
        new("DELETE /api/v1/tokens/{id}", HttpStatusCode.NoContent,
            async f => new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/tokens/{await f.NewTokenIdAsync()}")),
        new("POST /api/v1/service-accounts", HttpStatusCode.Created,
            _ => Task.FromResult(Json(HttpMethod.Post, "/api/v1/service-accounts", new JsonObject { ["name"] = "system-" + Guid.NewGuid().ToString("N")[..8] }))),
        new("POST /api/v1/service-accounts/{id}/tokens", HttpStatusCode.Created,
            async f => Json(HttpMethod.Post, $"/api/v1/service-accounts/{await f.PoliceServiceAccountAsync()}/tokens", new JsonObject { ["expiresInDays"] = 7 })),
        new("GET /api/v1/charter", HttpStatusCode.OK,
            _ => Task.FromResult(new HttpRequestMessage(HttpMethod.Get, "/api/v1/charter"))),
        new("POST /api/v1/charter/amendments", HttpStatusCode.Created,
            async f =>
            {
                await CharterArrange.CloseOpenAmendmentAsync(f.Server);
                return Json(HttpMethod.Post, "/api/v1/charter/amendments",
                    new JsonObject { ["statement"] = "The DA proposes the same rules under a new title.", ["charter"] = await CharterArrange.NextVersionAsync(f.Server, c => c with { Title = c.Title + " (DA)" }) });
            }),
        new("POST /api/v1/charter/amendments/{version}/votes", HttpStatusCode.Created,
            async f =>
            {
                // A fresh amendment each time, so DAO's representative has not voted on it yet.
                await CharterArrange.CloseOpenAmendmentAsync(f.Server);
                return Json(HttpMethod.Post, $"/api/v1/charter/amendments/{await CharterArrange.OpenAmendmentAsync(f.Server)}/votes",
                    new JsonObject { ["vote"] = "consent", ["statement"] = "The DA consents to the clarified title." });
            }),
        new("GET /api/v1/transparency/charter", HttpStatusCode.OK, _ => Get("/api/v1/transparency/charter")),
        new("GET /api/v1/audit/entries", HttpStatusCode.OK,
            _ => Task.FromResult(new HttpRequestMessage(HttpMethod.Get, "/api/v1/audit/entries?limit=5"))),
        new("GET /api/v1/audit/checkpoints/latest", HttpStatusCode.OK,
            async f =>
            {
                await f.CheckpointNowAsync();
                return new HttpRequestMessage(HttpMethod.Get, "/api/v1/audit/checkpoints/latest");
            }),
        new("GET /api/v1/audit/checkpoints", HttpStatusCode.OK,
            async f => new HttpRequestMessage(HttpMethod.Get, $"/api/v1/audit/checkpoints?size={await f.CheckpointNowAsync()}")),
        new("GET /api/v1/audit/proofs/inclusion", HttpStatusCode.OK,
            async f => new HttpRequestMessage(HttpMethod.Get, $"/api/v1/audit/proofs/inclusion?index=0&treeSize={await f.CheckpointNowAsync()}")),
        new("GET /api/v1/audit/proofs/consistency", HttpStatusCode.OK,
            async f => new HttpRequestMessage(HttpMethod.Get, $"/api/v1/audit/proofs/consistency?from=1&to={await f.CheckpointNowAsync()}")),
        new("GET /api/v1/audit/public-key", HttpStatusCode.OK,
            _ => Task.FromResult(new HttpRequestMessage(HttpMethod.Get, "/api/v1/audit/public-key"))),
        new("POST /api/v1/agreements", HttpStatusCode.Created,
            async f => Json(HttpMethod.Post, "/api/v1/agreements", TestAgreementDocuments.Document(
                "agr-" + Guid.NewGuid().ToString("N")[..10], await AgreementArrange.NewPartnerAsync(f.Server), WebTestClock.Start, WebTestClock.Start.AddDays(90)))),
        new("POST /api/v1/agreements/{id}/propose", HttpStatusCode.OK,
            async f => new HttpRequestMessage(HttpMethod.Post, $"/api/v1/agreements/{await f.AgreementAsync(ArrangedState.Draft)}/propose")),
        new("POST /api/v1/agreements/{id}/votes", HttpStatusCode.Created,
            async f => Json(HttpMethod.Post, $"/api/v1/agreements/{await f.AgreementAsync(ArrangedState.Proposed)}/votes",
                new JsonObject { ["vote"] = "consent", ["statement"] = "The DA consents." })),
        new("POST /api/v1/agreements/{id}/renewals", HttpStatusCode.Created,
            async f =>
            {
                var id = await f.AgreementAsync(ArrangedState.Active);
                await using var db = f.Server.NewContext();
                var partner = (await new OpenPars.Storage.Agreements.AgreementStore(db, f.Server.Clock, OpenPars.Testing.TestAudit.Trail(f.Server.Storage, f.Server.Clock)).FindAsync(id))!.PartnerAgency;
                return Json(HttpMethod.Post, $"/api/v1/agreements/{id}/renewals",
                    TestAgreementDocuments.Document(id, partner, WebTestClock.Start.AddDays(200), WebTestClock.Start.AddDays(500), version: 2)); // within the charter's 12 months
            }),
        new("POST /api/v1/agreements/{id}/suspension", HttpStatusCode.OK,
            async f => Json(HttpMethod.Post, $"/api/v1/agreements/{await f.AgreementAsync(ArrangedState.Active)}/suspension",
                new JsonObject { ["statement"] = "Suspended pending review of a complaint." })),
        new("GET /api/v1/agreements", HttpStatusCode.OK,
            _ => Task.FromResult(new HttpRequestMessage(HttpMethod.Get, "/api/v1/agreements"))),
        new("GET /api/v1/agreements/{id}", HttpStatusCode.OK,
            async f => new HttpRequestMessage(HttpMethod.Get, $"/api/v1/agreements/{await f.AgreementAsync(ArrangedState.Draft)}")),
        new("GET /api/v1/agreements/{id}/notice", HttpStatusCode.OK,
            async f => new HttpRequestMessage(HttpMethod.Get, $"/api/v1/agreements/{await f.AgreementAsync(ArrangedState.Terminated)}/notice")),
        new("GET /api/v1/partner/arrests", HttpStatusCode.OK,
            async f =>
            {
                await f.EnsureIceAgreementAsync();
                return TestAgreementDocuments.PartnerGet("/api/v1/partner/arrests?lastName=Okafor&dateOfBirth=1991-05-17");
            }),
        new("GET /api/v1/partner/arrests/{n}", HttpStatusCode.OK,
            async f =>
            {
                await f.EnsureIceAgreementAsync();
                return TestAgreementDocuments.PartnerGet($"/api/v1/partner/arrests/{await f.BookAsync()}");
            }),
        new("GET /api/v1/partner/agreement", HttpStatusCode.OK,
            async f =>
            {
                await f.EnsureIceAgreementAsync();
                return new HttpRequestMessage(HttpMethod.Get, "/api/v1/partner/agreement");
            }),
        new("POST /api/v1/partner/watches", HttpStatusCode.Created,
            async f =>
            {
                await f.EnsureIceAgreementAsync();
                return Watches.WatchHttp.Register(Watches.WatchHttp.Sid());
            }),
        new("GET /api/v1/partner/watches", HttpStatusCode.OK,
            async f =>
            {
                await f.EnsureIceAgreementAsync();
                return new HttpRequestMessage(HttpMethod.Get, "/api/v1/partner/watches");
            }),
        new("DELETE /api/v1/partner/watches/{id}", HttpStatusCode.NoContent,
            async f =>
            {
                await f.EnsureIceAgreementAsync();
                return new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/partner/watches/{await Watches.WatchHttp.RegisterAsync(f.Server, Watches.WatchHttp.Sid())}");
            }),
        new("GET /api/v1/partner/stream", HttpStatusCode.OK,
            async f =>
            {
                await f.EnsureIceAgreementAsync();
                return Watches.WatchHttp.Stream();
            }, Streams: true),
        new("GET /api/v1/oversight/watches", HttpStatusCode.OK, _ => Get("/api/v1/oversight/watches")),
        new("POST /api/v1/partner/webhooks", HttpStatusCode.Created,
            async f =>
            {
                await f.EnsureIceAgreementAsync();
                await WebhookArrange.ClearAsync(f.Server, "ICE");
                return Json(HttpMethod.Post, "/api/v1/partner/webhooks", new JsonObject { ["url"] = "http://127.0.0.1:9/hook" });
            }),
        new("GET /api/v1/partner/webhooks", HttpStatusCode.OK, _ => Get("/api/v1/partner/webhooks")),
        .. WebhookManagement("/api/v1/partner/webhooks", "ICE", "partner", "partner-watch-matched"),
        new("POST /api/v1/webhooks", HttpStatusCode.Created,
            async f =>
            {
                await WebhookArrange.ClearAsync(f.Server, "PPD");
                return Json(HttpMethod.Post, "/api/v1/webhooks", new JsonObject { ["url"] = "http://127.0.0.1:9/jms", ["eventKinds"] = new JsonArray("arrest-booked") });
            }),
        new("GET /api/v1/webhooks", HttpStatusCode.OK, _ => Get("/api/v1/webhooks")),
        .. WebhookManagement("/api/v1/webhooks", "PPD", "stakeholder", "arrest-booked"),
        new("POST /api/v1/oversight/webhooks", HttpStatusCode.Created,
            async f =>
            {
                await WebhookArrange.ClearAsync(f.Server, "FJD");
                return Json(HttpMethod.Post, "/api/v1/oversight/webhooks", new JsonObject { ["url"] = "http://127.0.0.1:9/alerts" });
            }),
        new("GET /api/v1/oversight/webhooks", HttpStatusCode.OK, _ => Get("/api/v1/oversight/webhooks")),
        .. WebhookManagement("/api/v1/oversight/webhooks", "FJD", "oversight", "oversight-alert-raised"),
        new("GET /api/v1/oversight/usage", HttpStatusCode.OK, _ => Get("/api/v1/oversight/usage?agency=ICE")),
        new("GET /api/v1/oversight/disparity", HttpStatusCode.OK,
            async f =>
            {
                await f.EnsureIceAgreementAsync();
                return new HttpRequestMessage(HttpMethod.Get, "/api/v1/oversight/disparity?agency=ICE&window=7");
            }),
        new("GET /api/v1/oversight/alerts", HttpStatusCode.OK, _ => Get("/api/v1/oversight/alerts")),
        new("GET /api/v1/oversight/alerts/stream", HttpStatusCode.OK, _ => Get("/api/v1/oversight/alerts/stream"), Streams: true),
        new("POST /api/v1/oversight/alerts/{id}/acknowledgements", HttpStatusCode.Created,
            async f => Json(HttpMethod.Post, $"/api/v1/oversight/alerts/{await Oversight.OversightHttp.RaiseAlertAsync(f.Server)}/acknowledgements",
                new JsonObject { ["statement"] = "We have asked the partner for its case files." })),
        new("GET /api/v1/transparency", HttpStatusCode.OK, _ => Get("/api/v1/transparency?month=2026-11")),
        new("GET /api/v1/transparency.csv", HttpStatusCode.OK, _ => Get("/api/v1/transparency.csv?month=2026-11")),
        new("GET /transparency", HttpStatusCode.OK, _ => Get("/transparency")),
        new("GET /healthz", HttpStatusCode.OK,
            _ => Task.FromResult(new HttpRequestMessage(HttpMethod.Get, "/healthz"))),
        new("GET /", HttpStatusCode.OK, _ => Get("/")),
        new("GET /favicon.ico", HttpStatusCode.NoContent, _ => Get("/favicon.ico")),
        new("GET /sign-in", HttpStatusCode.OK, _ => Get("/sign-in")),
        new("GET /pages/site.css", HttpStatusCode.OK, _ => Get("/pages/site.css")),
        new("GET /pages/live.js", HttpStatusCode.OK, _ => Get("/pages/live.js")),
        new("GET /pages/proof.js", HttpStatusCode.OK, _ => Get("/pages/proof.js")),
        new("GET /openapi/{documentName}.json", HttpStatusCode.OK, _ => Get("/openapi/v1.json")),
        new("GET /docs/{documentName?}", HttpStatusCode.OK, _ => Get("/docs/v1")),
        new("GET /docs/favicon.svg", HttpStatusCode.OK, _ => Get("/docs/favicon.svg")),
        new("GET /docs/scalar.js", HttpStatusCode.OK, _ => Get("/docs/scalar.js")),
        new("GET /docs/scalar.aspnetcore.js", HttpStatusCode.OK, _ => Get("/docs/scalar.aspnetcore.js")),
    ];

    /// <summary>An endpoint family's delete, deliveries and redeliver requests, each on an endpoint of <paramref name="agency"/>
    /// written straight to the store with one dead delivery.</summary>
    private static EndpointRequest[] WebhookManagement(string prefix, string agency, string audience, string kind) =>
    [
        new($"DELETE {prefix}/{{id}}", HttpStatusCode.NoContent,
            async f => new HttpRequestMessage(HttpMethod.Delete, $"{prefix}/{(await WebhookArrange.EndpointWithDeadDeliveryAsync(f.Server, agency, audience, kind)).Endpoint}")),
        new($"GET {prefix}/{{id}}/deliveries", HttpStatusCode.OK,
            async f => new HttpRequestMessage(HttpMethod.Get, $"{prefix}/{(await WebhookArrange.EndpointWithDeadDeliveryAsync(f.Server, agency, audience, kind)).Endpoint}/deliveries")),
        new($"POST {prefix}/deliveries/{{id}}/redeliver", HttpStatusCode.Accepted,
            async f => new HttpRequestMessage(HttpMethod.Post, $"{prefix}/deliveries/{(await WebhookArrange.EndpointWithDeadDeliveryAsync(f.Server, agency, audience, kind)).Delivery}/redeliver")),
    ];

    /// <summary>How many classes the matrix's cases are dealt into: a theory's rows run one after another, so the
    /// thousands of cases are split (by provider and by endpoint) into classes xunit runs side by side, each with a
    /// server of its own.</summary>
    public const int Parts = 4;

    /// <summary>Every (provider, endpoint, caller) case, each in exactly one of the <see cref="Parts"/> parts.</summary>
    public static IEnumerable<(StorageProvider Provider, string Endpoint, string Caller)> AllCases() =>
        Providers.All.SelectMany(provider => EndpointPromises.All.SelectMany(p => TestCallers.All.Select(caller => (provider, p.Endpoint, caller))));

    /// <summary>The cases of part <paramref name="part"/> (0 to <see cref="Parts"/> − 1): a provider's half of the endpoints.</summary>
    public static TheoryData<StorageProvider, string, string> Part(int part)
    {
        var endpoints = EndpointPromises.All.Select(p => p.Endpoint).ToList();
        var data = new TheoryData<StorageProvider, string, string>();
        foreach (var (provider, endpoint, caller) in AllCases())
        {
            if (PartOf(provider, endpoints.IndexOf(endpoint)) == part)
            {
                data.Add(provider, endpoint, caller);
            }
        }

        return data;
    }

    private static int PartOf(StorageProvider provider, int endpointIndex) =>
        (Providers.All.ToList().IndexOf(provider) * (Parts / Providers.All.Count)) + (endpointIndex % (Parts / Providers.All.Count));

    public static TheoryData<StorageProvider, string, string> Cases() => Part(0);

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Each_endpoint_keeps_its_promise_to_each_caller(StorageProvider provider, string endpoint, string caller) =>
        CheckAsync(fixture, provider, endpoint, caller);

    [Fact]
    public void The_parts_hold_every_case_exactly_once()
    {
        var dealt = Enumerable.Range(0, Parts).SelectMany(part => Part(part).Select(row => row.Data)).ToList();
        Assert.Equal(AllCases().Count(), dealt.Count);
        Assert.Equal(AllCases().Order().ToArray(), dealt.Order().ToArray());
    }

    /// <summary>One case: <paramref name="caller"/> calls <paramref name="endpoint"/> on <paramref name="provider"/>'s server
    /// and the answer, the audit log and the rows are checked against the endpoint's promise.</summary>
    internal static async Task CheckAsync(WebServerFixture fixture, StorageProvider provider, string endpoint, string caller)
    {
        var ct = TestContext.Current.CancellationToken;
        var web = await fixture.ForAsync(provider);
        var promise = EndpointPromises.For(endpoint);
        var how = Requests.Single(r => r.Endpoint == endpoint);
        using var request = await how.Make(web);
        var path = request.RequestUri!.OriginalString.Split('?')[0];
        var rowsBefore = await web.Server.CountRowsAsync();
        var auditBefore = await web.Server.AuditSizeAsync();
        using var client = web.Server.Client(caller == TestCallers.Anonymous ? null : caller);
        using var response = await client.SendAsync(request, how.Streams ? HttpCompletionOption.ResponseHeadersRead : HttpCompletionOption.ResponseContentRead, ct);
        var streaming = how.Streams && response.StatusCode == how.Success;
        var body = streaming ? "" : await response.Content.ReadAsStringAsync(ct);
        if (streaming)
        {
            Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
            response.Dispose();
            await web.Server.StreamsClosedAsync();
        }

        var allowed = promise.Callers.Contains(caller);
        var expected = allowed ? how.Success
            : caller is TestCallers.Anonymous or TestCallers.Revoked or TestCallers.Expired ? HttpStatusCode.Unauthorized
            : HttpStatusCode.Forbidden;
        Assert.True(expected == response.StatusCode, $"{endpoint} as {caller}: expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        var refusalCode = expected == HttpStatusCode.Unauthorized ? "PARS-AUTH-001" : promise.RefusalCode(caller);
        if (!allowed)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains(refusalCode, body, StringComparison.Ordinal);
            Assert.DoesNotContain("Okafor", body, StringComparison.Ordinal);
        }

        AssertOnTheRecord(promise, caller, request.Method, path, response, await web.Server.AuditEntriesSinceAsync(auditBefore));
        // Nothing but an allowed write changes a row: a read or a refusal leaves every table as it was.
        if (!(allowed && promise.Recorded == Recorded.Write))
        {
            Assert.Equal(rowsBefore, await web.Server.CountRowsAsync());
        }
    }

    /// <summary>What the request left in the audit log, against the promise: one entry of the promised event for
    /// every read, write and refusal (naming the caller, the request line, the refusal code, the status, the arrest);
    /// none where nothing is promised.</summary>
    private static void AssertOnTheRecord(EndpointPromise promise, string caller, HttpMethod method, string path, HttpResponseMessage response, IReadOnlyList<JsonObject> entries)
    {
        var allowed = promise.Callers.Contains(caller);
        var status = (int)response.StatusCode;
        var endpoint = promise.Endpoint;
        var recorded = allowed ? promise.Recorded is Recorded.Read or Recorded.Write : promise.Recorded != Recorded.Nothing;
        if (!recorded)
        {
            Assert.True(entries.Count == 0, $"{endpoint} as {caller}: expected no audit entry, found {entries.Count}: {string.Join(" ", entries)}");
            return;
        }

        Assert.True(entries.Count == 1, $"{endpoint} as {caller}: expected exactly one audit entry, found {entries.Count}");
        var entry = entries[0];
        var what = $"{endpoint} as {caller}: {entry.ToJsonString()}";
        Assert.True(promise.Event == entry["event"]?.GetValue<string>(), $"{what}: expected event {promise.Event}");
        Assert.True((allowed ? "allowed" : "refused") == entry["outcome"]?.GetValue<string>(), $"{what}: wrong outcome");
        Assert.True(method.Method == entry["method"]?.GetValue<string>(), $"{what}: wrong method");
        Assert.True(path == entry["path"]?.GetValue<string>(), $"{what}: expected path {path}");
        if (status == StatusCodes.Status401Unauthorized)
        {
            Assert.True(entry["actor"] is null, $"{what}: a request without a valid token has no actor");
        }
        else
        {
            var actor = allowed ? promise.AuditedActor ?? caller : caller;
            Assert.True(actor == entry["actor"]?["user"]?.GetValue<string>(), $"{what}: expected actor {actor}");
        }

        if (!allowed)
        {
            var code = status == StatusCodes.Status401Unauthorized ? "PARS-AUTH-001" : promise.RefusalCode(caller);
            Assert.True(code == entry["code"]?.GetValue<string>(), $"{what}: expected code {code}");
        }

        // A write's entry is appended inside its transaction, before the answer has a status; a read's and a refusal's carry it.
        if (promise.Recorded != Recorded.Write || !allowed)
        {
            Assert.True(status == entry["status"]?.GetValue<int>(), $"{what}: expected status {status}");
        }

        if (allowed && promise.NamesArrest)
        {
            var number = ArrestNumberOf(path, response);
            var records = entry["records"]?.AsArray().Select(r => r!.GetValue<string>()).ToList() ?? [];
            Assert.True(records.Contains(number), $"{what}: the entry should name arrest {number}");
        }
    }

    [Theory, AllProviders]
    public async Task The_promises_name_exactly_the_endpoints_the_server_maps(StorageProvider provider)
    {
        var web = await fixture.ForAsync(provider);
        var mapped = EndpointInventory.Routes(web.Server.Services).Select(r => r.Name).ToHashSet();
        var promised = EndpointPromises.All.Select(p => p.Endpoint).Concat(EndpointPromises.SignedInPages).ToHashSet();
        Assert.True(promised.Count == EndpointPromises.All.Count + EndpointPromises.SignedInPages.Count, "an endpoint is promised twice");
        Assert.Equal([], mapped.Except(promised).Order().ToArray());
        Assert.Equal([], promised.Except(mapped).Order().ToArray());
    }

    public static TheoryData<StorageProvider, string, string> PageCases() =>
        Providers.Each(EndpointPromises.SignedInPages.SelectMany(p => TestCallers.All.Select(caller => (p, caller))));

    [Theory]
    [MemberData(nameof(PageCases))]
    public async Task A_bearer_token_signs_nobody_in_at_the_pages(StorageProvider provider, string endpoint, string caller)
    {
        var ct = TestContext.Current.CancellationToken;
        var web = await fixture.ForAsync(provider);
        var parts = endpoint.Split(' ');
        var path = parts[1].Replace("{n}", await web.BookAsync(), StringComparison.Ordinal);
        var rowsBefore = await web.Server.CountRowsAsync();
        using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = web.Server.BaseAddress };
        if (caller != TestCallers.Anonymous)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", web.Server.Tokens[caller]);
        }

        using var request = new HttpRequestMessage(new HttpMethod(parts[0]), path);
        if (parts[0] == "POST")
        {
            request.Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["outcome"] = "approve", ["userName"] = caller, ["code"] = "123456" });
        }

        using var response = await client.SendAsync(request, ct);
        var anonymousForm = endpoint is "POST /sign-in" or "POST /sign-in/code";
        Assert.True((anonymousForm ? HttpStatusCode.BadRequest : HttpStatusCode.Found) == response.StatusCode || (endpoint == "GET /sign-in/code" && response.StatusCode == HttpStatusCode.Found),
            $"{endpoint} as {caller}: got {(int)response.StatusCode}");
        if (response.StatusCode == HttpStatusCode.Found)
        {
            Assert.StartsWith("/sign-in", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        }

        Assert.Equal(rowsBefore, await web.Server.CountRowsAsync());
    }

    [Fact]
    public void Every_promise_has_a_request_in_the_matrix()
    {
        Assert.Equal(EndpointPromises.All.Select(p => p.Endpoint).Order(), Requests.Select(r => r.Endpoint).Order());
    }

    [Theory, AllProviders]
    public async Task Every_endpoint_states_who_may_call_it(StorageProvider provider)
    {
        var web = await fixture.ForAsync(provider);
        var routes = EndpointInventory.Routes(web.Server.Services);
        Assert.NotEmpty(routes);
        foreach (var route in routes)
        {
            var anonymous = route.Endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            var policies = route.Endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Where(a => a.Policy is not null).ToList();
            Assert.True(anonymous || policies.Count > 0, $"{route.Name} names no authorization policy");
        }
    }

    /// <summary>The arrest a request was about: the number in its path, or the one a booking was given.</summary>
    private static string ArrestNumberOf(string path, HttpResponseMessage response)
    {
        var inPath = ArrestNumberPattern().Match(path);
        return inPath.Success ? inPath.Value : response.Headers.Location!.OriginalString.Split('/')[^1];
    }

    [GeneratedRegex(@"\b\d{2}-\d{7}\b")]
    private static partial Regex ArrestNumberPattern();

    private static Task<HttpRequestMessage> Get(string path) => Task.FromResult(new HttpRequestMessage(HttpMethod.Get, path));

    private static HttpRequestMessage Json(HttpMethod method, string path, JsonObject body) =>
        new(method, path) { Content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json") };
}

/// <summary>Part 1 of the role × endpoint matrix (see <see cref="RoleEndpointMatrixTests.Parts"/>).</summary>
public sealed class RoleEndpointMatrixPart1Tests(WebServerFixture fixture) : IClassFixture<WebServerFixture>
{
    public static TheoryData<StorageProvider, string, string> Cases() => RoleEndpointMatrixTests.Part(1);

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Each_endpoint_keeps_its_promise_to_each_caller(StorageProvider provider, string endpoint, string caller) =>
        RoleEndpointMatrixTests.CheckAsync(fixture, provider, endpoint, caller);
}

/// <summary>Part 2 of the role × endpoint matrix (see <see cref="RoleEndpointMatrixTests.Parts"/>).</summary>
public sealed class RoleEndpointMatrixPart2Tests(WebServerFixture fixture) : IClassFixture<WebServerFixture>
{
    public static TheoryData<StorageProvider, string, string> Cases() => RoleEndpointMatrixTests.Part(2);

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Each_endpoint_keeps_its_promise_to_each_caller(StorageProvider provider, string endpoint, string caller) =>
        RoleEndpointMatrixTests.CheckAsync(fixture, provider, endpoint, caller);
}

/// <summary>Part 3 of the role × endpoint matrix (see <see cref="RoleEndpointMatrixTests.Parts"/>).</summary>
public sealed class RoleEndpointMatrixPart3Tests(WebServerFixture fixture) : IClassFixture<WebServerFixture>
{
    public static TheoryData<StorageProvider, string, string> Cases() => RoleEndpointMatrixTests.Part(3);

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Each_endpoint_keeps_its_promise_to_each_caller(StorageProvider provider, string endpoint, string caller) =>
        RoleEndpointMatrixTests.CheckAsync(fixture, provider, endpoint, caller);
}
