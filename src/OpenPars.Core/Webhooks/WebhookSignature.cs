using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace OpenPars.Core.Webhooks;

/// <summary>
/// The Standard Webhooks signature (standardwebhooks.com): the headers <c>webhook-id</c> (the same on every retry of
/// a delivery), <c>webhook-timestamp</c> (Unix seconds of the attempt) and <c>webhook-signature</c>:
/// <c>v1,</c> + base64(HMAC-SHA256(key, id + "." + timestamp + "." + body)). The secret is <c>whsec_</c> + base64 of
/// the key's bytes; the receiver verifies with the same secret (tests do so with the StandardWebhooks package).
/// </summary>
public static class WebhookSignature
{
    /// <summary>The header naming the message (stable across retries: the receiver's dedupe key).</summary>
    public const string IdHeader = "webhook-id";

    /// <summary>The header with the attempt's Unix time in seconds.</summary>
    public const string TimestampHeader = "webhook-timestamp";

    /// <summary>The header with the signature(s).</summary>
    public const string SignatureHeader = "webhook-signature";

    /// <summary>The secret's prefix.</summary>
    public const string SecretPrefix = "whsec_";

    /// <summary>Bytes of key in a secret.</summary>
    public const int KeyBytes = 32;

    /// <summary>The secret shown once for <paramref name="key"/>.</summary>
    public static string SecretFor(ReadOnlySpan<byte> key) => SecretPrefix + Convert.ToBase64String(key);

    /// <summary>The key of a secret made by <see cref="SecretFor"/>.</summary>
    public static byte[] KeyOf(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (!secret.StartsWith(SecretPrefix, StringComparison.Ordinal))
        {
            throw new FormatException("A webhook secret starts with whsec_.");
        }

        return Convert.FromBase64String(secret[SecretPrefix.Length..]);
    }

    /// <summary>The <c>webhook-signature</c> value for one attempt.</summary>
    public static string Sign(ReadOnlySpan<byte> key, string id, DateTimeOffset timestamp, string body)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(body);
        var signed = Encoding.UTF8.GetBytes($"{id}.{Timestamp(timestamp)}.{body}");
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed));
    }

    /// <summary>The <c>webhook-timestamp</c> value: Unix seconds.</summary>
    public static string Timestamp(DateTimeOffset at) => at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
}
