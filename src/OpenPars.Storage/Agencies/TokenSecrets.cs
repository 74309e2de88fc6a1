using System.Security.Cryptography;
using System.Text;

namespace OpenPars.Storage.Agencies;

/// <summary>
/// Bearer token secrets: 256 random bits, shown once. Only SHA-256(secret) is stored, so a copy of the
/// database does not let anyone sign in. (A slow hash adds nothing for 256-bit random secrets.)
/// </summary>
public static class TokenSecrets
{
    public const string Prefix = "opk_";

    public static string NewSecret() => Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    public static bool LooksLikeSecret(string? text) => text is { Length: > 20 and < 100 } && text.StartsWith(Prefix, StringComparison.Ordinal);

    internal static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
