using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace OpenPars.Testing.Web;

/// <summary>Agreement documents as a client sends them (raw JSON), modelled on docs/agreements/examples/ice-2026.json,
/// and partner requests with their headers.</summary>
public static class TestAgreementDocuments
{
    public const string Purpose = "criminal-investigation";
    public const string Reason = "Locating the suspect of a robbery series in district 24";
    public const string CaseNumber = "ICE-PHL-2026-0142";

    /// <summary>A valid document: search, read and watch (at most 50 active watches), SSN last-4, date of birth as the year, no address, no birthplace,
    /// adults only, booked within 365 days (no charge-grade narrowing, so a sample booking is in scope).</summary>
    public static JsonObject Document(string agreementId, string partner, DateTimeOffset effectiveAt, DateTimeOffset expiresAt, int version = 1) => new()
    {
        ["agreementId"] = agreementId,
        ["version"] = version,
        ["partnerAgency"] = partner,
        ["title"] = $"Arrest information for {partner} ({agreementId})",
        ["purposes"] = new JsonArray(Purpose, "warrant-service"),
        ["operations"] = new JsonArray("search", "read", "watch"),
        ["fields"] = new JsonObject
        {
            ["arrestNumber"] = "full",
            ["bookedAt"] = "full",
            ["district"] = "full",
            ["status"] = "full",
            ["person.lastName"] = "full",
            ["person.firstName"] = "full",
            ["person.dateOfBirth"] = "year",
            ["person.ssn"] = "last4",
            ["person.identifiers.sid"] = "full",
            ["charges"] = "full",
        },
        ["rowScope"] = new JsonObject { ["bookedWithinDays"] = 365, ["adultsOnly"] = true },
        ["allowedCriteria"] = new JsonArray("arrestNumber", "lastName", "firstName", "dateOfBirth", "sid", "fbiNumber"),
        ["quotas"] = new JsonObject { ["queriesPerUserPerDay"] = 1000, ["recordsPerAgencyPerDay"] = 10000, ["maxActiveWatches"] = 50 },
        ["reasonRequired"] = true,
        ["caseNumberRequired"] = true,
        ["blockedReasonTerms"] = new JsonArray("sweep", "foreign-born"),
        ["effectiveAt"] = Instant(effectiveAt),
        ["expiresAt"] = Instant(expiresAt),
        ["timeZone"] = "America/New_York",
        ["quorum"] = new JsonObject { ["consentsToEnter"] = 3, ["withdrawalsToEnd"] = 2 },
    };

    public static JsonObject With(this JsonObject document, Action<JsonObject> change)
    {
        change(document);
        return document;
    }

    public static string Instant(DateTimeOffset value) => value.ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture);

    /// <summary>A partner GET with the three headers (null leaves one out).</summary>
    public static HttpRequestMessage PartnerGet(string pathAndQuery, string? purpose = Purpose, string? reason = Reason, string? caseNumber = CaseNumber)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery);
        if (purpose is not null)
        {
            request.Headers.Add("OpenPars-Purpose", purpose);
        }

        if (reason is not null)
        {
            request.Headers.Add("OpenPars-Reason", reason);
        }

        if (caseNumber is not null)
        {
            request.Headers.Add("OpenPars-Case-Number", caseNumber);
        }

        return request;
    }

    public static HttpRequestMessage PostJson(string path, JsonNode body) =>
        new(HttpMethod.Post, path) { Content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, new MediaTypeHeaderValue("application/json")) };
}
