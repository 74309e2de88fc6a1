using System.Net;
using Microsoft.EntityFrameworkCore;
using OpenPars.App.Hosting;
using OpenPars.Core.Agencies;
using OpenPars.Core.Audit;
using OpenPars.Testing;
using OpenPars.Testing.Web;
using static OpenPars.Web.Tests.Oversight.OversightHttp;

namespace OpenPars.Web.Tests.Pages;

/// <summary>The oversight dashboard on each provider, as a browser without script uses it: every alert for an overseer,
/// one partner's usage, disparity and alerts with the charts as accessible SVG and their numbers beside (each view one
/// audited read, channel page), an alert acknowledged with a statement, a refused or forged acknowledgement changing
/// nothing, and the 403 page for every other role.</summary>
public sealed class OversightPagesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, AllProviders]
    public async Task An_overseer_sees_every_alert_then_one_partners_usage_disparity_and_alerts_each_one_audited_page_read(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var server = web.Server;
        await AgreementArrange.AgreementAsync(server, "ICE", ArrangedState.Active);
        await BookPersonAsync(server, "Dasha", "Nigeria");
        await BookPersonAsync(server, "Dasha", "United States");
        await SearchAsync(server, "Dasha");
        var alert = await RaiseAlertAsync(server);
        await CheckpointAsync(server);
        var officer = await PageSignIn.EnrolAsync(server, Roles.PrivacyOfficer);
        using var client = await PageSignIn.SignedInAsync(server, officer);

        var (_, desk, _) = await client.GetAsync("/desk");
        Assert.Contains("href=\"/oversight\"", desk, StringComparison.Ordinal);
        var before = await server.AuditSizeAsync();
        var (status, html, _) = await client.GetAsync("/oversight");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"data-alert=\"{alert}\"", html, StringComparison.Ordinal);
        Assert.Contains("An arranged alert.", html, StringComparison.Ordinal);
        var read = Assert.Single(await server.AuditEntriesSinceAsync(before));
        Assert.Equal((int)AuditEventType.OversightAlertsRead, read["type"]!.GetValue<int>());
        Assert.Equal(Channels.Page, read["channel"]!.GetValue<string>());

        before = await server.AuditSizeAsync();
        (status, html, _) = await client.GetAsync("/oversight?agency=ICE");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("id=\"usage\"", html, StringComparison.Ordinal);
        Assert.Contains("<svg class=\"chart\" id=\"usage-chart\" viewBox=\"0 0 600 180\" role=\"img\" aria-labelledby=\"usage-title usage-desc\">", html, StringComparison.Ordinal);
        Assert.Contains("<title id=\"usage-title\">Requests per day by ICE</title>", html, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"row\">2026-11-23</th>", html, StringComparison.Ordinal);
        Assert.Contains("id=\"disparity-30\"", html, StringComparison.Ordinal);
        Assert.Contains("id=\"disparity-7\"", html, StringComparison.Ordinal);
        Assert.Contains($"data-alert=\"{alert}\"", html, StringComparison.Ordinal);
        var report = Assert.Single(await server.AuditEntriesSinceAsync(before));
        Assert.Equal((int)AuditEventType.OversightReportRead, report["type"]!.GetValue<int>());
        Assert.Equal(Channels.Page, report["channel"]!.GetValue<string>());
        Assert.Equal("ICE", report["payload"]!["agency"]!.GetValue<string>());

        // A partner that is not one is refused at its field, audited, and nothing is shown.
        before = await server.AuditSizeAsync();
        (status, html, _) = await client.GetAsync("/oversight?agency=PPD");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("id=\"e-agency\">", html, StringComparison.Ordinal);
        Assert.Contains("PARS-REQ-006", html, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"usage\"", html, StringComparison.Ordinal);
        Assert.Equal("refused", Assert.Single(await server.AuditEntriesSinceAsync(before))["outcome"]!.GetValue<string>());
    }

    [Theory, AllProviders]
    public async Task A_representative_acknowledges_an_alert_with_a_statement_and_a_refused_or_forged_form_changes_nothing(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var server = web.Server;
        var alert = await RaiseAlertAsync(server);
        var representative = await PageSignIn.EnrolAsync(server, Roles.StakeholderRepresentative);
        using var client = await PageSignIn.SignedInAsync(server, representative);
        var action = $"/oversight/alerts/{alert}/acknowledge";

        var rows = await server.CountRowsAsync();
        var acknowledgements = await AcknowledgementsAsync(server);
        using (var forged = await client.SubmitAsync("/oversight", action, new() { ["statement"] = "We looked into it." }, withToken: false))
        {
            Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
            Assert.Contains(PageErrorCodes.AntiforgeryFailed, await forged.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        var before = await server.AuditSizeAsync();
        using (var blank = await client.SubmitAsync("/oversight", action, new() { ["statement"] = "" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, blank.StatusCode);
            Assert.Contains("PARS-REQ-006", await blank.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        // Two entries: the dashboard the form was on (an alerts read) and the refusal.
        var refusal = (await server.AuditEntriesSinceAsync(before))[^1];
        Assert.Equal("refused", refusal["outcome"]!.GetValue<string>());
        Assert.Equal(Channels.Page, refusal["channel"]!.GetValue<string>());
        Assert.Equal(rows, await server.CountRowsAsync());
        Assert.Equal(acknowledgements, await AcknowledgementsAsync(server));

        before = await server.AuditSizeAsync();
        using (var acknowledged = await client.SubmitAsync("/oversight", action, new() { ["statement"] = "DAO has asked ICE for its case list." }))
        {
            Assert.Equal(HttpStatusCode.Found, acknowledged.StatusCode);
            Assert.Equal($"/oversight?acknowledged={alert}", acknowledged.Headers.Location!.OriginalString);
        }

        var written = (await server.AuditEntriesSinceAsync(before))[^1];
        Assert.Equal((int)AuditEventType.OversightAlertAcknowledged, written["type"]!.GetValue<int>());
        Assert.Equal(Channels.Page, written["channel"]!.GetValue<string>());
        var (_, html, _) = await client.GetAsync($"/oversight?acknowledged={alert}");
        Assert.Contains($"Acknowledgement recorded for alert {alert}.", html, StringComparison.Ordinal);
        Assert.Contains("DAO has asked ICE for its case list.", html, StringComparison.Ordinal);
        Assert.DoesNotContain(action, html, StringComparison.Ordinal);

        // A second acknowledgement by the same agency is refused and changes nothing.
        acknowledgements = await AcknowledgementsAsync(server);
        using (var again = await client.SubmitAsync("/oversight", action, new() { ["statement"] = "Again." }))
        {
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        }

        Assert.Equal(acknowledgements, await AcknowledgementsAsync(server));
    }

    [Theory, AllProviders]
    public async Task Every_other_role_gets_the_403_page_audited_and_no_link(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var server = web.Server;
        await RaiseAlertAsync(server);
        foreach (var role in new[] { Roles.BookingOfficer, Roles.RecordsAdmin, Roles.PartnerAnalyst })
        {
            var credentials = await PageSignIn.EnrolAsync(server, role);
            using var client = await PageSignIn.SignedInAsync(server, credentials);
            var (_, desk, _) = await client.GetAsync("/desk");
            Assert.DoesNotContain("href=\"/oversight\"", desk, StringComparison.Ordinal);
            var before = await server.AuditSizeAsync();
            var (status, html, _) = await client.GetAsync("/oversight?agency=ICE");
            Assert.True(HttpStatusCode.Forbidden == status, $"{role}: {(int)status}");
            Assert.Contains("PARS-AUTH-002", html, StringComparison.Ordinal);
            var entry = Assert.Single(await server.AuditEntriesSinceAsync(before));
            Assert.Equal("refused", entry["outcome"]!.GetValue<string>());
            Assert.Equal(Channels.Page, entry["channel"]!.GetValue<string>());
        }
    }

    private static async Task<int> AcknowledgementsAsync(OpenParsTestServer server)
    {
        await using var db = server.NewContext();
        return await db.AuditEntries.CountAsync(e => e.EventType == (int)AuditEventType.OversightAlertAcknowledged && e.Outcome == "allowed", Ct);
    }
}
