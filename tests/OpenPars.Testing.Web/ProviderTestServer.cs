using Microsoft.Extensions.Time.Testing;
using OpenPars.App.Hosting;
using OpenPars.Web.Hosting;

namespace OpenPars.Testing.Web;

/// <summary>
/// The real server on a test database of its own on one provider, dropped at dispose: the web counterpart of
/// <see cref="TestDatabase"/> for <c>[Theory, AllProviders]</c> tests. Without OPENPARS_TEST_POSTGRES the PostgreSQL
/// variant is skipped (fails under CI=true), as for storage tests.
/// <code>
/// await using var web = await ProviderTestServer.StartAsync(provider);
/// using var client = web.Server.Client(Roles.PartnerAnalyst);
/// </code>
/// </summary>
public sealed class ProviderTestServer : IAsyncDisposable
{
    private ProviderTestServer(OpenParsTestServer server) => Server = server;

    public OpenParsTestServer Server { get; }

    public static async Task<ProviderTestServer> StartAsync(StorageProvider provider, FakeTimeProvider? clock = null, CancellationToken ct = default)
    {
        var settings = await TestDatabases.CreateAsync(provider, migrated: true, ct);
        try
        {
            return new ProviderTestServer(await OpenParsTestServer.StartAsync(settings, clock));
        }
        catch
        {
            await TestDatabases.DropAsync(settings);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await TestDatabases.DropAsync(Server.Storage);
    }
}
