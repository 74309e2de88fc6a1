using System.Text.RegularExpressions;
using Microsoft.Playwright;
using OpenPars.App.Hosting;
using OpenPars.Core.Agencies;
using OpenPars.Testing;
using OpenPars.Testing.Web;
using static OpenPars.Browser.Tests.KeyboardWalk;

namespace OpenPars.Browser.Tests;

/// <summary>The booking officer's shift with the keyboard alone, on each provider: from the top of the booking page,
/// Tab reaches every control of the booking in order with a visible focus, the arrest is booked with Enter, and the
/// record is corrected through its correction form (only the changed section recorded, shown in the timeline).</summary>
public sealed partial class KeyboardDeskTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, AllProviders]
    public async Task A_booking_officer_books_with_the_keyboard_alone_and_corrects_the_record(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var errors = new List<string>();
        var officer = await BrowserSignIn.SignedInAsync(chromium, web.Server, Roles.BookingOfficer, "/arrests/new", errors);

        // From the top of the page, as a person arriving there.
        await officer.Locator("body").FocusAsync();
        await TabToAsync(officer, "Last name");
        await officer.Keyboard.TypeAsync("Tran");
        await TabToAsync(officer, "First name");
        await officer.Keyboard.TypeAsync("Mai");
        await TabToAsync(officer, "Date of birth");
        await officer.Keyboard.TypeAsync("03151992");
        await TabToAsync(officer, "Sex");
        await officer.Keyboard.TypeAsync("Female");
        await TabToAsync(officer, "District");
        await officer.Keyboard.TypeAsync("24");
        await TabToAsync(officer, "Badge number");
        await officer.Keyboard.TypeAsync("4521");
        await TabToAsync(officer, "Officer's name");
        await officer.Keyboard.TypeAsync("Dana Ruiz");
        await TabToAsync(officer, "Offense location");
        await officer.Keyboard.TypeAsync("3000 Kensington Ave");
        await TabToAsync(officer, "Occurred at (local time)");
        // Chromium's year takes up to six digits: the right arrow moves on to the hour.
        await officer.Keyboard.TypeAsync("11232026");
        await officer.Keyboard.PressAsync("ArrowRight");
        await officer.Keyboard.TypeAsync("0800A");
        await TabToAsync(officer, "Charge 1: statute");
        await officer.Keyboard.TypeAsync("18 § 2701(a)(1)");

        // What the keys typed is what the form holds.
        await Assertions.Expect(officer.GetByLabel("Date of birth")).ToHaveValueAsync("1992-03-15");
        await Assertions.Expect(officer.GetByLabel("Sex")).ToHaveValueAsync("female");
        await Assertions.Expect(officer.GetByLabel("District")).ToHaveValueAsync("24");
        await Assertions.Expect(officer.GetByLabel("Occurred at (local time)")).ToHaveValueAsync("2026-11-23T08:00");
        await TabToButtonAsync(officer, "Book the arrest");
        await officer.Keyboard.PressAsync("Enter");
        await Assertions.Expect(officer).ToHaveURLAsync(RecordUrl());
        var number = RecordUrl().Match(officer.Url).Groups[1].Value;
        await Assertions.Expect(officer.Locator("#status")).ToHaveTextAsync("awaiting-charging");

        // The correction, still by keyboard: the link, the last name, the reason, Enter.
        await officer.Locator("body").FocusAsync();
        await TabToLinkAsync(officer, "Correct this record");
        await officer.Keyboard.PressAsync("Enter");
        await Assertions.Expect(officer).ToHaveURLAsync(new Regex($"/arrests/{number}/correct$"));
        await Assertions.Expect(officer.GetByLabel("Last name")).ToHaveValueAsync("Tran");
        await PageChecks.CheckAsync(officer, "correction-form");
        await officer.Locator("body").FocusAsync();
        await TabToAsync(officer, "Reason for the correction");
        await officer.Keyboard.TypeAsync("Family name spelled Trần on the ID");
        await TabToAsync(officer, "Last name");
        await officer.Keyboard.PressAsync("Control+A");
        await officer.Keyboard.TypeAsync("Trần");
        await TabToButtonAsync(officer, "Record the correction");
        await officer.Keyboard.PressAsync("Enter");

        await Assertions.Expect(officer).ToHaveURLAsync(new Regex($"/arrests/{number}\\?corrected=2$"));
        await Assertions.Expect(officer.Locator("#summary-heading")).ToHaveTextAsync("Trần, Mai");
        await Assertions.Expect(officer.Locator("li[data-event='arrest-corrected']")).ToContainTextAsync("Corrected (person): Family name spelled Trần on the ID");
        Assert.Empty(errors);
    }

    [GeneratedRegex(@"/arrests/(\d{2}-\d{7})")]
    private static partial Regex RecordUrl();
}
