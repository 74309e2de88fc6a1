using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using OpenPars.App.Hosting;
using OpenPars.Core.Agencies;
using OpenPars.Core.Common;
using OpenPars.Testing;
using OpenPars.Testing.Web;
using static OpenPars.Web.Tests.Agreements.AgreementHttp;

namespace OpenPars.Web.Tests.Identity;

/// <summary>
/// Issue 9: no one obtains a credential for another person — but an agency's administrator may make a service
/// account (a system, not a person) of their own agency and mint its token. The attacks: a token for a person through
/// the service-account door, for another agency's account, a service account holding a person's role, on both providers.
/// </summary>
public sealed class ServiceAccountTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, AllProviders]
    public async Task An_administrator_mints_a_token_for_their_own_agencys_service_account_only(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var server = web.Server;

        // DAO's administrator adds a service account to DAO (the agency is the caller's, never named in the body).
        var account = await SendOkAsync(server, Roles.AgencyAdmin, TestAgreementDocuments.PostJson("/api/v1/service-accounts", new JsonObject { ["name"] = "dao.case-system" }), HttpStatusCode.Created);
        Assert.Equal(("DAO", true), (account["agencyCode"]!.GetValue<string>(), account["isServiceAccount"]!.GetValue<bool>()));
        Assert.Empty(account["roles"]!.AsArray());
        var id = account["id"]!.GetValue<long>();

        var minted = await SendOkAsync(server, Roles.AgencyAdmin, TestAgreementDocuments.PostJson($"/api/v1/service-accounts/{id}/tokens", new JsonObject { ["expiresInDays"] = 30 }), HttpStatusCode.Created);
        var secret = minted["token"]!.GetValue<string>();
        await using (var db = server.NewContext())
        {
            // Shown once; the store keeps only its SHA-256.
            var row = await db.Tokens.SingleAsync(t => t.Id == minted["id"]!.GetValue<long>(), Ct);
            Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(secret)), row.SecretHash);
            Assert.DoesNotContain(secret, row.Label, StringComparison.Ordinal);
        }

        // The token authenticates as the service account, which holds no role that reads anyone's data.
        using var system = new HttpClient { BaseAddress = server.BaseAddress };
        system.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", secret);
        Assert.Equal(HttpStatusCode.OK, (await system.GetAsync("/api/v1/districts", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await system.GetAsync("/api/v1/arrests?lastName=Okafor", Ct)).StatusCode);

        var before = await server.CountRowsAsync();
        // PPD's records admin may not mint a token for DAO's service account ...
        await ExpectCodeAsync(server, Roles.RecordsAdmin, TestAgreementDocuments.PostJson($"/api/v1/service-accounts/{id}/tokens", new JsonObject()), HttpStatusCode.Forbidden, ErrorCodes.OutsideAdministration);
        // ... nor DAO's administrator one for a person of DAO (the charging attorney): that is impersonation.
        await ExpectCodeAsync(server, Roles.AgencyAdmin, TestAgreementDocuments.PostJson($"/api/v1/service-accounts/{server.UserIds[Roles.ChargingAttorney]}/tokens", new JsonObject()), HttpStatusCode.Forbidden, ErrorCodes.NotAServiceAccount);
        // ... nor anyone without an administration role.
        await ExpectCodeAsync(server, Roles.StakeholderRepresentative, TestAgreementDocuments.PostJson($"/api/v1/service-accounts/{id}/tokens", new JsonObject()), HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        Assert.Equal(before, await server.CountRowsAsync());
    }

    [Theory, AllProviders]
    public async Task A_service_account_never_holds_a_person_role(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var server = web.Server;
        var before = await server.CountRowsAsync();
        foreach (var role in new[] { Roles.ChargingAttorney, Roles.StakeholderRepresentative, Roles.PrivacyOfficer, Roles.AgencyAdmin })
        {
            var body = new JsonObject { ["name"] = "dao.system-" + role, ["roles"] = new JsonArray(role) };
            await ExpectCodeAsync(server, Roles.AgencyAdmin, TestAgreementDocuments.PostJson("/api/v1/service-accounts", body), HttpStatusCode.BadRequest, ErrorCodes.ServiceAccountRole);
        }

        Assert.Equal(before, await server.CountRowsAsync());

        // Nor can one be given such a role afterwards.
        var account = await SendOkAsync(server, Roles.AgencyAdmin, TestAgreementDocuments.PostJson("/api/v1/service-accounts", new JsonObject { ["name"] = "dao.system" }), HttpStatusCode.Created);
        using var admin = server.Client(Roles.AgencyAdmin);
        using var changed = await admin.PutAsync($"/api/v1/users/{account["id"]!.GetValue<long>()}/roles",
            new StringContent(new JsonObject { ["roles"] = new JsonArray(Roles.StakeholderRepresentative) }.ToJsonString(), Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, changed.StatusCode);
        Assert.Contains(ErrorCodes.ServiceAccountRole, await changed.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    private static async Task ExpectCodeAsync(OpenParsTestServer server, string caller, HttpRequestMessage request, HttpStatusCode status, string code)
    {
        using var client = server.Client(caller);
        using var response = await client.SendAsync(request, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(status == response.StatusCode && body.Contains(code, StringComparison.Ordinal), $"{request.RequestUri} as {caller}: expected {(int)status} {code}, got {(int)response.StatusCode}: {body}");
    }
}
