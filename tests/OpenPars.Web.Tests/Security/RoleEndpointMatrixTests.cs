using System.Net;
using System.Text.Json.Nodes;
using OpenPars.Core.Agencies;
using OpenPars.Testing.Web;

namespace OpenPars.Web.Tests.Security;

/// <summary>
/// Every endpoint × every caller (each role, anonymous, a revoked and an expired token): who may call what
/// is a product promise, so it is a table here. Allowed callers must get the endpoint's success status,
/// others 401 (no valid token) or 403 (valid token, wrong role) — never data.
/// </summary>
public sealed class RoleEndpointMatrixTests(WebServerFixture fixture) : IClassFixture<WebServerFixture>
{
    private static readonly string[] Stakeholders =
        [Roles.BookingOfficer, Roles.RecordsAdmin, Roles.ChargingAttorney, Roles.Magistrate, Roles.StakeholderRepresentative, Roles.PrivacyOfficer];

    private static readonly string[] Everyone = [.. Roles.All];

    /// <summary>An endpoint: how to make a request it would accept (preparing state as needed), its success status, who may call it.</summary>
    public sealed record Endpoint(string Name, HttpStatusCode Success, string[] Allowed, Func<WebServerFixture, Task<HttpRequestMessage>> Request);

    public static readonly IReadOnlyList<Endpoint> Endpoints =
    [
        new("POST /api/v1/arrests", HttpStatusCode.Created, [Roles.BookingOfficer],
            _ => Task.FromResult(Json(HttpMethod.Post, "/api/v1/arrests", SampleBookings.Valid()))),
        new("GET /api/v1/arrests/{n}", HttpStatusCode.OK, Stakeholders,
            async f => new HttpRequestMessage(HttpMethod.Get, $"/api/v1/arrests/{await f.BookAsync()}")),
        new("GET /api/v1/arrests", HttpStatusCode.OK, Stakeholders,
            _ => Task.FromResult(new HttpRequestMessage(HttpMethod.Get, "/api/v1/arrests?lastName=Okafor"))),
        new("GET /api/v1/arrests/{n}/history", HttpStatusCode.OK, Stakeholders,
            async f => new HttpRequestMessage(HttpMethod.Get, $"/api/v1/arrests/{await f.BookAsync()}/history")),
        new("POST /api/v1/arrests/{n}/corrections", HttpStatusCode.OK, [Roles.BookingOfficer, Roles.RecordsAdmin],
            async f =>
            {
                var request = Json(HttpMethod.Post, $"/api/v1/arrests/{await f.BookAsync()}/corrections",
                    new JsonObject { ["reason"] = "Wrong district keyed", ["district"] = "25" });
                request.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue("\"1\""));
                return request;
            }),
        new("GET /api/v1/charging/queue", HttpStatusCode.OK, [Roles.ChargingAttorney],
            _ => Task.FromResult(new HttpRequestMessage(HttpMethod.Get, "/api/v1/charging/queue"))),
        new("POST /api/v1/arrests/{n}/charging-decision", HttpStatusCode.OK, [Roles.ChargingAttorney],
            async f => Json(HttpMethod.Post, $"/api/v1/arrests/{await f.BookAsync()}/charging-decision", new JsonObject { ["outcome"] = "approve" })),
        new("GET /api/v1/arraignment/list", HttpStatusCode.OK, [Roles.Magistrate],
            _ => Task.FromResult(new HttpRequestMessage(HttpMethod.Get, "/api/v1/arraignment/list?date=2026-11-23"))),
        new("POST /api/v1/arrests/{n}/arraignment", HttpStatusCode.OK, [Roles.Magistrate],
            async f => Json(HttpMethod.Post, $"/api/v1/arrests/{await f.BookAndChargeAsync()}/arraignment", SampleBookings.ValidArraignment())),
        new("GET /api/v1/statutes", HttpStatusCode.OK, Everyone,
            _ => Task.FromResult(new HttpRequestMessage(HttpMethod.Get, "/api/v1/statutes?q=assault"))),
        new("GET /api/v1/districts", HttpStatusCode.OK, Everyone,
            _ => Task.FromResult(new HttpRequestMessage(HttpMethod.Get, "/api/v1/districts"))),
        new("GET /api/v1/agencies", HttpStatusCode.OK, [Roles.RecordsAdmin],
            _ => Task.FromResult(new HttpRequestMessage(HttpMethod.Get, "/api/v1/agencies"))),
        new("POST /api/v1/agencies", HttpStatusCode.Created, [Roles.RecordsAdmin],
            _ => Task.FromResult(Json(HttpMethod.Post, "/api/v1/agencies",
                new JsonObject { ["code"] = "C" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant(), ["name"] = "County Sheriff", ["kind"] = "partner" }))),
        new("GET /api/v1/users", HttpStatusCode.OK, [Roles.RecordsAdmin],
            _ => Task.FromResult(new HttpRequestMessage(HttpMethod.Get, "/api/v1/users"))),
        new("POST /api/v1/users", HttpStatusCode.Created, [Roles.RecordsAdmin],
            _ => Task.FromResult(Json(HttpMethod.Post, "/api/v1/users",
                new JsonObject { ["agency"] = "PPD", ["name"] = "officer-" + Guid.NewGuid().ToString("N")[..8], ["roles"] = new JsonArray("booking-officer") }))),
        new("POST /api/v1/users/{id}/tokens", HttpStatusCode.Created, [Roles.RecordsAdmin],
            f => Task.FromResult(Json(HttpMethod.Post, $"/api/v1/users/{f.Server.UserIds[Roles.BookingOfficer]}/tokens", new JsonObject { ["expiresInDays"] = 7 }))),
        new("DELETE /api/v1/tokens/{id}", HttpStatusCode.NoContent, [Roles.RecordsAdmin],
            async f => new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/tokens/{await f.NewTokenIdAsync()}")),
        new("GET /api/v1/audit/entries", HttpStatusCode.OK, [Roles.PrivacyOfficer],
            _ => Task.FromResult(new HttpRequestMessage(HttpMethod.Get, "/api/v1/audit/entries?limit=5"))),
        new("GET /api/v1/audit/checkpoints/latest", HttpStatusCode.OK, [Roles.PrivacyOfficer],
            async f =>
            {
                await f.CheckpointNowAsync();
                return new HttpRequestMessage(HttpMethod.Get, "/api/v1/audit/checkpoints/latest");
            }),
        new("GET /api/v1/audit/checkpoints", HttpStatusCode.OK, [Roles.PrivacyOfficer],
            async f => new HttpRequestMessage(HttpMethod.Get, $"/api/v1/audit/checkpoints?size={await f.CheckpointNowAsync()}")),
        new("GET /api/v1/audit/proofs/inclusion", HttpStatusCode.OK, [Roles.PrivacyOfficer],
            async f => new HttpRequestMessage(HttpMethod.Get, $"/api/v1/audit/proofs/inclusion?index=0&treeSize={await f.CheckpointNowAsync()}")),
        new("GET /api/v1/audit/proofs/consistency", HttpStatusCode.OK, [Roles.PrivacyOfficer],
            async f => new HttpRequestMessage(HttpMethod.Get, $"/api/v1/audit/proofs/consistency?from=1&to={await f.CheckpointNowAsync()}")),
        new("GET /api/v1/audit/public-key", HttpStatusCode.OK, [.. TestCallers.All],
            _ => Task.FromResult(new HttpRequestMessage(HttpMethod.Get, "/api/v1/audit/public-key"))),
        new("POST /api/v1/agreements", HttpStatusCode.Created, [Roles.StakeholderRepresentative],
            async f => Json(HttpMethod.Post, "/api/v1/agreements", TestAgreementDocuments.Document(
                "agr-" + Guid.NewGuid().ToString("N")[..10], await AgreementArrange.NewPartnerAsync(f.Server), WebTestClock.Start, WebTestClock.Start.AddDays(90)))),
        new("POST /api/v1/agreements/{id}/propose", HttpStatusCode.OK, [Roles.StakeholderRepresentative],
            async f => new HttpRequestMessage(HttpMethod.Post, $"/api/v1/agreements/{await f.AgreementAsync(ArrangedState.Draft)}/propose")),
        new("POST /api/v1/agreements/{id}/votes", HttpStatusCode.Created, [Roles.StakeholderRepresentative],
            async f => Json(HttpMethod.Post, $"/api/v1/agreements/{await f.AgreementAsync(ArrangedState.Proposed)}/votes",
                new JsonObject { ["vote"] = "consent", ["statement"] = "The DA consents." })),
        new("POST /api/v1/agreements/{id}/renewals", HttpStatusCode.Created, [Roles.StakeholderRepresentative],
            async f =>
            {
                var id = await f.AgreementAsync(ArrangedState.Active);
                await using var db = f.Server.NewContext();
                var partner = (await new OpenPars.Storage.Agreements.AgreementStore(db, f.Server.Clock, OpenPars.Testing.TestAudit.Trail(f.Server.Storage, f.Server.Clock)).FindAsync(id))!.PartnerAgency;
                return Json(HttpMethod.Post, $"/api/v1/agreements/{id}/renewals",
                    TestAgreementDocuments.Document(id, partner, WebTestClock.Start.AddDays(200), WebTestClock.Start.AddDays(500), version: 2)); // within the charter's 12 months
            }),
        new("POST /api/v1/agreements/{id}/suspension", HttpStatusCode.OK, [Roles.PrivacyOfficer],
            async f => Json(HttpMethod.Post, $"/api/v1/agreements/{await f.AgreementAsync(ArrangedState.Active)}/suspension",
                new JsonObject { ["statement"] = "Suspended pending review of a complaint." })),
        new("GET /api/v1/agreements", HttpStatusCode.OK, Stakeholders,
            _ => Task.FromResult(new HttpRequestMessage(HttpMethod.Get, "/api/v1/agreements"))),
        new("GET /api/v1/agreements/{id}", HttpStatusCode.OK, Stakeholders,
            async f => new HttpRequestMessage(HttpMethod.Get, $"/api/v1/agreements/{await f.AgreementAsync(ArrangedState.Draft)}")),
        new("GET /api/v1/agreements/{id}/notice", HttpStatusCode.OK, Stakeholders,
            async f => new HttpRequestMessage(HttpMethod.Get, $"/api/v1/agreements/{await f.AgreementAsync(ArrangedState.Terminated)}/notice")),
        new("GET /api/v1/partner/arrests", HttpStatusCode.OK, [Roles.PartnerAnalyst],
            async f =>
            {
                await f.EnsureIceAgreementAsync();
                return TestAgreementDocuments.PartnerGet("/api/v1/partner/arrests?lastName=Okafor&dateOfBirth=1991-05-17");
            }),
        new("GET /api/v1/partner/arrests/{n}", HttpStatusCode.OK, [Roles.PartnerAnalyst],
            async f =>
            {
                await f.EnsureIceAgreementAsync();
                return TestAgreementDocuments.PartnerGet($"/api/v1/partner/arrests/{await f.BookAsync()}");
            }),
        new("GET /api/v1/partner/agreement", HttpStatusCode.OK, [Roles.PartnerAnalyst],
            async f =>
            {
                await f.EnsureIceAgreementAsync();
                return new HttpRequestMessage(HttpMethod.Get, "/api/v1/partner/agreement");
            }),
        new("GET /healthz", HttpStatusCode.OK, [.. TestCallers.All],
            _ => Task.FromResult(new HttpRequestMessage(HttpMethod.Get, "/healthz"))),
    ];

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var endpoint in Endpoints)
        {
            foreach (var caller in TestCallers.All)
            {
                data.Add(endpoint.Name, caller);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Only_the_named_roles_may_call_each_endpoint(string endpointName, string caller)
    {
        var endpoint = Endpoints.Single(e => e.Name == endpointName);
        using var request = await endpoint.Request(fixture);
        var auditBefore = await fixture.Server.AuditSizeAsync();
        using var client = fixture.Server.Client(caller == TestCallers.Anonymous ? null : caller);
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        var expected = endpoint.Allowed.Contains(caller) ? endpoint.Success
            : caller is TestCallers.Anonymous or TestCallers.Revoked or TestCallers.Expired ? HttpStatusCode.Unauthorized
            : HttpStatusCode.Forbidden;
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(expected == response.StatusCode, $"{endpointName} as {caller}: expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        await AssertAuditedAsync(endpoint, caller, expected, auditBefore);
        if (expected is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains(expected == HttpStatusCode.Unauthorized ? "PARS-AUTH-001" : "PARS-AUTH-002", body, StringComparison.Ordinal);
            Assert.DoesNotContain("Okafor", body, StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// Every request to an audited endpoint leaves exactly one entry, refusals included, naming who (or nobody, for a
    /// request without a valid token), what, and the outcome; unaudited endpoints (health, the public key) leave none.
    /// </summary>
    private async Task AssertAuditedAsync(Endpoint endpoint, string caller, HttpStatusCode status, long before)
    {
        var entries = await fixture.Server.AuditEntriesSinceAsync(before);
        var route = EndpointInventory.Routes(fixture.Server.Services).Single(r => r.Name == endpoint.Name);
        var audited = route.Endpoint.Metadata.GetMetadata<OpenPars.Web.Audit.AuditedAs>();
        var refused = status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;
        if (audited is null || (audited.RefusalsOnly && !refused))
        {
            Assert.True(entries.Count == 0, $"{endpoint.Name} as {caller}: expected no audit entry, found {entries.Count}");
            return;
        }

        Assert.True(entries.Count == 1, $"{endpoint.Name} as {caller}: expected one audit entry, found {entries.Count}");
        var entry = entries[0];
        Assert.Equal((int)audited.Type, entry["type"]!.GetValue<int>());
        Assert.Equal(refused ? "refused" : "allowed", entry["outcome"]!.GetValue<string>());
        if (refused)
        {
            Assert.Equal(status == HttpStatusCode.Unauthorized ? "PARS-AUTH-001" : "PARS-AUTH-002", entry["code"]!.GetValue<string>());
        }

        if (status == HttpStatusCode.Unauthorized)
        {
            Assert.Null(entry["actor"]);
        }
        else
        {
            Assert.Equal(caller, entry["actor"]!["user"]!.GetValue<string>());
        }
    }

    [Fact]
    public void The_matrix_covers_every_mapped_endpoint()
    {
        var mapped = EndpointInventory.Routes(fixture.Server.Services).Select(r => r.Name);
        var covered = Endpoints.Select(e => e.Name).ToHashSet();
        Assert.Equal([], mapped.Where(m => !covered.Contains(m)).ToArray());
    }

    private static HttpRequestMessage Json(HttpMethod method, string path, JsonObject body) =>
        new(method, path) { Content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json") };
}
