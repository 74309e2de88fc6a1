using OpenPars.Core.Agencies;
using OpenPars.Testing.Web;

namespace OpenPars.Web.Tests.Security;

/// <summary>What the audit log must hold after a request to an endpoint, beyond "every refusal is one entry".</summary>
public enum Recorded
{
    /// <summary>Never an entry: open to anyone, and nobody's data (health, the public key, the pages).</summary>
    Nothing,

    /// <summary>An entry for a refusal only: reading a reference list is no look at anyone's data.</summary>
    RefusalsOnly,

    /// <summary>Exactly one entry for every read, allowed or refused; an allowed read changes no row.</summary>
    Read,

    /// <summary>Exactly one entry for every write, allowed or refused.</summary>
    Write,
}

/// <summary>One endpoint's promise: who may call it and what each call leaves on the record.</summary>
/// <param name="Endpoint">Method and route as served, e.g. <c>GET /api/v1/arrests/{n}</c>.</param>
/// <param name="Callers">The callers allowed (roles, each held at an agency of the kind that may hold it, see
/// <see cref="TestCallers.Definitions"/>); everyone else is refused: 401 without a valid token, 403 with one.</param>
/// <param name="Recorded">What an allowed call records; a refused call records one refused entry unless <see cref="Recorded.Nothing"/>.</param>
/// <param name="Event">The stable event name of its entries (what an auditor filters by), when it records any.</param>
/// <param name="NamesArrest">An allowed call's entry lists the arrest the request was about (the one in its path, or the one it booked).</param>
public sealed record EndpointPromise(string Endpoint, IReadOnlyList<string> Callers, Recorded Recorded, string? Event, bool NamesArrest = false)
{
    /// <summary>Callers whose role passes the endpoint's policy but whom a rule of the use case refuses, with that
    /// rule's 403 code; everyone else not allowed is refused with PARS-AUTH-002.</summary>
    public IReadOnlyDictionary<string, string> RefusedByRule { get; init; } = new Dictionary<string, string>();

    /// <summary>The user an allowed call's entry names when it is not the caller (a redeemed enrolment names its owner).</summary>
    public string? AuditedActor { get; init; }

    /// <summary>The code a refused caller with a valid token gets.</summary>
    public string RefusalCode(string caller) => RefusedByRule.GetValueOrDefault(caller, "PARS-AUTH-002");
}

/// <summary>
/// The product's promise about every endpoint, written down here once and on its own: it is never read from the
/// endpoints' metadata (their policies, <c>AuditedAs</c>), so an endpoint that stops auditing, or starts letting another
/// role in, disagrees with this table and fails <see cref="RoleEndpointMatrixTests"/>. The table must name exactly the
/// endpoints the server maps; a new endpoint fails that test until its promise is written here.
/// </summary>
public static class EndpointPromises
{
    private static readonly string[] Stakeholders =
        [Roles.BookingOfficer, Roles.RecordsAdmin, Roles.ChargingAttorney, Roles.Magistrate, Roles.StakeholderRepresentative, Roles.PrivacyOfficer];

    /// <summary>Every role, partner analysts included, with a valid token.</summary>
    private static readonly string[] AnyRole = [.. Roles.All];

    /// <summary>Anyone, with or without a (valid) token.</summary>
    private static readonly string[] Anyone = [.. TestCallers.All];

    private static readonly string[] Booking = [Roles.BookingOfficer];
    private static readonly string[] Corrections = [Roles.BookingOfficer, Roles.RecordsAdmin];
    private static readonly string[] Charging = [Roles.ChargingAttorney];
    private static readonly string[] Court = [Roles.Magistrate];
    private static readonly string[] Admin = [Roles.RecordsAdmin];

    /// <summary>DAO's agency admin passes the administrator policy but administers only DAO.</summary>
    private static readonly Dictionary<string, string> OutsideAdministration = new() { [Roles.AgencyAdmin] = "PARS-ADM-005" };
    private static readonly string[] Privacy = [Roles.PrivacyOfficer];
    private static readonly string[] Representative = [Roles.StakeholderRepresentative];
    private static readonly string[] Partner = [Roles.PartnerAnalyst];
    private static readonly string[] Overseers = [Roles.PrivacyOfficer, Roles.StakeholderRepresentative];

