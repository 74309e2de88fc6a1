using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpenPars.Core.Audit;

/// <summary>
/// RFC 8785 JSON Canonicalization Scheme: the exact bytes an audit entry is hashed as.
/// Object members sorted by their UTF-16 code units, no whitespace, numbers as ECMAScript
/// Number.prototype.toString (IEEE 754 double), strings with the minimal escaping of §3.2.2.2, UTF-8.
/// </summary>
public static class Rfc8785Canonicalizer
{
    // Lone surrogates cannot be represented (RFC 8785 §3.2.2.2 requires valid Unicode), so fail loudly.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <exception cref="FormatException">Duplicate member names, lone surrogates, or a number outside the double range.</exception>
    public static byte[] Canonicalize(JsonElement element)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Write(element, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <inheritdoc cref="Canonicalize(JsonElement)"/>
    public static byte[] Canonicalize(JsonNode? node)
    {
        // A JsonNode may wrap arbitrary CLR values; its own JSON writer is the one faithful rendering,
        // so canonicalize what it writes rather than re-implementing its value conversions.
        var raw = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(raw))
        {
            if (node is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                node.WriteTo(writer);
            }
        }

        using var document = JsonDocument.Parse(raw.WrittenMemory);
        return Canonicalize(document.RootElement);
    }

