using Microsoft.Playwright;
using OpenPars.Testing.Web;

namespace OpenPars.Browser.Tests;

/// <summary>Debian's Chromium, headless, launched when a test first asks for a page and shared by the class.
/// A missing browser skips the test that asks (fails it under CI=true); it is checked there, not in the fixture, so
/// the verdict is the test's own.</summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    private const string ChromiumPath = "/usr/bin/chromium";
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>A page of its own (a fresh browser context: no cookies, no storage) on <paramref name="baseAddress"/>.</summary>
    public async Task<IPage> NewPageAsync(Uri baseAddress)
    {
        var browser = await BrowserAsync();
        return await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = baseAddress.ToString() });
    }

    /// <summary>A fresh context signed in as <paramref name="credentials"/> (password, then the code) landing on
    /// <paramref name="path"/>; the console's errors are added to <paramref name="errors"/>.</summary>
    public async Task<IPage> SignedInAsync(OpenParsTestServer server, PageCredentials credentials, string path, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(credentials);
        var page = await NewPageAsync(server.BaseAddress);
        page.Console += (_, message) => { if (message.Type == "error") { errors.Add($"{credentials.UserName}: {message.Text}"); } };
        await page.GotoAsync(path);
        await page.GetByLabel("User name").FillAsync(credentials.UserName);
        await page.GetByLabel("Password").FillAsync(credentials.Password);
        await page.Keyboard.PressAsync("Enter");
        await page.GetByLabel("Authenticator code or recovery code").FillAsync(PageSignIn.CodeNow(server, credentials));
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(System.Text.RegularExpressions.Regex.Escape(path) + "$"));
        return page;
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        _gate.Dispose();
    }

    private async Task<IBrowser> BrowserAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            // In CI a missing browser is a failure, never a skip.
            Assert.SkipWhen(Environment.GetEnvironmentVariable("CI") != "true", $"{ChromiumPath} is not installed (./test installs it).");
            Assert.Fail($"CI=true but {ChromiumPath} is missing.");
        }

        await _gate.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            _playwright ??= await Playwright.CreateAsync();
            return _browser ??= await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ChromiumPath,
                Headless = true,
                Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
            });
        }
        finally
        {
            _gate.Release();
        }
    }
}
