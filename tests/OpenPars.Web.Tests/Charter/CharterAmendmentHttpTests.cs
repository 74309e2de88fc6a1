using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using OpenPars.App.Hosting;
using OpenPars.Core.Agencies;
using OpenPars.Core.Agreements;
using OpenPars.Core.Charter;
using OpenPars.Core.Common;
using OpenPars.Storage.Agencies;
using OpenPars.Storage.Events;
using OpenPars.Testing;
using OpenPars.Testing.Web;
using static OpenPars.Web.Tests.Agreements.AgreementHttp;

namespace OpenPars.Web.Tests.Charter;

/// <summary>
/// Issue 9: the charter changes only by amendment with the consent of every stakeholder agency, and the charter in
/// force at an instant governs every agreement then. Each test is the attack an insider would try, over HTTP, on a
/// server of its own (an amendment in force changes the charter for everything after it), on both databases.
/// </summary>
public sealed class CharterAmendmentHttpTests
{
    private const string Search = "/api/v1/partner/arrests?lastName=Okafor&dateOfBirth=1991-05-17";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, AllProviders]
    public async Task An_amendment_with_one_agencys_votes_only_never_takes_effect(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var server = web.Server;
        var reps = await AgreementArrange.RepresentativesAsync(server);
        var weaker = await CharterArrange.NextVersionAsync(server, c => c with { Safeguards = c.Safeguards with { AdultsOnly = false } });

        // DAO's representative proposes a charter without the adults-only safeguard and consents to it alone.
        var proposed = await ProposeAsync(server, reps["DAO"], weaker, HttpStatusCode.Created);
        Assert.Equal(["PPD", "DAO", "FJD"], Awaiting(proposed));
        var voted = await CharterVoteAsync(server, reps["DAO"], 2, "consent", HttpStatusCode.Created);
        Assert.Equal("open", Amendment(voted)["outcome"]!.GetValue<string>());
        Assert.Equal(["PPD", "FJD"], Awaiting(voted));

        // A second consent of the same agency counts for nothing.
        var again = await CharterVoteAsync(server, reps["DAO"], 2, "consent", HttpStatusCode.Conflict);
        Assert.Equal(CharterErrorCodes.DuplicateVote, again["code"]!.GetValue<string>());

        // The charter in force is still version 1, and its safeguard still refuses an agreement that drops it.
        var charter = await SendOkAsync(server, Roles.PrivacyOfficer, new HttpRequestMessage(HttpMethod.Get, "/api/v1/charter"), HttpStatusCode.OK);
        Assert.Equal(1, charter["inForce"]!["version"]!.GetValue<int>());
        Assert.True(charter["inForce"]!["safeguards"]!["adultsOnly"]!.GetValue<bool>());
        var partner = await AgreementArrange.NewPartnerAsync(server);
        var now = server.Clock.GetUtcNow();
        var juveniles = TestAgreementDocuments.Document("agr-juveniles", partner, now.AddDays(1), now.AddDays(200)).With(d => d["rowScope"]!["adultsOnly"] = false);
        var (status, refusal) = await SendAsTokenAsync(server, reps["DAO"], TestAgreementDocuments.PostJson("/api/v1/agreements", juveniles));
        Assert.Equal((HttpStatusCode.Forbidden, CharterErrorCodes.AdultsOnly), (status, refusal["code"]!.GetValue<string>()));

        // With the other two agencies' consent, and only then, it is in force.
        await CharterVoteAsync(server, reps["PPD"], 2, "consent", HttpStatusCode.Created);
        Assert.Equal(1, (await CharterArrange.HistoryAsync(server)).InForce!.Version);
        var last = await CharterVoteAsync(server, reps["FJD"], 2, "consent", HttpStatusCode.Created);
        Assert.Equal("in-force", Amendment(last)["outcome"]!.GetValue<string>());
        Assert.Equal(2, last["inForce"]!["version"]!.GetValue<int>());
    }

    [Theory, AllProviders]
    public async Task A_representative_votes_for_their_own_agency_only(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var server = web.Server;
        var version = await CharterArrange.OpenAmendmentAsync(server);
        var before = await CharterEventsAsync(server);

        // The vote names no agency; a body that tries to is refused, and nothing is recorded.
        var forOthers = new JsonObject { ["vote"] = "consent", ["statement"] = "For PPD and FJD too.", ["agency"] = "PPD" };
        var (status, refusal) = await SendAsTokenAsync(server, server.Tokens[Roles.StakeholderRepresentative], TestAgreementDocuments.PostJson($"/api/v1/charter/amendments/{version}/votes", forOthers));
        Assert.Equal((HttpStatusCode.BadRequest, ErrorCodes.UnknownMember), (status, refusal["code"]!.GetValue<string>()));
        Assert.Equal(before, await CharterEventsAsync(server));

        // A representative of a second "police" agency is not the charter's stakeholder, whatever their role.
        var impostor = await RepresentativeOfNewAgencyAsync(server, "PPX", AgencyKind.Police);
        var (impostorStatus, impostorRefusal) = await SendAsTokenAsync(server, impostor, Vote(version));
        Assert.Equal((HttpStatusCode.Forbidden, CharterErrorCodes.NotAStakeholder), (impostorStatus, impostorRefusal["code"]!.GetValue<string>()));

        // Other roles of stakeholder agencies, and partners, never vote.
        foreach (var role in new[] { Roles.PrivacyOfficer, Roles.RecordsAdmin, Roles.AgencyAdmin, Roles.PartnerAnalyst })
        {
            var (roleStatus, roleRefusal) = await SendAsTokenAsync(server, server.Tokens[role], Vote(version));
            Assert.Equal((HttpStatusCode.Forbidden, ErrorCodes.Forbidden), (roleStatus, roleRefusal["code"]!.GetValue<string>()));
        }

        Assert.Equal(before, await CharterEventsAsync(server));
        var voted = await CharterVoteAsync(server, server.Tokens[Roles.StakeholderRepresentative], version, "consent", HttpStatusCode.Created);
        Assert.Equal(["DAO"], Amendment(voted)["votes"]!.AsArray().Select(v => v!["agency"]!.GetValue<string>()));
    }

    [Theory, AllProviders]
    public async Task An_amendment_stops_an_agreement_that_no_longer_fits_from_the_instant_of_the_last_consent(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var server = web.Server;
        var reps = await AgreementArrange.RepresentativesAsync(server);
        await BookAsync(server);
        var now = server.Clock.GetUtcNow();
        var agreement = await AgreementArrange.AgreementAsync(server, "ICE", ArrangedState.Active, now.AddDays(-1), now.AddDays(300));
        await ExpectAllowedAsync(server, agreement);

        // An amendment that never shares the state id (which ice's agreement grants): open, it changes nothing.
        var stricter = await CharterArrange.NextVersionAsync(server, c => c with { Safeguards = c.Safeguards with { NeverShared = [.. c.Safeguards.NeverShared, "person.identifiers.sid"] } });
        await ProposeAsync(server, reps["PPD"], stricter, HttpStatusCode.Created);
        await CharterVoteAsync(server, reps["PPD"], 2, "consent", HttpStatusCode.Created);
        await CharterVoteAsync(server, reps["DAO"], 2, "consent", HttpStatusCode.Created);
        await ExpectAllowedAsync(server, agreement);

        // The last consent at instant T: a request at that same instant T is decided under the amended charter.
        var last = await CharterVoteAsync(server, reps["FJD"], 2, "consent", HttpStatusCode.Created);
        var inForceFrom = DateTimeOffset.Parse(last["inForceSince"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(server.Clock.GetUtcNow(), inForceFrom);
        await ExpectRefusalAsync(server, TestAgreementDocuments.PartnerGet(Search), CharterErrorCodes.NeverShared);

        // The history says when each version came into force.
        var versions = last["versions"]!.AsArray();
        Assert.Equal([1, 2], versions.Select(v => v!["version"]!.GetValue<int>()));
        Assert.Equal(inForceFrom, DateTimeOffset.Parse(versions[1]!["inForceFrom"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory, AllProviders]
    public async Task Dropping_a_safeguard_from_the_charter_never_drops_it_from_an_agreement_that_relies_on_it(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var server = web.Server;
        var reps = await AgreementArrange.RepresentativesAsync(server);
        await BookAsync(server);
        var now = server.Clock.GetUtcNow();
        var agreement = await AgreementArrange.AgreementAsync(server, "ICE", ArrangedState.Active, now.AddDays(-1), now.AddDays(300));
        HttpRequestMessage WithoutReason() => TestAgreementDocuments.PartnerGet(Search, reason: null);
        await ExpectRefusalAsync(server, WithoutReason(), AgreementErrorCodes.ReasonMissing);

        // Two of three consent to a charter that no longer requires a reason: not in force, nothing changes.
        var weaker = await CharterArrange.NextVersionAsync(server, c => c with { Safeguards = c.Safeguards with { ReasonRequired = false } });
        await ProposeAsync(server, reps["DAO"], weaker, HttpStatusCode.Created);
        await CharterVoteAsync(server, reps["DAO"], 2, "consent", HttpStatusCode.Created);
        await CharterVoteAsync(server, reps["PPD"], 2, "consent", HttpStatusCode.Created);
        await ExpectRefusalAsync(server, WithoutReason(), AgreementErrorCodes.ReasonMissing);

        // In force with all three: the agreement still requires its reason, as its parties agreed.
        await CharterVoteAsync(server, reps["FJD"], 2, "consent", HttpStatusCode.Created);
        Assert.False((await CharterArrange.HistoryAsync(server)).InForce!.Safeguards.ReasonRequired);
        await ExpectRefusalAsync(server, WithoutReason(), AgreementErrorCodes.ReasonMissing);
        await ExpectAllowedAsync(server, agreement);
    }

    [Theory, AllProviders]
    public async Task Partner_rules_bind_by_the_agencys_stored_kind_not_by_the_agreement(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var server = web.Server;
        var federal = await OnboardAsync(server, "FBX", "federal-law-enforcement", HttpStatusCode.Created);
        Assert.Equal("federal-law-enforcement", federal["partnerKind"]!.GetValue<string>());
        await OnboardAsync(server, "IMX", "immigration-enforcement", HttpStatusCode.Created);
        await OnboardAsync(server, "NKX", null, HttpStatusCode.Created);
        var unknown = await OnboardAsync(server, "TKX", "tourism", HttpStatusCode.BadRequest);
        Assert.Contains("partnerKind", unknown.ToJsonString(), StringComparison.Ordinal);
        await using (var db = server.NewContext())
        {
            // A stakeholder has no partner kind (the operator adds stakeholders; the records admin partners only).
            var identity = new IdentityStore(db, server.Clock, TestAudit.Trail(server.Storage, server.Clock));
            var refused = await Assert.ThrowsAsync<DomainException>(() => identity.AddAgencyAsync("STX", "Agency STX", "police", "federal-law-enforcement"));
            Assert.Equal("partnerKind", refused.Errors!.All.Single().Field);
        }


        // The same document granting the home address: the charter's "no home address to immigration enforcement"
        // binds the immigration partner and the partner of no declared kind (held to every rule), not the FBI.
        var now = server.Clock.GetUtcNow();
        foreach (var (partner, expected) in new[] { ("FBX", (string?)null), ("IMX", CharterErrorCodes.FieldForPartnerKind), ("NKX", CharterErrorCodes.FieldForPartnerKind) })
        {
            var document = TestAgreementDocuments.Document($"agr-address-{partner.ToLowerInvariant()}", partner, now.AddDays(1), now.AddDays(200)).With(d => d["fields"]!["person.address"] = "full");
            var (status, body) = await SendAsTokenAsync(server, server.Tokens[Roles.StakeholderRepresentative], TestAgreementDocuments.PostJson("/api/v1/agreements", document));
            if (expected is null)
            {
                Assert.True(status == HttpStatusCode.Created, $"{partner}: {body}");
            }
            else
            {
                Assert.Equal((HttpStatusCode.Forbidden, expected), (status, body["code"]!.GetValue<string>()));
            }
        }
    }

    [Theory, AllProviders]
    public async Task The_transparency_page_shows_the_charter_and_its_history_by_agency_code_and_date_only(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var server = web.Server;
        var reps = await AgreementArrange.RepresentativesAsync(server);
        await ProposeAsync(server, reps["DAO"], await CharterArrange.NextVersionAsync(server, c => c with { Title = c.Title + " (2)" }), HttpStatusCode.Created);
        await CharterVoteAsync(server, reps["DAO"], 2, "consent", HttpStatusCode.Created);
        await CharterVoteAsync(server, reps["FJD"], 2, "reject", HttpStatusCode.Created);

        using var anonymous = server.Client();
        using var response = await anonymous.GetAsync("/api/v1/transparency/charter", Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = JsonNode.Parse(text)!;
        Assert.Equal(1, page["inForce"]!["version"]!.GetValue<int>());
        var amendment = page["amendments"]!.AsArray().Single()!;
        Assert.Equal(("DAO", "rejected"), (amendment["proposedByAgency"]!.GetValue<string>(), amendment["outcome"]!.GetValue<string>()));
        Assert.Equal([("DAO", "consent"), ("FJD", "reject")], amendment["votes"]!.AsArray().Select(v => (v!["agency"]!.GetValue<string>(), v["vote"]!.GetValue<string>())));
        Assert.DoesNotContain(Roles.StakeholderRepresentative, text, StringComparison.Ordinal); // the DAO representative's user name
        Assert.DoesNotContain(".rep.", text, StringComparison.Ordinal);                         // the others'
        Assert.DoesNotContain("This agency votes", text, StringComparison.Ordinal);             // no statement
    }

    private static async Task<JsonObject> ProposeAsync(OpenParsTestServer server, string token, JsonNode charter, HttpStatusCode expected)
    {
        var body = new JsonObject { ["statement"] = "This agency proposes the next version.", ["charter"] = charter.DeepClone() };
        var (status, answer) = await SendAsTokenAsync(server, token, TestAgreementDocuments.PostJson("/api/v1/charter/amendments", body));
        Assert.True(expected == status, $"propose: expected {(int)expected}, got {(int)status}: {answer}");
        return answer;
    }

    private static async Task<JsonObject> CharterVoteAsync(OpenParsTestServer server, string token, int version, string vote, HttpStatusCode expected)
    {
        var (status, answer) = await SendAsTokenAsync(server, token, Vote(version, vote));
        Assert.True(expected == status, $"vote {vote}: expected {(int)expected}, got {(int)status}: {answer}");
        return answer;
    }

    private static HttpRequestMessage Vote(int version, string vote = "consent") =>
        TestAgreementDocuments.PostJson($"/api/v1/charter/amendments/{version}/votes", new JsonObject { ["vote"] = vote, ["statement"] = $"This agency votes {vote}." });

    private static JsonNode Amendment(JsonObject charter) => charter["amendments"]!.AsArray()[^1]!;

    private static string[] Awaiting(JsonObject charter) => [.. Amendment(charter)["awaiting"]!.AsArray().Select(a => a!.GetValue<string>())];

    private static async Task<int> CharterEventsAsync(OpenParsTestServer server)
    {
        await using var db = server.NewContext();
        return await db.Events.CountAsync(e => e.StreamType == EventStreams.Charter);
    }

    private static async Task<JsonObject> OnboardAsync(OpenParsTestServer server, string code, string? partnerKind, HttpStatusCode expected)
    {
        var body = new JsonObject { ["code"] = code, ["name"] = $"Agency {code}", ["kind"] = "partner", ["partnerKind"] = partnerKind };
        var (status, answer) = await SendAsTokenAsync(server, server.Tokens[Roles.RecordsAdmin], TestAgreementDocuments.PostJson("/api/v1/agencies", body));
        Assert.True(expected == status, $"onboard {code}: expected {(int)expected}, got {(int)status}: {answer}");
        return answer;
    }

    /// <summary>A stakeholder representative of a new agency added by the operator (with the store), and their token.</summary>
    private static async Task<string> RepresentativeOfNewAgencyAsync(OpenParsTestServer server, string code, AgencyKind kind)
    {
        await using var db = server.NewContext();
        var identity = new IdentityStore(db, server.Clock, TestAudit.Trail(server.Storage, server.Clock));
        await identity.AddAgencyAsync(code, $"Agency {code}", AgencyKinds.ToCode(kind));
        var user = await identity.AddUserAsync(code, $"{code.ToLowerInvariant()}.representative", [Roles.StakeholderRepresentative]);
        return (await identity.CreateTokenAsync(user.Id, TimeSpan.FromDays(30), "impostor")).Secret;
    }

    private static async Task ExpectAllowedAsync(OpenParsTestServer server, string agreementId)
    {
        var (status, body) = await PartnerAsync(server, TestAgreementDocuments.PartnerGet(Search));
        Assert.True(status == HttpStatusCode.OK, $"expected 200 under {agreementId}, got {(int)status}: {body}");
    }
}
