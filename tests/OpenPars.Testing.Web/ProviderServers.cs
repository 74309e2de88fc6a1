using OpenPars.App.Hosting;
using OpenPars.Web.Hosting;
using Xunit;

namespace OpenPars.Testing.Web;

/// <summary>
/// The class fixture of every suite that talks to a running server (Web, Browser): one real server per storage
/// provider, each on a test database of its own (<see cref="ProviderTestServer"/>), started when a test first asks
/// for that provider and shared by the rest of the class, then stopped and its database dropped. Test classes run
/// in parallel, each with its own pair of servers; the tests of one class run one after another, so they may share
/// a server as long as they do not move its clock (those start a <see cref="ProviderTestServer"/> of their own).
/// <code>
/// public sealed class SearchTests(ProviderServers servers) : IClassFixture&lt;ProviderServers&gt;
/// {
///     [Theory, AllProviders]
///     public async Task Finds_by_last_name(StorageProvider provider)
///     {
///         var server = await servers.ForAsync(provider);
///         using var client = server.Client(Roles.ChargingAttorney);
///     }
/// }
/// </code>
/// A suite that adds steps of its own to a server derives from <see cref="ProviderServers{TServer}"/>. Without
/// OPENPARS_TEST_POSTGRES the PostgreSQL cases are skipped (fail under CI=true) when they ask for their server.
/// </summary>
public sealed class ProviderServers : ProviderServers<OpenParsTestServer>
{
    protected override OpenParsTestServer Attach(OpenParsTestServer server) => server;
}

/// <summary>One <typeparamref name="TServer"/> per storage provider: the server, with what a suite adds to it
/// (arrange steps, state made once per server). See <see cref="ProviderServers"/>.</summary>
public abstract class ProviderServers<TServer> : IAsyncLifetime
    where TServer : class
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<StorageProvider, (ProviderTestServer Host, TServer Server)> _started = [];

    /// <summary>The server on <paramref name="provider"/>, started on first use. A start that failed (or was
    /// skipped for want of PostgreSQL) is not remembered: the next test tries again and reports for itself.</summary>
    public async Task<TServer> ForAsync(StorageProvider provider)
    {
        await _gate.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            if (!_started.TryGetValue(provider, out var started))
            {
                var host = await ProviderTestServer.StartAsync(provider, clock: null, feeds: Feeds, ct: TestContext.Current.CancellationToken);
                started = (host, Attach(host.Server));
                _started[provider] = started;
            }

            return started.Server;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The servers' feed timing (a suite of streams shortens the heartbeat); null for the defaults.</summary>
    protected virtual OpenPars.App.Feeds.FeedOptions? Feeds => null;

    /// <summary>What the suite wraps around each started server.</summary>
    protected abstract TServer Attach(OpenParsTestServer server);

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var (host, _) in _started.Values)
        {
            await host.DisposeAsync();
        }

        _started.Clear();
        _gate.Dispose();
        GC.SuppressFinalize(this);
    }
}
