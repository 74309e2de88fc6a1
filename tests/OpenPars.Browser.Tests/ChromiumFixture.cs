using Microsoft.Playwright;

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
