using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenPars.App.Hosting;
using OpenPars.App.Identity;
using OpenPars.Core.Agencies;
using OpenPars.Core.Audit;
using OpenPars.Core.Common;
using OpenPars.Core.Webhooks;
using OpenPars.Storage.Common;
using OpenPars.Storage.Webhooks;
using OpenPars.Testing;
using OpenPars.Testing.Web;

namespace OpenPars.Web.Tests.Pages;

/// <summary>The records admin's webhook page on each provider: the agency's endpoints with their kinds, state, last
/// delivery and failures; a registration whose answer alone shows the secret that signs; a refused or forged form
/// changing nothing; an endpoint's deliveries and one sent again; a delete; and another agency's records admin, who
/// neither sees, reads the deliveries of, redelivers nor deletes the police's endpoints.</summary>
public sealed partial class WebhookPagesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, AllProviders]
    public async Task The_records_admin_registers_an_endpoint_whose_secret_is_shown_once_and_signs_its_deliveries(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var server = web.Server;
        using var admin = await PageSignIn.SignedInAsync(server, await PageSignIn.EnrolAsync(server, Roles.RecordsAdmin));

        var (status, html, _) = await admin.GetAsync("/admin/webhooks");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("href=\"/admin/webhooks\" aria-current=\"page\"", html, StringComparison.Ordinal);
        Assert.Contains("Your agency has no webhook endpoint yet.", html, StringComparison.Ordinal);
        Assert.Contains("value=\"arrest-booked\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("value=\"charging-decided\"", html, StringComparison.Ordinal); // the DA's desk, not the police's

        string secret, id;
        using (var registered = await admin.SubmitAsync("/admin/webhooks", "/admin/webhooks", new() { ["url"] = "http://127.0.0.1:9/jail", ["eventKinds"] = "arrest-booked" }))
        {
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
            Assert.True(registered.Headers.CacheControl!.NoStore);
            var body = await registered.Content.ReadAsStringAsync(Ct);
            secret = WebUtility.HtmlDecode(NewSecret().Match(body).Groups[1].Value);
            id = Registered().Match(body).Groups[1].Value;
            Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        }

        // The secret shown is the one the deliveries are signed with (sealed at rest for the agency).
        await using (var db = server.NewContext())
        {
            var row = await db.WebhookEndpoints.SingleAsync(e => e.PublicId == id, Ct);
            Assert.Equal("PPD", row.AgencyCode);
            Assert.Equal("stakeholder", row.Audience);
            Assert.Equal("arrest-booked", row.EventKinds);
            Assert.Equal(secret, server.Services.GetRequiredService<SecretBoxes>().Webhooks.Open(row.SecretSealed, row.AgencyId));
        }

        // Listed with its kinds and state, never with its secret, and the listing is on the record as the API's is.
        var before = await server.AuditSizeAsync();
        (_, html, _) = await admin.GetAsync("/admin/webhooks");
        Assert.Contains($"data-webhook=\"{id}\" data-state=\"enabled\"", html, StringComparison.Ordinal);
        Assert.Contains("data-last-delivery=\"none\"", html, StringComparison.Ordinal);
        Assert.Contains("http://127.0.0.1:9/jail", html, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, html, StringComparison.Ordinal);
        Assert.DoesNotContain(WebUtility.HtmlEncode(secret), html, StringComparison.Ordinal);
        Assert.DoesNotContain(secret[6..20], html, StringComparison.Ordinal);
        var entry = Assert.Single(await server.AuditEntriesSinceAsync(before));
        PageAudit.AssertEntry(entry, AuditEventType.WebhooksListed);
        Assert.DoesNotContain(secret, (await server.AuditEntriesSinceAsync(0)).Select(e => e.ToJsonString()), StringComparer.Ordinal);

        // Every kind when none is ticked.
        using (var all = await admin.SubmitAsync("/admin/webhooks", "/admin/webhooks", new() { ["url"] = "http://localhost:9/all" }))
        {
            Assert.Equal(HttpStatusCode.Created, all.StatusCode);
        }

        await using (var db = server.NewContext())
        {
            var kinds = await db.WebhookEndpoints.Where(e => e.Url == "http://localhost:9/all").Select(e => e.EventKinds).SingleAsync(Ct);
            Assert.Equal(WebhookEventKinds.For(WebhookAudience.Stakeholder, AgencyKind.Police), kinds.Split(','));
        }
    }

    [Theory, AllProviders]
    public async Task A_refused_or_forged_registration_is_shown_next_to_its_field_and_registers_nothing(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var server = web.Server;
        using var admin = await PageSignIn.SignedInAsync(server, await PageSignIn.EnrolAsync(server, Roles.RecordsAdmin));

        // A host not on the agency's allow list: PARS-HOOK-003 next to the url, as typed.
        var body = await RefusedAsync(server, admin, new() { ["url"] = "https://hooks.elsewhere.example/in", ["eventKinds"] = "arrest-booked" }, HttpStatusCode.BadRequest, WebhookErrorCodes.HostNotAllowed);
        Assert.Matches("id=\"f-url\"[^>]*aria-invalid=\"true\"", body);
        Assert.Contains("value=\"https://hooks.elsewhere.example/in\"", body, StringComparison.Ordinal);

        // A kind the police's desks do not make (forged: the page offers no such box): PARS-HOOK-004 next to the kinds.
        body = await RefusedAsync(server, admin, new() { ["url"] = "http://127.0.0.1:9/jail", ["eventKinds"] = "charging-decided" }, HttpStatusCode.BadRequest, WebhookErrorCodes.EventKindRefused);
        Assert.Contains("id=\"e-eventKinds\"", body, StringComparison.Ordinal);
        Assert.Contains("href=\"#f-eventKinds\"", body, StringComparison.Ordinal);

        // A blank url: refused before anything is registered.
        body = await RefusedAsync(server, admin, new() { ["url"] = "" }, HttpStatusCode.BadRequest, WebhookErrorCodes.UrlRefused);
        Assert.Matches("id=\"f-url\"[^>]*aria-invalid=\"true\"", body);

        // Without the antiforgery token: PARS-PAGE-001.
        using (var forged = await admin.SubmitAsync("/admin/webhooks", "/admin/webhooks", new() { ["url"] = "http://127.0.0.1:9/jail" }, withToken: false))
        {
            Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
            Assert.Contains(PageErrorCodes.AntiforgeryFailed, await forged.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        await using var db = server.NewContext();
        Assert.False(await db.WebhookEndpoints.AnyAsync(Ct));
    }

    [Theory, AllProviders]
    public async Task The_list_shows_the_last_delivery_and_failures_and_a_delete_cancels_the_endpoint(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var server = web.Server;
        using var admin = await PageSignIn.SignedInAsync(server, await PageSignIn.EnrolAsync(server, Roles.RecordsAdmin));
        var (dead, deadDelivery) = await WebhookArrange.EndpointWithDeadDeliveryAsync(server, "PPD", "stakeholder", "arrest-booked");
        var (retrying, _) = await WebhookArrange.EndpointWithDeadDeliveryAsync(server, "PPD", "stakeholder", "arrest-corrected");
        await using (var db = server.NewContext())
        {
            // The second endpoint's delivery: a later one, pending after two failures, the receiver's last answer 503.
            var endpoint = await db.WebhookEndpoints.SingleAsync(e => e.PublicId == retrying, Ct);
            var now = server.Clock.GetUtcNow();
            db.WebhookDeliveries.Add(new WebhookDeliveryRow
            {
                PublicId = WebhookStore.NewId("whd-"), EndpointId = endpoint.Id, EventPosition = 2, EventType = "arrest-corrected", State = WebhookStates.Pending,
                Failures = 2, Attempts = 2, NextAttemptAt = now.AddMinutes(3), LastStatus = 503, CreatedAt = now,
            });
            await db.SaveChangesAsync(Ct);
        }

        var (_, html, _) = await admin.GetAsync("/admin/webhooks");
        Assert.Matches($"data-webhook=\"{dead}\"[^>]*>(?:(?!</tr>).)*data-last-delivery=\"dead\"(?:(?!</tr>).)*data-failures=\"1\"", Flat(html));
        Assert.Matches($"data-webhook=\"{retrying}\"[^>]*>(?:(?!</tr>).)*data-last-delivery=\"pending\"(?:(?!</tr>).)*last answer HTTP 503(?:(?!</tr>).)*data-failures=\"2\"", Flat(html));
        Assert.Contains("1 retrying, 1 dead", html, StringComparison.Ordinal);

        // The dead delivery on its endpoint's page, sent again: due now, pending, on the record.
        var (status, deliveries, _) = await admin.GetAsync($"/admin/webhooks/{dead}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"data-delivery=\"{deadDelivery}\" data-state=\"dead\"", deliveries, StringComparison.Ordinal);
        var before = await server.AuditSizeAsync();
        using (var sent = await admin.SubmitAsync($"/admin/webhooks/{dead}", $"/admin/webhooks/deliveries/{deadDelivery}/redeliver", new() { ["endpoint"] = dead }))
        {
            Assert.Equal(HttpStatusCode.Found, sent.StatusCode);
            Assert.Equal($"/admin/webhooks/{dead}?redelivered={deadDelivery}", sent.Headers.Location!.OriginalString);
        }

        var redelivered = (await server.AuditEntriesSinceAsync(before))[^1];
        PageAudit.AssertEntry(redelivered, AuditEventType.WebhookRedelivered);
        (_, deliveries, _) = await admin.GetAsync($"/admin/webhooks/{dead}?redelivered={deadDelivery}");
        Assert.Contains($"data-delivery=\"{deadDelivery}\" data-state=\"pending\"", deliveries, StringComparison.Ordinal);
        Assert.DoesNotContain($"/admin/webhooks/deliveries/{deadDelivery}/redeliver", deliveries, StringComparison.Ordinal);

        // A pending one is not sent again: refused with its code, as the API refuses it.
        using (var pending = await admin.SubmitAsync($"/admin/webhooks/{dead}", $"/admin/webhooks/deliveries/{deadDelivery}/redeliver", new() { ["endpoint"] = dead }))
        {
            Assert.Equal(HttpStatusCode.Conflict, pending.StatusCode);
            Assert.Contains(WebhookErrorCodes.RedeliveryRefused, await pending.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        before = await server.AuditSizeAsync();
        using (var deleted = await admin.SubmitAsync("/admin/webhooks", $"/admin/webhooks/{retrying}/delete", []))
        {
            Assert.Equal(HttpStatusCode.Found, deleted.StatusCode);
            Assert.Equal($"/admin/webhooks?deleted={retrying}", deleted.Headers.Location!.OriginalString);
        }

        var entry = (await server.AuditEntriesSinceAsync(before))[^1];
        PageAudit.AssertEntry(entry, AuditEventType.WebhookDeleted);

        (_, html, _) = await admin.GetAsync($"/admin/webhooks?deleted={retrying}");
        Assert.Contains($"Endpoint {retrying} is deleted", html, StringComparison.Ordinal);
        Assert.Contains($"data-webhook=\"{retrying}\" data-state=\"deleted\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain($"action=\"/admin/webhooks/{retrying}/delete\"", html, StringComparison.Ordinal);
        Assert.Contains($"action=\"/admin/webhooks/{dead}/delete\"", html, StringComparison.Ordinal);
        await using (var db = server.NewContext())
        {
            var endpoint = await db.WebhookEndpoints.SingleAsync(e => e.PublicId == retrying, Ct);
            Assert.False(endpoint.Enabled);
            Assert.Equal(WebhookStates.Cancelled, await db.WebhookDeliveries.Where(d => d.EndpointId == endpoint.Id && d.EventPosition == 2).Select(d => d.State).SingleAsync(Ct));
        }

        // Deleted once is not found the second time.
        using var again = await admin.SubmitAsync("/admin/webhooks", $"/admin/webhooks/{retrying}/delete", []);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Contains(WebhookErrorCodes.EndpointNotFound, await again.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Theory, AllProviders]
    public async Task Another_agencys_records_admin_neither_sees_nor_deletes_the_polices_endpoints(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var server = web.Server;
        using (var scope = server.Services.CreateScope())
        {
            // A second police agency (records admins are the police's), added by the operator as a stakeholder is.
            await scope.ServiceProvider.GetRequiredService<IdentityUseCases>().AddAgencyAsync(Caller.Operator("test"), "SHF", "County Sheriff", "police", null, Ct);
        }

        var (police, policeDelivery) = await WebhookArrange.EndpointWithDeadDeliveryAsync(server, "PPD", "stakeholder", "arrest-booked");
        var (sheriffs, _) = await WebhookArrange.EndpointWithDeadDeliveryAsync(server, "SHF", "stakeholder", "arrest-booked");
        using var sheriff = await PageSignIn.SignedInAsync(server, await PageSignIn.NewUserAsync(server, "SHF", Roles.RecordsAdmin));

        var (status, html, _) = await sheriff.GetAsync("/admin/webhooks");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"data-webhook=\"{sheriffs}\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain(police, html, StringComparison.Ordinal);

        var before = await server.AuditSizeAsync();
        using (var refused = await sheriff.SubmitAsync("/admin/webhooks", $"/admin/webhooks/{police}/delete", []))
        {
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
            Assert.Contains(WebhookErrorCodes.EndpointNotFound, await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        var entry = (await server.AuditEntriesSinceAsync(before))[^1];
        Assert.Equal((int)AuditEventType.WebhookDeleted, entry["type"]!.GetValue<int>());
        Assert.Equal("refused", entry["outcome"]!.GetValue<string>());
        // Nor reads the police's deliveries or sends one again (the API would let a records admin see them; the page
        // is the agency's own).
        Assert.Equal(HttpStatusCode.NotFound, (await sheriff.GetAsync($"/admin/webhooks/{police}")).Status);
        using (var redeliver = await sheriff.SubmitAsync("/admin/webhooks", $"/admin/webhooks/deliveries/{policeDelivery}/redeliver", new() { ["endpoint"] = police }))
        {
            Assert.Equal(HttpStatusCode.NotFound, redeliver.StatusCode);
            Assert.Contains(WebhookErrorCodes.DeliveryNotFound, await redeliver.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        await using (var db = server.NewContext())
        {
            Assert.True(await db.WebhookEndpoints.Where(e => e.PublicId == police).Select(e => e.Enabled).SingleAsync(Ct));
            Assert.Equal(WebhookStates.Dead, await db.WebhookDeliveries.Where(d => d.PublicId == policeDelivery).Select(d => d.State).SingleAsync(Ct));
        }

        // And the police's records admin sees neither the sheriff's endpoint nor a delete for it.
        using var admin = await PageSignIn.SignedInAsync(server, await PageSignIn.EnrolAsync(server, Roles.RecordsAdmin));
        (_, html, _) = await admin.GetAsync("/admin/webhooks");
        Assert.Contains($"data-webhook=\"{police}\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain(sheriffs, html, StringComparison.Ordinal);
        using var notTheirs = await admin.SubmitAsync("/admin/webhooks", $"/admin/webhooks/{sheriffs}/delete", []);
        Assert.Equal(HttpStatusCode.NotFound, notTheirs.StatusCode);
    }

    private static async Task<string> RefusedAsync(OpenParsTestServer server, PageClient client, Dictionary<string, string> fields, HttpStatusCode status, string code)
    {
        var before = await server.AuditSizeAsync();
        using var response = await client.SubmitAsync("/admin/webhooks", "/admin/webhooks", fields);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(status == response.StatusCode, $"{code}: got {(int)response.StatusCode}");
        Assert.Contains(code, body, StringComparison.Ordinal);
        Assert.DoesNotContain("whsec_", body, StringComparison.Ordinal);
        var entries = await server.AuditEntriesSinceAsync(before);
        Assert.Equal(2, entries.Count); // the form page's own read, then the submission
        Assert.Equal((int)AuditEventType.WebhookRegistered, entries[^1]["type"]!.GetValue<int>());
        Assert.Equal("refused", entries[^1]["outcome"]!.GetValue<string>());
        Assert.Equal(code, entries[^1]["code"]!.GetValue<string>());
        return body;
    }

    private static string Flat(string html) => html.Replace("\n", " ", StringComparison.Ordinal).Replace("\r", " ", StringComparison.Ordinal);

    [GeneratedRegex("<code id=\"new-secret\">([^<]+)</code>")]
    private static partial Regex NewSecret();

    [GeneratedRegex("Endpoint (wh-[0-9a-f]+) is registered")]
    private static partial Regex Registered();
}
