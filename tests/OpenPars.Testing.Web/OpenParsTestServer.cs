using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using OpenPars.Core.Agencies;
using OpenPars.Core.Common;
using OpenPars.Storage;
using OpenPars.Storage.Agencies;
using OpenPars.Storage.Events;
using Microsoft.EntityFrameworkCore;
using OpenPars.App.Hosting;
using OpenPars.Web.Hosting;

namespace OpenPars.Testing.Web;

/// <summary>
/// The real OpenPARS server on a loopback port chosen by the OS, over a real database: requests go through
/// Kestrel, authentication, authorization, model binding and the store exactly as in production.
/// </summary>
public sealed class OpenParsTestServer : IAsyncDisposable
{
    private readonly Func<Task<WebApplication>> _build;
    private WebApplication _app;

    private OpenParsTestServer(WebApplication app, Func<Task<WebApplication>> build, StorageSettings storage, FakeTimeProvider clock)
    {
        _app = app;
        _build = build;
        Storage = storage;
        Clock = clock;
        BaseAddress = AddressOf(app);
    }

    public StorageSettings Storage { get; }
    public FakeTimeProvider Clock { get; }

    /// <summary>Where the server listens; a new port after <see cref="RestartAsync"/>.</summary>
    public Uri BaseAddress { get; private set; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Every log record the server wrote (all levels, after redaction), for tests that check what logs hold.</summary>
    public FakeLogCollector Logs => _app.Services.GetFakeLogCollector();

    /// <summary>A token per role, each at an agency that may hold it, plus <see cref="TestCallers.Revoked"/> and <see cref="TestCallers.Expired"/>.</summary>
    public IReadOnlyDictionary<string, string> Tokens { get; private set; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, long> UserIds { get; private set; } = new Dictionary<string, long>();

    public static async Task<OpenParsTestServer> StartAsync(StorageSettings storage, FakeTimeProvider? clock = null, Action<WebApplicationBuilder>? configure = null, OpenPars.App.Feeds.FeedOptions? feeds = null)
    {
        clock ??= WebTestClock.Create();
        await TestDatabases.MigrateAsync(storage);
        async Task<WebApplication> BuildAsync()
        {
            var app = OpenParsHost.Build(new OpenParsHostOptions { Storage = storage, Clock = clock, ListenOnLoopbackPort0 = true, Feeds = feeds ?? new(), OversightEvaluationInterval = null, RateLimits = OpenPars.Web.Security.RateLimitSettings.Unlimited, Webhooks = WebhookArrange.QuietOptions }, builder =>
            {
                builder.Logging.SetMinimumLevel(LogLevel.Trace);
                builder.Logging.AddFilter(_ => true);
                builder.Logging.AddFakeLogging();
                configure?.Invoke(builder);
            });
            await app.StartAsync();
            return app;
        }

        var server = new OpenParsTestServer(await BuildAsync(), BuildAsync, storage, clock);
        await server.SeedCallersAsync();
        return server;
    }

    /// <summary>Stops the server and starts a new one on the same store, clock and callers (a new port): what a
    /// restart of the process does. Open connections are closed.</summary>
    public async Task RestartAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _app = await _build();
        BaseAddress = AddressOf(_app);
    }

    private static Uri AddressOf(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    /// <param name="caller">The caller whose token the client sends (see <see cref="TestCallers"/>); none when null.</param>
    /// <remarks>A response disposed before its end closes its connection at once (no drain): a stream a test lets go of
    /// ends on the server straight away instead of being read on for seconds.</remarks>
    public HttpClient Client(string? caller = null)
    {
        var client = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (caller is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Tokens[caller]);
        }

        return client;
    }

    /// <summary>Waits until every stream the server had open has ended (its clients went): a test that opened one
    /// leaves nothing behind that could deliver, and audit, the next test's events.</summary>
    public async Task StreamsClosedAsync()
    {
        var dispatcher = _app.Services.GetRequiredService<OpenPars.App.Feeds.FeedDispatcher>();
        for (var waited = 0; dispatcher.SubscriberCount > 0; waited++)
        {
            if (waited > 500)
            {
                throw new TimeoutException($"{dispatcher.SubscriberCount} stream(s) still open 10 s after their clients went.");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Brings every server-run feed consumer (the watch matcher when it runs, the webhook enqueuer) up to the
    /// head of the event log by running each once here (their marks are compare-and-set, so the hosted rounds running
    /// beside it lose nothing): a test that compares rows before and after a request is then not surprised by a
    /// consumer still catching up on the events its arrangement appended.</summary>
    public async Task ConsumersCaughtUpAsync(CancellationToken ct = default)
    {
        if (_app.Services.GetService<OpenPars.Web.Hosting.WatchMatcherService>() is { } matcher)
        {
            await matcher.RunOnceAsync(ct);
        }

        await _app.Services.GetRequiredService<OpenPars.App.Webhooks.WebhookWorker>().EnqueueOnceAsync(ct);
    }

    public OpenParsDbContext NewContext() => OpenParsDatabase.CreateContext(Storage);

    /// <summary>Row counts of every table a command can touch: "a failed request changes nothing" is asserted on these.
    /// One query (a subquery per table, from the audit head's single row), as the role matrix takes it twice per case.</summary>
    public async Task<TableCounts> CountRowsAsync()
    {
        await using var db = NewContext();
        return await db.AuditHead.Select(_ => new TableCounts(
            db.Arrests.Count(), db.Events.Count(e => e.StreamType == EventStreams.Arrest), db.Charges.Count(), db.InvolvedParties.Count(),
            db.Agencies.Count(), db.Users.Count(), db.Tokens.Count(), db.IdempotencyKeys.Count(),
            db.Agreements.Count(), db.Events.Count(e => e.StreamType == EventStreams.Agreement),
            db.Events.Count(e => e.StreamType == EventStreams.Charter))).SingleAsync();
    }

    /// <summary>The audit log's size now: take it before a request, then read what the request added with <see cref="AuditEntriesSinceAsync"/>.</summary>
    public async Task<long> AuditSizeAsync()
    {
        await using var db = NewContext();
        return await db.AuditHead.Select(h => h.Size).SingleAsync();
    }

    /// <summary>The entries appended since <paramref name="size"/>, as the JSON they were hashed as.</summary>
    public async Task<IReadOnlyList<System.Text.Json.Nodes.JsonObject>> AuditEntriesSinceAsync(long size)
    {
        await using var db = NewContext();
        var rows = await db.AuditEntries.Where(e => e.Index >= size).OrderBy(e => e.Index).Select(e => e.Entry).ToListAsync();
        return rows.Select(r => System.Text.Json.Nodes.JsonNode.Parse(r)!.AsObject()).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task SeedCallersAsync()
    {
        await using var db = NewContext();
        var identity = new IdentityStore(db, Clock, TestAudit.Trail(Storage, Clock));
        var agencies = new Dictionary<AgencyKind, string> { [AgencyKind.Police] = "PPD", [AgencyKind.DistrictAttorney] = "DAO", [AgencyKind.Courts] = "FJD", [AgencyKind.Partner] = "ICE" };
        foreach (var (kind, code) in agencies)
        {
            await identity.AddAgencyAsync(code, $"Test {code}", AgencyKinds.ToCode(kind));
        }

        var tokens = new Dictionary<string, string>();
        var users = new Dictionary<string, long>();
        foreach (var (caller, agency, roles) in TestCallers.Definitions)
        {
            var user = await identity.AddUserAsync(agency, caller, roles);
            users[caller] = user.Id;
            var (token, secret) = await identity.CreateTokenAsync(user.Id, TimeSpan.FromDays(30), caller);
            tokens[caller] = secret;
            if (caller == TestCallers.Revoked)
            {
                await identity.RevokeTokenAsync(token.Id);
            }
        }

        // An expired token: issued two days ago for one day, by a clock of its own (a FakeTimeProvider never goes back).
        var issuedClock = new FakeTimeProvider(Clock.GetUtcNow() - TimeSpan.FromDays(2));
        var (_, expired) = await new IdentityStore(db, issuedClock, TestAudit.Trail(Storage, issuedClock))
            .CreateTokenAsync(users[Roles.BookingOfficer], TimeSpan.FromDays(1), "expired");
        tokens[TestCallers.Expired] = expired;

        Tokens = tokens;
        UserIds = users;
    }
}

public sealed record TableCounts(int Arrests, int Events, int Charges, int Parties, int Agencies, int Users, int Tokens, int IdempotencyKeys, int Agreements, int AgreementEvents, int CharterEvents);

/// <summary>The callers every web test can use, by name: one per role, plus a revoked and an expired token.</summary>
public static class TestCallers
{
    public const string Revoked = "revoked-booking-officer";
    public const string Expired = "expired-booking-officer";
    public const string Anonymous = "anonymous";

    public static IReadOnlyList<(string Caller, string Agency, string[] Roles)> Definitions { get; } =
    [
        (Roles.BookingOfficer, "PPD", [Roles.BookingOfficer]),
        (Roles.RecordsAdmin, "PPD", [Roles.RecordsAdmin]),
        (Roles.AgencyAdmin, "DAO", [Roles.AgencyAdmin]),
        (Roles.ChargingAttorney, "DAO", [Roles.ChargingAttorney]),
        (Roles.Magistrate, "FJD", [Roles.Magistrate]),
        (Roles.StakeholderRepresentative, "DAO", [Roles.StakeholderRepresentative]),
        (Roles.PrivacyOfficer, "FJD", [Roles.PrivacyOfficer]),
        (Roles.PartnerAnalyst, "ICE", [Roles.PartnerAnalyst]),
        (Revoked, "PPD", [Roles.BookingOfficer]),
    ];

    /// <summary>Every caller of the role × endpoint matrix.</summary>
    public static IReadOnlyList<string> All { get; } = [Anonymous, Revoked, Expired, .. Roles.All];
}

/// <summary>The web tests' instant: their bookings and arraignment lists are written for this day. The clock itself is
/// <see cref="TestClock"/>'s.</summary>
public static class WebTestClock
{
    /// <summary>An ordinary weekday morning in Philadelphia (09:00 EST).</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 23, 14, 0, 0, TimeSpan.Zero);

    public static FakeTimeProvider Create() => TestClock.New(Start);
}

public static class HttpTestExtensions
{
    public static Task<HttpResponseMessage> PostJsonAsync<T>(this HttpClient client, string path, T body) =>
        client.PostAsJsonAsync(path, body, OpenParsJson.Options);

    public static async Task<T> ReadAsync<T>(this HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<T>(OpenParsJson.Options))!;
}
