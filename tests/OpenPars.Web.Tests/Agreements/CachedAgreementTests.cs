using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OpenPars.App.Hosting;
using OpenPars.Core.Agencies;
using OpenPars.Core.Agreements;
using OpenPars.Storage.Agreements;
using OpenPars.Testing;
using OpenPars.Testing.Web;
using Shouldly;

namespace OpenPars.Web.Tests.Agreements;

/// <summary>
/// Issue 13: the governed partner search keeps the partner's verified agreement streams per agreement generation
/// (<see cref="AgreementCache"/>), and a governed answer stays exactly as governed. Two servers on one store stand for
/// two <c>openpars serve</c> processes, the test's own store for a third (a CLI command): a suspension, a resumption
/// or a withdrawal recorded by any of them is refused (or allowed) by every server on its very next request, and an
/// expiry or a notice instant crossed by the moved clock is refused at once, with the streams still cached.
/// </summary>
public sealed class CachedAgreementTests
{
    private const string Search = "/api/v1/partner/arrests?lastName=Okafor&dateOfBirth=1991-05-17";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, AllProviders]
    public async Task A_suspension_through_one_server_is_refused_by_the_other_on_its_next_request(StorageProvider provider)
    {
        await using var two = await TwoServers.StartAsync(provider);
        var (server, second, id) = (two.Server, two.Second, two.AgreementId);

        // Suspended over HTTP on the second server: the first, whose streams are cached, refuses its next request.
        using (var privacy = second.Client(server.Tokens[Roles.PrivacyOfficer]))
        using (var suspended = await privacy.SendAsync(TestAgreementDocuments.PostJson($"/api/v1/agreements/{id}/suspension", new JsonObject { ["statement"] = "Suspended pending review." }), Ct))
        {
            suspended.StatusCode.ShouldBe(HttpStatusCode.OK, await suspended.Content.ReadAsStringAsync(Ct));
        }

        (await OnFirstAsync(server)).ShouldBe((HttpStatusCode.Forbidden, AgreementErrorCodes.TerminatedOrSuspended));
        (await OnSecondAsync(server, second)).ShouldBe((HttpStatusCode.Forbidden, AgreementErrorCodes.TerminatedOrSuspended));

        // Resumed by the consent quorum through the CLI's store (no server involved): both allow again at once.
        var store = AgreementArrange.Store(server);
        foreach (var actor in new[] { AgreementArrange.Police, AgreementArrange.DistrictAttorney, AgreementArrange.Courts })
        {
            await store.VoteAsync(id, VoteKind.Consent, "We consent to resume.", null, null, actor, Ct);
        }

        (await OnSecondAsync(server, second)).Status.ShouldBe(HttpStatusCode.OK);
        (await OnFirstAsync(server)).Status.ShouldBe(HttpStatusCode.OK);
    }

    [Theory, AllProviders]
    public async Task Withdrawals_recorded_by_the_cli_are_refused_by_both_servers_on_their_next_request(StorageProvider provider)
    {
        await using var two = await TwoServers.StartAsync(provider);
        var (server, second, id) = (two.Server, two.Second, two.AgreementId);

        var store = AgreementArrange.Store(server);
        await store.VoteAsync(id, VoteKind.Withdraw, "We withdraw.", null, null, AgreementArrange.Police, Ct);
        (await OnFirstAsync(server)).Status.ShouldBe(HttpStatusCode.OK);   // one withdrawal is not the quorum
        await store.VoteAsync(id, VoteKind.Withdraw, "We withdraw.", null, null, AgreementArrange.Courts, Ct);

        (await OnFirstAsync(server)).ShouldBe((HttpStatusCode.Forbidden, AgreementErrorCodes.TerminatedOrSuspended));
        (await OnSecondAsync(server, second)).ShouldBe((HttpStatusCode.Forbidden, AgreementErrorCodes.TerminatedOrSuspended));
    }

    [Theory, AllProviders]
    public async Task Expiry_crossed_by_the_clock_is_refused_at_once_from_cached_streams(StorageProvider provider)
    {
        await using var two = await TwoServers.StartAsync(provider, TimeSpan.FromHours(2));
        var (server, second, expiresAt) = (two.Server, two.Second, two.ExpiresAt);
        var loads = (Cache(server.Services).Loads, Cache(second.Services).Loads);

        // Expiry: one second before it the cached streams allow, at it they refuse, with no agreement event between.
        server.Clock.SetUtcNow(expiresAt.AddSeconds(-1));
        (await OnFirstAsync(server)).Status.ShouldBe(HttpStatusCode.OK);
        (await OnSecondAsync(server, second)).Status.ShouldBe(HttpStatusCode.OK);
        server.Clock.SetUtcNow(expiresAt);
        (await OnFirstAsync(server)).ShouldBe((HttpStatusCode.Forbidden, AgreementErrorCodes.Expired));
        (await OnSecondAsync(server, second)).ShouldBe((HttpStatusCode.Forbidden, AgreementErrorCodes.Expired));
        (Cache(server.Services).Loads, Cache(second.Services).Loads).ShouldBe(loads, "the clock alone moved: nothing was reloaded");
    }

    [Theory, AllProviders]
    public async Task A_notice_instant_crossed_by_the_clock_is_refused_at_once_from_cached_streams(StorageProvider provider)
    {
        await using var two = await TwoServers.StartAsync(provider);
        var (server, second, id) = (two.Server, two.Second, two.AgreementId);

        // A termination by notice: the two withdrawals name an instant; the streams loaded after them allow up to it.
        var cutOff = server.Clock.GetUtcNow().AddHours(1);
        var store = AgreementArrange.Store(server);
        await store.VoteAsync(id, VoteKind.Withdraw, "We withdraw.", cutOff, null, AgreementArrange.Police, Ct);
        await store.VoteAsync(id, VoteKind.Withdraw, "We withdraw.", cutOff, null, AgreementArrange.Courts, Ct);
        server.Clock.SetUtcNow(cutOff.AddSeconds(-1));
        (await OnFirstAsync(server)).Status.ShouldBe(HttpStatusCode.OK);
        (await OnSecondAsync(server, second)).Status.ShouldBe(HttpStatusCode.OK);
        var loads = (Cache(server.Services).Loads, Cache(second.Services).Loads);
        server.Clock.SetUtcNow(cutOff);
        (await OnSecondAsync(server, second)).ShouldBe((HttpStatusCode.Forbidden, AgreementErrorCodes.TerminatedOrSuspended));
        (await OnFirstAsync(server)).ShouldBe((HttpStatusCode.Forbidden, AgreementErrorCodes.TerminatedOrSuspended));
        (Cache(server.Services).Loads, Cache(second.Services).Loads).ShouldBe(loads, "the clock alone moved: nothing was reloaded");
    }

    /// <summary>Two servers on one store, an active agreement of ICE (expiring after <c>term</c>), both caches warm.</summary>
    private sealed record TwoServers(ProviderTestServer Web, SecondServer Second, string AgreementId, DateTimeOffset ExpiresAt) : IAsyncDisposable
    {
        public OpenParsTestServer Server => Web.Server;

        public static async Task<TwoServers> StartAsync(StorageProvider provider, TimeSpan? term = null)
        {
            var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
            var second = await SecondServer.StartAsync(web.Server, Ct);
            var expiresAt = web.Server.Clock.GetUtcNow() + (term ?? TimeSpan.FromDays(300));
            var id = await AgreementArrange.AgreementAsync(web.Server, "ICE", ArrangedState.Active, expiresAt: expiresAt);
            await WarmAsync(web.Server, second);
            return new TwoServers(web, second, id, expiresAt);
        }

        public async ValueTask DisposeAsync()
        {
            await Second.DisposeAsync();
            await Web.DisposeAsync();
        }
    }

    /// <summary>Three allowed searches on each server; after the first, each server answers from its cache.</summary>
    private static async Task WarmAsync(OpenParsTestServer server, SecondServer second)
    {
        for (var i = 0; i < 3; i++)
        {
            (await OnFirstAsync(server)).Status.ShouldBe(HttpStatusCode.OK);
            (await OnSecondAsync(server, second)).Status.ShouldBe(HttpStatusCode.OK);
        }

        Cache(server.Services).Loads.ShouldBe(1);
        Cache(second.Services).Loads.ShouldBe(1);
    }

    private static AgreementCache Cache(IServiceProvider services) => services.GetRequiredService<AgreementCache>();

    private static async Task<(HttpStatusCode Status, string? Code)> OnFirstAsync(OpenParsTestServer server)
    {
        using var client = server.Client(Roles.PartnerAnalyst);
        return await SearchAsync(client);
    }

    private static async Task<(HttpStatusCode Status, string? Code)> OnSecondAsync(OpenParsTestServer server, SecondServer second)
    {
        using var client = second.Client(server.Tokens[Roles.PartnerAnalyst]);
        return await SearchAsync(client);
    }

    private static async Task<(HttpStatusCode Status, string? Code)> SearchAsync(HttpClient client)
    {
        using var response = await client.SendAsync(TestAgreementDocuments.PartnerGet(Search), Ct);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!.AsObject();
        return (response.StatusCode, body["code"]?.GetValue<string>());
    }
}
