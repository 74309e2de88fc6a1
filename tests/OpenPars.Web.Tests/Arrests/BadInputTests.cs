using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenPars.Core.Agencies;
using OpenPars.Testing;
using OpenPars.Testing.Web;
using OpenPars.App.Hosting;
using OpenPars.Web.Hosting;

namespace OpenPars.Web.Tests.Arrests;

/// <summary>
/// Bad input gets an RFC 9457 answer naming the field and the rule, and changes nothing. Each row: the request,
/// the status, the stable code, the field and rule when it is a field error — and every table's row count
/// is the same after as before.
/// </summary>
public sealed class BadInputTests(WebServerFixture fixture) : IClassFixture<WebServerFixture>
{
    /// <param name="Audited">False for the public endpoints, which record nothing (Security/EndpointPromises: Recorded.Nothing), not even a refusal.</param>
    public sealed record BadInput(string Name, string Caller, Func<WebServer, Task<HttpRequestMessage>> Request, int Status, string Code, string? Field = null, string? Rule = null, bool Audited = true);

    /// <summary>Personal values of the sample booking and of the rows' requests: no error body may carry one.</summary>
    private static readonly string[] Sensitive = ["Okafor", "Chidi", "1991-05-17", "219-09-9999", "Ann Victim"];

    private static readonly string Booking = Roles.BookingOfficer;
    private static readonly string Attorney = Roles.ChargingAttorney;
    private static readonly string Magistrate = Roles.Magistrate;
    private static readonly string Admin = Roles.RecordsAdmin;
    private static readonly string Representative = Roles.StakeholderRepresentative;
    private static readonly string Partner = Roles.PartnerAnalyst;
    private static readonly string Privacy = Roles.PrivacyOfficer;

