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

    /// <summary>Registers a watch for <paramref name="sid"/> as the partner analyst; returns its id.</summary>
    public static async Task<string> RegisterAsync(OpenParsTestServer server, string sid)
    {
        using var client = server.Client(Roles.PartnerAnalyst);
        using var response = await client.SendAsync(Register(sid));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"register: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!["id"]!.GetValue<string>();
    }
}
