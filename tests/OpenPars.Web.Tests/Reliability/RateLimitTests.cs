using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OpenPars.App.Hosting;
using OpenPars.Core.Agencies;
using OpenPars.Testing;
using OpenPars.Testing.Web;
using OpenPars.Web.Security;

namespace OpenPars.Web.Tests.Reliability;

/// <summary>
/// Authentication abuse and partner request rates (issue 14), on both providers, with the server's test clock moving
/// the windows: each limit at n − 1, n and n + 1; 429 with Retry-After and a catalogued code, audited as one entry; an
/// attacker's address or an attacked account never locks a legitimate user out from another address. Requests come
/// from distinct loopback addresses (127.0.0.2, 127.0.0.3: the client socket is bound before it connects).
/// </summary>
public sealed class RateLimitTests
{
    private static readonly IPAddress Attacker = IPAddress.Parse("127.0.0.2");
    private static readonly IPAddress Colleague = IPAddress.Parse("127.0.0.3");

    [Theory, AllProviders]
    public async Task Failed_credentials_from_one_address_are_limited_there_only(StorageProvider provider)
    {
        await using var web = await StartAsync(provider, new RateLimitSettings { FailuresPerAddress = 3, FailuresPerAccount = null, PartnerRequestsPerToken = null });
        var server = web.Server;
        using var attacker = From(server, Attacker);

        // n − 1 and n failures: the ordinary 401.
        for (var failure = 1; failure <= 3; failure++)
        {
            using var refused = await GetAsync(attacker, "opk_" + new string('A', 43));
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        // n + 1: 429, audited as auth.throttled with the limit's facts.
        var audit = await server.AuditSizeAsync();
        using (var throttled = await GetAsync(attacker, "opk_" + new string('B', 43)))
        {
            await AssertThrottledAsync(throttled, "PARS-RATE-001", 60);
        }

        var entry = Assert.Single(await server.AuditEntriesSinceAsync(audit));
        AssertEntry(entry, "PARS-RATE-001", "client-address", 3);
        Assert.Equal("127.0.0.2", entry["client"]!.GetValue<string>());

        // The address's window holds every credential it sends, even a valid one; a colleague elsewhere is not held.
        using (var held = await GetAsync(attacker, server.Tokens[Roles.BookingOfficer]))
        {
            await AssertThrottledAsync(held, "PARS-RATE-001", 60);
        }

        using var colleague = From(server, Colleague);
        using (var ok = await GetAsync(colleague, server.Tokens[Roles.BookingOfficer]))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        // One tick before the window ends it still holds; at the next window the address is heard again.
        server.Clock.Advance(TimeSpan.FromMinutes(1) - TimeSpan.FromTicks(1));
        using (var stillHeld = await GetAsync(attacker, server.Tokens[Roles.BookingOfficer]))
        {
            await AssertThrottledAsync(stillHeld, "PARS-RATE-001", 1);
        }

        server.Clock.Advance(TimeSpan.FromTicks(1));
        using (var again = await GetAsync(attacker, server.Tokens[Roles.BookingOfficer]))
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }
    }

    [Theory, AllProviders]
    public async Task Failed_credentials_of_one_account_are_limited_without_locking_its_owner_out(StorageProvider provider)
    {
        await using var web = await StartAsync(provider, new RateLimitSettings { FailuresPerAddress = null, FailuresPerAccount = 2, PartnerRequestsPerToken = null });
        var server = web.Server;
        using var attacker = From(server, Attacker);

        // The expired token is the booking officer's: its failures count against that account.
        for (var failure = 1; failure <= 2; failure++)
        {
            using var refused = await GetAsync(attacker, server.Tokens[TestCallers.Expired]);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        var audit = await server.AuditSizeAsync();
        using (var throttled = await GetAsync(attacker, server.Tokens[TestCallers.Expired]))
        {
            await AssertThrottledAsync(throttled, "PARS-RATE-002", 60);
        }

        AssertEntry(Assert.Single(await server.AuditEntriesSinceAsync(audit)), "PARS-RATE-002", "account", 2);

        // A token never issued names no account: it is not held by the account's window.
        using (var unknown = await GetAsync(attacker, "opk_" + new string('C', 43)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        }

        // The owner's valid token works from another address and from the attacker's own.
        using var owner = From(server, Colleague);
        using (var ok = await GetAsync(owner, server.Tokens[Roles.BookingOfficer]))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using (var ok = await GetAsync(attacker, server.Tokens[Roles.BookingOfficer]))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        server.Clock.Advance(TimeSpan.FromMinutes(1));
        using (var ordinary = await GetAsync(attacker, server.Tokens[TestCallers.Expired]))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, ordinary.StatusCode);
        }
    }