    public static readonly IReadOnlyList<EndpointPromise> All =
    [
        // Arrests: every look and every change names the arrest.
        // The records admin passes the booking policy for a backdated booking only; an ordinary one is the booking officer's.
        new("POST /api/v1/arrests", Booking, Recorded.Write, "arrest.booked", NamesArrest: true),
        new("GET /api/v1/arrests/{n}", Stakeholders, Recorded.Read, "arrest.read", NamesArrest: true),
        new("GET /api/v1/arrests", Stakeholders, Recorded.Read, "arrest.searched"),
        new("GET /api/v1/arrests/{n}/history", Stakeholders, Recorded.Read, "arrest.history-read", NamesArrest: true),
        new("POST /api/v1/arrests/{n}/corrections", Corrections, Recorded.Write, "arrest.corrected", NamesArrest: true),
        new("GET /api/v1/charging/queue", Charging, Recorded.Read, "charging.queue-read"),

        // Desk streams: opening is a read (its entry before the first byte); each batch sent is one more (feeds.delivered).
        new("GET /api/v1/streams/charging-queue", Charging, Recorded.Read, "feeds.charging-queue-opened"),
        new("GET /api/v1/streams/arraignment-list", Court, Recorded.Read, "feeds.arraignment-list-opened"),
        new("GET /api/v1/streams/arrests/{n}", Stakeholders, Recorded.Read, "feeds.arrest-opened", NamesArrest: true),
        new("POST /api/v1/arrests/{n}/charging-decision", Charging, Recorded.Write, "charging.decided", NamesArrest: true),
        new("GET /api/v1/arraignment/list", Court, Recorded.Read, "arraignment.list-read"),
        new("POST /api/v1/arrests/{n}/arraignment", Court, Recorded.Write, "arraignment.recorded", NamesArrest: true),

        // Reference data: the same lists for everyone, no person in them.
        new("GET /api/v1/statutes", AnyRole, Recorded.RefusalsOnly, "reference.statutes-read"),
        new("GET /api/v1/districts", AnyRole, Recorded.RefusalsOnly, "reference.districts-read"),

        // Administration.
        new("GET /api/v1/agencies", Admin, Recorded.Read, "admin.agencies-listed"),
        new("POST /api/v1/agencies", Admin, Recorded.Write, "admin.agency-added"),
        // Each agency administers itself: DAO's agency admin passes the administrator policy but PPD's users are
        // not theirs (PARS-ADM-005); a token is obtained only by its owner (PARS-ADM-008 for anyone else).
        new("GET /api/v1/users", [Roles.RecordsAdmin, Roles.AgencyAdmin], Recorded.Read, "admin.users-listed"),
        new("POST /api/v1/users", Admin, Recorded.Write, "admin.user-added") { RefusedByRule = OutsideAdministration },
        new("POST /api/v1/users/{id}/tokens", Booking, Recorded.Write, "admin.token-created")
        {
            RefusedByRule = Roles.All.Where(r => r != Roles.BookingOfficer).ToDictionary(r => r, _ => "PARS-ADM-008"),
        },
        new("PUT /api/v1/users/{id}/roles", Admin, Recorded.Write, "admin.roles-changed") { RefusedByRule = OutsideAdministration },
        new("POST /api/v1/users/{id}/enrolments", Admin, Recorded.Write, "admin.enrolment-issued") { RefusedByRule = OutsideAdministration },
        new("POST /api/v1/enrolments/redeem", Anyone, Recorded.Write, "admin.enrolment-redeemed") { AuditedActor = Roles.BookingOfficer },
        new("GET /api/v1/tokens", [Roles.RecordsAdmin, Roles.AgencyAdmin], Recorded.Read, "admin.tokens-listed"),
        // A reset is another administrator's, of a user of an agency they administer (the request's user is PPD's).
        new("POST /api/v1/users/{id}/password", Admin, Recorded.Write, "sign-in.password-reset") { RefusedByRule = OutsideAdministration },
        new("POST /api/v1/users/{id}/second-factor-reset", Admin, Recorded.Write, "sign-in.second-factor-reset") { RefusedByRule = OutsideAdministration },
        new("DELETE /api/v1/tokens/{id}", Admin, Recorded.Write, "admin.token-revoked") { RefusedByRule = OutsideAdministration },
        // A service account of one's own agency: each administrator adds one to theirs; the request's account is PPD's,
        // so DAO's agency admin may not mint its token (PARS-ADM-005).
        new("POST /api/v1/service-accounts", [Roles.RecordsAdmin, Roles.AgencyAdmin], Recorded.Write, "admin.service-account-added"),
        new("POST /api/v1/service-accounts/{id}/tokens", Admin, Recorded.Write, "admin.service-account-token-created") { RefusedByRule = OutsideAdministration },

        // The audit log: reading it is itself on it; its public key is public.
        new("GET /api/v1/audit/entries", Privacy, Recorded.Read, "audit.entries-read"),
        new("GET /api/v1/audit/checkpoints/latest", Privacy, Recorded.Read, "audit.checkpoints-read"),
        new("GET /api/v1/audit/checkpoints", Privacy, Recorded.Read, "audit.checkpoints-read"),
        new("GET /api/v1/audit/proofs/inclusion", Privacy, Recorded.Read, "audit.inclusion-proof-read"),
        new("GET /api/v1/audit/proofs/consistency", Privacy, Recorded.Read, "audit.consistency-proof-read"),
        new("GET /api/v1/audit/public-key", Anyone, Recorded.Nothing, null),

        // Agreements: representatives write and vote, privacy officers suspend, every stakeholder reads.
        new("POST /api/v1/agreements", Representative, Recorded.Write, "agreement.drafted"),
        new("POST /api/v1/agreements/{id}/propose", Representative, Recorded.Write, "agreement.proposed"),
        new("POST /api/v1/agreements/{id}/votes", Representative, Recorded.Write, "agreement.vote-cast"),
        new("POST /api/v1/agreements/{id}/renewals", Representative, Recorded.Write, "agreement.renewal-drafted"),
        new("POST /api/v1/agreements/{id}/suspension", Privacy, Recorded.Write, "agreement.suspended"),
        new("GET /api/v1/agreements", Stakeholders, Recorded.Read, "agreement.listed"),
        new("GET /api/v1/agreements/{id}", Stakeholders, Recorded.Read, "agreement.read"),
        new("GET /api/v1/agreements/{id}/notice", Stakeholders, Recorded.Read, "agreement.notice-read"),

        // The charter: every stakeholder reads it; representatives propose amendments and vote for their own agency.
        new("GET /api/v1/charter", Stakeholders, Recorded.Read, "charter.read"),
        new("POST /api/v1/charter/amendments", Representative, Recorded.Write, "charter.amendment-proposed"),
        new("POST /api/v1/charter/amendments/{version}/votes", Representative, Recorded.Write, "charter.amendment-vote-cast"),
        new("GET /api/v1/transparency/charter", Anyone, Recorded.Nothing, null),

        // Partner access: only partner analysts, only under their agency's agreement.
        new("GET /api/v1/partner/arrests", Partner, Recorded.Read, "partner.search"),
        new("GET /api/v1/partner/arrests/{n}", Partner, Recorded.Read, "partner.read", NamesArrest: true),
        new("GET /api/v1/partner/agreement", Partner, Recorded.Read, "partner.agreement-read"),
        new("POST /api/v1/partner/watches", Partner, Recorded.Write, "watches.registered"),
        new("GET /api/v1/partner/watches", Partner, Recorded.Read, "watches.listed"),
        new("DELETE /api/v1/partner/watches/{id}", Partner, Recorded.Write, "watches.cancelled"),
        new("GET /api/v1/partner/stream", Partner, Recorded.Read, "watches.stream-opened"),

        // Webhooks: a partner agency's analysts manage its own endpoints (thin watch notices); the police's records
        // admins its stakeholder integrations (desk events, alerts) and see every agency's endpoints and deliveries. Every
        // call is on the record.
        new("POST /api/v1/partner/webhooks", Partner, Recorded.Write, "webhooks.registered"),
        new("GET /api/v1/partner/webhooks", Partner, Recorded.Read, "webhooks.listed"),
        new("DELETE /api/v1/partner/webhooks/{id}", Partner, Recorded.Write, "webhooks.deleted"),
        new("GET /api/v1/partner/webhooks/{id}/deliveries", Partner, Recorded.Read, "webhooks.deliveries-read"),
        new("POST /api/v1/partner/webhooks/deliveries/{id}/redeliver", Partner, Recorded.Write, "webhooks.redelivered"),
        new("POST /api/v1/webhooks", Admin, Recorded.Write, "webhooks.registered"),
        new("GET /api/v1/webhooks", Admin, Recorded.Read, "webhooks.listed"),
        new("DELETE /api/v1/webhooks/{id}", Admin, Recorded.Write, "webhooks.deleted"),
        new("GET /api/v1/webhooks/{id}/deliveries", Admin, Recorded.Read, "webhooks.deliveries-read"),
        new("POST /api/v1/webhooks/deliveries/{id}/redeliver", Admin, Recorded.Write, "webhooks.redelivered"),
        // Each stakeholder agency's privacy officers: their agency's oversight endpoints (the alerts), nobody else's.
        new("POST /api/v1/oversight/webhooks", Privacy, Recorded.Write, "webhooks.registered"),
        new("GET /api/v1/oversight/webhooks", Privacy, Recorded.Read, "webhooks.listed"),
        new("DELETE /api/v1/oversight/webhooks/{id}", Privacy, Recorded.Write, "webhooks.deleted"),
        new("GET /api/v1/oversight/webhooks/{id}/deliveries", Privacy, Recorded.Read, "webhooks.deliveries-read"),
        new("POST /api/v1/oversight/webhooks/deliveries/{id}/redeliver", Privacy, Recorded.Write, "webhooks.redelivered"),

        // Oversight: the stakeholders' privacy officers and representatives; every view is on the record.
        new("GET /api/v1/oversight/usage", Overseers, Recorded.Read, "oversight.usage-read"),
        new("GET /api/v1/oversight/disparity", Overseers, Recorded.Read, "oversight.disparity-read"),
        new("GET /api/v1/oversight/alerts", Overseers, Recorded.Read, "oversight.alerts-read"),
        new("GET /api/v1/oversight/alerts/stream", Overseers, Recorded.Read, "oversight.alert-stream-opened"),
        new("POST /api/v1/oversight/alerts/{id}/acknowledgements", Overseers, Recorded.Write, "oversight.alert-acknowledged"),
        new("GET /api/v1/oversight/watches", Privacy, Recorded.Read, "watches.oversight-read"),

        // Open to anyone, nobody's data.
        new("GET /api/v1/transparency", Anyone, Recorded.Nothing, null),
        new("GET /api/v1/transparency.csv", Anyone, Recorded.Nothing, null),
        new("GET /transparency", Anyone, Recorded.Nothing, null),
        new("GET /healthz", Anyone, Recorded.Nothing, null),
        new("GET /", Anyone, Recorded.Nothing, null),
        new("GET /favicon.ico", Anyone, Recorded.Nothing, null),
        new("GET /sign-in", Anyone, Recorded.Nothing, null),
        new("GET /pages/site.css", Anyone, Recorded.Nothing, null),
        new("GET /pages/live.js", Anyone, Recorded.Nothing, null),
        new("GET /pages/proof.js", Anyone, Recorded.Nothing, null),
        new("GET /openapi/{documentName}.json", Anyone, Recorded.Nothing, null),
        new("GET /docs/{documentName?}", Anyone, Recorded.Nothing, null),
        new("GET /docs/favicon.svg", Anyone, Recorded.Nothing, null),
        new("GET /docs/scalar.js", Anyone, Recorded.Nothing, null),
        new("GET /docs/scalar.aspnetcore.js", Anyone, Recorded.Nothing, null),
    ];

