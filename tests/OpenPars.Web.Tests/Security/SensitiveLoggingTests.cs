using System.Text.Json.Nodes;
using OpenPars.Core.Agencies;
using OpenPars.Testing;
using OpenPars.Testing.Web;
using OpenPars.App.Hosting;
using OpenPars.Web.Hosting;

namespace OpenPars.Web.Tests.Security;

/// <summary>SSN, date of birth, address, birthplace, race and ethnicity never reach a log line — at any level.</summary>
public sealed class SensitiveLoggingTests(WebServerFixture fixture) : IClassFixture<WebServerFixture>
{
    [Theory, AllProviders]
    public async Task No_log_record_holds_a_sensitive_value_after_good_and_bad_requests(StorageProvider provider)
    {
        var web = await fixture.ForAsync(provider);
        var booking = SampleBookings.Valid("Logcheck", "Sensitive");
        booking["person"]!["ssn"] = "287-65-4321";
        booking["person"]!["dateOfBirth"] = "1983-02-19";
        booking["person"]!["address"]!["street"] = "7734 Quillfeather Lane";
        booking["person"]!["placeOfBirth"] = new JsonObject { ["city"] = "Zzyzxville", ["country"] = "Qumranistan" };
        var number = await web.BookAsync(booking);

        using var client = web.Server.Client(Roles.BookingOfficer);
        await client.GetAsync($"/api/v1/arrests/{number}", TestContext.Current.CancellationToken);
        await client.GetAsync("/api/v1/arrests?dateOfBirth=1983-02-19", TestContext.Current.CancellationToken);
        var bad = SampleBookings.Valid();
        bad["person"]!["ssn"] = "666-65-4321";
        bad["person"]!["dateOfBirth"] = "2099-02-19";
        await client.PostJsonAsync("/api/v1/arrests", bad);

        var records = web.Server.Logs.GetSnapshot();
        Assert.NotEmpty(records);
        string[] secrets = ["287-65-4321", "666-65-4321", "1983-02-19", "2099-02-19", "Quillfeather", "Zzyzxville", "Qumranistan"];
        foreach (var record in records)
        {
            var text = string.Join(" | ", record.Message, record.Exception?.ToString(),
                string.Join(",", record.StructuredState?.Select(kv => $"{kv.Key}={kv.Value}") ?? []));
            foreach (var secret in secrets)
            {
                Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            }
        }
    }
}
