using System.Net;
using System.Net.Sockets;
using OpenPars.Core.Webhooks;

namespace OpenPars.App.Webhooks;

/// <summary>Thrown at connect time when a webhook host resolves to no address webhooks may reach.</summary>
public sealed class WebhookAddressRefusedException : Exception
{
    /// <summary>A refusal with its message.</summary>
    public WebhookAddressRefusedException(string message)
        : base(message)
    {
    }

    /// <summary>An empty refusal.</summary>
    public WebhookAddressRefusedException()
    {
    }

    /// <summary>A refusal with its cause.</summary>
    public WebhookAddressRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// The HTTP client webhooks are sent with: no proxy, no redirects, no cookies, and a connect callback that resolves
/// the host itself, checks every address (<see cref="WebhookAddresses.Refusal"/>) and connects to one that passed —
/// the address connected to is the address checked, so a DNS answer that changes after registration, or between
/// two lookups (rebinding), cannot reach loopback, private, link-local or metadata ranges.
/// </summary>
public static class WebhookHttp
{
    /// <summary>A client for <paramref name="options"/> (the caller disposes it).</summary>
    public static HttpClient CreateClient(WebhookOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            ConnectTimeout = options.AttemptTimeout,
            ConnectCallback = (context, ct) => ConnectAsync(context.DnsEndPoint, options, ct),
        };
        return new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>The addresses of <paramref name="host"/> that webhooks may reach; refused when there are none.</summary>
    /// <exception cref="WebhookAddressRefusedException">Every address is in a refused range, or there is none.</exception>
    public static async Task<IReadOnlyList<IPAddress>> AllowedAddressesAsync(string host, WebhookOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await options.Resolve(host, ct);
        var allowed = addresses.Where(a => WebhookAddresses.Refusal(a, options.Addresses) is null).ToList();
        if (allowed.Count == 0)
        {
            var ranges = string.Join(", ", addresses.Select(a => WebhookAddresses.Refusal(a, options.Addresses)).Distinct());
            throw new WebhookAddressRefusedException(addresses.Length == 0
                ? $"{host} resolves to no address."
                : $"{host} resolves only to addresses webhooks may not reach ({ranges}).");
        }

        return allowed;
    }

    private static async ValueTask<Stream> ConnectAsync(DnsEndPoint endpoint, WebhookOptions options, CancellationToken ct)
    {
        var addresses = await AllowedAddressesAsync(endpoint.Host, options, ct);
        Exception? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, endpoint.Port), ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
        }

        throw new HttpRequestException($"Could not connect to {endpoint.Host}:{endpoint.Port}.", last);
    }
}
