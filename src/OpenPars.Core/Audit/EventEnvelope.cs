using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace OpenPars.Core.Audit;

/// <summary>
/// One event of the event log as it is hashed: every stored column but the audit index that binds it (which the
/// binding names) and the hash itself. Its canonical bytes are the RFC 8785 form of
/// <c>{"actor":{"agency":…,"userId":"…"},"body":"…","position":"…","recordedAt":"…Z","stream":…,"streamId":…,"type":…,"version":"…"}</c>
/// (numbers as strings, the body as the exact JSON text stored, <c>recordedAt</c> to the microsecond), and its hash
/// is SHA-256 of them. The audit entry that recorded the event lists that hash (Audit/README.md § 6).
/// </summary>
public readonly record struct EventEnvelope(
    long Position, string StreamType, string StreamId, int Version, string Type, string Body, DateTimeOffset RecordedAt, long UserId, string AgencyCode)
{
    public const int HashSize = 32;

    public byte[] CanonicalBytes() => Rfc8785Canonicalizer.Canonicalize(new JsonObject
    {
        ["position"] = Position.ToString(CultureInfo.InvariantCulture),
        ["stream"] = StreamType,
        ["streamId"] = StreamId,
        ["version"] = Version.ToString(CultureInfo.InvariantCulture),
        ["type"] = Type,
        ["recordedAt"] = AuditTime.Format(RecordedAt),
        ["actor"] = new JsonObject { ["userId"] = UserId.ToString(CultureInfo.InvariantCulture), ["agency"] = AgencyCode },
        ["body"] = Body,
    });

    public byte[] Hash() => SHA256.HashData(CanonicalBytes());

    /// <summary>A hash as audit entries list it: base64 (RFC 4648 § 4, padded).</summary>
    public static string Encode(ReadOnlySpan<byte> hash) => Convert.ToBase64String(hash);
}

/// <summary>Instants as audit entries and event hashes write them: UTC, to the microsecond (the precision every store keeps).</summary>
public static class AuditTime
{
    public const string Pattern = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    public static string Format(DateTimeOffset instant) => instant.UtcDateTime.ToString(Pattern, CultureInfo.InvariantCulture);

    public static bool TryParse(ReadOnlySpan<char> text, out DateTimeOffset instant) =>
        DateTimeOffset.TryParseExact(text, Pattern, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out instant);

    /// <summary>The instant as its formatted form keeps it (whole microseconds, UTC).</summary>
    public static DateTimeOffset Truncate(DateTimeOffset instant)
    {
        var utc = instant.ToUniversalTime();
        return utc.AddTicks(-(utc.UtcTicks % TimeSpan.TicksPerMicrosecond));
    }
}
