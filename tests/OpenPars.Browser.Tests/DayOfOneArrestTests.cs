using System.Text.RegularExpressions;
using Microsoft.Playwright;
using OpenPars.App.Hosting;
using OpenPars.Core.Agencies;
using OpenPars.Testing;
using OpenPars.Testing.Web;

namespace OpenPars.Browser.Tests;

/// <summary>The whole day of one arrest in four browser contexts on each provider: the booking officer books it with
/// the form, it appears in the charging attorney's open queue within 2 s without reload, the attorney approves, it
/// appears on the magistrate's open list, bail is recorded, and the record open in a fourth context (a privacy
/// officer) shows every step live. axe on every page reached; screenshots of the new pages.</summary>
public sealed partial class DayOfOneArrestTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, AllProviders]
    public async Task Booked_charged_and_arraigned_across_four_desks_with_the_record_live_throughout(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var server = web.Server;
        var errors = new List<string>();
        var attorney = await SignedInAsync(server, Roles.ChargingAttorney, "/charging", errors);
        var magistrate = await SignedInAsync(server, Roles.Magistrate, "/arraignment", errors);
        var officer = await SignedInAsync(server, Roles.BookingOfficer, "/arrests/new", errors);
        await Assertions.Expect(attorney.Locator("body[data-live-open='true']")).ToHaveCountAsync(1);
        await Assertions.Expect(magistrate.Locator("body[data-live-open='true']")).ToHaveCountAsync(1);

        // The booking officer books with the form.
        await Assertions.Expect(officer.GetByRole(AriaRole.Heading, new() { Name = "Book an arrest", Level = 1 })).ToBeVisibleAsync();
        await PageChecks.CheckAsync(officer, "booking-form");
        await officer.GetByLabel("Last name").FillAsync("Nguyen");
        await officer.GetByLabel("First name").FillAsync("Linh");
        await officer.GetByLabel("Date of birth").FillAsync("1988-07-14");
        await officer.GetByLabel("Sex").SelectOptionAsync("female");
        await officer.GetByLabel("District").SelectOptionAsync("24");
        await officer.GetByLabel("Badge number").FillAsync("4521");
        await officer.GetByLabel("Officer's name").FillAsync("Dana Ruiz");
        await officer.GetByLabel("Offense location").FillAsync("3000 Kensington Ave");
        await officer.GetByLabel("Occurred at (local time)").FillAsync("2026-11-23T08:00");
        await officer.GetByLabel("Charge 1: statute").FillAsync("18 § 2701(a)(1)");
        await officer.GetByRole(AriaRole.Button, new() { Name = "Book the arrest" }).ClickAsync();
        await Assertions.Expect(officer).ToHaveURLAsync(RecordUrl());
        var number = RecordUrl().Match(officer.Url).Groups[1].Value;
        await Assertions.Expect(officer.Locator("#status")).ToHaveTextAsync("awaiting-charging");

        // Within 2 s on the attorney's open queue, no reload.
        var row = attorney.Locator($"tr[data-arrest='{number}']");
        await Assertions.Expect(row).ToContainTextAsync("Nguyen, Linh", new() { Timeout = 2000 });

        // The record, open in a fourth context.
        var watcher = await SignedInAsync(server, Roles.PrivacyOfficer, $"/arrests/{number}", errors);
        await Assertions.Expect(watcher.Locator("body[data-live-open='true']")).ToHaveCountAsync(1);
        await Assertions.Expect(watcher.Locator("li[data-event='arrest-booked']")).ToHaveCountAsync(1);

        await row.GetByRole(AriaRole.Button, new() { Name = $"Approve charges of {number}" }).ClickAsync();
        await Assertions.Expect(attorney.Locator(".notice")).ToContainTextAsync($"Decision recorded for {number}.");
        await Assertions.Expect(watcher.Locator("li[data-event='charging-decided']")).ToHaveCountAsync(1, new() { Timeout = 2000 });
        await Assertions.Expect(watcher.Locator("#status")).ToHaveTextAsync("charged");

        // On the magistrate's open list, then bail recorded.
        var waiting = magistrate.Locator($"#waiting tr[data-arrest='{number}']");
        await Assertions.Expect(waiting).ToContainTextAsync("Nguyen, Linh", new() { Timeout = 2000 });
        await PageChecks.CheckAsync(magistrate, "arraignment-list");
        await waiting.GetByRole(AriaRole.Link, new() { Name = $"Record arraignment of {number}" }).ClickAsync();
        await magistrate.GetByLabel("Bail type").SelectOptionAsync("monetary");
        await magistrate.GetByLabel("Bail amount (dollars)").FillAsync("2500");
        await magistrate.GetByLabel("Docket number").FillAsync("MC-51-CR-0001234-2026");
        await magistrate.GetByLabel("Custody").SelectOptionAsync("held");
        await magistrate.GetByLabel("Next hearing date").FillAsync("2026-12-01");
        await magistrate.GetByLabel("Next hearing courtroom").FillAsync("1105");
        await PageChecks.CheckAsync(magistrate, "arraignment-form");
        await magistrate.GetByRole(AriaRole.Button, new() { Name = "Record the arraignment" }).ClickAsync();
        await Assertions.Expect(magistrate.Locator(".notice")).ToContainTextAsync($"Arraignment recorded for {number}.");

        await Assertions.Expect(watcher.Locator("li[data-event='arraignment-recorded']")).ToHaveCountAsync(1, new() { Timeout = 2000 });
        await Assertions.Expect(watcher.Locator("#status")).ToHaveTextAsync("arraigned");
        await Assertions.Expect(watcher.Locator("#live-status")).ToHaveTextAsync("This arrest changed: its timeline is updated.");
        await PageChecks.CheckAsync(watcher, "arrest-record");
        await watcher.SetViewportSizeAsync(390, 844);
        await PageChecks.CheckAsync(watcher, "arrest-record-390px");
        Assert.Empty(errors);
    }

    [Theory, AllProviders]
    public async Task A_refused_booking_is_shown_next_to_its_field_and_the_form_is_usable_at_200_percent_zoom(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var server = web.Server;
        var errors = new List<string>();
        var officer = await SignedInAsync(server, Roles.BookingOfficer, "/arrests/new", errors);

        // 200% zoom of a 1280 px window: 640 CSS px.
        await officer.SetViewportSizeAsync(640, 400);
        await officer.GetByLabel("First name").FillAsync("Linh");
        await officer.GetByLabel("Charge 1: statute").FillAsync("99 § 1");
        await officer.GetByRole(AriaRole.Button, new() { Name = "Add another charge" }).ClickAsync();
        await Assertions.Expect(officer.GetByLabel("Charge 2: statute")).ToBeVisibleAsync();
        await Assertions.Expect(officer.GetByLabel("First name")).ToHaveValueAsync("Linh");
        await officer.GetByRole(AriaRole.Button, new() { Name = "Book the arrest" }).ClickAsync();

        var lastName = officer.GetByLabel("Last name");
        await Assertions.Expect(lastName).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(officer.Locator("#e-person-lastName")).ToHaveTextAsync("Last name is required.");
        await Assertions.Expect(officer.Locator("#e-charges-0-citation")).ToContainTextAsync("Charge 1: statute is not in the");
        await Assertions.Expect(officer.Locator("#error-summary")).ToContainTextAsync("PARS-REQ-006");
        await PageChecks.CheckAsync(officer, "booking-form-refused-200pct");

        // The summary's link takes the keyboard to the field.
        await officer.Locator("#error-summary a[href='#f-person-lastName']").FocusAsync();
        await officer.Keyboard.PressAsync("Enter");
        await Assertions.Expect(officer).ToHaveURLAsync(new Regex("#f-person-lastName$"));
        // The refused form's own answer is a 400 document, which the console reports; nothing else may fail.
        Assert.All(errors, e => Assert.Contains("status of 400", e, StringComparison.Ordinal));
    }

    /// <summary>A fresh context signed in as <paramref name="role"/> (password, then the code) landing on <paramref name="path"/>.</summary>
    private async Task<IPage> SignedInAsync(OpenParsTestServer server, string role, string path, List<string> errors) =>
        await chromium.SignedInAsync(server, await PageSignIn.EnrolAsync(server, role), path, errors);

    [GeneratedRegex(@"/arrests/(\d{2}-\d{7})")]
    private static partial Regex RecordUrl();
}
