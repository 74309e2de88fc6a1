using System.Text.RegularExpressions;
using Microsoft.Playwright;
using OpenPars.Testing.Web;

namespace OpenPars.Browser.Tests;

/// <summary>A person at a desk: a fresh browser context signed in as a new user of a role, the way a person signs in
/// (password, then the authenticator code), landing on the page asked for.</summary>
public static class BrowserSignIn
{
    /// <summary>A fresh context signed in as <paramref name="role"/> landing on <paramref name="path"/>; console errors
    /// are added to <paramref name="errors"/> (named by the role).</summary>
    public static async Task<IPage> SignedInAsync(ChromiumFixture chromium, OpenParsTestServer server, string role, string path, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(chromium);
        ArgumentNullException.ThrowIfNull(server);
        var credentials = await PageSignIn.EnrolAsync(server, role);
        var page = await chromium.NewPageAsync(server.BaseAddress);
        page.Console += (_, message) => { if (message.Type == "error") { errors.Add($"{role}: {message.Text}"); } };
        await page.GotoAsync(path);
        await page.GetByLabel("User name").FillAsync(credentials.UserName);
        await page.GetByLabel("Password").FillAsync(credentials.Password);
        await page.Keyboard.PressAsync("Enter");
        await page.GetByLabel("Authenticator code or recovery code").FillAsync(PageSignIn.CodeNow(server, credentials));
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(Regex.Escape(path) + "$"));
        return page;
    }
}
