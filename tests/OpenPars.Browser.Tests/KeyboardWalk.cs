using Microsoft.Playwright;

namespace OpenPars.Browser.Tests;

/// <summary>Moving through a page with Tab alone, as a keyboard user does: each step presses Tab until the control
/// asked for has the focus (at most 60 presses: anything the keyboard cannot reach fails there) and checks that the
/// focus is visible.</summary>
internal static class KeyboardWalk
{
    /// <summary>Tabs to the control labelled <paramref name="label"/> (its label without " (required)").</summary>
    public static Task TabToAsync(IPage page, string label) =>
        TabUntilAsync(page, label, "(() => { const e = document.activeElement; return !!e && !!e.labels && [...e.labels].some(l => l.textContent.replace(' (required)', '').trim() === arguments[0]); })");

    /// <summary>Tabs to the button whose text is <paramref name="text"/>.</summary>
    public static Task TabToButtonAsync(IPage page, string text) =>
        TabUntilAsync(page, text, "(() => { const e = document.activeElement; return !!e && e.tagName === 'BUTTON' && e.textContent.trim() === arguments[0]; })");

    /// <summary>Tabs to the link whose text is <paramref name="text"/>.</summary>
    public static Task TabToLinkAsync(IPage page, string text) =>
        TabUntilAsync(page, text, "(() => { const e = document.activeElement; return !!e && e.tagName === 'A' && e.textContent.trim() === arguments[0]; })");

    private static async Task TabUntilAsync(IPage page, string name, string focused)
    {
        var check = "name => " + focused.Replace("arguments[0]", "name", StringComparison.Ordinal) + "()";
        for (var presses = 0; presses < 60; presses++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (await page.EvaluateAsync<bool>(check, name))
            {
                var outline = await page.EvaluateAsync<string>("() => getComputedStyle(document.activeElement).outlineStyle");
                Assert.True(outline is not "none", $"{name} has the focus but no visible outline");
                return;
            }
        }

        Assert.Fail($"{name} was not reached with Tab within 60 presses");
    }
}
