using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using OpenPars.App.Hosting;
using OpenPars.Core.Agencies;
using OpenPars.Core.Audit;
using OpenPars.Testing;
using OpenPars.Testing.Web;
using static OpenPars.Browser.Tests.KeyboardWalk;

namespace OpenPars.Browser.Tests;

/// <summary>The records admin's administration pages in Chromium, on each provider: a user added and their initial
/// password set with the keyboard alone (from the desk's navigation, Tab and Enter only, a visible focus at each
/// control), and every administration page — agencies, users, a user, tokens, webhooks with a registration's
/// once-shown secret, an endpoint's deliveries — free of serious or critical axe violations, each screenshotted for the README.</summary>
public sealed partial class AdministrationPagesBrowserTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, AllProviders]
    public async Task A_records_admin_adds_a_user_and_sets_their_password_with_the_keyboard_alone(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var server = web.Server;
        var errors = new List<string>();
        var admin = await BrowserSignIn.SignedInAsync(chromium, server, Roles.RecordsAdmin, "/desk", errors);

        // From the desk to the users page by its navigation link.
        await admin.Locator("body").FocusAsync();
        await TabToLinkAsync(admin, "Users");
        await admin.Keyboard.PressAsync("Enter");
        await Assertions.Expect(admin).ToHaveURLAsync(new Regex("/admin/users$"));
        await PageChecks.CheckAsync(admin, "admin-users");

        await admin.Locator("body").FocusAsync();
        await TabToAsync(admin, "Agency code");
        await admin.Keyboard.TypeAsync("PPD");
        await TabToAsync(admin, "User name");
        await admin.Keyboard.TypeAsync("new.clerk");
        await TabToAsync(admin, "Roles (comma-separated)");
        await admin.Keyboard.TypeAsync("booking-officer");
        await TabToButtonAsync(admin, "Add the user");
        await admin.Keyboard.PressAsync("Enter");
        await Assertions.Expect(admin).ToHaveURLAsync(UserAdded());
        var id = long.Parse(UserAdded().Match(admin.Url).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        await Assertions.Expect(admin.Locator("p.notice")).ToContainTextAsync("new.clerk is added.");
        await Assertions.Expect(admin.Locator("#user")).ToContainTextAsync("booking-officer");
        await PageChecks.CheckAsync(admin, "admin-user");

        // The initial password, still by keyboard.
        await admin.Locator("body").FocusAsync();
        await TabToAsync(admin, "New initial password (12 to 256 characters)");
        await admin.Keyboard.TypeAsync("handed over at the front desk");
        await TabToButtonAsync(admin, "Reset the password");
        await admin.Keyboard.PressAsync("Enter");
        await Assertions.Expect(admin).ToHaveURLAsync(new Regex($"/admin/users/{id}\\?done=password$"));
        await Assertions.Expect(admin.Locator("p.notice")).ToContainTextAsync("new.clerk's password is reset");
        await PageChecks.AccessibleAsync(admin, "admin-user after the password reset");

        // Both on the record as the records admin's, and the new user signs in with that password (then enrols an authenticator).
        var adminId = server.UserIds[Roles.RecordsAdmin];
        await using (var db = server.NewContext())
        {
            var added = await db.AuditEntries.Where(e => e.UserId == adminId && e.EventType == (int)AuditEventType.UserAdded && e.Outcome == "allowed").CountAsync(Ct);
            var reset = await db.AuditEntries.Where(e => e.UserId == adminId && e.EventType == (int)AuditEventType.PasswordReset && e.Outcome == "allowed").CountAsync(Ct);
            Assert.Equal((1, 1), (added, reset));
        }

        var clerk = await chromium.NewPageAsync(server.BaseAddress);
        await clerk.GotoAsync("/sign-in");
        await clerk.GetByLabel("User name").FillAsync("new.clerk");
        await clerk.GetByLabel("Password").FillAsync("handed over at the front desk");
        await clerk.Keyboard.PressAsync("Enter");
        await Assertions.Expect(clerk).ToHaveURLAsync(new Regex("/sign-in/code"));
        await Assertions.Expect(clerk.Locator("code.secret")).ToBeVisibleAsync();
        Assert.Empty(errors);
    }

    [Theory, AllProviders]
    public async Task Every_administration_page_is_accessible_and_a_webhook_secret_is_shown_once(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var server = web.Server;
        var errors = new List<string>();
        await WebhookArrange.EndpointWithDeadDeliveryAsync(server, "PPD", "stakeholder", "arrest-booked");
        var admin = await BrowserSignIn.SignedInAsync(chromium, server, Roles.RecordsAdmin, "/admin/agencies", errors);
        await PageChecks.CheckAsync(admin, "admin-agencies");

        await admin.GotoAsync("/admin/tokens");
        await PageChecks.CheckAsync(admin, "admin-tokens");

        await admin.GotoAsync("/admin/webhooks");
        await Assertions.Expect(admin.Locator("#webhooks tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(admin.Locator("#webhooks")).ToContainTextAsync("0 retrying, 1 dead");

        // Register by keyboard: the url, the one kind ticked with Space, Enter on the button.
        await admin.Locator("body").FocusAsync();
        await TabToAsync(admin, "Receiver URL (https, on your agency's allow list)");
        await admin.Keyboard.TypeAsync("http://127.0.0.1:9/jail");
        await TabToAsync(admin, "arrest-booked");
        await admin.Keyboard.PressAsync("Space");
        await TabToButtonAsync(admin, "Register the endpoint");
        await admin.Keyboard.PressAsync("Enter");
        var secret = admin.Locator("#new-secret");
        await Assertions.Expect(secret).ToHaveTextAsync(new Regex("^whsec_"));
        var shown = await secret.TextContentAsync();
        await PageChecks.CheckAsync(admin, "admin-webhook-registered");

        await admin.GotoAsync("/admin/webhooks");
        await Assertions.Expect(admin.Locator("#webhooks tbody tr")).ToHaveCountAsync(2);
        Assert.DoesNotContain(shown!, await admin.ContentAsync(), StringComparison.Ordinal);
        await PageChecks.CheckAsync(admin, "admin-webhooks");

        // At 390 px the list still reads, row by row.
        await admin.SetViewportSizeAsync(390, 844);
        await PageChecks.CheckAsync(admin, "admin-webhooks-390px");
        await admin.SetViewportSizeAsync(1280, 720);

        // The dead delivery on its endpoint's page, sent again.
        await admin.Locator("#webhooks tbody tr").Last.GetByRole(AriaRole.Link).ClickAsync();
        await Assertions.Expect(admin.Locator("#deliveries tbody tr[data-state='dead']")).ToHaveCountAsync(1);
        await PageChecks.CheckAsync(admin, "admin-webhook-deliveries");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Send again" }).ClickAsync();
        await Assertions.Expect(admin.Locator("#deliveries tbody tr[data-state='pending']")).ToHaveCountAsync(1);
        await Assertions.Expect(admin.Locator("p.notice")).ToContainTextAsync("is due again now");
        await PageChecks.AccessibleAsync(admin, "admin-webhook-deliveries after the redelivery");
        Assert.Empty(errors);
    }

    [GeneratedRegex(@"/admin/users/(\d+)\?done=added$")]
    private static partial Regex UserAdded();
}