    /// <summary>The pages a person signs in to with password and second factor (Web/Pages). A bearer token signs nobody
    /// in there: every token caller is sent to the sign-in page (GET) or refused as a form without its antiforgery
    /// token (POST), and nothing is changed. Who may use each page once signed in is tested in Pages/PageSignInTests.</summary>
    public static readonly IReadOnlyList<string> SignedInPages =
    [
        "GET /desk", "GET /charging", "POST /charging/{n}/decision", "POST /sign-out",
        "GET /arrests/new", "POST /arrests/new", "GET /arrests/{n}", "GET /arrests/{n}/correct", "POST /arrests/{n}/correct",
        "GET /charging/{n}/modify", "POST /charging/{n}/modify",
        "GET /arraignment", "GET /arraignment/{n}", "POST /arraignment/{n}",
        "POST /sign-in", "GET /sign-in/code", "POST /sign-in/code",
        "GET /agreements", "GET /agreements/new", "POST /agreements/new", "GET /agreements/{id}", "GET /agreements/{id}/notice",
        "POST /agreements/{id}/propose", "POST /agreements/{id}/votes", "POST /agreements/{id}/renewals", "POST /agreements/{id}/suspension",
        "GET /partner/agreement", "GET /partner/search", "POST /partner/search", "GET /partner/watches", "POST /partner/watches", "POST /partner/watches/{id}/cancel",
        "GET /audit", "GET /audit/entries/{index}", "GET /oversight", "POST /oversight/alerts/{id}/acknowledge",
        "GET /admin/agencies", "POST /admin/agencies", "GET /admin/users", "POST /admin/users", "GET /admin/users/{id}",
        "POST /admin/users/{id}/roles", "POST /admin/users/{id}/password", "POST /admin/users/{id}/second-factor",
        "GET /admin/tokens", "POST /admin/tokens", "POST /admin/tokens/{id}/revoke",
        "GET /admin/webhooks", "POST /admin/webhooks", "POST /admin/webhooks/{id}/delete",
        "GET /admin/webhooks/{id}", "POST /admin/webhooks/deliveries/{id}/redeliver",
    ];

    public static EndpointPromise For(string endpoint) => All.Single(p => p.Endpoint == endpoint);
}
