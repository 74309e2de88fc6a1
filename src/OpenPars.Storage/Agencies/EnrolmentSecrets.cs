using System.Security.Cryptography;

namespace OpenPars.Storage.Agencies;

/// <summary>
/// One-time enrolment secrets: how an administrator lets a person obtain their own token without the administrator
/// ever holding it. 256 random bits with a prefix of their own, so a secret is never mistaken for a bearer token;
/// stored as a row of the tokens table marked by <see cref="Label"/> (SHA-256 only), which never authenticates a request.
/// </summary>
public static class EnrolmentSecrets
{
    public const string Prefix = "ope_";

    /// <summary>The tokens.label that marks a row as an enrolment; refused as the label of a token.</summary>
    public const string Label = "enrolment";

    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    public static string NewSecret() => Prefix + TokenSecrets.Base64Url(RandomNumberGenerator.GetBytes(32));

    public static bool LooksLikeSecret(string? text) => text is { Length: > 20 and < 100 } && text.StartsWith(Prefix, StringComparison.Ordinal);
}
