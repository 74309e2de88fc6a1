using Microsoft.Playwright;
using OpenPars.App.Hosting;
using OpenPars.Testing;
using OpenPars.Testing.Web;

namespace OpenPars.Browser.Tests;

/// <summary>The public transparency page in Debian's Chromium on each provider, as a visitor who is not signed in sees
/// it: the site's layout with only the public navigation, a month chosen with the keyboard, the figures in tables and
/// the SVG charts named by their title; axe on it; a screenshot.</summary>
public sealed class TransparencyPageTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, AllProviders]
    public async Task A_visitor_reads_a_months_partner_figures_in_the_sites_layout(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var server = web.Server;
        await BrowserSignIn.PartnerLookAsync(server, "Mensah", "Kofi", Ct);
        var errors = new List<string>();
        var page = await chromium.NewPageAsync(server.BaseAddress);
        page.Console += (_, message) => { if (message.Type == "error") { errors.Add(message.Text); } };
        await page.GotoAsync("/transparency");

        // Signed out: the public entries only.
        var navigation = page.GetByRole(AriaRole.Navigation, new() { Name = "Main" });
        await Assertions.Expect(navigation.GetByRole(AriaRole.Link)).ToHaveTextAsync(["Transparency", "Sign in"]);
        await Assertions.Expect(navigation.GetByRole(AriaRole.Link, new() { Name = "Transparency" })).ToHaveAttributeAsync("aria-current", "page");

        await page.GetByLabel("Month").FillAsync("2026-11");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Partner access to arrest data — 2026-11", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("table").First).ToContainTextAsync("ICE");
        await Assertions.Expect(page.GetByRole(AriaRole.Img).First).ToBeVisibleAsync();
        Assert.Equal(0, await page.Locator("script:not([src])").CountAsync());
        await PageChecks.CheckAsync(page, "transparency");

        await page.SetViewportSizeAsync(390, 844);
        await PageChecks.AccessibleAsync(page, "transparency-390px");
        Assert.Empty(errors);
    }
}
