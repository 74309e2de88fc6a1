using System.Net;
using System.Text.Json.Nodes;
using OpenPars.Core.Agencies;
using OpenPars.Testing.Web;

namespace OpenPars.Web.Tests.Watches;

/// <summary>Steps of the watch tests: a registration with the partner headers, a fresh SID.</summary>
internal static class WatchHttp
{
    /// <summary>A SID no booking of the tests has.</summary>
    public static string Sid() => "W" + Guid.NewGuid().ToString("N")[..9].ToUpperInvariant();

    /// <summary>A registration for one SID (or any criteria), with the three partner headers.</summary>
    public static HttpRequestMessage Register(string sid) => Register(new JsonObject { ["sid"] = sid });

    public static HttpRequestMessage Register(JsonObject criteria, string? expiresAt = null)
    {
        var body = new JsonObject { ["criteria"] = criteria };
        if (expiresAt is not null)
        {
            body["expiresAt"] = expiresAt;
        }

        var request = TestAgreementDocuments.PostJson("/api/v1/partner/watches", body);
        request.Headers.Add("OpenPars-Purpose", TestAgreementDocuments.Purpose);
        request.Headers.Add("OpenPars-Reason", TestAgreementDocuments.Reason);
        request.Headers.Add("OpenPars-Case-Number", TestAgreementDocuments.CaseNumber);
        return request;
    }

    /// <summary>The partner stream's request, with the three partner headers (and a Last-Event-ID to resume after).</summary>
    public static HttpRequestMessage Stream(string? lastEventId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/partner/stream");
        request.Headers.Accept.ParseAdd("text/event-stream");
        request.Headers.Add("OpenPars-Purpose", TestAgreementDocuments.Purpose);
        request.Headers.Add("OpenPars-Reason", TestAgreementDocuments.Reason);
        request.Headers.Add("OpenPars-Case-Number", TestAgreementDocuments.CaseNumber);
        if (lastEventId is not null)
        {
            request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
        }

        return request;
    }

    /// <summary>Registers a watch for <paramref name="sid"/> as the partner analyst; returns its id.</summary>
    public static async Task<string> RegisterAsync(OpenParsTestServer server, string sid)
    {
        using var client = server.Client(Roles.PartnerAnalyst);
        using var response = await client.SendAsync(Register(sid));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"register: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!["id"]!.GetValue<string>();
    }

    /// <summary>A new partner analyst of <paramref name="agency"/> with a token of their own: its id and secret.</summary>
    public static async Task<(long TokenId, string Secret)> PartnerAnalystTokenAsync(OpenParsTestServer server, string agency)
    {
        await using var db = server.NewContext();
        var identity = new OpenPars.Storage.Agencies.IdentityStore(db, server.Clock, OpenPars.Testing.TestAudit.Trail(server.Storage, server.Clock));
        var user = await identity.AddUserAsync(agency, "analyst-" + Guid.NewGuid().ToString("N")[..6], [Roles.PartnerAnalyst]);
        var (token, secret) = await identity.CreateTokenAsync(user.Id, TimeSpan.FromDays(30), "partner analyst");
        return (token.Id, secret);
    }
}
