using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using OpenPars.Core.Common;

namespace OpenPars.Core.Audit.Payloads;

/// <summary>The name and version of a payload shape and the event types whose entries carry it.</summary>
/// <param name="Name">Stable forever, kebab-case (<c>partner-access</c>).</param>
/// <param name="Version">1 for the first shape; a changed shape is a new type with the next version.</param>
/// <param name="EventTypes">The event types whose entries carry it (an event type belongs to one schema).</param>
public sealed record AuditPayloadSchema(string Name, int Version, IReadOnlyList<AuditEventType> EventTypes)
{
    /// <summary>How the entry names the shape: <c>name@version</c> (<c>partner-access@1</c>).</summary>
    public string Id => $"{Name}@{Version.ToString(CultureInfo.InvariantCulture)}";
}

/// <summary>Marks a typed audit payload; see <see cref="IAuditPayload{TSelf}"/>.</summary>
[SuppressMessage("Design", "CA1040:Avoid empty interfaces", Justification = "The non-generic view of every payload, for the discriminated read.")]
public interface IAuditPayload;

/// <summary>
/// What one event family's entries say beyond the common members (who, when, outcome, records, criteria), as a
/// versioned record: written once into the entry's canonical bytes (<c>payload</c>, with its <c>schema</c>) and read
/// back typed by <see cref="AuditPayloads.Read{T}(JsonNode)"/>. Entries written before payloads existed kept the
/// same facts as strings in <c>details</c>; <see cref="FromDetails"/> reads those, so old entries read the same.
/// </summary>
public interface IAuditPayload<TSelf> : IAuditPayload
    where TSelf : IAuditPayload<TSelf>
{
    /// <summary>The shape's name, version and event types.</summary>
    static abstract AuditPayloadSchema Schema { get; }

    /// <summary>The payload of an entry written before payloads (its <c>details</c> string map, as it was written).</summary>
    static abstract TSelf FromDetails(IReadOnlyDictionary<string, string> details);
}

/// <summary>A payload as the entry holds it: its schema id and its JSON body (canonicalized with the entry).</summary>
public sealed class AuditPayload
{
    /// <summary>The member of <c>payload</c> that names its shape; no payload type has a member of that name.</summary>
    public const string SchemaMember = "schema";

    private readonly JsonObject _body;

    internal AuditPayload(string schema, JsonObject body)
    {
        Schema = schema;
        _body = body;
    }

    /// <summary><c>name@version</c>.</summary>
    public string Schema { get; }

    /// <summary>The entry's <c>payload</c> member: the body with its <c>schema</c>.</summary>
    public JsonObject ToJson()
    {
        var json = (JsonObject)_body.DeepClone();
        json[SchemaMember] = Schema;
        return json;
    }
}

/// <summary>Writes payloads into entries and reads them back typed, from new entries and old ones alike.</summary>
public static class AuditPayloads
{
    /// <summary>
    /// The payload dialect: OpenPARS JSON (camelCase, kebab-case enums, RFC 3339 instants, unknown members refused),
    /// nulls left out, and every number written as a string: RFC 8785 numbers are doubles, a 64-bit id is not.
    /// </summary>
    public static JsonSerializerOptions Options { get; } = new(OpenParsJson.Options)
    {
        NumberHandling = JsonNumberHandling.WriteAsString | JsonNumberHandling.AllowReadingFromString,
    };

    /// <summary>Every payload type, one line each: what the discriminated read knows (README § Payloads).</summary>
    private static readonly PayloadKind[] Kinds =
    [
        Kind<PartnerAccessV1>(),
        Kind<AgreementChangeV1>(),
        Kind<AgreementVoteV1>(),
        Kind<AgreementReadV1>(),
        Kind<AgencyAddedV1>(),
        Kind<UserAddedV1>(),
        Kind<TokenCreatedV1>(),
        Kind<TokenRevokedV1>(),
        Kind<RolesChangedV1>(),
        Kind<EnrolmentIssuedV1>(),
        Kind<EnrolmentRedeemedV1>(),
        Kind<ArrestBookedV1>(),
        Kind<CharterChangeV1>(),
        Kind<ArrestsBatchWrittenV1>(),
        Kind<ArrestsSeededV1>(),
        Kind<EventsAdoptedV1>(),
        Kind<AuditExportedV1>(),
        Kind<StreamOpenedV1>(),
        Kind<StreamDeliveredV1>(),
        Kind<WebhookV1>(),
        Kind<OversightReadV1>(),
        Kind<OversightAlertV1>(),
        Kind<TransparencyReportV1>(),
        Kind<AuditKeyRotatedV1>(),
        Kind<StoreBackedUpV1>(),
        Kind<StoreRestoredV1>(),
        Kind<SignInV1>(),
        Kind<RateLimitedV1>(),
        Kind<WatchV1>(),
        Kind<PartnerStreamV1>(),
    ];

    private static readonly Dictionary<string, PayloadKind> BySchema = Kinds.ToDictionary(k => k.Schema.Id, StringComparer.Ordinal);

