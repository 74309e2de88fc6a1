using System.Buffers;
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

    /// <summary>
    /// The RFC 8785 form, written directly (every value is a string and the member order is fixed, so this is what the
    /// canonicalizer makes of the object, without building and re-reading it; a test holds the two equal).
    /// </summary>
    public byte[] CanonicalBytes()
    {
        var output = new ArrayBufferWriter<byte>(Body.Length + 256);
        Write(output);
        return output.WrittenSpan.ToArray();
    }

    public byte[] Hash()
    {
        var output = new ArrayBufferWriter<byte>(Body.Length + 256);
        Write(output);
        return SHA256.HashData(output.WrittenSpan);
    }

    /// <summary>The same object through the general canonicalizer: the definition <see cref="CanonicalBytes"/> must equal.</summary>
    internal JsonObject ToJson() => new()
    {
        ["position"] = Position.ToString(CultureInfo.InvariantCulture),
        ["stream"] = StreamType,
        ["streamId"] = StreamId,
        ["version"] = Version.ToString(CultureInfo.InvariantCulture),
        ["type"] = Type,
        ["recordedAt"] = AuditTime.Format(RecordedAt),
        ["actor"] = new JsonObject { ["userId"] = UserId.ToString(CultureInfo.InvariantCulture), ["agency"] = AgencyCode },
        ["body"] = Body,
    };

    // Members in RFC 8785 order (UTF-16 code units of the names): actor{agency, userId}, body, position, recordedAt, stream, streamId, type, version.
    private void Write(ArrayBufferWriter<byte> output)
    {
        output.Write("{\"actor\":{\"agency\":"u8);
        Rfc8785Canonicalizer.WriteString(AgencyCode, output);
        output.Write(",\"userId\":"u8);
        Rfc8785Canonicalizer.WriteString(UserId.ToString(CultureInfo.InvariantCulture), output);
        output.Write("},\"body\":"u8);
        Rfc8785Canonicalizer.WriteString(Body, output);
        output.Write(",\"position\":"u8);
        Rfc8785Canonicalizer.WriteString(Position.ToString(CultureInfo.InvariantCulture), output);
        output.Write(",\"recordedAt\":"u8);
        Rfc8785Canonicalizer.WriteString(AuditTime.Format(RecordedAt), output);
        output.Write(",\"stream\":"u8);
        Rfc8785Canonicalizer.WriteString(StreamType, output);
        output.Write(",\"streamId\":"u8);
        Rfc8785Canonicalizer.WriteString(StreamId, output);
        output.Write(",\"type\":"u8);
        Rfc8785Canonicalizer.WriteString(Type, output);
        output.Write(",\"version\":"u8);
        Rfc8785Canonicalizer.WriteString(Version.ToString(CultureInfo.InvariantCulture), output);
        output.Write("}"u8);
    }


    /// <summary>A hash as audit entries list it: base64 (RFC 4648 § 4, padded).</summary>
    public static string Encode(ReadOnlySpan<byte> hash) => Convert.ToBase64String(hash);
}

/// <summary>Instants as audit entries and event hashes write them: UTC, to the microsecond (the precision every store keeps).</summary>
public static class AuditTime
{
    public const string Pattern = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    public static string Format(DateTimeOffset instant) => instant.UtcDateTime.ToString(Pattern, CultureInfo.InvariantCulture);

    /// <summary>Reads an instant written by <see cref="Format"/> from UTF-8 bytes, without a general parser: the 27 fixed positions of <see cref="Pattern"/>.</summary>
    public static bool TryParseUtf8(ReadOnlySpan<byte> text, out DateTimeOffset instant)
    {
        instant = default;
        if (text.Length != 27 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':' || text[19] != '.' || text[26] != 'Z')
        {
            return false;
        }

        if (!Digits(text[..4], out var year) || !Digits(text.Slice(5, 2), out var month) || !Digits(text.Slice(8, 2), out var day)
            || !Digits(text.Slice(11, 2), out var hour) || !Digits(text.Slice(14, 2), out var minute) || !Digits(text.Slice(17, 2), out var second)
            || !Digits(text.Slice(20, 6), out var micro))
        {
            return false;
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        instant = new DateTimeOffset(new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).AddTicks(micro * TimeSpan.TicksPerMicrosecond));
        return true;

        static bool Digits(ReadOnlySpan<byte> digits, out int value)
        {
            value = 0;
            foreach (var b in digits)
            {
                if (b is < (byte)'0' or > (byte)'9')
                {
                    return false;
                }

                value = (value * 10) + (b - '0');
            }

            return true;
        }
    }

    /// <summary>The instant as its formatted form keeps it (whole microseconds, UTC).</summary>
    public static DateTimeOffset Truncate(DateTimeOffset instant)
    {
        var utc = instant.ToUniversalTime();
        return utc.AddTicks(-(utc.UtcTicks % TimeSpan.TicksPerMicrosecond));
    }
}