    public static readonly IReadOnlyList<BadInput> Cases =
    [
        // Request shape
        new("malformed JSON", Booking, _ => Raw("/api/v1/arrests", "{\"district\": ", "application/json"), 400, "PARS-REQ-001"),
        new("JSON array instead of object", Booking, _ => Raw("/api/v1/arrests", "[1,2,3]", "application/json"), 400, "PARS-REQ-001"),
        new("empty body", Booking, _ => Raw("/api/v1/arrests", "", "application/json"), 400, "PARS-REQ-001"),
        new("unknown top-level member", Booking, _ => Book(b => b["priority"] = "high"), 400, "PARS-REQ-002", "priority", "unknown-member"),
        new("no immigration-status field exists to be sent", Booking, _ => Book(b => b["person"]!["immigrationStatus"] = "unknown"), 400, "PARS-REQ-002", "person.immigrationStatus", "unknown-member"),
        new("text/plain body", Booking, _ => Raw("/api/v1/arrests", SampleBookings.Valid().ToJsonString(), "text/plain"), 415, "PARS-REQ-003"),
        new("no content type", Booking, _ => Raw("/api/v1/arrests", SampleBookings.Valid().ToJsonString(), null), 415, "PARS-REQ-003"),
        new("body over 1 MiB", Booking, _ => Book(b => b["incident"]!["narrative"] = new string('x', 1_100_000)), 413, "PARS-REQ-004"),
        new("counts as a string", Booking, _ => Book(b => b["charges"]![0]!["counts"] = "one"), 400, "PARS-REQ-001", "charges[0].counts", "json"),
        new("unknown enum value", Booking, _ => Book(b => b["person"]!["sex"] = "robot"), 400, "PARS-REQ-001", "person.sex", "json"),
        new("enum as a number", Booking, _ => Book(b => b["person"]!["sex"] = 1), 400, "PARS-REQ-001", "person.sex", "json"),
        new("date of birth not a date", Booking, _ => Book(b => b["person"]!["dateOfBirth"] = "17/05/1991"), 400, "PARS-REQ-001", "person.dateOfBirth", "json"),
        new("aliases null", Booking, _ => Book(b => b["person"]!["aliases"] = null), 400, "PARS-REQ-006", "person.aliases", "not-null"),
        new("aliases [null]", Booking, _ => Book(b => b["person"]!["aliases"] = new JsonArray((JsonNode?)null)), 400, "PARS-REQ-006", "person.aliases[0]", "not-null"),
        new("identifiers null", Booking, _ => Book(b => b["person"]!["identifiers"] = null), 400, "PARS-REQ-006", "person.identifiers", "not-null"),

        // Booking rules
        new("unknown district", Booking, _ => Book(b => b["district"] = "99"), 400, "PARS-REQ-006", "district", "unknown-district"),
        new("unknown statute", Booking, _ => Book(b => b["charges"]![0]!["citation"] = "18 § 9999(z)"), 400, "PARS-REQ-006", "charges[0].citation", "unknown-statute"),
        new("no charges", Booking, _ => Book(b => b["charges"] = new JsonArray()), 400, "PARS-REQ-006", "charges", "at-least-one-charge"),
        new("zero counts", Booking, _ => Book(b => b["charges"]![0]!["counts"] = 0), 400, "PARS-REQ-006", "charges[0].counts", "counts-range"),
        new("date of birth in the future", Booking, _ => Book(b => b["person"]!["dateOfBirth"] = "2027-01-01"), 400, "PARS-REQ-006", "person.dateOfBirth", "not-in-future"),
        new("date of birth over 120 years back", Booking, _ => Book(b => b["person"]!["dateOfBirth"] = "1900-01-01"), 400, "PARS-REQ-006", "person.dateOfBirth", "max-age"),
        new("SSN in Arabic-Indic digits", Booking, _ => Book(b => b["person"]!["ssn"] = "٢١٩-٠٩-٩٩٩٩"), 400, "PARS-REQ-006", "person.ssn", "ascii-only"),
        new("booking officer backdating past the window", Booking, _ => Book(b => { b["bookedAt"] = "2026-11-01T13:30:00Z"; b["incident"]!["occurredAt"] = "2026-11-01T12:10:00Z"; b["backdatingReason"] = "Paper booking keyed late after the outage"; }), 400, "PARS-REQ-006", "backdatingReason", "backdating-records-admin-only"),
        new("SSN without dashes", Booking, _ => Book(b => b["person"]!["ssn"] = "219099999"), 400, "PARS-REQ-006", "person.ssn", "ssn-format"),
        new("SSN area 666", Booking, _ => Book(b => b["person"]!["ssn"] = "666-09-9999"), 400, "PARS-REQ-006", "person.ssn", "ssn-area"),
        new("SSN area 000", Booking, _ => Book(b => b["person"]!["ssn"] = "000-09-9999"), 400, "PARS-REQ-006", "person.ssn", "ssn-area"),
        new("SSN area 9xx", Booking, _ => Book(b => b["person"]!["ssn"] = "912-09-9999"), 400, "PARS-REQ-006", "person.ssn", "ssn-area"),
        new("SSN group 00", Booking, _ => Book(b => b["person"]!["ssn"] = "219-00-9999"), 400, "PARS-REQ-006", "person.ssn", "ssn-group-serial"),
        new("booked 10 minutes in the future", Booking, _ => Book(b => b["bookedAt"] = "2026-11-23T14:10:00Z"), 400, "PARS-REQ-006", "bookedAt", "not-in-future"),
        new("offense after booking", Booking, _ => Book(b => b["incident"]!["occurredAt"] = "2026-11-23T13:45:00Z"), 400, "PARS-REQ-006", "incident.occurredAt", "not-after-booking"),
        new("missing last name", Booking, _ => Book(b => b["person"]!.AsObject().Remove("lastName")), 400, "PARS-REQ-006", "person.lastName", "required"),
        new("control character in a name", Booking, _ => Book(b => b["person"]!["firstName"] = "Chi\u0007di"), 400, "PARS-REQ-006", "person.firstName", "no-control-characters"),
        new("name over 100 characters", Booking, _ => Book(b => b["person"]!["lastName"] = new string('a', 101)), 400, "PARS-REQ-006", "person.lastName", "max-length"),
        new("victim without a role", Booking, _ => Book(b => b["involvedParties"]![0]!.AsObject().Remove("role")), 400, "PARS-REQ-006", "involvedParties[0].role", "required"),
        new("badge number with spaces", Booking, _ => Book(b => b["arrestingOfficer"]!["badgeNumber"] = "45 21"), 400, "PARS-REQ-006", "arrestingOfficer.badgeNumber", "badge-format"),
        new("Idempotency-Key over 200 characters", Booking, _ => Book(_ => { }, new string('k', 201)), 400, "PARS-REQ-006", "Idempotency-Key", "idempotency-key-length"),
        new("Idempotency-Key reused for another booking", Booking, async f =>
        {
            var key = Guid.NewGuid().ToString();
            using var first = await f.Server.Client(Booking).SendAsync(await Book(_ => { }, key));
            Assert.Equal(201, (int)first.StatusCode);
            return await Book(b => b["district"] = "25", key);
        }, 422, "PARS-REQ-007"),

        // Corrections
        new("correction without If-Match", Booking, async f => Post($"/api/v1/arrests/{await f.BookAsync()}/corrections", new JsonObject { ["reason"] = "Wrong district", ["district"] = "25" }), 428, "PARS-REQ-005"),
        new("correction with a stale If-Match", Booking, async f => Post($"/api/v1/arrests/{await f.BookAsync()}/corrections", new JsonObject { ["reason"] = "Wrong district", ["district"] = "25" }, "\"7\""), 412, "PARS-ARR-002"),
        new("correction with If-Match: *", Booking, async f => Post($"/api/v1/arrests/{await f.BookAsync()}/corrections", new JsonObject { ["reason"] = "Wrong district", ["district"] = "25" }, "*"), 428, "PARS-REQ-005"),
        new("correction with an empty ETag", Booking, async f => Post($"/api/v1/arrests/{await f.BookAsync()}/corrections", new JsonObject { ["reason"] = "Wrong district", ["district"] = "25" }, "\"\""), 412, "PARS-ARR-002"),
        new("correction setting aliases to [null]", Booking, async f => Post($"/api/v1/arrests/{await f.BookAsync()}/corrections",
            new JsonObject { ["reason"] = "Add an alias", ["person"] = With(SampleBookings.Valid()["person"]!.DeepClone().AsObject(), p => p["aliases"] = new JsonArray((JsonNode?)null)) }, "\"1\""), 400, "PARS-REQ-006", "person.aliases[0]", "not-null"),
        new("correction without a reason", Booking, async f => Post($"/api/v1/arrests/{await f.BookAsync()}/corrections", new JsonObject { ["district"] = "25" }, "\"1\""), 400, "PARS-REQ-006", "reason", "required"),
        new("correction that corrects nothing", Booking, async f => Post($"/api/v1/arrests/{await f.BookAsync()}/corrections", new JsonObject { ["reason"] = "Nothing at all" }, "\"1\""), 400, "PARS-REQ-006", "", "nothing-to-correct"),
        new("charges corrected after charging", Booking, async f => Post($"/api/v1/arrests/{await f.BookAndChargeAsync()}/corrections",
            new JsonObject { ["reason"] = "Add a count", ["charges"] = new JsonArray(new JsonObject { ["citation"] = "18 § 2701(a)(1)", ["counts"] = 2 }) }, "\"2\""), 400, "PARS-REQ-006", "charges", "charges-after-charging"),

        // Charging
        new("decision without an outcome", Attorney, async f => Post($"/api/v1/arrests/{await f.BookAsync()}/charging-decision", new JsonObject()), 400, "PARS-REQ-006", "outcome", "required"),
        new("modify without charges", Attorney, async f => Post($"/api/v1/arrests/{await f.BookAsync()}/charging-decision", new JsonObject { ["outcome"] = "modify" }), 400, "PARS-REQ-006", "charges", "at-least-one-charge"),
        new("decline without a reason", Attorney, async f => Post($"/api/v1/arrests/{await f.BookAsync()}/charging-decision", new JsonObject { ["outcome"] = "decline" }), 400, "PARS-REQ-006", "reason", "required"),
        new("approve with charges", Attorney, async f => Post($"/api/v1/arrests/{await f.BookAsync()}/charging-decision",
            new JsonObject { ["outcome"] = "approve", ["charges"] = new JsonArray(new JsonObject { ["citation"] = "18 § 2701(a)(1)" }) }), 400, "PARS-REQ-006", "charges", "charges-only-with-modify"),
        new("decision on an unknown arrest", Attorney, _ => Task.FromResult(Post("/api/v1/arrests/26-9999999/charging-decision", new JsonObject { ["outcome"] = "approve" })), 404, "PARS-ARR-001"),
        new("second decision on a charged arrest", Attorney, async f => Post($"/api/v1/arrests/{await f.BookAndChargeAsync()}/charging-decision", new JsonObject { ["outcome"] = "approve" }), 409, "PARS-ARR-003"),
        new("decision after a decline", Attorney, async f =>
        {
            var number = await f.BookAsync();
            using var declined = await f.Server.Client(Attorney).SendAsync(Post($"/api/v1/arrests/{number}/charging-decision", new JsonObject { ["outcome"] = "decline", ["reason"] = "Insufficient evidence" }));
            Assert.Equal(200, (int)declined.StatusCode);
            return Post($"/api/v1/arrests/{number}/charging-decision", new JsonObject { ["outcome"] = "approve" });
        }, 409, "PARS-ARR-005"),

        // Arraignment
        new("arraignment before charging", Magistrate, async f => Post($"/api/v1/arrests/{await f.BookAsync()}/arraignment", SampleBookings.ValidArraignment()), 409, "PARS-ARR-003"),
        new("monetary bail without an amount", Magistrate, async f => Post($"/api/v1/arrests/{await f.BookAndChargeAsync()}/arraignment", With(SampleBookings.ValidArraignment(), a => a.Remove("bailAmount"))), 400, "PARS-REQ-006", "bailAmount", "required-for-bail-type"),
        new("ROR with an amount", Magistrate, async f => Post($"/api/v1/arrests/{await f.BookAndChargeAsync()}/arraignment", With(SampleBookings.ValidArraignment(), a => a["bailType"] = "ror")), 400, "PARS-REQ-006", "bailAmount", "not-allowed-for-bail-type"),
        new("bail amount in fractions of a cent", Magistrate, async f => Post($"/api/v1/arrests/{await f.BookAndChargeAsync()}/arraignment", With(SampleBookings.ValidArraignment(), a => a["bailAmount"] = 10.005m)), 400, "PARS-REQ-006", "bailAmount", "amount-range"),
        new("malformed docket number", Magistrate, async f => Post($"/api/v1/arrests/{await f.BookAndChargeAsync()}/arraignment", With(SampleBookings.ValidArraignment(), a => a["docketNumber"] = "CP-51-123")), 400, "PARS-REQ-006", "docketNumber", "docket-format"),
        new("bail denied but released", Magistrate, async f => Post($"/api/v1/arrests/{await f.BookAndChargeAsync()}/arraignment",
            With(SampleBookings.ValidArraignment(), a => { a["bailType"] = "denied"; a.Remove("bailAmount"); a["custody"] = "released"; })), 400, "PARS-REQ-006", "custody", "denied-means-held"),
        new("arraignment conditions null", Magistrate, async f => Post($"/api/v1/arrests/{await f.BookAndChargeAsync()}/arraignment", With(SampleBookings.ValidArraignment(), a => a["conditions"] = null)), 400, "PARS-REQ-006", "conditions", "not-null"),
        new("arraignment conditions [null]", Magistrate, async f => Post($"/api/v1/arrests/{await f.BookAndChargeAsync()}/arraignment", With(SampleBookings.ValidArraignment(), a => a["conditions"] = new JsonArray((JsonNode?)null))), 400, "PARS-REQ-006", "conditions[0]", "required"),
        new("next hearing before the arraignment", Magistrate, async f => Post($"/api/v1/arrests/{await f.BookAndChargeAsync()}/arraignment", With(SampleBookings.ValidArraignment(), a => a["nextHearingDate"] = "2026-11-01")), 400, "PARS-REQ-006", "nextHearingDate", "not-in-past"),

        // Queries
        new("search limit over 200", Booking, _ => Get("/api/v1/arrests?limit=500"), 400, "PARS-REQ-006", "limit", "limit-range"),
        new("search with a forged cursor", Booking, _ => Get("/api/v1/arrests?cursor=not-a-cursor!"), 400, "PARS-REQ-006", "cursor", "cursor-format"),
        new("search with a malformed dateOfBirth", Booking, _ => Get("/api/v1/arrests?dateOfBirth=1991-13-45"), 400, "PARS-REQ-006", "dateOfBirth", "date-format"),
        new("search with the retired name dob", Booking, _ => Get("/api/v1/arrests?dob=1991-01-01"), 400, "PARS-REQ-006", "dob", "renamed-parameter"),
        new("search with the retired name from", Booking, _ => Get("/api/v1/arrests?from=2026-01-01T00:00:00Z"), 400, "PARS-REQ-006", "from", "renamed-parameter"),
        new("arraignment list for 9999-12-31", Magistrate, _ => Get("/api/v1/arraignment/list?date=9999-12-31"), 400, "PARS-REQ-006", "date", "date-range"),
        new("search by an unknown status", Booking, _ => Get("/api/v1/arrests?status=paroled"), 400, "PARS-REQ-006", "status", "unknown-status"),
        new("search by an unknown statute", Booking, _ => Get("/api/v1/arrests?statute=18%20%C2%A7%209999"), 400, "PARS-REQ-006", "statute", "unknown-statute"),
        new("unknown arrest", Booking, _ => Get("/api/v1/arrests/26-9999999"), 404, "PARS-ARR-001"),
        new("arraignment list for a non-date", Magistrate, _ => Get("/api/v1/arraignment/list?date=tomorrow"), 400, "PARS-REQ-006", "date", "date-format"),

        // Administration
        new("agency of an unknown kind", Admin, _ => Task.FromResult(Post("/api/v1/agencies", new JsonObject { ["code"] = "XYZ", ["name"] = "X", ["kind"] = "militia" })), 400, "PARS-REQ-006", "kind", "agency-kind"),
        new("agency code taken", Admin, _ => Task.FromResult(Post("/api/v1/agencies", new JsonObject { ["code"] = "ICE", ["name"] = "Again", ["kind"] = "partner" })), 409, "PARS-ADM-002"),
        new("user with an unknown role", Admin, _ => Task.FromResult(Post("/api/v1/users", new JsonObject { ["agency"] = "PPD", ["name"] = "x1", ["roles"] = new JsonArray("sheriff") })), 400, "PARS-REQ-006", "roles", "unknown-role"),
        new("partner role at the police", Admin, _ => Task.FromResult(Post("/api/v1/users", new JsonObject { ["agency"] = "PPD", ["name"] = "x2", ["roles"] = new JsonArray("partner-analyst") })), 400, "PARS-REQ-006", "roles", "role-not-for-agency-kind"),
        new("token for 1000 days", Booking, f => Task.FromResult(Post($"/api/v1/users/{f.Server.UserIds[Booking]}/tokens", new JsonObject { ["expiresInDays"] = 1000 })), 400, "PARS-REQ-006", "expiresInDays", "token-lifetime"),
        new("token for 2147483647 days", Booking, f => Task.FromResult(Post($"/api/v1/users/{f.Server.UserIds[Booking]}/tokens", new JsonObject { ["expiresInDays"] = int.MaxValue })), 400, "PARS-REQ-006", "expiresInDays", "token-lifetime"),
        new("partner agency of a kind the charter does not name", Admin, _ => Task.FromResult(Post("/api/v1/agencies", new JsonObject { ["code"] = "TRX", ["name"] = "Tours", ["kind"] = "partner", ["partnerKind"] = "tourism" })), 400, "PARS-REQ-006", "partnerKind", "charter-partner-kind"),
        new("service account with a desk role", Admin, _ => Task.FromResult(Post("/api/v1/service-accounts", new JsonObject { ["name"] = "ppd.bot", ["roles"] = new JsonArray("booking-officer") })), 400, "PARS-ADM-010", "roles", "service-account-role"),
        new("revoke an unknown token", Admin, _ => Task.FromResult(new HttpRequestMessage(HttpMethod.Delete, "/api/v1/tokens/999999")), 404, "PARS-ADM-004"),

        // Agreements
        new("malformed agreement document", Representative, _ => Raw("/api/v1/agreements", "{\"agreementId\": ", "application/json"), 400, "PARS-REQ-001"),
        new("agreement document with an unknown member", Representative, _ => Agreement(d => d["sharesEverything"] = true), 400, "PARS-REQ-001"),
        new("agreement document as text/plain", Representative, _ => Raw("/api/v1/agreements", NewAgreement().ToJsonString(), "text/plain"), 415, "PARS-REQ-003"),
        new("agreement granting victims and witnesses", Representative, _ => Agreement(d => d["fields"]!["involvedParties"] = "full"), 400, "PARS-AGR-050", "fields.involvedParties", "never-grantable"),
        new("agreement granting the birthplace", Representative, _ => Agreement(d => d["fields"]!["person.placeOfBirth"] = "full"), 400, "PARS-AGR-050", "fields.person.placeOfBirth", "never-grantable"),
        new("agreement allowing a prohibited criterion", Representative, _ => Agreement(d => d["allowedCriteria"]!.AsArray().Add("countryOfBirth")), 400, "PARS-AGR-051", "allowedCriteria[6]", "prohibited-criterion"),
        new("agreement expiring before it takes effect", Representative, _ => Agreement(d => d["expiresAt"] = "2026-01-01T00:00:00-05:00"), 400, "PARS-AGR-052", "expiresAt", "expires-after-effective"),
        new("agreement with an unknown mask", Representative, _ => Agreement(d => d["fields"]!["person.ssn"] = "year"), 400, "PARS-AGR-053", "fields.person.ssn", "mask-not-allowed"),
        new("agreement for a stakeholder, not a partner", Representative, _ => Agreement(d => d["partnerAgency"] = "PPD"), 400, "PARS-REQ-006", "partnerAgency", "unknown-partner-agency"),
        new("vote of an unknown kind", Representative, _ => Task.FromResult(Post("/api/v1/agreements/agr-none/votes", new JsonObject { ["vote"] = "abstain", ["statement"] = "No." })), 400, "PARS-REQ-006", "vote", "vote-kind"),
        new("vote on an unknown agreement", Representative, _ => Task.FromResult(Post("/api/v1/agreements/agr-none/votes", new JsonObject { ["vote"] = "consent", ["statement"] = "Yes." })), 404, "PARS-AGR-067"),
        new("vote without a statement", Representative, async f => Post($"/api/v1/agreements/{await f.AgreementAsync(ArrangedState.Proposed)}/votes", new JsonObject { ["vote"] = "consent" }), 400, "PARS-REQ-006", "statement", "required"),
        new("notice of an agreement in force", Representative, async f => await Get($"/api/v1/agreements/{await f.AgreementAsync(ArrangedState.Active)}/notice"), 409, "PARS-AGR-066"),
        // The charter
        new("charter amendment without a charter", Representative, _ => Task.FromResult(Post("/api/v1/charter/amendments", new JsonObject { ["statement"] = "A new charter." })), 400, "PARS-REQ-006", "charter", "required"),
        new("charter amendment that is no charter", Representative, _ => Task.FromResult(Post("/api/v1/charter/amendments", new JsonObject { ["statement"] = "A new charter.", ["charter"] = new JsonObject { ["charterId"] = 5 } })), 400, "PARS-CHR-020"),
        new("charter vote to withdraw", Representative, _ => Task.FromResult(Post("/api/v1/charter/amendments/2/votes", new JsonObject { ["vote"] = "withdraw", ["statement"] = "Out." })), 400, "PARS-CHR-036", "vote", "vote-kind"),
        new("charter vote with no amendment open", Representative, _ => Task.FromResult(Post("/api/v1/charter/amendments/99/votes", new JsonObject { ["vote"] = "consent", ["statement"] = "Yes." })), 409, "PARS-CHR-032"),
        // Found by the HTTP fuzzer (Reliability/HttpFuzzTests), each a 500, a 503 or an echo before it was fixed
        new("transparency for the month 9999-12 (its next month overflowed: 500)", TestCallers.Anonymous, _ => Get("/api/v1/transparency?month=9999-12"), 400, "PARS-REQ-006", "month", "month-range", Audited: false),
        new("transparency CSV for the month 0001-01", TestCallers.Anonymous, _ => Get("/api/v1/transparency.csv?month=0001-01"), 400, "PARS-REQ-006", "month", "month-range", Audited: false),
        new("arrest number that is a timestamp (its audit index row overflowed on PostgreSQL: 503)", Booking, _ => Get("/api/v1/arrests/2026-11-23T14:00:00Z"), 404, "PARS-ARR-001"),
        new("arrest number of twenty digits on a correction", Booking, _ => Task.FromResult(Post("/api/v1/arrests/26-00000000000000000001/corrections", new JsonObject { ["reason"] = "Wrong district", ["district"] = "25" }, "\"1\"")), 404, "PARS-ARR-001"),
        new("arrest stream for a number with an SQL comment", Booking, _ => Get("/api/v1/arrests/'%3B%20DROP%20TABLE%20arrests%3B--/history"), 404, "PARS-ARR-001"),
        new("arrest number that is the person's birth date is not echoed", Magistrate, _ => Get("/api/v1/arrests/1991-05-17"), 404, "PARS-ARR-001"),
        new("agreement path segment that is a name is not echoed", Representative, _ => Get("/api/v1/agreements/Okafor"), 404, "PARS-AGR-067"),
        new("unknown role that is a person's name is not echoed", Admin, _ => Task.FromResult(Post("/api/v1/users", new JsonObject { ["agency"] = "PPD", ["name"] = "x3", ["roles"] = new JsonArray("Okafor") })), 400, "PARS-REQ-006", "roles", "unknown-role"),
        new("partner read of a 40-character arrest number", Partner, async f =>
        {
            await f.EnsureIceAgreementAsync();
            return TestAgreementDocuments.PartnerGet("/api/v1/partner/arrests/" + new string('7', 40));
        }, 404, "PARS-ARR-001"),
        new("partner search with a malformed date of birth", Partner, async f =>
        {
            await f.EnsureIceAgreementAsync();
            return TestAgreementDocuments.PartnerGet("/api/v1/partner/arrests?lastName=Okafor&dateOfBirth=1991-13-45");
        }, 400, "PARS-REQ-006", "dateOfBirth", "date-format"),
        // A NUL or another control character in a query value: PostgreSQL's text type refuses NUL (a 500 before), and no
        // search, filter or audit index ever needs one. Refused before any use case, naming the parameter.
        new("search by a last name holding a NUL (500 on PostgreSQL)", Booking, _ => Get("/api/v1/arrests?lastName=Oka%00for"), 400, "PARS-REQ-006", "lastName", "no-control-characters"),
        new("audit entries by an actor that is a NUL (500 on PostgreSQL)", Privacy, _ => Get("/api/v1/audit/entries?actor=%00"), 400, "PARS-REQ-006", "actor", "no-control-characters"),
        new("search by a district holding a bell character", Booking, _ => Get("/api/v1/arrests?district=2%07"), 400, "PARS-REQ-006", "district", "no-control-characters"),
        new("an unknown query parameter whose name holds a NUL", Booking, _ => Get("/api/v1/arrests?last%00Name=Okafor"), 400, "PARS-REQ-006", "last\u0000Name", "no-control-characters"),
        new("partner search by a last name holding a NUL", Partner, async f =>
        {
            await f.EnsureIceAgreementAsync();
            return TestAgreementDocuments.PartnerGet("/api/v1/partner/arrests?lastName=Oka%00for&dateOfBirth=1991-05-17");
        }, 400, "PARS-REQ-006", "lastName", "no-control-characters"),
        new("decline with a reason holding a NUL", Attorney, async f => Post($"/api/v1/arrests/{await f.BookAsync()}/charging-decision", new JsonObject { ["outcome"] = "decline", ["reason"] = "Insufficient\u0000evidence" }), 400, "PARS-REQ-006", "reason", "no-control-characters"),
        new("booking narrative holding a NUL", Booking, _ => Book(b => b["incident"]!["narrative"] = "Stopped at\u0000Broad and Erie"), 400, "PARS-REQ-006", "incident.narrative", "no-control-characters"),
        new("vote statement holding a NUL", Representative, async f => Post($"/api/v1/agreements/{await f.AgreementAsync(ArrangedState.Proposed)}/votes", new JsonObject { ["vote"] = "consent", ["statement"] = "Yes\u0000." }), 400, "PARS-REQ-006", "statement", "no-control-characters"),
    ];

