using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace OpenPars.Core.Webhooks;

/// <summary>
/// Where webhooks may go (configuration): the hosts each agency's endpoints may name, the hosts that may be reached
/// over plain http, and whether loopback or private ranges may be reached at all (never in production; tests
/// configure loopback). Host names are compared in their ASCII (punycode) form, lower case.
/// </summary>
public sealed record WebhookAddressPolicy
{
    /// <summary>Per agency code, the hosts its endpoints may name: <c>hooks.example.org</c> exactly, or
    /// <c>*.example.org</c> for any name under it. An agency without an entry may register no endpoint.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> AllowedHosts { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>Hosts that may be reached over http (everything else needs https).</summary>
    public IReadOnlyList<string> HttpHosts { get; init; } = [];

    /// <summary>Allow 127.0.0.0/8 and ::1 (tests).</summary>
    public bool AllowLoopback { get; init; }

    /// <summary>Allow the private ranges (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7): a receiver inside the city's network.</summary>
    public bool AllowPrivate { get; init; }
}

/// <summary>A checked webhook url: its normalized form and its host in ASCII.</summary>
public sealed record WebhookUrl(Uri Uri, string AsciiHost);

/// <summary>
/// The address rules of outgoing webhooks, pure: the url at registration (scheme, host on the agency's allow list,
/// no literal address in a refused range), and every address the host resolves to at connect time — the connection
/// goes to the address that was checked, so a DNS answer that changes between check and connect (rebinding) cannot
/// reach a refused range.
/// </summary>
public static class WebhookAddresses
{
    /// <summary>The longest url accepted.</summary>
    public const int MaxUrlLength = 2000;

    /// <summary>Checks <paramref name="url"/> for an endpoint of agency <paramref name="agencyCode"/>.</summary>
    /// <returns>The url, or a refusal: (code, rule, message).</returns>
    public static (WebhookUrl? Url, (string Code, string Rule, string Message)? Refusal) CheckUrl(string? url, string agencyCode, WebhookAddressPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (string.IsNullOrWhiteSpace(url) || url.Length > MaxUrlLength || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return (null, (WebhookErrorCodes.UrlRefused, "absolute-url", $"url must be an absolute https URL of at most {MaxUrlLength} characters."));
        }

        if (uri.UserInfo.Length > 0 || uri.Fragment.Length > 0)
        {
            return (null, (WebhookErrorCodes.UrlRefused, "no-credentials-or-fragment", "url must not carry user information or a fragment."));
        }

        string host;
        try
        {
            host = AsciiHost(uri.IdnHost);
        }
        catch (ArgumentException)
        {
            return (null, (WebhookErrorCodes.UrlRefused, "host-name", "url's host is not a valid host name."));
        }

        var http = uri.Scheme == Uri.UriSchemeHttp;
        if (uri.Scheme != Uri.UriSchemeHttps && !http)
        {
            return (null, (WebhookErrorCodes.UrlRefused, "https", "url must use https."));
        }

        if (http && !policy.HttpHosts.Any(h => HostMatches(host, h)))
        {
            return (null, (WebhookErrorCodes.UrlRefused, "https", $"url must use https (plain http is allowed only for hosts the configuration lists; {host} is not one)."));
        }

        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal) && Refusal(literal, policy) is { } range)
        {
            return (null, (WebhookErrorCodes.AddressRefused, range, $"url's host {host} is a {range} address, which webhooks may not reach."));
        }

        if (!policy.AllowedHosts.TryGetValue(agencyCode, out var allowed) || !allowed.Any(h => HostMatches(host, h)))
        {
            return (null, (WebhookErrorCodes.HostNotAllowed, "host-allow-list", $"{host} is not on your agency's allow list of webhook hosts (configuration)."));
        }

        return (new WebhookUrl(uri, host), null);
    }

    /// <summary>The url as the audit log keeps it: scheme, host, port and path, never the query (a receiver may carry
    /// a token of its own there).</summary>
    public static string ForRecord(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Path) : "";

    /// <summary>A host name in the form compared: ASCII (punycode for an internationalized name), lower case, no trailing dot.</summary>
    public static string AsciiHost(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var trimmed = host.TrimEnd('.');
        if (trimmed.StartsWith('[') || IPAddress.TryParse(trimmed, out _))
        {
            return trimmed.ToLowerInvariant();
        }

        return new IdnMapping().GetAscii(trimmed).ToLowerInvariant();
    }

    /// <summary>Whether <paramref name="host"/> (ASCII) matches an allow-list entry (<c>name</c> or <c>*.domain</c>, any script).</summary>
    public static bool HostMatches(string host, string entry)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.StartsWith("*.", StringComparison.Ordinal))
        {
            var domain = AsciiHost(entry[2..]);
            return host.EndsWith("." + domain, StringComparison.Ordinal);
        }

        return string.Equals(host, AsciiHost(entry), StringComparison.Ordinal);
    }

    /// <summary>Why webhooks may not reach <paramref name="address"/> under <paramref name="policy"/>
    /// (<c>loopback</c>, <c>private</c>, <c>link-local</c>, <c>metadata</c>, <c>unspecified</c>, <c>multicast</c>,
    /// <c>reserved</c>), or null when they may.</summary>
    public static string? Refusal(IPAddress address, WebhookAddressPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(policy);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        var range = RangeOf(address);
        return range switch
        {
            null => null,
            "loopback" when policy.AllowLoopback => null,
            "private" when policy.AllowPrivate => null,
            _ => range,
        };
    }

    private static string? RangeOf(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] switch
            {
                127 => "loopback",
                0 => "unspecified",
                10 => "private",
                100 when b[1] is >= 64 and < 128 => "private",
                172 when b[1] is >= 16 and < 32 => "private",
                192 when b[1] == 168 => "private",
                169 when b[1] == 254 => b[2] == 169 && b[3] == 254 ? "metadata" : "link-local",
                192 when b[1] == 0 && b[2] == 0 => "reserved",
                198 when b[1] is 18 or 19 => "reserved",
                >= 224 and < 240 => "multicast",
                >= 240 => "reserved",
                _ => null,
            };
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            if (address.Equals(IPAddress.IPv6Loopback))
            {
                return "loopback";
            }

            if (address.Equals(IPAddress.IPv6None))
            {
                return "unspecified";
            }

            var b = address.GetAddressBytes();
            if (b[0] == 0xfd && b[1] == 0x00 && b[2] == 0x0e && b[3] == 0xc2)
            {
                return "metadata";
            }

            if (address.IsIPv6Multicast)
            {
                return "multicast";
            }

            if (address.IsIPv6LinkLocal || address.IsIPv6SiteLocal)
            {
                return "link-local";
            }

            if ((b[0] & 0xfe) == 0xfc)
            {
                return "private";
            }

            // 6to4 (2002::/16) and NAT64 (64:ff9b::/96) carry an IPv4 address: judged by it.
            if (b[0] == 0x20 && b[1] == 0x02)
            {
                return RangeOf(new IPAddress(b[2..6]));
            }

            if (b[0] == 0 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b[4..12].All(x => x == 0))
            {
                return RangeOf(new IPAddress(b[12..16]));
            }

            return null;
        }

        return "reserved";
    }
}
