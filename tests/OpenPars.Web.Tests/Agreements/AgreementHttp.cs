using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using OpenPars.Core.Agencies;
using OpenPars.Core.Audit;
using OpenPars.Testing.Web;

namespace OpenPars.Web.Tests.Agreements;

/// <summary>Small steps of the agreement tests, over HTTP.</summary>
internal static class AgreementHttp
{
    public static async Task<JsonObject> SendOkAsync(OpenParsTestServer server, string caller, HttpRequestMessage request, HttpStatusCode expected)
    {
        using var client = server.Client(caller);
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{request.Method} {request.RequestUri} as {caller}: expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    /// <summary>Sends with a raw token (a stakeholder representative of a given agency).</summary>
    public static async Task<(HttpStatusCode Status, JsonObject Body)> SendAsTokenAsync(OpenParsTestServer server, string token, HttpRequestMessage request)
    {
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonNode.Parse(body)!.AsObject());
    }

    public static async Task<JsonObject> VoteAsync(OpenParsTestServer server, string token, string id, string vote, HttpStatusCode expected = HttpStatusCode.Created, string? code = null, DateTimeOffset? noticeAt = null)
    {
        var body = new JsonObject { ["vote"] = vote, ["statement"] = $"This agency votes {vote}." };
        if (noticeAt is { } at)
        {
            body["noticeEffectiveAt"] = TestAgreementDocuments.Instant(at);
        }

        var (status, answer) = await SendAsTokenAsync(server, token, TestAgreementDocuments.PostJson($"/api/v1/agreements/{id}/votes", body));
        Assert.True(expected == status, $"vote {vote} on {id}: expected {(int)expected}, got {(int)status}: {answer}");
        if (code is not null)
        {
            Assert.Equal(code, answer["code"]?.GetValue<string>());
        }

        return answer;
    }

    public static string StatusOf(JsonObject agreement) => agreement["status"]!["status"]!.GetValue<string>();

    /// <summary>Drafts (DAO), proposes and consents (PPD, DAO, FJD) over HTTP; returns the agreement after the last vote.</summary>
    public static async Task<JsonObject> ActivateAsync(OpenParsTestServer server, IReadOnlyDictionary<string, string> reps, JsonObject document)
    {
        var id = document["agreementId"]!.GetValue<string>();
        var drafted = await SendOkAsync(server, Roles.StakeholderRepresentative, TestAgreementDocuments.PostJson("/api/v1/agreements", document), HttpStatusCode.Created);
        Assert.Equal("draft", StatusOf(drafted));
        var proposed = await SendOkAsync(server, Roles.StakeholderRepresentative, new HttpRequestMessage(HttpMethod.Post, $"/api/v1/agreements/{id}/propose"), HttpStatusCode.OK);
        Assert.Equal("proposed", StatusOf(proposed));
        JsonObject last = proposed;
        foreach (var agency in new[] { "PPD", "DAO", "FJD" })
        {
            last = await VoteAsync(server, reps[agency], id, "consent");
        }

        return last;
    }

    /// <summary>A partner request as the partner analyst: status and body.</summary>
    public static async Task<(HttpStatusCode Status, JsonObject Body)> PartnerAsync(OpenParsTestServer server, HttpRequestMessage request, string caller = Roles.PartnerAnalyst)
    {
        using var client = server.Client(caller);
        using var response = await client.SendAsync(request);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }

    public static async Task ExpectRefusalAsync(OpenParsTestServer server, HttpRequestMessage request, string code, int status = 403)
    {
        var (actual, body) = await PartnerAsync(server, request);
        Assert.True(status == (int)actual && body["code"]?.GetValue<string>() == code, $"{request.RequestUri}: expected {status} {code}, got {(int)actual}: {body}");
    }

    public static async Task<int> AuditCountAsync(OpenParsTestServer server, string code)
    {
        await using var db = server.NewContext();
        return await db.AuditEntries.CountAsync(e => e.Code == code && (e.EventType == (int)AuditEventType.PartnerSearch || e.EventType == (int)AuditEventType.PartnerRead));
    }

    /// <summary>The newest audit entry of a type, as JSON.</summary>
    public static async Task<JsonObject> LastEntryAsync(OpenParsTestServer server, AuditEventType type)
    {
        await using var db = server.NewContext();
        var bytes = await db.AuditEntries.Where(e => e.EventType == (int)type).OrderByDescending(e => e.Index).Select(e => e.Entry).FirstAsync();
        return JsonNode.Parse(bytes)!.AsObject();
    }

    public static async Task<string> BookAsync(OpenParsTestServer server, JsonObject? booking = null)
    {
        var answer = await SendOkAsync(server, Roles.BookingOfficer, TestAgreementDocuments.PostJson("/api/v1/arrests", booking ?? SampleBookings.Valid()), HttpStatusCode.Created);
        return answer["arrestNumber"]!.GetValue<string>();
    }
}
