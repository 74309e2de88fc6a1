using System.Net;
using System.Text.Json.Nodes;
using OpenPars.App.Hosting;
using OpenPars.Core.Agencies;
using OpenPars.Core.Audit;
using OpenPars.Core.Common;
using OpenPars.Testing;
using OpenPars.Testing.Web;
using static OpenPars.Web.Tests.Agreements.AgreementHttp;

namespace OpenPars.Web.Tests.Arrests;

/// <summary>
/// Issue 9, "booking time is plausible": a booking more than the window (7 days) in the past needs a records admin's
/// backdating reason, recorded in the event and on the audit entry. The attacks: the booking officer backdating, with
/// or without a reason; the records admin (an administrator: no desk) booking an ordinary arrest; a reason too short;
/// the window's edge — on both providers. A refusal changes no row.
/// </summary>
public sealed class BackdatingHttpTests(WebServerFixture fixture) : IClassFixture<WebServerFixture>
{
    private const string Reason = "Paper booking from the district 24 outage, keyed from the original form";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, AllProviders]
    public async Task Only_a_records_admin_backdates_past_the_window_and_the_reason_is_recorded(StorageProvider provider)
    {
        var server = (await fixture.ForAsync(provider)).Server;
        var now = server.Clock.GetUtcNow();
        var before = await server.CountRowsAsync();

        await ExpectAsync(server, Roles.BookingOfficer, Booking(now.AddDays(-10), null), HttpStatusCode.BadRequest, "backdating-reason-required");
        await ExpectAsync(server, Roles.BookingOfficer, Booking(now.AddDays(-10), Reason), HttpStatusCode.BadRequest, "backdating-records-admin-only");
        await ExpectAsync(server, Roles.RecordsAdmin, Booking(now.AddDays(-10), "outage"), HttpStatusCode.BadRequest, "backdating-reason-length");
        // The records admin works no desk: an ordinary booking, or one just inside the window, is the booking officer's.
        await ExpectAsync(server, Roles.RecordsAdmin, Booking(now.AddHours(-1), Reason), HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        await ExpectAsync(server, Roles.RecordsAdmin, Booking(now.AddDays(-7), Reason), HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        await ExpectAsync(server, Roles.PrivacyOfficer, Booking(now.AddDays(-10), Reason), HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        Assert.Equal(before, await server.CountRowsAsync());

        // The records admin, one second past the window, with a reason: booked, and the reason is on the record.
        var booked = await SendOkAsync(server, Roles.RecordsAdmin, TestAgreementDocuments.PostJson("/api/v1/arrests", Booking(now.AddDays(-7).AddSeconds(-1), Reason)), HttpStatusCode.Created);
        var number = booked["arrestNumber"]!.GetValue<string>();
        var history = await SendOkAsync(server, Roles.ChargingAttorney, new HttpRequestMessage(HttpMethod.Get, $"/api/v1/arrests/{number}/history"), HttpStatusCode.OK);
        Assert.Equal(Reason, history["events"]![0]!["backdatingReason"]!.GetValue<string>());
        var entry = await LastEntryAsync(server, AuditEventType.ArrestBooked);
        Assert.Equal((Roles.RecordsAdmin, Reason), (entry["actor"]!["user"]!.GetValue<string>(), entry["details"]!["backdatingReason"]!.GetValue<string>()));
        Assert.Contains(number, entry["records"]!.AsArray().Select(r => r!.GetValue<string>()));
    }

    private static JsonObject Booking(DateTimeOffset bookedAt, string? reason)
    {
        var booking = SampleBookings.Valid(lastName: "Backdate");
        booking["bookedAt"] = bookedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        booking["incident"]!["occurredAt"] = bookedAt.AddHours(-1).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        if (reason is not null)
        {
            booking["backdatingReason"] = reason;
        }

        return booking;
    }

    private static async Task ExpectAsync(OpenParsTestServer server, string caller, JsonObject booking, HttpStatusCode status, string code)
    {
        using var client = server.Client(caller);
        using var response = await client.SendAsync(TestAgreementDocuments.PostJson("/api/v1/arrests", booking), Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(status == response.StatusCode && body.Contains(code, StringComparison.Ordinal), $"as {caller}: expected {(int)status} {code}, got {(int)response.StatusCode}: {body}");
    }
}