    /// <inheritdoc cref="Canonicalize(JsonElement)"/>
    public static byte[] Canonicalize(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json);
        using var document = JsonDocument.ParseValue(ref reader);
        return Canonicalize(document.RootElement);
    }

    public static string CanonicalizeToString(JsonElement element) => Encoding.UTF8.GetString(Canonicalize(element));

    public static void Write(JsonElement element, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                WriteObject(element, output);
                break;
            case JsonValueKind.Array:
                output.Write("["u8);
                var first = true;
                foreach (var item in element.EnumerateArray())
                {
                    if (!first)
                    {
                        output.Write(","u8);
                    }

                    first = false;
                    Write(item, output);
                }

                output.Write("]"u8);
                break;
            case JsonValueKind.String:
                WriteString(Decode(() => element.GetString()!), output);
                break;
            case JsonValueKind.Number:
                if (!element.TryGetDouble(out var number) || !double.IsFinite(number))
                {
                    throw new FormatException($"The number {element.GetRawText()} is not an IEEE 754 double.");
                }

                WriteAscii(FormatNumber(number), output);
                break;
            case JsonValueKind.True:
                output.Write("true"u8);
                break;
            case JsonValueKind.False:
                output.Write("false"u8);
                break;
            case JsonValueKind.Null:
                output.Write("null"u8);
                break;
            default:
                throw new FormatException($"Cannot canonicalize a JSON value of kind {element.ValueKind}.");
        }
    }

    /// <summary>
    /// ECMAScript Number::toString (ECMA-262 §6.1.6.1.20) for a finite double. .NET's "R" gives the
    /// shortest round-tripping digits; only the placement of the decimal point and exponent differs.
    /// </summary>
    public static string FormatNumber(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), "NaN and infinities have no JSON form.");
        }

        if (value == 0)
        {
            return "0"; // also -0 (RFC 8785 §3.2.2.3)
        }

        var (negative, digits, n) = ShortestDigits(value);
        var k = digits.Length;
        var sb = new StringBuilder(32);
        if (negative)
        {
            sb.Append('-');
        }

        // digits = d1..dk and value = 0.d1..dk × 10^n, as in the ECMAScript algorithm.
        if (k <= n && n <= 21)
        {
            sb.Append(digits).Append('0', n - k);
        }
        else if (0 < n && n <= 21)
        {
            sb.Append(digits, 0, n).Append('.').Append(digits, n, k - n);
        }
        else if (-6 < n && n <= 0)
        {
            sb.Append("0.").Append('0', -n).Append(digits);
        }
        else
        {
            sb.Append(digits[0]);
            if (k > 1)
            {
                sb.Append('.').Append(digits, 1, k - 1);
            }

            var e = n - 1;
            sb.Append('e').Append(e < 0 ? '-' : '+').Append(Math.Abs(e).ToString(CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }

    private static (bool Negative, string Digits, int PointPosition) ShortestDigits(double value)
    {
        var r = value.ToString("R", CultureInfo.InvariantCulture);
        var negative = r[0] == '-';
        if (negative)
        {
            r = r[1..];
        }

        var exponent = 0;
        var e = r.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exponent = int.Parse(r.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            r = r[..e];
        }

        var dot = r.IndexOf('.', StringComparison.Ordinal);
        var integerDigits = dot < 0 ? r.Length : dot;
        var all = dot < 0 ? r : string.Concat(r.AsSpan(0, dot), r.AsSpan(dot + 1));
        var leadingZeros = all.Length - all.TrimStart('0').Length;
        var digits = all.Trim('0');
        return (negative, digits, integerDigits + exponent - leadingZeros);
    }

    private static void WriteObject(JsonElement element, IBufferWriter<byte> output)
    {
        var members = new List<JsonProperty>();
        foreach (var member in element.EnumerateObject())
        {
            _ = Decode(() => member.Name);
            members.Add(member);
        }

        // Ordinal string comparison is exactly "by UTF-16 code units" (RFC 8785 §3.2.3).
        members.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        output.Write("{"u8);
        for (var i = 0; i < members.Count; i++)
        {
            if (i > 0)
            {
                if (string.Equals(members[i - 1].Name, members[i].Name, StringComparison.Ordinal))
                {
                    throw new FormatException($"Duplicate member name \"{members[i].Name}\" (RFC 8785 §3.1 requires unique names).");
                }

                output.Write(","u8);
            }

            WriteString(members[i].Name, output);
            output.Write(":"u8);
            Write(members[i].Value, output);
        }

        output.Write("}"u8);
    }

    /// <summary>
    /// Writes one string as RFC 8785 does (quoted, minimal escapes, UTF-8); refuses a lone surrogate. The text is
    /// encoded once and then copied run by run between the bytes that need escaping, found with a vectorized search
    /// (in UTF-8 every byte of a multi-byte sequence is ≥ 0x80, so a byte search cannot split a character).
    /// </summary>
    internal static void WriteString(string value, IBufferWriter<byte> output)
    {
        var rented = value.Length > 256 ? System.Buffers.ArrayPool<byte>.Shared.Rent(StrictUtf8.GetMaxByteCount(value.Length)) : null;
        try
        {
            Span<byte> encoded = rented is null ? stackalloc byte[StrictUtf8.GetMaxByteCount(256)] : rented;
            int length;
            try
            {
                length = StrictUtf8.GetBytes(value, encoded);
            }
            catch (EncoderFallbackException ex)
            {
                throw new FormatException("A string holds a lone UTF-16 surrogate, which RFC 8785 cannot represent.", ex);
            }

            var rest = encoded[..length];
            var span = output.GetSpan((length * 6) + 2);
            var written = 0;
            span[written++] = (byte)'"';
            int at;
            while ((at = rest.IndexOfAny(MustEscape)) >= 0)
            {
                rest[..at].CopyTo(span[written..]);
                written += at;
                var b = rest[at];
                ReadOnlySpan<byte> escape = b switch
                {
                    (byte)'"' => "\\\""u8,
                    (byte)'\\' => "\\\\"u8,
                    (byte)'\b' => "\\b"u8,
                    (byte)'\f' => "\\f"u8,
                    (byte)'\n' => "\\n"u8,
                    (byte)'\r' => "\\r"u8,
                    (byte)'\t' => "\\t"u8,
                    _ => default,
                };
                if (escape.IsEmpty)
                {
                    "\\u00"u8.CopyTo(span[written..]);
                    span[written + 4] = (byte)"0123456789abcdef"[b >> 4];
                    span[written + 5] = (byte)"0123456789abcdef"[b & 0xF];
                    written += 6;
                }
                else
                {
                    escape.CopyTo(span[written..]);
                    written += escape.Length;
                }

                rest = rest[(at + 1)..];
            }

            rest.CopyTo(span[written..]);
            written += rest.Length;
            span[written++] = (byte)'"';
            output.Advance(written);
        }
        finally
        {
            if (rented is not null)
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The bytes RFC 8785 escapes in a string: the quote, the backslash and U+0000–U+001F.</summary>
    private static readonly System.Buffers.SearchValues<byte> MustEscape =
        System.Buffers.SearchValues.Create([(byte)'"', (byte)'\\', .. Enumerable.Range(0, 0x20).Select(i => (byte)i)]);

    // System.Text.Json refuses to decode an escaped lone surrogate; report it like every other invalid input.
    private static string Decode(Func<string> read)
    {
        try
        {
            return read();
        }
        catch (InvalidOperationException ex)
        {
            throw new FormatException("A string holds a lone UTF-16 surrogate, which RFC 8785 cannot represent.", ex);
        }
    }

    private static void WriteAscii(string text, IBufferWriter<byte> output)
    {
        var span = output.GetSpan(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            span[i] = (byte)text[i];
        }

        output.Advance(text.Length);
    }
}
