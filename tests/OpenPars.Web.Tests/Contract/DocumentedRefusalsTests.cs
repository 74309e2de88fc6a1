using System.Text.Json.Nodes;
using OpenPars.App.Hosting;
using OpenPars.Testing;
using OpenPars.Testing.Web;

namespace OpenPars.Web.Tests.Contract;

/// <summary>The refusals every client meets whatever it calls are in the API description, so a generated client
/// knows them: the throttles (429, Reliability/RateLimitTests answer them for real), the database away (503,
/// Reliability/DatabaseOutageTests) and a control character in the query (400, Arrests/BadInputTests).</summary>
public sealed class DocumentedRefusalsTests
{
    [Theory, AllProviders]
    public async Task Every_operation_documents_the_throttles_the_outage_and_the_query_guard(StorageProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var web = await ProviderTestServer.StartAsync(provider, ct: ct);
        using var http = web.Server.Client();
        var document = JsonNode.Parse(await http.GetStringAsync("/openapi/v1.json", ct))!;
        var missing = new List<string>();
        var operations = 0;
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                operations++;
                var responses = operation!["responses"]!.AsObject();
                var anonymous = operation["security"] is JsonArray { Count: 0 } || (operation["security"] is null && document["security"] is null);
                var expected = new List<(string Status, string Code)> { ("400", "PARS-REQ-006"), ("503", "PARS-SRV-100") };
                if (!anonymous)
                {
                    expected.Add(("429", "PARS-RATE-001"));
                    expected.Add(("429", "PARS-RATE-002"));
                }

                if (path.StartsWith("/api/v1/partner/", StringComparison.Ordinal))
                {
                    expected.Add(("429", "PARS-RATE-003"));
                }

                foreach (var (status, code) in expected)
                {
                    if (responses[status]?["description"]?.GetValue<string>().Contains($"`{code}`", StringComparison.Ordinal) != true)
                    {
                        missing.Add($"{method.ToUpperInvariant()} {path}: {status} {code}");
                    }
                }
            }
        }

        Assert.True(operations > 40, $"only {operations} operations in the document");
        Assert.True(missing.Count == 0, "Not documented:\n" + string.Join("\n", missing));
    }
}
