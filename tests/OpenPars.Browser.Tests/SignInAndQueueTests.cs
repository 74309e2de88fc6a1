using Microsoft.Playwright;
using OpenPars.App.Hosting;
using OpenPars.Core.Agencies;
using OpenPars.Testing;
using OpenPars.Testing.Web;

namespace OpenPars.Browser.Tests;

/// <summary>Sign-in and the charging desk in Debian's Chromium, against a real server on each provider: password and
/// TOTP, the queue updating live in one browser while another books, sign-out, lockout; axe on every state.</summary>
public sealed class SignInAndQueueTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, AllProviders]
    public async Task A_charging_attorney_signs_in_with_a_code_and_sees_a_new_booking_appear_without_reload(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var server = web.Server;
        var attorney = await PageSignIn.EnrolAsync(server, Roles.ChargingAttorney);
        var page = await chromium.NewPageAsync(server.BaseAddress);
        var errors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") { errors.Add(message.Text); } };

        await page.GotoAsync("/charging");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/sign-in"));
        await PageChecks.CheckAsync(page, "sign-in");
        await page.GetByLabel("User name").FillAsync(attorney.UserName);
        await page.GetByLabel("Password").FillAsync(attorney.Password);
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByLabel("Authenticator code or recovery code")).ToBeVisibleAsync();
        await PageChecks.CheckAsync(page, "sign-in-code");
        await page.GetByLabel("Authenticator code or recovery code").FillAsync(PageSignIn.CodeNow(server, attorney));
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Charging queue", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("body[data-live-open='true']")).ToHaveCountAsync(1);

        var number = await new WebServerClient(server).BookAsync("Adebayo", "Tunde");
        var row = page.Locator($"tr[data-arrest='{number}']");
        await Assertions.Expect(row).ToContainTextAsync("Adebayo, Tunde", new() { Timeout = 2000 });
        await Assertions.Expect(page.Locator("#live-status")).ToHaveTextAsync("The charging queue changed.");
        await PageChecks.CheckAsync(page, "charging-queue");

        await row.GetByRole(AriaRole.Button, new() { Name = $"Approve charges of {number}" }).ClickAsync();
        await Assertions.Expect(page.Locator(".notice")).ToContainTextAsync($"Decision recorded for {number}.");
        await Assertions.Expect(page.Locator($"tr[data-arrest='{number}']")).ToHaveCountAsync(0);

        await page.SetViewportSizeAsync(390, 844);
        await PageChecks.CheckAsync(page, "charging-queue-390px");

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/sign-in$"));
        await page.GotoAsync("/charging");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/sign-in"));
        Assert.Empty(errors);
    }

    [Theory, AllProviders]
    public async Task Five_wrong_passwords_lock_the_account_and_the_page_says_so(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var server = web.Server;
        var officer = await PageSignIn.EnrolAsync(server, Roles.BookingOfficer);
        var page = await chromium.NewPageAsync(server.BaseAddress);
        await page.GotoAsync("/sign-in");
        for (var i = 0; i < SignInPolicy.MaxFailures; i++)
        {
            await page.GetByLabel("User name").FillAsync(officer.UserName);
            await page.GetByLabel("Password").FillAsync("not the password " + i);
            await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
            await Assertions.Expect(page.Locator("#signin-error")).ToBeVisibleAsync();
        }

        await Assertions.Expect(page.Locator("#signin-error")).ToContainTextAsync(SignInErrorCodes.LockedOut);
        await Assertions.Expect(page.GetByLabel("Password")).ToHaveAttributeAsync("aria-invalid", "true");
        await PageChecks.CheckAsync(page, "sign-in-locked");
    }
}

/// <summary>Books an arrest over the API with the booking officer's token (the other desk, for these tests).</summary>
internal sealed class WebServerClient(OpenParsTestServer server)
{
    public async Task<string> BookAsync(string lastName, string firstName)
    {
        using var client = server.Client(Roles.BookingOfficer);
        var body = new System.Text.Json.Nodes.JsonObject
        {
            ["district"] = "24",
            ["arrestingOfficer"] = new System.Text.Json.Nodes.JsonObject { ["badgeNumber"] = "4521", ["name"] = "Dana Ruiz" },
            ["incident"] = new System.Text.Json.Nodes.JsonObject { ["offenseLocation"] = "3000 Kensington Ave", ["occurredAt"] = server.Clock.GetUtcNow().AddHours(-2).ToString("O") },
            ["person"] = new System.Text.Json.Nodes.JsonObject { ["lastName"] = lastName, ["firstName"] = firstName, ["dateOfBirth"] = "1990-04-01", ["sex"] = "male" },
            ["charges"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["citation"] = "18 § 2701(a)(1)", ["counts"] = 1 }),
        };
        using var response = await client.PostAsync("/api/v1/arrests", new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
        return response.Headers.Location!.OriginalString.Split('/')[^1];
    }
}
