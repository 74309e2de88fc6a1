using System.Text.RegularExpressions;
using Microsoft.Playwright;
using OpenPars.App.Hosting;
using OpenPars.Core.Agencies;
using OpenPars.Testing;
using OpenPars.Testing.Web;

namespace OpenPars.Browser.Tests;

/// <summary>The audit explorer in Debian's Chromium on each provider: a partner's look arranged through the API is found
/// by the privacy officer with the explorer's filters, and the browser itself checks the entry's inclusion proof and the
/// checkpoint's signature (WebCrypto) and says "proven"; the same page with its entry rewritten, or one byte of its
/// inclusion path flipped on the way (Playwright routing), is shown "not proven". axe on every state; screenshots.</summary>
public sealed partial class AuditExplorerTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, AllProviders]
    public async Task The_privacy_officer_finds_the_partners_earlier_look_and_the_browser_proves_it_and_refuses_a_tampered_proof(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var server = web.Server;
        await BrowserSignIn.PartnerLookAsync(server, "Adeyemi", "Kemi", Ct);
        var errors = new List<string>();
        var page = await BrowserSignIn.SignedInAsync(chromium, server, Roles.PrivacyOfficer, "/audit", errors);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Audit explorer", Level = 1 })).ToBeVisibleAsync();

        // The filters find the partner's look among everything else the log holds.
        await page.GetByLabel("Agency").FillAsync("ICE");
        await page.GetByLabel("Event type").SelectOptionAsync("8001");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show entries" }).ClickAsync();
        var rows = page.Locator("#entries tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await Assertions.Expect(rows.First).ToContainTextAsync("partner.search");
        await PageChecks.CheckAsync(page, "audit-explorer");

        await rows.First.GetByRole(AriaRole.Link).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(EntryUrl());
        var status = page.Locator("#proof-status");
        await Assertions.Expect(status).ToHaveAttributeAsync("data-proof", "proven", new() { Timeout = 5000 });
        await Assertions.Expect(status).ToContainTextAsync("Proven in your browser");
        await Assertions.Expect(page.Locator("#entry-facts")).ToContainTextAsync("Adeyemi");
        await PageChecks.CheckAsync(page, "audit-entry-proven");
        var entryUrl = page.Url;

        // The entry rewritten on its way to the browser (a look made to seem another's): not proven.
        await page.RouteAsync(EntryUrl(), async route =>
        {
            var response = await route.FetchAsync();
            var html = await response.TextAsync();
            await route.FulfillAsync(new() { Response = response, Body = html.Replace("Adeyemi", "Adeyemo", StringComparison.Ordinal) });
        });
        await page.GotoAsync(entryUrl);
        await Assertions.Expect(status).ToHaveAttributeAsync("data-proof", "not-proven", new() { Timeout = 5000 });
        await Assertions.Expect(status).ToContainTextAsync("Not proven: the entry's bytes and its inclusion path do not lead to the signed root");
        await PageChecks.CheckAsync(page, "audit-entry-not-proven");

        // One byte of the inclusion path flipped: not proven either.
        await page.UnrouteAllAsync();
        await page.RouteAsync(EntryUrl(), async route =>
        {
            var response = await route.FetchAsync();
            await route.FulfillAsync(new() { Response = response, Body = FlipFirstPathByte(await response.TextAsync()) });
        });
        await page.GotoAsync(entryUrl);
        await Assertions.Expect(status).ToHaveAttributeAsync("data-proof", "not-proven", new() { Timeout = 5000 });

        // And the page as served proves again.
        await page.UnrouteAllAsync();
        await page.GotoAsync(entryUrl);
        await Assertions.Expect(status).ToHaveAttributeAsync("data-proof", "proven", new() { Timeout = 5000 });
        Assert.Empty(errors);
    }

    /// <summary>The first inclusion-path hash with its first base64 character changed (another byte, same length).</summary>
    private static string FlipFirstPathByte(string html)
    {
        var at = html.IndexOf("<ol id=\"proof-path\"", StringComparison.Ordinal);
        Assert.True(at >= 0, "the entry page has no inclusion path");
        var code = html.IndexOf("<code>", at, StringComparison.Ordinal) + "<code>".Length;
        var flipped = html[code] == 'A' ? 'B' : 'A';
        return html[..code] + flipped + html[(code + 1)..];
    }

    [GeneratedRegex(@"/audit/entries/\d+$")]
    private static partial Regex EntryUrl();
}
