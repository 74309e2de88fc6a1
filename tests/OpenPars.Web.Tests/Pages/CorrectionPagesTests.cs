using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using OpenPars.App.Hosting;
using OpenPars.Core.Agencies;
using OpenPars.Core.Audit;
using OpenPars.Testing;
using OpenPars.Testing.Web;

namespace OpenPars.Web.Tests.Pages;

/// <summary>The correction form and the charging attorney's charges editor on each provider, as a browser without
/// script uses them: each form is filled from the record (audited as a read, channel page); submitting what the page
/// shows with one change records exactly that change (one entry) and keeps what the form does not show (SSN,
/// address); a change made meanwhile refuses the correction and keeps the typing; a wrong role gets the 403 page.</summary>
public sealed partial class CorrectionPagesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, AllProviders]
    public async Task A_correction_from_the_filled_form_records_only_the_section_changed_and_keeps_what_the_form_does_not_show(StorageProvider provider)
    {
        await using var desk = await DeskAsync(provider, Roles.BookingOfficer);
        var (server, arrest, client) = (desk.Server, desk.Arrest, desk.Client);

        var (_, recordHtml, _) = await client.GetAsync($"/arrests/{arrest}");
        Assert.Contains($"href=\"/arrests/{arrest}/correct\"", recordHtml, StringComparison.Ordinal);

        var before = await server.AuditSizeAsync();
        var (status, html, _) = await client.GetAsync($"/arrests/{arrest}/correct");
        Assert.Equal(HttpStatusCode.OK, status);
        var read = Assert.Single(await server.AuditEntriesSinceAsync(before));
        Assert.Equal((int)AuditEventType.ArrestRead, read["type"]!.GetValue<int>());
        Assert.Equal(Channels.Page, read["channel"]!.GetValue<string>());
        Assert.DoesNotContain("219-09-9999", html, StringComparison.Ordinal);

        var fields = FormFields(html);
        Assert.Equal("Okafor", fields["person.lastName"]);
        Assert.Equal("1", fields["expectedVersion"]);
        Assert.Equal("18 § 2701(a)(1)", fields["charges[0].citation"]);
        Assert.Equal("victim", fields["involvedParties[0].role"]);
        Assert.Equal("2026-11-23T07:10", fields["incident.occurredAt"]);
        fields["person.lastName"] = "Okafor-Bey";
        fields["reason"] = "Surname misspelled at booking";
        fields["action"] = "book";

        before = await server.AuditSizeAsync();
        using var corrected = await client.Http.PostAsync($"/arrests/{arrest}/correct", new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.Found, corrected.StatusCode);
        Assert.Equal($"/arrests/{arrest}?corrected=2", corrected.Headers.Location!.OriginalString);
        var entry = Assert.Single(await server.AuditEntriesSinceAsync(before));
        Assert.Equal((int)AuditEventType.ArrestCorrected, entry["type"]!.GetValue<int>());
        Assert.Equal("allowed", entry["outcome"]!.GetValue<string>());
        Assert.Equal(Channels.Page, entry["channel"]!.GetValue<string>());

        using var api = server.Client(Roles.RecordsAdmin);
        var record = (await api.GetFromJsonAsync<JsonObject>($"/api/v1/arrests/{arrest}", Ct))!;
        Assert.Equal(2, record["version"]!.GetValue<int>());
        Assert.Equal("Okafor-Bey", record["person"]!["lastName"]!.GetValue<string>());
        Assert.Equal("219-09-9999", record["person"]!["ssn"]!.GetValue<string>());
        Assert.Equal("1412 N 5th St", record["person"]!["address"]!["street"]!.GetValue<string>());
        var history = (await api.GetFromJsonAsync<JsonObject>($"/api/v1/arrests/{arrest}/history", Ct))!;
        var correction = history["events"]!.AsArray().Single(e => e!["type"]!.GetValue<string>() == "arrest-corrected")!;
        Assert.Equal(["person"], correction["changedSections"]!.AsArray().Select(s => s!.GetValue<string>()));

        var (_, after, _) = await client.GetAsync($"/arrests/{arrest}?corrected=2");
        Assert.Contains("Corrected (person): Surname misspelled at booking", after, StringComparison.Ordinal);
    }

    [Theory, AllProviders]
    public async Task A_correction_of_a_version_changed_meanwhile_records_nothing_and_keeps_the_typing(StorageProvider provider)
    {
        await using var desk = await DeskAsync(provider, Roles.BookingOfficer);
        var (server, arrest, client) = (desk.Server, desk.Arrest, desk.Client);
        var (_, html, _) = await client.GetAsync($"/arrests/{arrest}/correct");
        var fields = FormFields(html);

        // Another desk corrects the arrest (version 2) while this form, opened at version 1, is being typed.
        using var api = server.Client(Roles.RecordsAdmin);
        using (var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/arrests/{arrest}/corrections")
        {
            Content = JsonContent.Create(new JsonObject { ["reason"] = "District entered wrongly", ["district"] = "25" }),
        })
        {
            request.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
            using var apiCorrection = await api.SendAsync(request, Ct);
            Assert.Equal(HttpStatusCode.OK, apiCorrection.StatusCode);
        }

        fields["person.firstName"] = "Chidiebere";
        fields["reason"] = "First name shortened at booking";
        fields["action"] = "book";
        var before = await server.AuditSizeAsync();
        using var stale = await client.Http.PostAsync($"/arrests/{arrest}/correct", new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        var page = await stale.Content.ReadAsStringAsync(Ct);
        Assert.Contains("id=\"stale\"", page, StringComparison.Ordinal);
        Assert.Contains("you corrected version 1", page, StringComparison.Ordinal);
        Assert.Contains("value=\"Chidiebere\"", page, StringComparison.Ordinal);
        Assert.Equal("refused", Assert.Single(await server.AuditEntriesSinceAsync(before))["outcome"]!.GetValue<string>());

        var record = (await api.GetFromJsonAsync<JsonObject>($"/api/v1/arrests/{arrest}", Ct))!;
        Assert.Equal(2, record["version"]!.GetValue<int>());
        Assert.Equal("Chidi", record["person"]!["firstName"]!.GetValue<string>());
    }

    [Theory, AllProviders]
    public async Task A_correction_without_a_reason_or_without_a_change_is_refused_at_its_field_and_changes_nothing(StorageProvider provider)
    {
        await using var desk = await DeskAsync(provider, Roles.BookingOfficer);
        var (server, arrest, client) = (desk.Server, desk.Arrest, desk.Client);
        var (_, html, _) = await client.GetAsync($"/arrests/{arrest}/correct");

        // The form as shown, a reason given: nothing differs from the record, so there is nothing to correct.
        var unchanged = FormFields(html);
        unchanged["reason"] = "Checked against the paper file";
        unchanged["action"] = "book";
        using var nothing = await client.Http.PostAsync($"/arrests/{arrest}/correct", new FormUrlEncodedContent(unchanged));
        Assert.Equal(HttpStatusCode.BadRequest, nothing.StatusCode);
        Assert.Contains("A correction must replace at least one section.", await nothing.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        // A change without its reason: the message sits at the reason field.
        var noReason = FormFields(html);
        noReason["person.lastName"] = "Okafor-Bey";
        noReason["action"] = "book";
        var before = await server.AuditSizeAsync();
        using var refused = await client.Http.PostAsync($"/arrests/{arrest}/correct", new FormUrlEncodedContent(noReason));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var page = await refused.Content.ReadAsStringAsync(Ct);
        Assert.Matches("id=\"f-reason\"[^>]*aria-invalid=\"true\"", page);
        Assert.Contains("id=\"e-reason\"", page, StringComparison.Ordinal);
        Assert.Contains("value=\"Okafor-Bey\"", page, StringComparison.Ordinal);
        Assert.Equal("refused", Assert.Single(await server.AuditEntriesSinceAsync(before))["outcome"]!.GetValue<string>());

        // Without the antiforgery token nothing is read or changed either.
        noReason["reason"] = "Surname misspelled at booking";
        noReason.Remove("__RequestVerificationToken");
        using var forged = await client.Http.PostAsync($"/arrests/{arrest}/correct", new FormUrlEncodedContent(noReason));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);

        await using var db = server.NewContext();
        Assert.Equal("Okafor", (await db.Arrests.SingleAsync(Ct)).LastName);
        Assert.Equal(1, (await db.Arrests.SingleAsync(Ct)).Version);
    }

    [Theory, AllProviders]
    public async Task The_charging_attorney_modifies_the_charges_from_the_booked_ones_and_a_wrong_statute_is_shown_at_its_row(StorageProvider provider)
    {
        await using var desk = await DeskAsync(provider, Roles.ChargingAttorney);
        var (server, arrest, client) = (desk.Server, desk.Arrest, desk.Client);

        var (_, queue, _) = await client.GetAsync("/charging");
        Assert.Contains($"href=\"/charging/{arrest}/modify\"", queue, StringComparison.Ordinal);
        var before = await server.AuditSizeAsync();
        var (status, html, _) = await client.GetAsync($"/charging/{arrest}/modify");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal((int)AuditEventType.ArrestRead, Assert.Single(await server.AuditEntriesSinceAsync(before))["type"]!.GetValue<int>());
        var fields = FormFields(html);
        Assert.Equal("18 § 2701(a)(1)", fields["charges[0].citation"]);
        Assert.Equal("M2", fields["charges[0].grade"]);

        // A statute the file does not hold: refused at its row, nothing decided.
        fields["charges[0].citation"] = "99 § 1";
        fields["action"] = "modify";
        before = await server.AuditSizeAsync();
        using var refused = await client.Http.PostAsync($"/charging/{arrest}/modify", new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("id=\"e-charges-0-citation\"", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal("refused", Assert.Single(await server.AuditEntriesSinceAsync(before))["outcome"]!.GetValue<string>());

        // Simple assault instead, two counts, its grade the statute's.
        fields["charges[0].citation"] = "18 § 2701(a)(1)";
        fields["charges[0].grade"] = "";
        fields["charges[0].counts"] = "2";
        before = await server.AuditSizeAsync();
        using var modified = await client.Http.PostAsync($"/charging/{arrest}/modify", new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.Found, modified.StatusCode);
        var entry = Assert.Single(await server.AuditEntriesSinceAsync(before));
        Assert.Equal((int)AuditEventType.ChargingDecided, entry["type"]!.GetValue<int>());
        Assert.Equal(Channels.Page, entry["channel"]!.GetValue<string>());

        using var api = server.Client(Roles.RecordsAdmin);
        var record = (await api.GetFromJsonAsync<JsonObject>($"/api/v1/arrests/{arrest}", Ct))!;
        Assert.Equal("modify", record["charging"]!["outcome"]!.GetValue<string>());
        var charge = Assert.Single(record["charges"]!.AsArray())!;
        Assert.Equal(2, charge["counts"]!.GetValue<int>());
    }

    [Theory, AllProviders]
    public async Task The_correction_form_and_the_charges_editor_are_the_403_page_for_other_roles(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var server = web.Server;
        var arrest = await new WebServer(server).BookAsync(SampleBookings.Valid("Okafor", "Chidi"));
        var attorney = await PageSignIn.EnrolAsync(server, Roles.ChargingAttorney);
        var officer = await PageSignIn.EnrolAsync(server, Roles.BookingOfficer);
        using var attorneyClient = await PageSignIn.SignedInAsync(server, attorney);
        using var officerClient = await PageSignIn.SignedInAsync(server, officer);

        var (_, attorneyRecord, _) = await attorneyClient.GetAsync($"/arrests/{arrest}");
        Assert.DoesNotContain($"/arrests/{arrest}/correct", attorneyRecord, StringComparison.Ordinal);
        foreach (var (client, page) in new[] { (attorneyClient, $"/arrests/{arrest}/correct"), (officerClient, $"/charging/{arrest}/modify") })
        {
            var before = await server.AuditSizeAsync();
            var (status, html, _) = await client.GetAsync(page);
            Assert.Equal(HttpStatusCode.Forbidden, status);
            Assert.Contains("PARS-AUTH-002", html, StringComparison.Ordinal);
            var entry = Assert.Single(await server.AuditEntriesSinceAsync(before));
            Assert.Equal("refused", entry["outcome"]!.GetValue<string>());
            Assert.Equal(Channels.Page, entry["channel"]!.GetValue<string>());
        }
    }

    /// <summary>A server with one arrest booked through the API (Okafor, Chidi: SSN, address, one charge, one victim)
    /// and a page client signed in with <paramref name="role"/>.</summary>
    private static async Task<Desk> DeskAsync(StorageProvider provider, string role)
    {
        var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var arrest = await new WebServer(web.Server).BookAsync(SampleBookings.Valid("Okafor", "Chidi"));
        var user = await PageSignIn.EnrolAsync(web.Server, role);
        return new Desk(web, arrest, await PageSignIn.SignedInAsync(web.Server, user));
    }

    private sealed record Desk(ProviderTestServer Web, string Arrest, PageClient Client) : IAsyncDisposable
    {
        public OpenParsTestServer Server => Web.Server;

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await Web.DisposeAsync();
        }
    }

    /// <summary>What a browser would submit from the page's form: every input's value, each textarea's text, each
    /// select's selected option, the antiforgery token among them (no submit button: the test names the action).</summary>
    public static Dictionary<string, string> FormFields(string html)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match input in InputTag().Matches(html))
        {
            var tag = input.Value;
            if (Attribute(tag, "name") is { } name && Attribute(tag, "type") is not ("submit" or "button"))
            {
                fields[name] = Attribute(tag, "value") ?? "";
            }
        }

        foreach (Match area in TextareaTag().Matches(html))
        {
            fields[WebUtility.HtmlDecode(area.Groups[1].Value)] = WebUtility.HtmlDecode(area.Groups[2].Value);
        }

        foreach (Match select in SelectTag().Matches(html))
        {
            var chosen = SelectedOption().Match(select.Groups[2].Value);
            fields[WebUtility.HtmlDecode(select.Groups[1].Value)] = chosen.Success ? WebUtility.HtmlDecode(chosen.Groups[1].Value) : "";
        }

        return fields;
    }

    private static string? Attribute(string tag, string name) =>
        Regex.Match(tag, $"\\s{name}=\"([^\"]*)\"") is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : null;

    [GeneratedRegex("<input\\b[^>]*>")]
    private static partial Regex InputTag();

    [GeneratedRegex("<textarea\\b[^>]*\\sname=\"([^\"]+)\"[^>]*>(.*?)</textarea>", RegexOptions.Singleline)]
    private static partial Regex TextareaTag();

    [GeneratedRegex("<select\\b[^>]*\\sname=\"([^\"]+)\"[^>]*>(.*?)</select>", RegexOptions.Singleline)]
    private static partial Regex SelectTag();

    [GeneratedRegex("<option value=\"([^\"]*)\" selected")]
    private static partial Regex SelectedOption();
}
