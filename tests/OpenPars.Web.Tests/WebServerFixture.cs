using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenPars.Core.Agencies;
using OpenPars.Storage.Audit;
using OpenPars.Testing.Web;
using OpenPars.App.Hosting;
using OpenPars.Web.Hosting;

namespace OpenPars.Web.Tests;

/// <summary>The web tests' class fixture: one real server per storage provider, shared by the tests of a class
/// (see <see cref="ProviderServers"/>), each with the steps the web tests take on it.
/// <c>var web = await fixture.ForAsync(provider);</c></summary>
public sealed class WebServerFixture : ProviderServers<WebServer>
{
    protected override WebServer Attach(OpenParsTestServer server) => new(server);
}

/// <summary>One provider's server and the arrange steps the web tests take on it over HTTP.</summary>
public sealed class WebServer(OpenParsTestServer server)
{
    private readonly SemaphoreSlim _iceLock = new(1, 1);
    private string? _iceAgreement;

    public OpenParsTestServer Server { get; } = server;

    public StorageProvider Provider => Server.Storage.Provider;

    /// <summary>Books a valid arrest as the booking officer and returns its number.</summary>
    public async Task<string> BookAsync(JsonObject? booking = null)
    {
        using var client = Server.Client(Roles.BookingOfficer);
        using var response = await client.PostJsonAsync("/api/v1/arrests", booking ?? SampleBookings.Valid());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.ReadAsync<JsonObject>())["arrestNumber"]!.GetValue<string>();
    }

    public async Task<long> NewTokenIdAsync()
    {
        // A token is obtained by its owner: the booking officer makes one for themselves.
        using var client = Server.Client(Roles.BookingOfficer);
        using var response = await client.PostJsonAsync($"/api/v1/users/{Server.UserIds[Roles.BookingOfficer]}/tokens", new JsonObject());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.ReadAsync<JsonObject>())["id"]!.GetValue<long>();
    }

    /// <summary>A fresh enrolment secret for the booking officer, issued by the police's records admin.</summary>
    public async Task<string> NewEnrolmentSecretAsync()
    {
        using var client = Server.Client(Roles.RecordsAdmin);
        using var response = await client.PostAsync(new Uri($"/api/v1/users/{Server.UserIds[Roles.BookingOfficer]}/enrolments", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.ReadAsync<JsonObject>())["enrolmentSecret"]!.GetValue<string>();
    }

    /// <summary>Signs a checkpoint of the log as it stands (what the 10-second timer does) and returns its size.</summary>
    public async Task<long> CheckpointNowAsync()
    {
        await using var db = Server.NewContext();
        await Server.Services.GetRequiredService<AuditLog>().CheckpointIfBehindAsync(db);
        return await db.AuditCheckpoints.MaxAsync(c => c.TreeSize);
    }

    /// <summary>The partner ICE's active agreement (made once per fixture): the partner analyst's endpoints answer under it.</summary>
    public async Task<string> EnsureIceAgreementAsync()
    {
        await _iceLock.WaitAsync();
        try
        {
            return _iceAgreement ??= await AgreementArrange.AgreementAsync(Server, "ICE", ArrangedState.Active);
        }
        finally
        {
            _iceLock.Release();
        }
    }

    /// <summary>An agreement in the given state for a new partner agency of its own.</summary>
    public async Task<string> AgreementAsync(ArrangedState state) =>
        await AgreementArrange.AgreementAsync(Server, await AgreementArrange.NewPartnerAsync(Server), state);

    /// <summary>A new service account of PPD (added by PPD's records admin over HTTP); returns its user id.</summary>
    public async Task<long> PoliceServiceAccountAsync()
    {
        using var client = Server.Client(Roles.RecordsAdmin);
        using var response = await client.PostJsonAsync("/api/v1/service-accounts", new JsonObject { ["name"] = "feed-" + Guid.NewGuid().ToString("N")[..8] });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!.GetValue<long>();
    }

    public async Task<string> BookAndChargeAsync()
    {
        var number = await BookAsync();
        using var client = Server.Client(Roles.ChargingAttorney);
        using var response = await client.PostJsonAsync($"/api/v1/arrests/{number}/charging-decision", new JsonObject { ["outcome"] = "approve" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return number;
    }
}

/// <summary>Bookings as a client would send them: raw JSON, so tests exercise the wire format itself.</summary>
public static class SampleBookings
{
    public static JsonObject Valid(string lastName = "Okafor", string firstName = "Chidi") => new()
    {
        ["district"] = "24",
        ["bookedAt"] = "2026-11-23T13:30:00Z",
        ["arrestingOfficer"] = new JsonObject { ["badgeNumber"] = "4521", ["name"] = "Officer Dana Ruiz" },
        ["incident"] = new JsonObject { ["offenseLocation"] = "3000 Kensington Ave", ["occurredAt"] = "2026-11-23T12:10:00Z" },
        ["person"] = new JsonObject
        {
            ["lastName"] = lastName,
            ["firstName"] = firstName,
            ["dateOfBirth"] = "1991-05-17",
            ["sex"] = "male",
            ["race"] = "black",
            ["ethnicity"] = "non-hispanic",
            ["ssn"] = "219-09-9999",
            ["placeOfBirth"] = new JsonObject { ["city"] = "Lagos", ["country"] = "Nigeria" },
            ["address"] = new JsonObject { ["street"] = "1412 N 5th St", ["city"] = "Philadelphia", ["state"] = "PA", ["postalCode"] = "19122" },
            ["identifiers"] = new JsonObject { ["pid"] = "1078844", ["sid"] = "28519463" },
        },
        ["charges"] = new JsonArray(new JsonObject { ["citation"] = "18 § 2701(a)(1)", ["counts"] = 1 }),
        ["involvedParties"] = new JsonArray(new JsonObject { ["role"] = "victim", ["name"] = "Ann Victim", ["contact"] = "215-555-0100" }),
    };

    public static JsonObject ValidArraignment() => new()
    {
        ["magistrate"] = "Francis X. Bernard",
        ["bailType"] = "monetary",
        ["bailAmount"] = 2500,
        ["conditions"] = new JsonArray("Stay away from the complainant"),
        ["docketNumber"] = "MC-51-CR-0012345-2026",
        ["nextHearingDate"] = "2026-12-07",
        ["nextHearingCourtroom"] = "1001",
        ["custody"] = "held",
    };
}