    private static JsonObject NewAgreement() =>
        TestAgreementDocuments.Document("agr-" + Guid.NewGuid().ToString("N")[..10], "ICE", new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2027, 11, 1, 0, 0, 0, TimeSpan.Zero));

    private static Task<HttpRequestMessage> Agreement(Action<JsonObject> change) => Task.FromResult(Post("/api/v1/agreements", NewAgreement().With(change)));

    public static TheoryData<StorageProvider, string> Names() => Providers.Each(Cases.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Bad_input_is_refused_with_a_named_rule_and_changes_nothing(StorageProvider provider, string name)
    {
        var ct = TestContext.Current.CancellationToken;
        var web = await fixture.ForAsync(provider);
        var bad = Cases.Single(c => c.Name == name);
        using var request = await bad.Request(web);
        var before = await web.Server.CountRowsAsync();
        var auditBefore = await web.Server.AuditSizeAsync();

        using var client = web.Server.Client(bad.Caller == TestCallers.Anonymous ? null : bad.Caller);
        using var response = await client.SendAsync(request, ct);
        var body = await response.Content.ReadAsStringAsync(ct);

        Assert.True(bad.Status == (int)response.StatusCode, $"{name}: expected {bad.Status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(body)!.AsObject();
        Assert.Equal(bad.Code, problem["code"]?.GetValue<string>());
        Assert.Equal(bad.Status, problem["status"]?.GetValue<int>());
        Assert.Equal(Core.Common.ErrorCatalogue.Describe(bad.Code).Title, problem["title"]?.GetValue<string>());
        if (bad.Field is not null)
        {
            var rules = problem["errors"]?[bad.Field]?.AsArray().Select(e => e!["rule"]!.GetValue<string>()).ToList();
            Assert.True(rules is not null && rules.Contains(bad.Rule!), $"{name}: errors[{bad.Field}] should name rule {bad.Rule}: {body}");
        }

        Assert.Equal(before, await web.Server.CountRowsAsync());
        var echoed = Sensitive.FirstOrDefault(v => body.Contains(v, StringComparison.OrdinalIgnoreCase));
        Assert.True(echoed is null, $"{name}: the error echoes {echoed}: {body}");

        // The refusal itself is on the record: one entry, refused, with the same stable code (none for a public endpoint).
        var audit = await web.Server.AuditEntriesSinceAsync(auditBefore);
        if (!bad.Audited)
        {
            Assert.Empty(audit);
            return;
        }

        Assert.True(audit.Count == 1, $"{name}: expected one audit entry, found {audit.Count}");
        Assert.Equal("refused", audit[0]["outcome"]!.GetValue<string>());
        Assert.Equal(bad.Code, audit[0]["code"]!.GetValue<string>());
        Assert.Equal(bad.Caller, audit[0]["actor"]!["user"]!.GetValue<string>());
    }

    [Fact]
    public void The_table_has_at_least_thirty_rows() => Assert.True(Cases.Count >= 30);

    private static Task<HttpRequestMessage> Book(Action<JsonObject> change, string? idempotencyKey = null)
    {
        var body = SampleBookings.Valid();
        change(body);
        var request = Post("/api/v1/arrests", body);
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return Task.FromResult(request);
    }

    private static HttpRequestMessage Post(string path, JsonObject body, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        if (ifMatch is not null)
        {
            // Raw, so a row can send what a client library would refuse to build (e.g. `*`).
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return request;
    }

    private static Task<HttpRequestMessage> Raw(string path, string body, string? contentType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        if (contentType is not null)
        {
            content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        }

        return Task.FromResult(new HttpRequestMessage(HttpMethod.Post, path) { Content = content });
    }

    private static Task<HttpRequestMessage> Get(string path) => Task.FromResult(new HttpRequestMessage(HttpMethod.Get, path));

    private static JsonObject With(JsonObject body, Action<JsonObject> change)
    {
        change(body);
        return body;
    }
}
