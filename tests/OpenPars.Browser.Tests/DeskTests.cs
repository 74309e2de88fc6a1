using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using OpenPars.Core.Agencies;
using OpenPars.Core.Common;
using OpenPars.Testing.Web;
using OpenPars.App.Hosting;
using OpenPars.Web.Hosting;

namespace OpenPars.Browser.Tests;

/// <summary>The desk page as a charging attorney uses it, in Debian's Chromium.</summary>
public sealed class DeskTests : IAsyncLifetime
{
    private const string ChromiumPath = "/usr/bin/chromium";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "openpars-browser-" + Guid.NewGuid().ToString("N"));
    private OpenParsTestServer _server = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            // In CI a missing browser is a failure, never a skip.
            Assert.SkipWhen(Environment.GetEnvironmentVariable("CI") != "true", $"{ChromiumPath} is not installed (./test installs it).");
            Assert.Fail($"CI=true but {ChromiumPath} is missing.");
        }

        _server = await OpenParsTestServer.StartAsync(StorageSettings.ForDataFolder(_folder), WebTestClock.Create());
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_charging_attorney_finds_an_arrest_reads_it_and_approves_its_charges()
    {
        var number = await BookAsync("Okafor", "Chidi");
        var page = await _browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = _server.BaseAddress.ToString() });
        var consoleErrors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                consoleErrors.Add($"{message.Text} ({message.Location})");
            }
        };

        var response = await page.GotoAsync("/desk");
        Assert.Contains("script-src 'self'", (await response!.AllHeadersAsync())["content-security-policy"], StringComparison.Ordinal);

        await page.GetByLabel("Token").FillAsync(_server.Tokens[Roles.ChargingAttorney]);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.GetByLabel("Last name").FillAsync("okaf");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }).Last.ClickAsync();

        var row = page.Locator($"#results tbody tr[data-arrest='{number}']");
        await Assertions.Expect(row).ToContainTextAsync("Okafor, Chidi");
        await row.ClickAsync();

        await Assertions.Expect(page.Locator("#record-title")).ToHaveTextAsync($"Arrest {number} — awaiting-charging");
        await Assertions.Expect(page.Locator("#record-charges")).ToContainTextAsync("18 § 2701(a)(1)");
        await Assertions.Expect(page.Locator("#record-history")).ToContainTextAsync("arrest-booked");

        await page.GetByRole(AriaRole.Button, new() { Name = "Approve charges" }).ClickAsync();
        await Assertions.Expect(page.Locator("#record-title")).ToHaveTextAsync($"Arrest {number} — charged");
        await Assertions.Expect(page.Locator("#decide")).ToBeHiddenAsync();
        Assert.Empty(consoleErrors);
    }

    [Fact]
    public async Task A_partner_analyst_signs_in_but_sees_no_arrest()
    {
        await BookAsync("Partnerproof", "Ana");
        var page = await _browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = _server.BaseAddress.ToString() });
        await page.GotoAsync("/desk");
        await page.GetByLabel("Token").FillAsync(_server.Tokens[Roles.PartnerAnalyst]);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.GetByLabel("Last name").FillAsync("partnerproof");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }).Last.ClickAsync();

        await Assertions.Expect(page.Locator("#message")).ToContainTextAsync("PARS-AUTH-002");
        await Assertions.Expect(page.Locator("#results tbody tr")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_name_with_markup_is_shown_as_text_not_run()
    {
        var number = await BookAsync("<img src=x onerror=alert(1)>", "Eve");
        var page = await _browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = _server.BaseAddress.ToString() });
        var dialogs = 0;
        page.Dialog += (_, dialog) =>
        {
            dialogs++;
            _ = dialog.DismissAsync();
        };
        await page.GotoAsync("/desk");
        await page.GetByLabel("Token").FillAsync(_server.Tokens[Roles.BookingOfficer]);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.GetByLabel("Last name").FillAsync("<img");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }).Last.ClickAsync();

        await Assertions.Expect(page.Locator($"#results tbody tr[data-arrest='{number}']")).ToContainTextAsync("<img src=x onerror=alert(1)>, Eve");
        Assert.Equal(0, await page.Locator("#results img").CountAsync());
        Assert.Equal(0, dialogs);
    }

    private async Task<string> BookAsync(string lastName, string firstName)
    {
        using var client = _server.Client(Roles.BookingOfficer);
        var booking = new JsonObject
        {
            ["district"] = "24",
            ["bookedAt"] = "2026-11-23T13:30:00Z",
            ["arrestingOfficer"] = new JsonObject { ["badgeNumber"] = "4521", ["name"] = "Dana Ruiz" },
            ["incident"] = new JsonObject { ["offenseLocation"] = "3000 Kensington Ave", ["occurredAt"] = "2026-11-23T12:10:00Z" },
            ["person"] = new JsonObject { ["lastName"] = lastName, ["firstName"] = firstName, ["dateOfBirth"] = "1991-05-17", ["sex"] = "male" },
            ["charges"] = new JsonArray(new JsonObject { ["citation"] = "18 § 2701(a)(1)" }),
        };
        using var response = await client.PostAsJsonAsync("/api/v1/arrests", booking, OpenParsJson.Options);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["arrestNumber"]!.GetValue<string>();
    }
}
