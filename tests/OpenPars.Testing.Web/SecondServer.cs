using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenPars.Web.Hosting;

namespace OpenPars.Testing.Web;

/// <summary>A second server process on a test server's store and clock: its own caches, its own audit writer, the
/// same tokens. Two of them stand for two <c>openpars serve</c> processes on one store.</summary>
public sealed class SecondServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SecondServer(WebApplication app, Uri address) => (_app, Address) = (app, address);

    /// <summary>Where it listens (loopback).</summary>
    public Uri Address { get; }

    /// <summary>Its container (its own singletons: the caches).</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>Starts one on <paramref name="first"/>'s store and clock.</summary>
    public static async Task<SecondServer> StartAsync(OpenParsTestServer first, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(first);
        var app = OpenParsHost.Build(
            new OpenParsHostOptions
            {
                Storage = first.Storage, Clock = first.Clock, ListenOnLoopbackPort0 = true, OversightEvaluationInterval = null,
                RateLimits = OpenPars.Web.Security.RateLimitSettings.Unlimited, Webhooks = WebhookArrange.QuietOptions,
            },
            builder => builder.Logging.SetMinimumLevel(LogLevel.Warning));
        await app.StartAsync(ct);
        return new SecondServer(app, new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()));
    }

    /// <summary>A client of this server presenting <paramref name="token"/>.</summary>
    public HttpClient Client(string token)
    {
        var client = new HttpClient { BaseAddress = Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>Stops and disposes the server.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
