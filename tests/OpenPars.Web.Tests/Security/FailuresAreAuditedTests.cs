using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OpenPars.App.Hosting;
using OpenPars.App.Reference;
using OpenPars.Core.Agencies;
using OpenPars.Core.Common;
using OpenPars.Testing;
using OpenPars.Testing.Web;

namespace OpenPars.Web.Tests.Security;

/// <summary>
/// Issue 9, "Also": every 500 is audited, with outcome failed. A use case that breaks (here: it cannot even be
/// made) answers a problem with PARS-SRV-001 that says nothing of the cause, and leaves exactly one entry — failed,
/// status 500, the caller named — on both databases.
/// </summary>
public sealed class FailuresAreAuditedTests
{
    [Theory, AllProviders]
    public async Task A_500_is_one_failed_audit_entry(StorageProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var web = await ProviderTestServer.StartAsync(provider, null, builder =>
            builder.Services.AddScoped<ReferenceUseCases>(_ => throw new InvalidOperationException("the reference data went away")), ct: ct);
        var server = web.Server;
        var before = await server.AuditSizeAsync();

        using var client = server.Client(Roles.BookingOfficer);
        using var response = await client.GetAsync("/api/v1/districts", ct);
        var body = await response.Content.ReadAsStringAsync(ct);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal(ErrorCodes.Internal, JsonNode.Parse(body)!["code"]!.GetValue<string>());
        Assert.DoesNotContain("went away", body, StringComparison.Ordinal);
        var entry = Assert.Single(await server.AuditEntriesSinceAsync(before));
        Assert.Equal(("failed", 500, ErrorCodes.Internal, Roles.BookingOfficer),
            (entry["outcome"]!.GetValue<string>(), entry["status"]!.GetValue<int>(), entry["code"]!.GetValue<string>(), entry["actor"]!["user"]!.GetValue<string>()));
    }
}
