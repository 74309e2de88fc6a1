using OpenPars.App.Hosting;
using OpenPars.Core.Agencies;
using OpenPars.Storage.Agencies;
using OpenPars.Testing;
using Shouldly;
using Xunit;

namespace OpenPars.Storage.Tests.Agencies;

/// <summary>
/// The cached token check (<see cref="CredentialCache"/>): two caches on one store stand for two server processes,
/// and a store without a cache for a third (the CLI). Whatever process revokes a token or changes roles, the next
/// authentication in every process sees it; an expired token fails on a cached entry too.
/// </summary>
public sealed class CredentialCacheTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, AllProviders]
    public async Task A_revocation_by_any_process_fails_the_very_next_request_in_every_process(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider, Ct);
        var (processA, processB) = (new CredentialCache(), new CredentialCache());
        var (userId, tokenId, secret) = await AddOfficerAsync(db);
        for (var i = 0; i < 3; i++)
        {
            (await Cached(db, processA).AuthenticateAsync(secret, Ct)).ShouldNotBeNull().UserId.ShouldBe(userId);
            (await Cached(db, processB).AuthenticateAsync(secret, Ct)).ShouldNotBeNull().UserId.ShouldBe(userId);
        }

        // Revoked through a third process (a CLI command: a store of its own, no cache).
        await db.Identity().RevokeTokenAsync(tokenId, Ct);

        (await Cached(db, processA).AuthenticateAsync(secret, Ct)).ShouldBeNull();
        (await Cached(db, processB).AuthenticateAsync(secret, Ct)).ShouldBeNull();

        // And revoked through a cached process: the other sees it at once.
        var (_, second, secondSecret) = await AddOfficerAsync(db, "officer.two");
        (await Cached(db, processA).AuthenticateAsync(secondSecret, Ct)).ShouldNotBeNull();
        (await Cached(db, processB).AuthenticateAsync(secondSecret, Ct)).ShouldNotBeNull();
        await Cached(db, processA).RevokeTokenAsync(second, Ct);
        (await Cached(db, processB).AuthenticateAsync(secondSecret, Ct)).ShouldBeNull();
        (await Cached(db, processA).AuthenticateAsync(secondSecret, Ct)).ShouldBeNull();
    }

    [Theory, AllProviders]
    public async Task A_change_of_roles_is_seen_by_the_next_request_in_every_process(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider, Ct);
        var cache = new CredentialCache();
        var (userId, _, secret) = await AddOfficerAsync(db);
        (await Cached(db, cache).AuthenticateAsync(secret, Ct)).ShouldNotBeNull().Roles.ShouldBe([Roles.BookingOfficer]);

        await db.Identity().SetRolesAsync(userId, [Roles.PrivacyOfficer], Ct);

        (await Cached(db, cache).AuthenticateAsync(secret, Ct)).ShouldNotBeNull().Roles.ShouldBe([Roles.PrivacyOfficer]);
    }

    [Theory, AllProviders]
    public async Task A_cached_token_still_expires_on_time(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider, Ct);
        var cache = new CredentialCache();
        var (_, _, secret) = await AddOfficerAsync(db, lifetime: TimeSpan.FromDays(1));
        db.Clock.Advance(TimeSpan.FromDays(1) - TimeSpan.FromSeconds(1));
        (await Cached(db, cache).AuthenticateAsync(secret, Ct)).ShouldNotBeNull();

        db.Clock.Advance(TimeSpan.FromSeconds(1));

        (await Cached(db, cache).AuthenticateAsync(secret, Ct)).ShouldBeNull();
    }

    [Theory, AllProviders]
    public async Task Unknown_and_near_miss_secrets_are_refused_and_never_cached(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider, Ct);
        var cache = new CredentialCache();
        var (_, _, secret) = await AddOfficerAsync(db);
        (await Cached(db, cache).AuthenticateAsync(secret, Ct)).ShouldNotBeNull();

        (await Cached(db, cache).AuthenticateAsync(secret + "x", Ct)).ShouldBeNull();
        (await Cached(db, cache).AuthenticateAsync(secret[..^1] + (secret[^1] == 'A' ? 'B' : 'A'), Ct)).ShouldBeNull();
        (await Cached(db, cache).AuthenticateAsync(TokenSecrets.NewSecret(), Ct)).ShouldBeNull();
        (await Cached(db, cache).AuthenticateAsync(secret.ToUpperInvariant(), Ct)).ShouldBeNull();
    }

    [Theory, AllProviders]
    public async Task Concurrent_requests_share_generation_reads_and_all_see_a_committed_revocation(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider, Ct);
        var cache = new CredentialCache();
        var (_, tokenId, secret) = await AddOfficerAsync(db);
        (await Cached(db, cache).AuthenticateAsync(secret, Ct)).ShouldNotBeNull();
        var before = cache.GenerationReads;

        var callers = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(() => Cached(db, cache).AuthenticateAsync(secret, Ct))));
        callers.ShouldAllBe(c => c != null);
        (cache.GenerationReads - before).ShouldBeInRange(1, 32);

        await db.Identity().RevokeTokenAsync(tokenId, Ct);
        var after = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(() => Cached(db, cache).AuthenticateAsync(secret, Ct))));
        after.ShouldAllBe(c => c == null);
    }

    [Theory, AllProviders]
    public async Task The_generation_check_keeps_one_connection_however_many_requests_overlap(StorageProvider provider)
    {
        // 256 overlapping requests used to open (and keep) a connection per overlapping read: on PostgreSQL a burst of
        // 200 clients took the whole pool and the server stopped answering (Cli.Tests/Faults/KillUnderLoadTests).
        await using var db = await TestDatabase.CreateAsync(provider, Ct);
        var cache = new CredentialCache();
        var (_, _, secret) = await AddOfficerAsync(db);
        for (var burst = 0; burst < 4; burst++)
        {
            var callers = await Task.WhenAll(Enumerable.Range(0, 256).Select(_ => Task.Run(() => Cached(db, cache).AuthenticateAsync(secret, Ct))));
            callers.ShouldAllBe(c => c != null);
        }

        cache.ConnectionsOpened.ShouldBe(1);
        cache.GenerationReads.ShouldBeGreaterThan(1);
    }

    private static IdentityStore Cached(TestDatabase db, CredentialCache cache) =>
        new(db.NewContext(), db.Clock, TestAudit.Trail(db.Settings, db.Clock), cache);

    private static async Task<(long UserId, long TokenId, string Secret)> AddOfficerAsync(TestDatabase db, string name = "officer.kowalski", TimeSpan? lifetime = null)
    {
        if ((await db.Identity().ListAgenciesAsync(Ct)).Count == 0)
        {
            await db.Identity().AddAgencyAsync("PPD", "Philadelphia Police Department", "police", Ct);
        }

        var user = await db.Identity().AddUserAsync("PPD", name, [Roles.BookingOfficer], Ct);
        var (token, secret) = await db.Identity().CreateTokenAsync(user.Id, lifetime ?? TimeSpan.FromDays(30), null, Ct);
        return (user.Id, token.Id, secret);
    }
}