    /// <summary>The schemas of every payload type.</summary>
    public static IReadOnlyList<AuditPayloadSchema> Schemas { get; } = [.. Kinds.Select(k => k.Schema)];

    /// <summary>The payload as an entry holds it.</summary>
    public static AuditPayload Write<T>(T payload)
        where T : IAuditPayload<T>
    {
        ArgumentNullException.ThrowIfNull(payload);
        var body = JsonSerializer.SerializeToNode(payload, Options) as JsonObject
            ?? throw new InvalidOperationException($"{typeof(T).Name} does not serialize to a JSON object.");
        if (body.ContainsKey(AuditPayload.SchemaMember))
        {
            throw new InvalidOperationException($"{typeof(T).Name} has a member named {AuditPayload.SchemaMember}, which names the payload's shape.");
        }

        return new AuditPayload(T.Schema.Id, body);
    }

    /// <summary>The entry's payload of type <typeparamref name="T"/>: from its <c>payload</c> when it has one of that
    /// schema, else from the <c>details</c> of an older entry of one of <typeparamref name="T"/>'s event types; null
    /// when the entry carries none.</summary>
    /// <exception cref="JsonException">The entry's payload names this schema but does not have its shape.</exception>
    public static T? Read<T>(JsonNode entry)
        where T : class, IAuditPayload<T>
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry["payload"] is JsonObject payload)
        {
            return SchemaOf(payload) == T.Schema.Id ? Body<T>(payload) : null;
        }

        return TypeOf(entry) is { } type && T.Schema.EventTypes.Contains(type) && DetailsOf(entry) is { } details ? T.FromDetails(details) : null;
    }

    /// <summary><see cref="Read{T}(JsonNode)"/> on an entry's canonical bytes.</summary>
    public static T? Read<T>(ReadOnlySpan<byte> entry)
        where T : class, IAuditPayload<T> =>
        Read<T>(JsonNode.Parse(entry) ?? throw new JsonException("The entry is JSON null."));

    /// <summary>Whatever payload the entry carries, typed: by its schema, or for an older entry by its event type.
    /// Null when it carries none (or names a schema this build does not know).</summary>
    public static IAuditPayload? Read(JsonNode entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry["payload"] is JsonObject payload)
        {
            return SchemaOf(payload) is { } schema && BySchema.TryGetValue(schema, out var kind) ? kind.Read(payload) : null;
        }

        if (TypeOf(entry) is not { } type || DetailsOf(entry) is not { } details)
        {
            return null;
        }

        return Kinds.FirstOrDefault(k => k.Schema.EventTypes.Contains(type))?.FromDetails(details);
    }

    /// <summary>The operating-system user of a CLI entry: <c>osUser</c>, or <c>details.osUser</c> in older entries.</summary>
    public static string? OsUser(JsonNode entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry["osUser"]?.GetValue<string>() ?? entry["details"]?["osUser"]?.GetValue<string>();
    }

    private static PayloadKind Kind<T>()
        where T : class, IAuditPayload<T> =>
        new(T.Schema, Body<T>, d => T.FromDetails(d));

    private static T Body<T>(JsonObject payload)
    {
        var body = (JsonObject)payload.DeepClone();
        body.Remove(AuditPayload.SchemaMember);
        return body.Deserialize<T>(Options) ?? throw new JsonException($"The payload is not a {typeof(T).Name}.");
    }

    private static string? SchemaOf(JsonObject payload) =>
        payload[AuditPayload.SchemaMember] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static AuditEventType? TypeOf(JsonNode entry) =>
        entry["type"] is JsonValue v && v.TryGetValue<int>(out var n) ? (AuditEventType)n : null;

    private static Dictionary<string, string>? DetailsOf(JsonNode entry) =>
        entry["details"] is JsonObject details
            ? details.Where(p => p.Value is JsonValue).ToDictionary(p => p.Key, p => p.Value!.GetValue<string>(), StringComparer.Ordinal)
            : null;

    private sealed record PayloadKind(AuditPayloadSchema Schema, Func<JsonObject, IAuditPayload> Read, Func<IReadOnlyDictionary<string, string>, IAuditPayload> FromDetails);
}

/// <summary>Reading the strings of an older entry's <c>details</c>.</summary>
internal static class LegacyDetails
{
    public static string? Text(this IReadOnlyDictionary<string, string> details, string name) =>
        details.TryGetValue(name, out var value) ? value : null;

    public static long? Long(this IReadOnlyDictionary<string, string> details, string name) =>
        details.TryGetValue(name, out var value) && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;

    public static int? Int(this IReadOnlyDictionary<string, string> details, string name) =>
        details.TryGetValue(name, out var value) && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;

    /// <summary>A list the older code joined with commas (roles, disclosed fields).</summary>
    public static IReadOnlyList<string> List(this IReadOnlyDictionary<string, string> details, string name) =>
        details.TryGetValue(name, out var value) ? value.Split(',', StringSplitOptions.RemoveEmptyEntries) : [];
}
