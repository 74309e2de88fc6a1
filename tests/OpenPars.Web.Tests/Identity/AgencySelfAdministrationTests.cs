using Shouldly;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using OpenPars.Core.Agencies;
using OpenPars.Core.Common;
using OpenPars.Testing;
using OpenPars.Testing.Web;
using OpenPars.App.Hosting;

namespace OpenPars.Web.Tests.Identity;

/// <summary>
/// Issue 9, defect 2, tried as the insider would: the police's records admin casting every agency's vote by making
/// their representatives and minting their tokens; one account holding every role; changing one's own roles; 64
/// racing creations of one name. Each attack is refused with its stable code and changes no row; then the way it is
/// meant to work (each agency administers itself, the owner redeems an enrolment) works, on both providers.
/// </summary>
public sealed class AgencySelfAdministrationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, AllProviders]
    public async Task The_records_admin_cannot_create_or_change_another_stakeholders_representative_or_privacy_officer(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        using var admin = web.Server.Client(Roles.RecordsAdmin);
        var before = await web.Server.CountRowsAsync();

        foreach (var (agency, role) in new[] { ("DAO", Roles.StakeholderRepresentative), ("FJD", Roles.StakeholderRepresentative), ("FJD", Roles.PrivacyOfficer), ("DAO", Roles.AgencyAdmin) })
        {
            using var created = await admin.PostJsonAsync("/api/v1/users", new JsonObject { ["agency"] = agency, ["name"] = "planted." + role, ["roles"] = new JsonArray(role) });
            await ShouldRefuse(created, HttpStatusCode.Forbidden, ErrorCodes.OutsideAdministration);
        }

        // Nor turn an existing DAO user into one, nor revoke their token.
        using var changed = await admin.PutAsync(new Uri($"/api/v1/users/{web.Server.UserIds[Roles.ChargingAttorney]}/roles", UriKind.Relative),
            Body(new JsonObject { ["roles"] = new JsonArray(Roles.StakeholderRepresentative) }), Ct);
        await ShouldRefuse(changed, HttpStatusCode.Forbidden, ErrorCodes.OutsideAdministration);

        (await web.Server.CountRowsAsync()).ShouldBe(before);
    }

    [Theory, AllProviders]
    public async Task No_one_mints_a_token_for_another_person_nor_enrols_one_outside_their_agency(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        using var admin = web.Server.Client(Roles.RecordsAdmin);
        using var daoAdmin = web.Server.Client(Roles.AgencyAdmin);
        var representative = web.Server.UserIds[Roles.StakeholderRepresentative];
        var before = await web.Server.CountRowsAsync();

        using var minted = await admin.PostJsonAsync($"/api/v1/users/{representative}/tokens", new JsonObject { ["expiresInDays"] = 30 });
        await ShouldRefuse(minted, HttpStatusCode.Forbidden, ErrorCodes.CredentialForAnotherPerson);

        // Not even the representative's own agency administrator, nor for a user of one's own agency.
        using var byOwnAdmin = await daoAdmin.PostJsonAsync($"/api/v1/users/{representative}/tokens", new JsonObject());
        await ShouldRefuse(byOwnAdmin, HttpStatusCode.Forbidden, ErrorCodes.CredentialForAnotherPerson);
        using var forOwnOfficer = await admin.PostJsonAsync($"/api/v1/users/{web.Server.UserIds[Roles.BookingOfficer]}/tokens", new JsonObject());
        await ShouldRefuse(forOwnOfficer, HttpStatusCode.Forbidden, ErrorCodes.CredentialForAnotherPerson);

        using var enrolled = await admin.PostAsync(new Uri($"/api/v1/users/{representative}/enrolments", UriKind.Relative), null, Ct);
        await ShouldRefuse(enrolled, HttpStatusCode.Forbidden, ErrorCodes.OutsideAdministration);

        (await web.Server.CountRowsAsync()).ShouldBe(before);
    }

    [Theory, AllProviders]
    public async Task No_account_holds_an_administration_role_with_a_representative_privacy_or_desk_role(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        using var admin = web.Server.Client(Roles.RecordsAdmin);
        var before = await web.Server.CountRowsAsync();

        foreach (var other in new[] { Roles.StakeholderRepresentative, Roles.PrivacyOfficer, Roles.BookingOfficer })
        {
            using var created = await admin.PostJsonAsync("/api/v1/users", new JsonObject { ["agency"] = "PPD", ["name"] = "everything", ["roles"] = new JsonArray(Roles.RecordsAdmin, other) });
            var problem = await ShouldRefuse(created, HttpStatusCode.BadRequest, ErrorCodes.SeparationOfDuties);
            problem["errors"]!["roles"]![0]!["rule"]!.GetValue<string>().ShouldBe("separation-of-duties");
        }

        // Nor by changing an existing account's roles afterwards.
        using var promoted = await admin.PutAsync(new Uri($"/api/v1/users/{web.Server.UserIds[Roles.BookingOfficer]}/roles", UriKind.Relative),
            Body(new JsonObject { ["roles"] = new JsonArray(Roles.BookingOfficer, Roles.RecordsAdmin) }), Ct);
        await ShouldRefuse(promoted, HttpStatusCode.BadRequest, ErrorCodes.SeparationOfDuties);

        (await web.Server.CountRowsAsync()).ShouldBe(before);
    }

    [Theory, AllProviders]
    public async Task Nobody_changes_their_own_roles(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var before = await web.Server.CountRowsAsync();

        foreach (var administrator in new[] { Roles.RecordsAdmin, Roles.AgencyAdmin })
        {
            using var client = web.Server.Client(administrator);
            using var changed = await client.PutAsync(new Uri($"/api/v1/users/{web.Server.UserIds[administrator]}/roles", UriKind.Relative),
                Body(new JsonObject { ["roles"] = new JsonArray(administrator) }), Ct);
            await ShouldRefuse(changed, HttpStatusCode.Forbidden, ErrorCodes.OwnRoles);
        }

        (await web.Server.CountRowsAsync()).ShouldBe(before);
        await using var db = web.Server.NewContext();
        (await db.Users.FindAsync([web.Server.UserIds[Roles.RecordsAdmin]], Ct))!.Roles.ShouldBe(Roles.RecordsAdmin);
    }

    [Theory, AllProviders]
    public async Task Sixty_four_concurrent_creations_of_one_name_create_exactly_one_user_and_no_500(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var before = await web.Server.CountRowsAsync();
        using var gate = new SemaphoreSlim(0);
        var attempts = Enumerable.Range(0, 64).Select(_ => Task.Run(async () =>
        {
            using var client = web.Server.Client(Roles.RecordsAdmin);
            await gate.WaitAsync(Ct);
            using var response = await client.PostJsonAsync("/api/v1/users", new JsonObject { ["agency"] = "PPD", ["name"] = "ppd.twin", ["roles"] = new JsonArray(Roles.BookingOfficer) });
            return (response.StatusCode, Rule: response.StatusCode == HttpStatusCode.Created ? null : (await response.ReadAsync<JsonObject>())["errors"]?["name"]?[0]?["rule"]?.GetValue<string>());
        }, Ct)).ToList();
        gate.Release(64);

        var outcomes = await Task.WhenAll(attempts);
        outcomes.Count(o => o.StatusCode == HttpStatusCode.Created).ShouldBe(1);
        outcomes.Where(o => o.StatusCode != HttpStatusCode.Created).ShouldAllBe(o => o.StatusCode == HttpStatusCode.BadRequest && o.Rule == "user-name-taken");
        (await web.Server.CountRowsAsync()).Users.ShouldBe(before.Users + 1);
    }

    [Theory, AllProviders]
    public async Task Each_agency_administers_itself_and_the_owner_redeems_an_enrolment_once_for_their_own_token(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        using var daoAdmin = web.Server.Client(Roles.AgencyAdmin);
        using var ppdAdmin = web.Server.Client(Roles.RecordsAdmin);

        // DAO's administrator adds DAO's representative; the police's records admin onboards a partner and its analyst.
        using var added = await daoAdmin.PostJsonAsync("/api/v1/users", new JsonObject { ["agency"] = "DAO", ["name"] = "dao.rep2", ["roles"] = new JsonArray(Roles.StakeholderRepresentative) });
        added.StatusCode.ShouldBe(HttpStatusCode.Created);
        var userId = (await added.ReadAsync<JsonObject>())["id"]!.GetValue<long>();
        using var partner = await ppdAdmin.PostJsonAsync("/api/v1/agencies", new JsonObject { ["code"] = "BCS", ["name"] = "Bucks County Sheriff", ["kind"] = "partner" });
        partner.StatusCode.ShouldBe(HttpStatusCode.Created);
        using var analyst = await ppdAdmin.PostJsonAsync("/api/v1/users", new JsonObject { ["agency"] = "BCS", ["name"] = "bcs.analyst", ["roles"] = new JsonArray(Roles.PartnerAnalyst) });
        analyst.StatusCode.ShouldBe(HttpStatusCode.Created);
        using var stakeholder = await ppdAdmin.PostJsonAsync("/api/v1/agencies", new JsonObject { ["code"] = "DA2", ["name"] = "Second DA", ["kind"] = "district-attorney" });
        await ShouldRefuse(stakeholder, HttpStatusCode.Forbidden, ErrorCodes.OutsideAdministration);

        // Each sees only the users they administer.
        var daoUsers = await (await daoAdmin.GetAsync(new Uri("/api/v1/users", UriKind.Relative), Ct)).ReadAsync<JsonArray>();
        daoUsers.Select(u => u!["agencyCode"]!.GetValue<string>()).Distinct().ShouldBe(["DAO"]);

        using var issued = await daoAdmin.PostAsync(new Uri($"/api/v1/users/{userId}/enrolments", UriKind.Relative), null, Ct);
        issued.StatusCode.ShouldBe(HttpStatusCode.Created);
        var secret = (await issued.ReadAsync<JsonObject>())["enrolmentSecret"]!.GetValue<string>();

        // The enrolment secret is no bearer token.
        using (var asBearer = web.Server.Client())
        {
            asBearer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
            (await asBearer.GetAsync(new Uri("/api/v1/agreements", UriKind.Relative), Ct)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        // 8 concurrent redemptions of one secret: one token.
        using var anonymous = web.Server.Client();
        var redemptions = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => anonymous.PostJsonAsync("/api/v1/enrolments/redeem", new JsonObject { ["secret"] = secret })));
        redemptions.Count(r => r.StatusCode == HttpStatusCode.Created).ShouldBe(1);
        foreach (var refused in redemptions.Where(r => r.StatusCode != HttpStatusCode.Created))
        {
            await ShouldRefuse(refused, HttpStatusCode.BadRequest, ErrorCodes.EnrolmentNotRedeemable);
        }

        var token = (await redemptions.Single(r => r.StatusCode == HttpStatusCode.Created).ReadAsync<JsonObject>())["token"]!.GetValue<string>();
        using var owner = web.Server.Client();
        owner.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        (await owner.GetAsync(new Uri("/api/v1/agreements", UriKind.Relative), Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        foreach (var r in redemptions)
        {
            r.Dispose();
        }
    }

    private static StringContent Body(JsonObject body) => new(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");

    private static async Task<JsonObject> ShouldRefuse(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        response.StatusCode.ShouldBe(status);
        var problem = await response.ReadAsync<JsonObject>();
        problem["code"]!.GetValue<string>().ShouldBe(code);
        return problem;
    }
}
