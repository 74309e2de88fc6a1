using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using OpenPars.Core.Agencies;
using OpenPars.Core.Common;
using OpenPars.Testing;
using OpenPars.Testing.Web;
using OpenPars.App.Hosting;
using OpenPars.Web.Hosting;

namespace OpenPars.Browser.Tests;

/// <summary>The desk page as people at the desks use it, in Debian's Chromium, against the server on each provider.</summary>
public sealed class DeskTests(ProviderServers servers, ChromiumFixture chromium) : IClassFixture<ProviderServers>, IClassFixture<ChromiumFixture>
{
    [Theory, AllProviders]
    public async Task A_charging_attorney_finds_an_arrest_reads_it_and_approves_its_charges(StorageProvider provider)
    {
        var server = await servers.ForAsync(provider);
        var number = await BookAsync(server, "Okafor", "Chidi");
        var page = await chromium.NewPageAsync(server.BaseAddress);
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

        await page.GetByLabel("Token").FillAsync(server.Tokens[Roles.ChargingAttorney]);
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

    [Theory, AllProviders]
    public async Task A_partner_analyst_signs_in_but_sees_no_arrest(StorageProvider provider)
    {
        var server = await servers.ForAsync(provider);
        await BookAsync(server, "Partnerproof", "Ana");
        var page = await chromium.NewPageAsync(server.BaseAddress);
        await page.GotoAsync("/desk");
        await page.GetByLabel("Token").FillAsync(server.Tokens[Roles.PartnerAnalyst]);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.GetByLabel("Last name").FillAsync("partnerproof");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }).Last.ClickAsync();

        await Assertions.Expect(page.Locator("#message")).ToContainTextAsync("PARS-AUTH-002");
        await Assertions.Expect(page.Locator("#results tbody tr")).ToHaveCountAsync(0);
    }

    [Theory, AllProviders]
    public async Task A_name_with_markup_is_shown_as_text_not_run(StorageProvider provider)
    {
        var server = await servers.ForAsync(provider);
        var number = await BookAsync(server, "<img src=x onerror=alert(1)>", "Eve");
        var page = await chromium.NewPageAsync(server.BaseAddress);
        var dialogs = 0;
        page.Dialog += (_, dialog) =>
        {
            dialogs++;
            _ = dialog.DismissAsync();
        };
        await page.GotoAsync("/desk");
        await page.GetByLabel("Token").FillAsync(server.Tokens[Roles.BookingOfficer]);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.GetByLabel("Last name").FillAsync("<img");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }).Last.ClickAsync();

        await Assertions.Expect(page.Locator($"#results tbody tr[data-arrest='{number}']")).ToContainTextAsync("<img src=x onerror=alert(1)>, Eve");
        Assert.Equal(0, await page.Locator("#results img").CountAsync());
        Assert.Equal(0, dialogs);
    }

    private static async Task<string> BookAsync(OpenParsTestServer server, string lastName, string firstName)
    {
        using var client = server.Client(Roles.BookingOfficer);
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
