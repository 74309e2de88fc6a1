using System.Globalization;
using System.Text.Json.Nodes;

namespace OpenPars.Core.Audit;

/// <summary>Allowed: the request was carried out. Refused: a rule refused it (its code says which). Failed: the server
/// failed while carrying it out (a 500); nothing was changed.</summary>
public enum AuditOutcome { Allowed, Refused, Failed }

public static class AuditOutcomes
{
    public static string ToCode(AuditOutcome outcome) => outcome switch
    {
        AuditOutcome.Allowed => "allowed",
        AuditOutcome.Refused => "refused",
        AuditOutcome.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome)),
    };
}

/// <summary>Who acted, as the audit log remembers them (CJIS §5.4.1.1: the user, the agency).</summary>
public sealed record AuditActor(long UserId, string UserName, string AgencyCode, IReadOnlyList<string> Roles, long? TokenId);

/// <summary>
/// One audit entry before it has its place in the log. Which request (channel, client, method, path), who,
/// what kind of event, with what outcome, which records it touched and on what criteria. The entry is the
/// place sensitive criteria may be kept: the log is readable only by privacy officers.
/// </summary>
public sealed record AuditEntry
{
    public required AuditEventType Type { get; init; }
    public required DateTimeOffset Time { get; init; }
    public AuditOutcome Outcome { get; init; } = AuditOutcome.Allowed;

    /// <summary>The refusal's stable code (PARS-AUTH-002, PARS-AGR-003, …) when refused.</summary>
    public string? Code { get; init; }

    public int? Status { get; init; }
    public AuditActor? Actor { get; init; }

    /// <summary>"http" or "cli".</summary>
    public string Channel { get; init; } = "http";

    public string? ClientAddress { get; init; }
    public string? Method { get; init; }
    public string? Path { get; init; }
    public IReadOnlyList<string> Records { get; init; } = [];

    /// <summary>Arrest numbers the request named (a path, an <c>arrestNumber</c> criterion) whether or not anything was
    /// disclosed, so "who looked at or for this record" includes refused attempts.</summary>
    public IReadOnlyList<string> Requested { get; init; } = [];
    public IReadOnlyDictionary<string, string>? Criteria { get; init; }

    /// <summary>What the event family says beyond the common members, typed and versioned (<c>payload</c>, with its
    /// <c>schema</c>; <see cref="Payloads.AuditPayloads"/>).</summary>
    public Payloads.AuditPayload? Payload { get; init; }

    /// <summary>The operating-system user who ran a CLI command (the origin of an entry without an OpenPARS user).</summary>
    public string? OsUser { get; init; }

    /// <summary>The free string map entries carried before payloads (<c>details</c>). Still written for an event
    /// family that has no payload type yet (the obsolete <c>AuditTrail.Detail</c>); read old ones with
    /// <see cref="Payloads.AuditPayloads.Read{T}(System.Text.Json.Nodes.JsonNode)"/>.</summary>
    public IReadOnlyDictionary<string, string>? Details { get; init; }

    /// <summary>The hashes (<see cref="EventEnvelope.Hash"/>, base64) of the events this entry recorded, in position
    /// order: what binds each event-log row to the log (Audit/README.md § 6).</summary>
    public IReadOnlyList<string> Events { get; init; } = [];

    /// <summary>The entry as JSON, its index included so a leaf cannot be moved; 64-bit numbers as strings (RFC 8785 numbers are doubles).</summary>
    public JsonObject ToJson(long index)
    {
        var json = new JsonObject
        {
            ["index"] = index.ToString(CultureInfo.InvariantCulture),
            ["time"] = AuditTime.Format(Time),
            ["type"] = (int)Type,
            ["event"] = AuditEventTypes.Name(Type),
            ["outcome"] = AuditOutcomes.ToCode(Outcome),
            ["channel"] = Channel,
        };
        Put(json, "code", Code);
        if (Status is { } status)
        {
            json["status"] = status;
        }

        if (Actor is { } actor)
        {
            var actorJson = new JsonObject
            {
                ["userId"] = actor.UserId.ToString(CultureInfo.InvariantCulture),
                ["user"] = actor.UserName,
                ["agency"] = actor.AgencyCode,
                ["roles"] = new JsonArray(actor.Roles.Select(r => (JsonNode)r).ToArray()),
            };
            if (actor.TokenId is { } tokenId)
            {
                actorJson["tokenId"] = tokenId.ToString(CultureInfo.InvariantCulture);
            }

            json["actor"] = actorJson;
        }

        Put(json, "client", ClientAddress);
        Put(json, "method", Method);
        Put(json, "path", Path);
        if (Records.Count > 0)
        {
            json["records"] = new JsonArray(Records.Select(r => (JsonNode)r).ToArray());
        }

        if (Requested.Count > 0)
        {
            json["requested"] = new JsonArray(Requested.Select(r => (JsonNode)r).ToArray());
        }

        if (Events.Count > 0)
        {
            json["events"] = new JsonArray(Events.Select(e => (JsonNode)e).ToArray());
        }

        PutMap(json, "criteria", Criteria);
        PutMap(json, "details", Details);
        Put(json, "osUser", OsUser);
        if (Payload is { } payload)
        {
            json["payload"] = payload.ToJson();
        }

        return json;
    }

    public byte[] CanonicalBytes(long index) => Rfc8785Canonicalizer.Canonicalize(ToJson(index));

    private static void Put(JsonObject json, string name, string? value)
    {
        if (value is not null)
        {
            json[name] = value;
        }
    }

    private static void PutMap(JsonObject json, string name, IReadOnlyDictionary<string, string>? map)
    {
        if (map is { Count: > 0 })
        {
            var obj = new JsonObject();
            foreach (var (key, value) in map)
            {
                obj[key] = value;
            }

            json[name] = obj;
        }
    }
}
