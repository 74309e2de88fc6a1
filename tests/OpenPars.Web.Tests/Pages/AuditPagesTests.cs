using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenPars.App.Hosting;
using OpenPars.Core.Agencies;
using OpenPars.Core.Audit;
using OpenPars.Storage.Audit;
using OpenPars.Testing;
using OpenPars.Testing.Web;

namespace OpenPars.Web.Tests.Pages;

/// <summary>The audit explorer's pages on each provider, as a browser without script reads them: the privacy officer
/// filters the log and finds a partner's look (one entries read, channel page), the entry page carries the entry's
/// exact bytes, its inclusion path and the signed checkpoint, which verify with the Core verifier (what the browser's
/// script checks), a refused filter is shown at its control, and every other role gets the audited 403 page.</summary>
public sealed partial class AuditPagesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, AllProviders]
    public async Task The_privacy_officer_finds_a_partners_look_and_its_page_carries_a_proof_that_verifies(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var server = web.Server;
        await AgreementArrange.AgreementAsync(server, "ICE", ArrangedState.Active);
        await new WebServer(server).BookAsync();
        using (var partner = server.Client(Roles.PartnerAnalyst))
        using (var search = await partner.SendAsync(TestAgreementDocuments.PartnerGet("/api/v1/partner/arrests?lastName=Okafor&dateOfBirth=1991-05-17"), Ct))
        {
            search.EnsureSuccessStatusCode();
        }

        long look;
        await using (var db = server.NewContext())
        {
            look = await db.AuditEntries.Where(e => e.EventType == (int)AuditEventType.PartnerSearch).Select(e => e.Index).SingleAsync(Ct);
        }

        await CheckpointAsync(server);
        var officer = await PageSignIn.EnrolAsync(server, Roles.PrivacyOfficer);
        using var client = await PageSignIn.SignedInAsync(server, officer);

        var (_, desk, _) = await client.GetAsync("/desk");
        Assert.Contains("href=\"/audit\"", desk, StringComparison.Ordinal);
        var before = await server.AuditSizeAsync();
        var (status, html, _) = await client.GetAsync($"/audit?agency=ICE&eventType={(int)AuditEventType.PartnerSearch}&from=2026-11-01T00:00");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"<tr data-index=\"{look}\">", html, StringComparison.Ordinal);
        Assert.Contains($"href=\"/audit/entries/{look}\"", html, StringComparison.Ordinal);
        Assert.Single(EntryRows().Matches(html));
        var read = Assert.Single(await server.AuditEntriesSinceAsync(before));
        Assert.Equal((int)AuditEventType.AuditEntriesRead, read["type"]!.GetValue<int>());
        Assert.Equal(Channels.Page, read["channel"]!.GetValue<string>());

        before = await server.AuditSizeAsync();
        (status, html, _) = await client.GetAsync($"/audit/entries/{look}");
        Assert.Equal(HttpStatusCode.OK, status);
        var proofRead = Assert.Single(await server.AuditEntriesSinceAsync(before));
        Assert.Equal((int)AuditEventType.AuditInclusionProofRead, proofRead["type"]!.GetValue<int>());
        Assert.Equal(Channels.Page, proofRead["channel"]!.GetValue<string>());
        Assert.Contains("<script src=\"/pages/proof.js\" defer></script>", html, StringComparison.Ordinal);

        // What the page shows is what the browser checks: the stored bytes, a path, a signed note that verify.
        var entryText = WebUtility.HtmlDecode(Between(html, "<pre id=\"proof-entry\" class=\"bytes\">", "</pre>"));
        var note = WebUtility.HtmlDecode(Between(html, "<pre id=\"proof-note\" class=\"bytes\">", "</pre>"));
        var path = PathItems().Matches(WebUtility.HtmlDecode(Between(html, "<ol id=\"proof-path\"", "</ol>"))).Select(m => Convert.FromBase64String(m.Groups[1].Value)).ToList();
        await using (var db = server.NewContext())
        {
            var stored = await db.AuditEntries.Where(e => e.Index == look).Select(e => e.Entry).SingleAsync(Ct);
            Assert.Equal(System.Text.Encoding.UTF8.GetString(stored), entryText);
        }

        using var key = ECDsa.Create();
        key.ImportFromPem(server.Services.GetRequiredService<AuditLog>().Signing.PublicKeyPem);
        Assert.True(CheckpointVerifier.TryParseAndVerify(note, key, out var checkpoint, out var error), error);
        Assert.True(look < checkpoint.TreeSize);
        Assert.True(MerkleTree.VerifyInclusion(MerkleHash.LeafHash(System.Text.Encoding.UTF8.GetBytes(entryText)), look, checkpoint.TreeSize, path, checkpoint.RootHash));
        Assert.Contains("data-proof=\"pending\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-proof=\"proven\"", html, StringComparison.Ordinal);
    }

    [Theory, AllProviders]
    public async Task An_entry_no_checkpoint_covers_yet_says_so_and_carries_no_proof_to_check(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var server = web.Server;
        var officer = await PageSignIn.EnrolAsync(server, Roles.PrivacyOfficer);
        using var client = await PageSignIn.SignedInAsync(server, officer);
        await CheckpointAsync(server);
        // The explorer's read is the next entry, after the checkpoint; the entry page then asks for it.
        var explorerRead = await server.AuditSizeAsync();
        using (await client.Http.GetAsync("/audit", Ct))
        {
        }

        var signed = await CheckpointsAsync(server);
        var (status, html, _) = await client.GetAsync($"/audit/entries/{explorerRead}");
        Assert.Equal(HttpStatusCode.OK, status);

        // The audit writer signs every ten seconds by the wall clock: only when it did not sign meanwhile is the
        // entry certainly uncovered.
        Assert.SkipWhen(await CheckpointsAsync(server) != signed, "the audit writer signed a checkpoint during the request");
        Assert.Contains("data-proof=\"not-covered\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("proof.js", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-proof-index", html, StringComparison.Ordinal);
    }

    [Theory, AllProviders]
    public async Task A_refused_filter_is_shown_at_its_control_audited_and_an_index_outside_the_log_is_refused(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var server = web.Server;
        var officer = await PageSignIn.EnrolAsync(server, Roles.PrivacyOfficer);
        using var client = await PageSignIn.SignedInAsync(server, officer);

        var rows = await server.CountRowsAsync();
        var before = await server.AuditSizeAsync();
        var (status, html, _) = await client.GetAsync("/audit?outcome=maybe&from=yesterday&agency=ICE");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Matches("id=\"f-outcome\"[^>]*aria-invalid=\"true\"[^>]*aria-describedby=\"e-outcome\"", html);
        Assert.Contains("id=\"e-outcome\">Outcome is allowed, refused or failed.</p>", html, StringComparison.Ordinal);
        Assert.True(html.Contains("id=\"e-from\">", StringComparison.Ordinal), html);
        Assert.Contains("value=\"ICE\"", html, StringComparison.Ordinal);
        Assert.Contains("PARS-REQ-006", html, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"entries\"", html, StringComparison.Ordinal);
        var refused = Assert.Single(await server.AuditEntriesSinceAsync(before));
        Assert.Equal("refused", refused["outcome"]!.GetValue<string>());
        Assert.Equal(Channels.Page, refused["channel"]!.GetValue<string>());

        before = await server.AuditSizeAsync();
        (status, html, _) = await client.GetAsync("/audit/entries/99999999");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("PARS-AUD-003", html, StringComparison.Ordinal);
        (status, html, _) = await client.GetAsync("/audit/entries/-1");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("PARS-REQ-006", html, StringComparison.Ordinal);
        var entries = await server.AuditEntriesSinceAsync(before);
        Assert.Equal(2, entries.Count);
        Assert.All(entries, e => Assert.Equal("refused", e["outcome"]!.GetValue<string>()));

        // Reading and refusing changed nothing but the log.
        Assert.Equal(rows, await server.CountRowsAsync());
    }

    [Theory, AllProviders]
    public async Task Every_other_role_gets_the_403_page_audited_and_no_link(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var server = web.Server;
        foreach (var role in new[] { Roles.BookingOfficer, Roles.StakeholderRepresentative, Roles.RecordsAdmin, Roles.PartnerAnalyst })
        {
            var credentials = await PageSignIn.EnrolAsync(server, role);
            using var client = await PageSignIn.SignedInAsync(server, credentials);
            var (_, desk, _) = await client.GetAsync("/desk");
            Assert.DoesNotContain("href=\"/audit\"", desk, StringComparison.Ordinal);
            foreach (var page in new[] { "/audit", "/audit/entries/0" })
            {
                var before = await server.AuditSizeAsync();
                var (status, html, _) = await client.GetAsync(page);
                Assert.True(HttpStatusCode.Forbidden == status, $"{role} at {page}: {(int)status}");
                Assert.Contains("PARS-AUTH-002", html, StringComparison.Ordinal);
                var entry = Assert.Single(await server.AuditEntriesSinceAsync(before));
                Assert.Equal("refused", entry["outcome"]!.GetValue<string>());
                Assert.Equal(Channels.Page, entry["channel"]!.GetValue<string>());
                Assert.DoesNotContain("proof-entry", html, StringComparison.Ordinal);
            }
        }
    }

    /// <summary>Signs a checkpoint of the log as it stands (the audit writer does so every ten seconds).</summary>
    internal static async Task CheckpointAsync(OpenParsTestServer server)
    {
        await using var db = server.NewContext();
        await server.Services.GetRequiredService<AuditLog>().CheckpointIfBehindAsync(db);
    }

    private static async Task<int> CheckpointsAsync(OpenParsTestServer server)
    {
        await using var db = server.NewContext();
        return await db.AuditCheckpoints.CountAsync(Ct);
    }

    private static string Between(string html, string start, string end)
    {
        var from = html.IndexOf(start, StringComparison.Ordinal);
        Assert.True(from >= 0, $"the page has no {start}");
        from += start.Length;
        return html[from..html.IndexOf(end, from, StringComparison.Ordinal)];
    }

    [GeneratedRegex("<tr data-index=")]
    private static partial Regex EntryRows();

    [GeneratedRegex("<li><code>([A-Za-z0-9+/=]+)</code></li>")]
    private static partial Regex PathItems();
}
