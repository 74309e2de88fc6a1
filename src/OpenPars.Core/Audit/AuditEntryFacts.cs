using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace OpenPars.Core.Audit;

/// <summary>
/// The query columns of an audit entry as the store keeps them beside its bytes. Every one is derived from the
/// bytes (<see cref="AuditEntryFacts.TryRead"/>): the writer stores exactly that, and `audit verify` recomputes it.
/// </summary>
/// <param name="RecordedAt"><c>time</c>.</param>
/// <param name="EventType"><c>type</c>.</param>
/// <param name="Outcome"><c>outcome</c>.</param>
/// <param name="Code"><c>code</c>, or null.</param>
/// <param name="UserId"><c>actor.userId</c>, or null without an actor.</param>
/// <param name="AgencyCode"><c>actor.agency</c>, or null.</param>
/// <param name="AgreementId">The agreement the entry names: <c>payload.agreementId</c>, or in an entry written before payloads
/// <c>details.agreementId</c>; null when it names none.</param>
/// <param name="Purpose">The stated or granted purpose: <c>payload.purpose</c>, or <c>details.purpose</c>; null when none.</param>
public readonly record struct AuditEntryColumns(DateTimeOffset RecordedAt, int EventType, string Outcome, string? Code, long? UserId, string? AgencyCode,
    string? AgreementId = null, string? Purpose = null);

/// <summary>
/// What the query columns, the records index and the event bindings are derived from: the entry's own bytes, read
/// once with a forward-only reader (no document is built). The one definition of those derivations, for the writer
/// (<c>AuditLog</c>) and the verifier alike.
/// </summary>
/// <param name="Records">The arrest numbers of <c>records</c> then <c>requested</c>, distinct, in the order they first
/// appear, each a well-formed arrest number (<see cref="IsIndexable"/>): the rows of the records index.</param>
/// <param name="Events">The event hashes of <c>events</c>, in order (base64, as written).</param>
/// <param name="Columns">The query columns.</param>
public sealed record AuditEntryFacts(AuditEntryColumns Columns, IReadOnlyList<string> Records, IReadOnlyList<string> Events)
{
    private const string Allowed = "allowed";

    /// <summary>The longest arrest number the records index holds (its column's width).</summary>
    public const int MaxIndexedRecordLength = 16;

    /// <summary>Whether an entry's record or requested number gets a row of the records index: a well-formed arrest
    /// number that fits the column.</summary>
    public static bool IsIndexable(string record) => record.Length <= MaxIndexedRecordLength && Arrests.ArrestNumbers.IsWellFormed(record);
    private const string Refused = "refused";

    /// <summary>Reads the facts of an OpenPARS entry; false (with the reason) when the bytes are not one.</summary>
    public static bool TryRead(ReadOnlySpan<byte> entry, [NotNullWhen(true)] out AuditEntryFacts? facts, [NotNullWhen(false)] out string? error)
    {
        facts = null;
        try
        {
            return TryReadCore(entry, out facts, out error);
        }
        catch (JsonException e)
        {
            error = $"not JSON ({e.Message})";
            return false;
        }
    }

    private static bool TryReadCore(ReadOnlySpan<byte> entry, out AuditEntryFacts? facts, out string? error)
    {
        facts = null;
        var reader = new Utf8JsonReader(entry, new JsonReaderOptions { MaxDepth = 16 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            error = "not a JSON object";
            return false;
        }

        DateTimeOffset? time = null;
        int? type = null;
        string? outcome = null, code = null, agency = null;
        long? userId = null;
        List<string>? records = null;
        List<string>? requested = null;
        List<string>? events = null;
        (string? AgreementId, string? Purpose) payload = default, details = default;
        var hasPayload = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("time"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped || !AuditTime.TryParseUtf8(reader.ValueSpan, out var parsed))
                {
                    error = "time is not a yyyy-MM-ddTHH:mm:ss.ffffffZ string";
                    return false;
                }

                time = parsed;
            }
            else if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var number))
                {
                    error = "type is not an integer";
                    return false;
                }

                type = number;
            }
            else if (reader.ValueTextEquals("outcome"u8))
            {
                reader.Read();
                outcome = reader.TokenType != JsonTokenType.String ? throw new JsonException("a string was expected")
                    : reader.ValueTextEquals("allowed"u8) ? Allowed
                    : reader.ValueTextEquals("refused"u8) ? Refused
                    : reader.GetString();
            }
            else if (reader.ValueTextEquals("code"u8))
            {
                code = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("actor"u8))
            {
                if (!ReadActor(ref reader, out userId, out agency, out error))
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("records"u8))
            {
                records = ReadStrings(ref reader, distinct: true);
            }
            else if (reader.ValueTextEquals("requested"u8))
            {
                requested = ReadStrings(ref reader, distinct: true);
            }
            else if (reader.ValueTextEquals("events"u8))
            {
                events = ReadStrings(ref reader, distinct: false);
            }
            else if (reader.ValueTextEquals("payload"u8))
            {
                hasPayload = true;
                payload = ReadAgreementAndPurpose(ref reader);
            }
            else if (reader.ValueTextEquals("details"u8))
            {
                details = ReadAgreementAndPurpose(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (time is null || type is null || outcome is null)
        {
            error = "time, type or outcome is missing";
            return false;
        }

        // The index holds what was disclosed and what was asked for (a refused attempt is found under its record).
        // Only what can be an arrest number is indexed: a refused request may name anything in its path (a hostile
        // segment stays in the entry's bytes), but no record has that number, and a row of it would not fit the column.
        List<string> indexed = [.. (records ?? []).Concat(requested ?? []).Distinct(StringComparer.Ordinal).Where(IsIndexable)];
        // A typed payload says it; an entry written before payloads said it in its details strings (Payloads/, README § 7).
        var (agreementId, purpose) = hasPayload ? payload : details;
        facts = new AuditEntryFacts(new AuditEntryColumns(time.Value, type.Value, outcome, code, userId, agency, agreementId, purpose), indexed, events ?? []);
        error = null;
        return true;
    }

    private static string? ReadString(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType == JsonTokenType.String ? reader.GetString() : throw new JsonException("a string was expected");
    }

    private static bool ReadActor(ref Utf8JsonReader reader, out long? userId, out string? agency, out string? error)
    {
        userId = null;
        agency = null;
        error = null;
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            error = "actor is not an object";
            return false;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("userId"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String || !Utf8Parser.TryParse(reader.ValueSpan, out long id, out var consumed) || consumed != reader.ValueSpan.Length || reader.ValueIsEscaped)
                {
                    error = "actor.userId is not a decimal string";
                    return false;
                }

                userId = id;
            }
            else if (reader.ValueTextEquals("agency"u8))
            {
                agency = ReadString(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return true;
    }

    /// <summary>The <c>agreementId</c> and <c>purpose</c> strings of a <c>payload</c> or <c>details</c> object; other members skipped.</summary>
    private static (string? AgreementId, string? Purpose) ReadAgreementAndPurpose(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("an object was expected");
        }

        string? agreementId = null, purpose = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("agreementId"u8))
            {
                agreementId = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("purpose"u8))
            {
                purpose = ReadString(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return (agreementId, purpose);
    }

    private static List<string> ReadStrings(ref Utf8JsonReader reader, bool distinct)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("an array was expected");
        }

        var values = new List<string>();
        var seen = distinct ? new HashSet<string>(StringComparer.Ordinal) : null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var value = reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw new JsonException("an array of strings was expected");
            if (seen is null || seen.Add(value))
            {
                values.Add(value);
            }
        }

        return values;
    }
}
