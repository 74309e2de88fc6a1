using System.Net;
using Microsoft.EntityFrameworkCore;
using OpenPars.Core.Agencies;
using OpenPars.Testing;
using OpenPars.Testing.Web;
using OpenPars.App.Hosting;
using OpenPars.Web.Hosting;

namespace OpenPars.Web.Tests.Security;

/// <summary>No audit entry, no answer: when the log cannot be written, reads return no data and writes change nothing.</summary>
public sealed class AuditFailsClosedTests(WebServerFixture fixture) : IClassFixture<WebServerFixture>
{
    [Theory, AllProviders]
    public async Task When_the_audit_log_cannot_be_written_requests_fail_closed(StorageProvider provider)
    {
        var web = await fixture.ForAsync(provider);
        var number = await web.BookAsync(SampleBookings.Valid("Failclosed", "Nadia"));
        using var reader = web.Server.Client(Roles.ChargingAttorney);
        using var booker = web.Server.Client(Roles.BookingOfficer);

        await BreakAuditLogAsync(web, true);
        try
        {
            var before = await web.Server.CountRowsAsync();
            using var read = await reader.GetAsync($"/api/v1/arrests/{number}", TestContext.Current.CancellationToken);
            var readBody = await read.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, read.StatusCode);
            Assert.Contains("PARS-AUD-001", readBody, StringComparison.Ordinal);
            Assert.DoesNotContain("Failclosed", readBody, StringComparison.Ordinal);
            Assert.DoesNotContain("219-09-9999", readBody, StringComparison.Ordinal);

            using var search = await reader.GetAsync("/api/v1/arrests?lastName=failclosed", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, search.StatusCode);
            Assert.DoesNotContain("Failclosed", await search.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);

            using var booking = await booker.PostJsonAsync("/api/v1/arrests", SampleBookings.Valid("Neverbooked", "Omar"));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, booking.StatusCode);
            Assert.Equal(before, await web.Server.CountRowsAsync());
        }
        finally
        {
            await BreakAuditLogAsync(web, false);
        }

        using var again = await reader.GetAsync($"/api/v1/arrests/{number}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    /// <summary>Takes the entries table away (or gives it back), as a full disk or a failed volume would.</summary>
    private static async Task BreakAuditLogAsync(WebServer web, bool broken)
    {
        await using var db = web.Server.NewContext();
        await db.Database.ExecuteSqlRawAsync(broken
            ? "ALTER TABLE audit_entries RENAME TO audit_entries_unavailable"
            : "ALTER TABLE audit_entries_unavailable RENAME TO audit_entries");
    }
}
