using System.Net;
using Microsoft.EntityFrameworkCore;
using OpenPars.App.Hosting;
using OpenPars.Core.Agencies;
using OpenPars.Core.Audit;
using OpenPars.Testing;
using OpenPars.Testing.Web;

namespace OpenPars.Web.Tests.Pages;

/// <summary>The booking, record and arraignment pages on each provider, as a browser without script uses them: the
/// booking form books through the same use case as the API (audited, channel page), its refusals are shown next to
/// their fields and change nothing, "add another" keeps what was typed, a form without its antiforgery token is
/// refused, a wrong role gets the 403 page, and the magistrate records an arraignment from the day's list.</summary>
public sealed class DeskPagesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A valid booking as the form posts it (the server's clock is 14:00 UTC, 09:00 in Philadelphia).</summary>
    public static Dictionary<string, string> ValidBooking(string lastName = "Okafor") => new()
    {
        ["person.lastName"] = lastName,
        ["person.firstName"] = "Amara",
        ["person.dateOfBirth"] = "1990-04-01",
        ["person.sex"] = "female",
        ["person.race"] = "black",
        ["person.identifiers.sid"] = "123456789",
        ["district"] = "24",
        ["arrestingOfficer.badgeNumber"] = "4521",
        ["arrestingOfficer.name"] = "Dana Ruiz",
        ["incident.offenseLocation"] = "3000 Kensington Ave",
        ["incident.occurredAt"] = "2026-11-23T08:00",
        ["incident.narrative"] = "Line one.\nLine two.",
        ["rows.charges"] = "2",
        ["charges[0].citation"] = "",
        ["charges[1].citation"] = "18 § 2701(a)(1)",
        ["charges[1].counts"] = "2",
        ["rows.parties"] = "1",
        ["involvedParties[0].role"] = "victim",
        ["involvedParties[0].name"] = "Sam Lee",
        ["action"] = "book",
    };

    [Theory, AllProviders]
    public async Task The_booking_form_books_through_the_use_case_and_the_record_shows_its_timeline_both_audited_as_pages(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var server = web.Server;
        var officer = await PageSignIn.EnrolAsync(server, Roles.BookingOfficer);
        using var client = await PageSignIn.SignedInAsync(server, officer);

        var before = await server.AuditSizeAsync();
        using var booked = await client.SubmitAsync("/arrests/new", "/arrests/new", ValidBooking());
        Assert.Equal(HttpStatusCode.Found, booked.StatusCode);
        var location = booked.Headers.Location!.OriginalString;
        Assert.StartsWith("/arrests/", location, StringComparison.Ordinal);
        var entry = Assert.Single(await server.AuditEntriesSinceAsync(before));
        Assert.Equal((int)AuditEventType.ArrestBooked, entry["type"]!.GetValue<int>());
        Assert.Equal(Channels.Page, entry["channel"]!.GetValue<string>());

        await using (var db = server.NewContext())
        {
            var row = await db.Arrests.SingleAsync(Ct);
            Assert.Equal("Okafor", row.LastName);
            Assert.Equal("awaiting-charging", row.Status);

            // The blank first charge row was no row; the statute file gave the grade.
            var charge = await db.Charges.SingleAsync(Ct);
            Assert.Equal(2, charge.Counts);
            Assert.Equal("M2", charge.Grade);
        }

        var read = await server.AuditSizeAsync();
        var (status, html, _) = await client.GetAsync(location);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Okafor, Amara", html, StringComparison.Ordinal);
        Assert.Contains("data-event=\"arrest-booked\"", html, StringComparison.Ordinal);
        Assert.Contains("data-live-stream=\"/api/v1/streams/arrests/", html, StringComparison.Ordinal);
        var history = Assert.Single(await server.AuditEntriesSinceAsync(read));
        Assert.Equal((int)AuditEventType.ArrestHistoryRead, history["type"]!.GetValue<int>());
        Assert.Equal(Channels.Page, history["channel"]!.GetValue<string>());

        // The same form sent twice (a double click, a reload) is one booking.
        var (_, formHtml, _) = await client.GetAsync("/arrests/new");
        var key = System.Text.RegularExpressions.Regex.Match(formHtml, "name=\"idempotencyKey\" value=\"([^\"]+)\"").Groups[1].Value;
        var again = ValidBooking("Twice");
        again["idempotencyKey"] = key;
        using (await client.SubmitAsync("/arrests/new", "/arrests/new", new(again)))
        {
        }

        using (await client.SubmitAsync("/arrests/new", "/arrests/new", again))
        {
        }

        await using var after = server.NewContext();
        Assert.Equal(1, await after.Arrests.CountAsync(a => a.LastName == "Twice", Ct));
    }

    [Theory, AllProviders]
    public async Task A_refused_booking_shows_each_message_next_to_its_field_keeps_what_was_typed_and_books_nothing(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var server = web.Server;
        var officer = await PageSignIn.EnrolAsync(server, Roles.BookingOfficer);
        using var client = await PageSignIn.SignedInAsync(server, officer);

        // The use case's rules: a blank last name, an unknown statute in the second row typed (the first was blank).
        var fields = ValidBooking();
        fields["person.lastName"] = " ";
        fields["charges[1].citation"] = "99 § 1";
        var before = await server.AuditSizeAsync();
        using var refused = await client.SubmitAsync("/arrests/new", "/arrests/new", fields);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var html = await refused.Content.ReadAsStringAsync(Ct);
        Assert.Contains("id=\"f-person-lastName\" name=\"person.lastName\" type=\"text\" value=\" \"", html, StringComparison.Ordinal);
        Assert.Matches("id=\"f-person-lastName\"[^>]*aria-invalid=\"true\"[^>]*aria-describedby=\"e-person-lastName\"", html);
        Assert.Contains("<p class=\"error\" id=\"e-person-lastName\">Last name is required.</p>", html, StringComparison.Ordinal);
        Assert.Contains("id=\"e-charges-1-citation\"", html, StringComparison.Ordinal);
        Assert.Contains("value=\"Amara\"", html, StringComparison.Ordinal);
        Assert.Contains("PARS-REQ-006", html, StringComparison.Ordinal);
        var entry = Assert.Single(await server.AuditEntriesSinceAsync(before));
        Assert.Equal("refused", entry["outcome"]!.GetValue<string>());
        Assert.Equal(Channels.Page, entry["channel"]!.GetValue<string>());

        // A value the form cannot read (a date in another format) is refused by field before the use case.
        fields = ValidBooking();
        fields["person.dateOfBirth"] = "01/04/1990";
        before = await server.AuditSizeAsync();
        using var unreadable = await client.SubmitAsync("/arrests/new", "/arrests/new", fields);
        Assert.Equal(HttpStatusCode.BadRequest, unreadable.StatusCode);
        html = await unreadable.Content.ReadAsStringAsync(Ct);
        Assert.Contains("id=\"e-person-dateOfBirth\">Date of birth must be a date, yyyy-MM-dd.</p>", html, StringComparison.Ordinal);
        Assert.Equal("refused", Assert.Single(await server.AuditEntriesSinceAsync(before))["outcome"]!.GetValue<string>());

        // An escape in a name is shown at its field; a NUL anywhere (ASP.NET's form reader cannot read a form that
        // holds one: it was a 500) refuses the whole form. Neither repeats the value; both are one refusal entry.
        fields = ValidBooking();
        fields["person.lastName"] = "Oka\u001b[8mfor";
        before = await server.AuditSizeAsync();
        using (var escaped = await client.SubmitAsync("/arrests/new", "/arrests/new", fields))
        {
            Assert.Equal(HttpStatusCode.BadRequest, escaped.StatusCode);
            Assert.Contains("id=\"e-person-lastName\"", await escaped.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
            Assert.Equal("refused", Assert.Single(await server.AuditEntriesSinceAsync(before))["outcome"]!.GetValue<string>());
        }

        fields = ValidBooking();
        fields["incident.narrative"] = "Stopped at\0 the corner.";
        before = await server.AuditSizeAsync();
        using (var nul = await client.SubmitAsync("/arrests/new", "/arrests/new", fields))
        {
            Assert.Equal(HttpStatusCode.BadRequest, nul.StatusCode);
            var page = await nul.Content.ReadAsStringAsync(Ct);
            Assert.Contains("PARS-REQ-006", page, StringComparison.Ordinal);
            Assert.DoesNotContain("the corner", page, StringComparison.Ordinal);
            var refusal = Assert.Single(await server.AuditEntriesSinceAsync(before));
            Assert.Equal("PARS-REQ-006", refusal["code"]!.GetValue<string>());
        }

        await using var db = server.NewContext();
        Assert.Equal(0, await db.Arrests.CountAsync(Ct));
    }

    [Theory, AllProviders]
    public async Task Add_another_renders_one_more_row_with_everything_typed_and_books_nothing(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var server = web.Server;
        var officer = await PageSignIn.EnrolAsync(server, Roles.BookingOfficer);
        using var client = await PageSignIn.SignedInAsync(server, officer);

        var fields = ValidBooking();
        fields["action"] = "add:charges";
        var before = await server.AuditSizeAsync();
        using var more = await client.SubmitAsync("/arrests/new", "/arrests/new", fields);
        Assert.Equal(HttpStatusCode.OK, more.StatusCode);
        var html = await more.Content.ReadAsStringAsync(Ct);
        Assert.Contains("name=\"charges[2].citation\"", html, StringComparison.Ordinal);
        Assert.Contains("name=\"rows.charges\" value=\"3\"", html, StringComparison.Ordinal);
        Assert.Contains("value=\"Okafor\"", html, StringComparison.Ordinal);
        Assert.Contains("Line one.", html, StringComparison.Ordinal);
        Assert.Contains("Line two.", html, StringComparison.Ordinal);
        Assert.Empty(await server.AuditEntriesSinceAsync(before));
        await using var db = server.NewContext();
        Assert.Equal(0, await db.Arrests.CountAsync(Ct));
    }

    [Theory, AllProviders]
    public async Task The_new_forms_without_their_antiforgery_token_are_refused_and_change_nothing(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var server = web.Server;
        var officer = await PageSignIn.EnrolAsync(server, Roles.BookingOfficer);
        var magistrate = await PageSignIn.EnrolAsync(server, Roles.Magistrate);
        var number = await ChargedAsync(server);
        using var officerClient = await PageSignIn.SignedInAsync(server, officer);
        using var magistrateClient = await PageSignIn.SignedInAsync(server, magistrate);

        var rows = await server.CountRowsAsync();
        using var booking = await officerClient.SubmitAsync("/arrests/new", "/arrests/new", ValidBooking(), withToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, booking.StatusCode);
        Assert.Contains(PageErrorCodes.AntiforgeryFailed, await booking.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        using var arraignment = await magistrateClient.SubmitAsync($"/arraignment/{number}", $"/arraignment/{number}", Arraignment(), withToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, arraignment.StatusCode);
        Assert.Equal(rows, await server.CountRowsAsync());
        await using var db = server.NewContext();
        Assert.Equal("charged", (await db.Arrests.SingleAsync(a => a.ArrestNumber == number, Ct)).Status);
    }

    [Theory, AllProviders]
    public async Task A_role_without_the_page_gets_the_403_page_audited_and_not_its_link(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var server = web.Server;
        var attorney = await PageSignIn.EnrolAsync(server, Roles.ChargingAttorney);
        var officer = await PageSignIn.EnrolAsync(server, Roles.BookingOfficer);
        using var attorneyClient = await PageSignIn.SignedInAsync(server, attorney);
        using var officerClient = await PageSignIn.SignedInAsync(server, officer);

        foreach (var (client, page) in new[] { (attorneyClient, "/arrests/new"), (officerClient, "/arraignment"), (officerClient, "/charging") })
        {
            var (_, desk, _) = await client.GetAsync("/desk");
            Assert.DoesNotContain($"href=\"{page}\"", desk, StringComparison.Ordinal);
            var before = await server.AuditSizeAsync();
            var (status, html, _) = await client.GetAsync(page);
            Assert.Equal(HttpStatusCode.Forbidden, status);
            Assert.Contains("PARS-AUTH-002", html, StringComparison.Ordinal);
            var entry = Assert.Single(await server.AuditEntriesSinceAsync(before));
            Assert.Equal("refused", entry["outcome"]!.GetValue<string>());
            Assert.Equal(Channels.Page, entry["channel"]!.GetValue<string>());
        }

        var (_, officerDesk, _) = await officerClient.GetAsync("/desk");
        Assert.Contains("href=\"/arrests/new\"", officerDesk, StringComparison.Ordinal);
    }

    [Theory, AllProviders]
    public async Task The_magistrate_records_an_arraignment_from_the_days_list_and_a_refusal_is_shown_at_its_field(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var server = web.Server;
        var magistrate = await PageSignIn.EnrolAsync(server, Roles.Magistrate);
        var number = await ChargedAsync(server);
        using var client = await PageSignIn.SignedInAsync(server, magistrate);

        var before = await server.AuditSizeAsync();
        var (status, list, _) = await client.GetAsync("/arraignment");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"href=\"/arraignment/{number}\"", list, StringComparison.Ordinal);
        Assert.Equal((int)AuditEventType.ArraignmentListRead, Assert.Single(await server.AuditEntriesSinceAsync(before))["type"]!.GetValue<int>());

        var wrong = Arraignment();
        wrong["docketNumber"] = "51-1234";
        wrong["bailType"] = "ror";
        using var refused = await client.SubmitAsync($"/arraignment/{number}", $"/arraignment/{number}", wrong);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var html = await refused.Content.ReadAsStringAsync(Ct);
        Assert.Contains("id=\"e-docketNumber\">Docket number must look like MC-51-CR-0001234-2026.</p>", html, StringComparison.Ordinal);
        Assert.Contains("id=\"e-bailAmount\">", html, StringComparison.Ordinal);

        using var recorded = await client.SubmitAsync($"/arraignment/{number}", $"/arraignment/{number}", Arraignment());
        Assert.Equal(HttpStatusCode.Found, recorded.StatusCode);
        Assert.Equal($"/arraignment?recorded={number}", recorded.Headers.Location!.OriginalString);
        await using var db = server.NewContext();
        Assert.Equal("arraigned", (await db.Arrests.SingleAsync(a => a.ArrestNumber == number, Ct)).Status);
    }

    private static Dictionary<string, string> Arraignment() => new()
    {
        ["magistrate"] = "Hon. R. Patel",
        ["bailType"] = "monetary",
        ["bailAmount"] = "2,500.00",
        ["conditions"] = "Stay away from 3000 Kensington Ave\nReport weekly",
        ["docketNumber"] = "MC-51-CR-0001234-2026",
        ["custody"] = "held",
        ["nextHearingDate"] = "2026-12-01",
        ["nextHearingCourtroom"] = "1105",
    };

    /// <summary>Books over the API and approves the charges: an arrest on today's arraignment list.</summary>
    private static async Task<string> ChargedAsync(OpenParsTestServer server)
    {
        var number = await new WebServer(server).BookAsync();
        using var attorney = server.Client(Roles.ChargingAttorney);
        using var decided = await attorney.PostJsonAsync($"/api/v1/arrests/{number}/charging-decision", new System.Text.Json.Nodes.JsonObject { ["outcome"] = "approve" });
        decided.EnsureSuccessStatusCode();
        return number;
    }
}
