namespace OpenPars.Core.Webhooks;

/// <summary>
/// The address policy of a server started from the command line, read from its settings (the environment):
/// <list type="bullet">
/// <item><c>OPENPARS_WEBHOOK_ALLOWED_HOSTS</c>: per agency code the hosts its endpoints may name,
/// <c>ICE=hooks.ice.example,*.ice.example;PPD=jms.city.example</c> (exact names or <c>*.</c> for any name under one;
/// names in Unicode or punycode alike). An agency not named may register no endpoint.</item>
/// <item><c>OPENPARS_WEBHOOK_HTTP_HOSTS</c>: hosts that may be reached over plain http, comma-separated.</item>
/// <item><c>OPENPARS_WEBHOOK_ALLOW_PRIVATE</c> / <c>OPENPARS_WEBHOOK_ALLOW_LOOPBACK</c>: <c>true</c> to let receivers
/// in the private ranges / on loopback be reached (a jail system inside the city's network; a test).</item>
/// </list>
/// Without them no webhook can be registered: the safe default. A malformed setting stops the server with a
/// message naming it rather than quietly allowing less or more.
/// </summary>
public static class WebhookSettings
{
    /// <summary>The allow lists, agency by agency.</summary>
    public const string AllowedHosts = "OPENPARS_WEBHOOK_ALLOWED_HOSTS";

    /// <summary>The hosts reachable over http.</summary>
    public const string HttpHosts = "OPENPARS_WEBHOOK_HTTP_HOSTS";

    /// <summary>Whether private ranges may be reached.</summary>
    public const string AllowPrivate = "OPENPARS_WEBHOOK_ALLOW_PRIVATE";

    /// <summary>Whether loopback may be reached.</summary>
    public const string AllowLoopback = "OPENPARS_WEBHOOK_ALLOW_LOOPBACK";

    /// <summary>The policy the settings describe; <paramref name="read"/> returns a setting's value or null.</summary>
    /// <exception cref="FormatException">A setting is not in its form (the message names the setting, never a secret: these hold none).</exception>
    public static WebhookAddressPolicy Read(Func<string, string?> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        var allowed = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var part in Split(read(AllowedHosts), ';'))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            var agency = equals > 0 ? part[..equals].Trim() : "";
            var hosts = equals > 0 ? Split(part[(equals + 1)..], ',').Select(h => Host(h, AllowedHosts)).ToList() : [];
            if (agency.Length == 0 || !agency.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c)) || hosts.Count == 0)
            {
                throw new FormatException($"{AllowedHosts} must be AGENCY=host[,host…][;AGENCY=…] with agency codes in capitals, e.g. ICE=hooks.ice.example;PPD=jms.city.example.");
            }

            if (!allowed.TryAdd(agency, hosts))
            {
                throw new FormatException($"{AllowedHosts} names agency {agency} twice.");
            }
        }

        return new WebhookAddressPolicy
        {
            AllowedHosts = allowed,
            HttpHosts = Split(read(HttpHosts), ',').Select(h => Host(h, HttpHosts)).ToList(),
            AllowPrivate = Flag(read(AllowPrivate), AllowPrivate),
            AllowLoopback = Flag(read(AllowLoopback), AllowLoopback),
        };
    }

    private static string[] Split(string? text, char separator) =>
        (text ?? "").Split(separator, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private static string Host(string host, string setting)
    {
        var name = host.StartsWith("*.", StringComparison.Ordinal) ? host[2..] : host;
        if (name.Length == 0 || name.Contains('/', StringComparison.Ordinal) || name.Contains(':', StringComparison.Ordinal) || Uri.CheckHostName(name) == UriHostNameType.Unknown)
        {
            throw new FormatException($"{setting}: \"{host}\" is not a host name (no scheme, port or path).");
        }

        return host;
    }

    private static bool Flag(string? value, string setting) => value switch
    {
        null or "" or "false" or "0" => false,
        "true" or "1" => true,
        _ => throw new FormatException($"{setting} must be true or false."),
    };
}
