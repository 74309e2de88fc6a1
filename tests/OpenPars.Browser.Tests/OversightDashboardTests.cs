using Microsoft.Playwright;
using OpenPars.App.Hosting;
using OpenPars.Core.Agencies;
using OpenPars.Testing;
using OpenPars.Testing.Web;

namespace OpenPars.Browser.Tests;

/// <summary>The oversight dashboard in Debian's Chromium on each provider: a stakeholder representative chooses the
/// partner with the keyboard and reads its usage and disparity, charts and tables; axe on each state; screenshots.</summary>
public sealed class OversightDashboardTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, AllProviders]
    public async Task A_representative_reads_a_partners_usage_and_disparity_with_charts_and_their_numbers(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var server = web.Server;
        await BrowserSignIn.PartnerLookAsync(server, "Mensah", "Kofi", Ct);
        var errors = new List<string>();
        var page = await BrowserSignIn.SignedInAsync(chromium, server, Roles.StakeholderRepresentative, "/oversight", errors);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Alerts, every partner" })).ToBeVisibleAsync();
        await PageChecks.AccessibleAsync(page, "oversight-alerts");

        await page.GetByLabel("Partner agency").FillAsync("ICE");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#usage-chart")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#usage tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#usage tbody tr").First).ToContainTextAsync("2026-11-23");
        await Assertions.Expect(page.Locator("#disparity-30")).ToBeVisibleAsync();
        await PageChecks.CheckAsync(page, "oversight-dashboard");

        await page.SetViewportSizeAsync(390, 844);
        await PageChecks.CheckAsync(page, "oversight-dashboard-390px");
        Assert.Empty(errors);
    }
}
