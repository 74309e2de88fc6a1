using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using OpenPars.App.Hosting;
using OpenPars.Core.Agencies;
using OpenPars.Core.Common;
using OpenPars.Testing;
using OpenPars.Testing.Web;

namespace OpenPars.Browser.Tests;

/// <summary>The governed channel in browsers on each provider: the partner analyst searches with the keyboard alone
/// (masked results, the agreement and the fields disclosed), two stakeholder representatives withdraw in browser
/// contexts of their own, and the analyst's page, still open, is refused on its next search with the termination
/// said. axe on every state reached; screenshots of the agreements and partner pages.</summary>
public sealed class GovernedAccessPagesTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, AllProviders]
    public async Task Two_withdrawals_end_the_agreement_and_the_open_partner_search_is_refused_on_its_next_search(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var server = web.Server;
        var id = await AgreementArrange.AgreementAsync(server, "ICE", ArrangedState.Active);
        await BookAsync(server);
        var errors = new List<string>();

        // The analyst searches with the keyboard alone.
        var analyst = await SignedInAsync(server, await PageSignIn.EnrolAsync(server, Roles.PartnerAnalyst), "/partner/search", errors);
        await PageChecks.CheckAsync(analyst, "partner-search");
        for (var i = 0; i < 40 && await analyst.EvaluateAsync<string>("document.activeElement?.id ?? ''") != "f-purpose"; i++)
        {
            await analyst.Keyboard.PressAsync("Tab");
        }

        await Assertions.Expect(analyst.Locator("#f-purpose")).ToBeFocusedAsync();
        await analyst.Keyboard.TypeAsync("criminal");
        await analyst.Keyboard.PressAsync("Tab");
        await analyst.Keyboard.TypeAsync(TestAgreementDocuments.Reason);
        await analyst.Keyboard.PressAsync("Tab");
        await analyst.Keyboard.TypeAsync(TestAgreementDocuments.CaseNumber);
        await analyst.Keyboard.PressAsync("Tab");
        await Assertions.Expect(analyst.GetByLabel("Arrest number")).ToBeFocusedAsync();
        await analyst.Keyboard.PressAsync("Tab");
        await analyst.Keyboard.TypeAsync("Okafor");
        await analyst.Keyboard.PressAsync("Tab");
        await analyst.Keyboard.PressAsync("Tab");
        await analyst.Keyboard.TypeAsync("1991-05-17");
        await analyst.Keyboard.PressAsync("Enter");
        await Assertions.Expect(analyst.Locator("#results-h")).ToHaveTextAsync("1 record");
        await Assertions.Expect(analyst.Locator("#result-agreement")).ToHaveTextAsync(id);
        await Assertions.Expect(analyst.Locator("#disclosed-fields")).ToContainTextAsync("person.ssn (last four digits only)");
        await Assertions.Expect(analyst.Locator("#records")).ToContainTextAsync("***-**-9999");
        await PageChecks.CheckAsync(analyst, "partner-search-results");

        // Two representatives withdraw, each in a browser of their own.
        var police = await SignedInAsync(server, await PageSignIn.NewUserAsync(server, "PPD", Roles.StakeholderRepresentative), "/agreements", errors);
        await PageChecks.CheckAsync(police, "agreements-list");
        var courts = await SignedInAsync(server, await PageSignIn.NewUserAsync(server, "FJD", Roles.StakeholderRepresentative), $"/agreements/{id}", errors);
        await police.GetByRole(AriaRole.Link, new() { Name = id }).ClickAsync();
        await Assertions.Expect(police.Locator("#status")).ToContainTextAsync("active");
        await PageChecks.CheckAsync(police, "agreement-detail");
        foreach (var (representative, statement) in new[] { (police, "The police withdraw after the review."), (courts, "The courts withdraw as well.") })
        {
            await representative.Locator("#form-vote #f-vote").SelectOptionAsync("withdraw");
            await representative.Locator("#form-vote #f-statement").FillAsync(statement);
            await representative.GetByRole(AriaRole.Button, new() { Name = "Cast the vote" }).ClickAsync();
            await Assertions.Expect(representative.Locator(".notice")).ToHaveTextAsync("Your vote is recorded.");
        }

        await Assertions.Expect(courts.Locator("#status")).ToContainTextAsync("terminated");
        await Assertions.Expect(courts.Locator("#termination")).ToContainTextAsync("The police withdraw after the review.");
        await PageChecks.CheckAsync(courts, "agreement-terminated");

        // The analyst's page, open all along: the next search is refused, the termination said.
        await analyst.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Assertions.Expect(analyst.Locator("#refusal")).ToContainTextAsync("PARS-AGR-004");
        await Assertions.Expect(analyst.Locator("#refusal")).ToContainTextAsync("terminated");
        await Assertions.Expect(analyst.Locator("#results")).ToHaveCountAsync(0);
        await PageChecks.CheckAsync(analyst, "partner-search-refused");

        // The refused page's own answer is a 403 document, which the console reports; nothing else may fail.
        Assert.All(errors, e => Assert.Contains("status of 403", e, StringComparison.Ordinal));
    }

    [Theory, AllProviders]
    public async Task The_partner_registers_a_watch_and_reads_its_own_terms(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var server = web.Server;
        await AgreementArrange.AgreementAsync(server, "ICE", ArrangedState.Active);
        var errors = new List<string>();
        var analyst = await SignedInAsync(server, await PageSignIn.EnrolAsync(server, Roles.PartnerAnalyst), "/partner/watches", errors);
        await analyst.GetByLabel("Purpose").FillAsync(TestAgreementDocuments.Purpose);
        await analyst.GetByLabel("Reason for this request").FillAsync(TestAgreementDocuments.Reason);
        await analyst.GetByLabel("Case number").FillAsync(TestAgreementDocuments.CaseNumber);
        await analyst.GetByLabel("SID").FillAsync("28519463");
        await analyst.GetByRole(AriaRole.Button, new() { Name = "Register the watch" }).ClickAsync();
        await Assertions.Expect(analyst.Locator(".notice")).ToContainTextAsync("is registered.");
        await Assertions.Expect(analyst.Locator("#watches")).ToContainTextAsync("SID 28519463");
        await PageChecks.CheckAsync(analyst, "partner-watches");
        await analyst.GetByRole(AriaRole.Link, new() { Name = "Our agreement" }).ClickAsync();
        await Assertions.Expect(analyst.Locator("#terms")).ToContainTextAsync("last four digits only");
        await PageChecks.CheckAsync(analyst, "partner-agreement");
        Assert.Empty(errors);
    }

    private Task<IPage> SignedInAsync(OpenParsTestServer server, PageCredentials credentials, string path, List<string> errors) =>
        chromium.SignedInAsync(server, credentials, path, errors);

    /// <summary>Books an adult, Okafor born 1991-05-17 with an SSN, over the API (the booking officer's token).</summary>
    private static async Task BookAsync(OpenParsTestServer server)
    {
        using var client = server.Client(Roles.BookingOfficer);
        var booking = new JsonObject
        {
            ["district"] = "24",
            ["arrestingOfficer"] = new JsonObject { ["badgeNumber"] = "4521", ["name"] = "Officer Dana Ruiz" },
            ["incident"] = new JsonObject { ["offenseLocation"] = "3000 Kensington Ave", ["occurredAt"] = "2026-11-23T12:10:00Z" },
            ["person"] = new JsonObject
            {
                ["lastName"] = "Okafor", ["firstName"] = "Chidi", ["dateOfBirth"] = "1991-05-17", ["sex"] = "male", ["ssn"] = "219-09-9999",
                ["identifiers"] = new JsonObject { ["sid"] = "28519463" },
            },
            ["charges"] = new JsonArray(new JsonObject { ["citation"] = "18 § 2701(a)(1)", ["counts"] = 1 }),
        };
        using var response = await client.PostAsJsonAsync("/api/v1/arrests", booking, OpenParsJson.Options, Ct);
        response.EnsureSuccessStatusCode();
    }
}
