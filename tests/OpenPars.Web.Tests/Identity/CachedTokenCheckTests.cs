using System.Net;
using System.Net.Http.Headers;
using OpenPars.App.Hosting;
using OpenPars.Core.Agencies;
using OpenPars.Storage.Agencies;
using OpenPars.Testing;
using OpenPars.Testing.Web;
using Shouldly;

namespace OpenPars.Web.Tests.Identity;

/// <summary>
/// Issue 13: the token check is cached (<see cref="CredentialCache"/>), and a revoked token still fails on its very
/// next request in every process. Two servers on one store stand for two <c>openpars serve</c> processes; the token
/// is revoked over HTTP on one of them, or by a third process (the CLI's store), and the next request to either is a 401.
/// </summary>
public sealed class CachedTokenCheckTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, AllProviders]
    public async Task A_token_revoked_in_one_process_fails_its_next_request_in_every_process(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        await using var second = await SecondServer.StartAsync(web.Server, Ct);
        var (tokenId, secret) = await NewOfficerTokenAsync(web.Server, "officer.cached");
        using var onFirst = Bearer(web.Server.BaseAddress, secret);
        using var onSecond = Bearer(second.Address, secret);

        // Warm both caches.
        for (var i = 0; i < 3; i++)
        {
            (await onFirst.GetAsync("/api/v1/districts", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
            (await onSecond.GetAsync("/api/v1/districts", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        using var admin = web.Server.Client(Roles.RecordsAdmin);
        using var revoked = await admin.DeleteAsync($"/api/v1/tokens/{tokenId}", Ct);
        revoked.IsSuccessStatusCode.ShouldBeTrue(await revoked.Content.ReadAsStringAsync(Ct));

        (await onSecond.GetAsync("/api/v1/districts", Ct)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await onFirst.GetAsync("/api/v1/districts", Ct)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Theory, AllProviders]
    public async Task A_token_revoked_by_the_cli_fails_its_next_request_on_both_servers(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        await using var second = await SecondServer.StartAsync(web.Server, Ct);
        var (tokenId, secret) = await NewOfficerTokenAsync(web.Server, "officer.cli");
        using var onFirst = Bearer(web.Server.BaseAddress, secret);
        using var onSecond = Bearer(second.Address, secret);
        (await onFirst.GetAsync("/api/v1/districts", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await onSecond.GetAsync("/api/v1/districts", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        await using (var db = web.Server.NewContext())
        {
            await new IdentityStore(db, web.Server.Clock, TestAudit.Trail(web.Server.Storage, web.Server.Clock)).RevokeTokenAsync(tokenId, Ct);
        }

        (await onFirst.GetAsync("/api/v1/districts", Ct)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await onSecond.GetAsync("/api/v1/districts", Ct)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    private static async Task<(long TokenId, string Secret)> NewOfficerTokenAsync(OpenParsTestServer server, string name)
    {
        await using var db = server.NewContext();
        var identity = new IdentityStore(db, server.Clock, TestAudit.Trail(server.Storage, server.Clock));
        var user = await identity.AddUserAsync("PPD", name, [Roles.BookingOfficer], Ct);
        var (token, secret) = await identity.CreateTokenAsync(user.Id, TimeSpan.FromDays(30), null, Ct);
        return (token.Id, secret);
    }

    private static HttpClient Bearer(Uri address, string secret)
    {
        var client = new HttpClient { BaseAddress = address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return client;
    }
}