    [Theory, AllProviders]
    public async Task A_partner_token_is_limited_to_its_rate_per_window(StorageProvider provider)
    {
        await using var web = await StartAsync(provider, new RateLimitSettings { FailuresPerAddress = null, FailuresPerAccount = null, PartnerRequestsPerToken = 3, PartnerWindow = TimeSpan.FromMinutes(1) });
        var server = web.Server;
        await AgreementArrange.AgreementAsync(server, "ICE", ArrangedState.Active);
        using var partner = server.Client(Roles.PartnerAnalyst);

        for (var request = 1; request <= 3; request++)
        {
            using var ok = await partner.GetAsync(new Uri("/api/v1/partner/agreement", UriKind.Relative), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        var audit = await server.AuditSizeAsync();
        using (var limited = await partner.GetAsync(new Uri("/api/v1/partner/agreement", UriKind.Relative), TestContext.Current.CancellationToken))
        {
            await AssertThrottledAsync(limited, "PARS-RATE-003", 60);
        }

        var entry = Assert.Single(await server.AuditEntriesSinceAsync(audit));
        AssertEntry(entry, "PARS-RATE-003", "partner-token", 3);
        Assert.Equal(Roles.PartnerAnalyst, entry["actor"]!["user"]!.GetValue<string>());

        // Stakeholders are not partner-limited.
        using (var stakeholder = server.Client(Roles.BookingOfficer))
        {
            for (var request = 1; request <= 5; request++)
            {
                using var ok = await stakeholder.GetAsync(new Uri("/api/v1/districts", UriKind.Relative), TestContext.Current.CancellationToken);
                Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            }
        }

        server.Clock.Advance(TimeSpan.FromMinutes(1));
        using (var next = await partner.GetAsync(new Uri("/api/v1/partner/agreement", UriKind.Relative), TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        }
    }

    [Fact]
    public void The_limits_are_read_from_the_environment()
    {
        var values = new Dictionary<string, string>
        {
            ["OPENPARS_RATE_FAILURES_PER_ADDRESS"] = "7",
            ["OPENPARS_RATE_FAILURES_PER_ACCOUNT"] = "0",
            ["OPENPARS_RATE_FAILURE_WINDOW_SECONDS"] = "300",
            ["OPENPARS_RATE_PARTNER_REQUESTS"] = "120",
        };
        var settings = RateLimitSettings.FromEnvironment(values.GetValueOrDefault);
        Assert.Equal(7, settings.FailuresPerAddress);
        Assert.Null(settings.FailuresPerAccount);
        Assert.Equal(TimeSpan.FromMinutes(5), settings.FailureWindow);
        Assert.Equal(120, settings.PartnerRequestsPerToken);
        Assert.Equal(TimeSpan.FromMinutes(1), settings.PartnerWindow);
        Assert.Equal(new RateLimitSettings(), RateLimitSettings.FromEnvironment(_ => null));
    }

    private static Task<ProviderTestServer> StartAsync(StorageProvider provider, RateLimitSettings settings) =>
        ProviderTestServer.StartAsync(provider, WebTestClock.Create(), b => b.Services.AddSingleton(settings), ct: TestContext.Current.CancellationToken);

    private static async Task AssertThrottledAsync(HttpResponseMessage response, string code, int retryAfterSeconds)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.TooManyRequests, $"expected 429, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(code, JsonNode.Parse(body)!["code"]!.GetValue<string>());
        Assert.Equal(TimeSpan.FromSeconds(retryAfterSeconds), response.Headers.RetryAfter?.Delta);
    }

    private static void AssertEntry(JsonObject entry, string code, string limit, int permits)
    {
        Assert.Equal("refused", entry["outcome"]!.GetValue<string>());
        Assert.Equal(code, entry["code"]!.GetValue<string>());
        Assert.Equal("rate-limited@1", entry["payload"]!["schema"]!.GetValue<string>());
        Assert.Equal(limit, entry["payload"]!["limit"]!.GetValue<string>());
        Assert.Equal(permits.ToString(System.Globalization.CultureInfo.InvariantCulture), entry["payload"]!["permitLimit"]!.ToString());
    }

    private static Task<HttpResponseMessage> GetAsync(HttpClient client, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/districts");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>A client whose connections leave from <paramref name="local"/>: another client address to the server.</summary>
    private static HttpClient From(OpenParsTestServer server, IPAddress local) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, ct) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(local, 0));
                await socket.ConnectAsync(context.DnsEndPoint, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    }) { BaseAddress = server.BaseAddress };
}
