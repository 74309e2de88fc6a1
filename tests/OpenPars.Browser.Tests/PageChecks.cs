using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace OpenPars.Browser.Tests;

/// <summary>What every browser test does at each page and state it reaches: axe-core finds no serious or critical
/// violation, and a screenshot goes to docs/screenshots/ (shown in the README).</summary>
public static class PageChecks
{
    /// <summary>Runs axe on the page as it is now and fails on any serious or critical violation.</summary>
    public static async Task AccessibleAsync(IPage page, string state)
    {
        var results = await page.RunAxe();
        var bad = results.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(bad.Count == 0, $"{state}: " + string.Join("; ", bad.Select(v => $"{v.Id} ({v.Impact}): {string.Join(", ", v.Nodes.Select(n => n.Html))}")));
    }

    /// <summary>Saves a full-page screenshot as docs/screenshots/<paramref name="name"/>.png.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var folder = Path.Combine(RepoRoot(), "docs", "screenshots");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = true });
    }

    /// <summary>Both checks, for a page in a state worth showing.</summary>
    public static async Task CheckAsync(IPage page, string name)
    {
        await AccessibleAsync(page, name);
        await ScreenshotAsync(page, name);
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OpenPars.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("The repository root (OpenPars.slnx) is not above the test binaries.");
    }
}
