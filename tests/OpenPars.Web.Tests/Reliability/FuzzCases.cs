using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using OpenPars.Testing.Web;

namespace OpenPars.Web.Tests.Reliability;

/// <summary>How the Authorization header is formed for a case: the caller's token as a client sends it, or broken.</summary>
public enum FuzzAuth
{
    /// <summary><c>Bearer &lt;token&gt;</c> (no header for the anonymous caller).</summary>
    Plain,
    /// <summary>A token of the right shape that was never issued.</summary>
    Forged,
    /// <summary>Another scheme.</summary>
    Basic,
    /// <summary><c>Bearer </c> and nothing.</summary>
    EmptyBearer,
    /// <summary>The caller's token with junk after it.</summary>
    TrailingJunk,
    /// <summary>The caller's token with one character changed.</summary>
    OneCharOff,
}

/// <summary>One generated request, as data: which operation, who, and every part of the request, already encoded
/// for the wire. <see cref="ToString"/> is what a failure report prints to reproduce it by hand.</summary>
public sealed record FuzzCase(
    int OperationIndex,
    FuzzOperation Operation,
    string Caller,
    FuzzAuth Auth,
    string PathAndQuery,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    byte[]? Body,
    string? ContentType,
    IReadOnlyList<string> SensitiveSent)
{
    public override string ToString()
    {
        var body = Body is null ? "(no body)" : Encoding.UTF8.GetString(Body);
        if (body.Length > 600)
        {
            body = body[..600] + $"… ({Body!.Length} bytes)";
        }

        return $"{Operation.Method} {PathAndQuery} as {Caller} ({Auth}); headers [{string.Join("; ", Headers.Select(h => $"{h.Key}: {(h.Value.Length > 80 ? h.Value[..80] + "…" : h.Value)}"))}]; Content-Type {ContentType ?? "(none)"}; body {body}";
    }
}

/// <summary>What the arranged server holds that requests can name: real arrest numbers, ids and agreements, so that
/// generated requests reach the use cases and not only the 404s.</summary>
public sealed record FuzzTargets(IReadOnlyList<string> ArrestNumbers, IReadOnlyList<string> Ids, IReadOnlyList<string> AgreementIds, IReadOnlyList<string> Callers, IReadOnlyList<string> SeededSensitive);

/// <summary>The generator of <see cref="FuzzCase"/>s for the operations of a served document.</summary>
public sealed class FuzzCases(FuzzDocument document, FuzzTargets targets)
{
    /// <summary>Member names whose values are personal: an error must never echo them.</summary>
    private static readonly HashSet<string> SensitiveMembers = new(StringComparer.OrdinalIgnoreCase)
    {
        "lastName", "firstName", "middleName", "name", "dateOfBirth", "ssn", "contact", "street", "aliases", "sid", "pid", "fbiNumber",
    };

    private static readonly string[] UnknownParameters = ["dob", "from", "to", "limit", "foo", "lastName[]", "__proto__", "LASTNAME", "q", "cursor", "offset", "sort"];

    private static readonly string[] RawEncoded = ["%C3%28", "%ED%A0%80", "%FF%FE", "%00", "%E2%80%AE24", "%F0%28%8C%BC", "%C0%AF", "%2F", "%25", "%u0041"];

    private static readonly Dictionary<string, Func<JsonObject>> Examples = new(StringComparer.Ordinal)
    {
        ["BookArrest"] = () => SampleBookings.Valid("Zyxwarden", "Quillon"),
        ["CorrectArrest"] = () => new JsonObject { ["reason"] = "District keyed wrong", ["district"] = "25" },
        ["ChargingDecision"] = () => new JsonObject { ["outcome"] = "approve" },
        ["ArraignmentRecord"] = SampleBookings.ValidArraignment,
        ["AgreementDocument"] = () => TestAgreementDocuments.Document("agr-fuzz", "ICE", new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2027, 11, 1, 0, 0, 0, TimeSpan.Zero)),
        ["VoteRequest"] = () => new JsonObject { ["vote"] = "consent", ["statement"] = "We consent to this agreement." },
        ["CharterVoteRequest"] = () => new JsonObject { ["vote"] = "consent", ["statement"] = "We consent to this amendment." },
        ["NewToken"] = () => new JsonObject { ["expiresInDays"] = 7 },
    };

    /// <summary>Every case: an operation (each equally likely), then its parts.</summary>
    public Gen<FuzzCase> All => Gen.Int[0, document.Operations.Count - 1].SelectMany(For);

    private Gen<FuzzCase> For(int index)
    {
        var operation = document.Operations[index];
        var pathParameters = operation.Parameters.Where(p => p.In == "path").ToList();
        var queryParameters = operation.Parameters.Where(p => p.In == "query").ToList();
        var headerParameters = operation.Parameters.Where(p => p.In == "header").ToList();

        var path = Sequence(pathParameters.Select(p => PathValue(p).Select(v => (p.Name, v))))
            .Select(values => values.Aggregate(operation.Template, (t, v) => t.Replace("{" + v.Name + "}", v.v, StringComparison.Ordinal)));
        var query = Sequence(queryParameters.Select(p => Gen.Frequency((1, Gen.Const<(string, string, string)?>(() => null)), (1, QueryValue(p.Name).Select(v => ((string, string, string)?)(p.Name, v.Encoded, v.Plain))))))
            .SelectMany(declared => Gen.Frequency((6, Gen.Const(new List<(string, string, string)>())), (1, Gen.OneOf(UnknownParameters).SelectMany(n => QueryValue(n).Select(v => new List<(string, string, string)> { (n, v.Encoded, v.Plain) }))))
                .SelectMany(unknown => Gen.Int[0, 5].Select(duplicate =>
                {
                    var list = declared.Where(d => d is not null).Select(d => d!.Value).Concat(unknown).ToList();
                    if (duplicate == 0 && list.Count > 0)
                    {
                        list.Add(list[0]);
                    }

                    return list;
                })));
        var headers = Sequence(headerParameters.Select(p => Gen.Frequency((1, Gen.Const<KeyValuePair<string, string>?>(() => null)), (1, HeaderValue(p.Name).Select(v => (KeyValuePair<string, string>?)new(p.Name, v))))))
            .SelectMany(declared => Gen.Frequency(
                    (8, Gen.Const(new List<KeyValuePair<string, string>>())),
                    (1, Gen.OneOf("If-Match", "Idempotency-Key", "OpenPars-Purpose", "OpenPars-Reason", "OpenPars-Case-Number", "Last-Event-ID", "Accept", "X-Forwarded-For")
                        .SelectMany(n => HeaderValue(n).Select(v => new List<KeyValuePair<string, string>> { new(n, v) }))))
                .SelectMany(extra => Gen.Int[0, 7].Select(duplicate =>
                {
                    var list = declared.Where(h => h is not null).Select(h => h!.Value).Concat(extra).ToList();
                    if (duplicate == 0 && list.Count > 0)
                    {
                        list.Add(new(list[0].Key, list[0].Key == "If-Match" ? "\"9\"" : list[0].Value + "x"));
                    }

                    return list;
                })));
        var body = operation.Body is { } schema
            ? Gen.Frequency((6, JsonBody(operation.BodySchemaName, schema)), (1, Gen.OneOf(FuzzGens.JunkBodies).Select(j => ((string?)j, (IReadOnlyList<string>)[]))), (1, Gen.Const<(string?, IReadOnlyList<string>)>(() => (null, []))))
            : Gen.Frequency((9, Gen.Const<(string?, IReadOnlyList<string>)>(() => (null, []))), (1, Gen.OneOf(FuzzGens.JunkBodies).Select(j => ((string?)j, (IReadOnlyList<string>)[]))));
        var bytes = body.SelectMany(b => Gen.Int[0, 19].Select(corrupt => (Bytes: b.Item1 is null ? null : Corrupt(Encoding.UTF8.GetBytes(b.Item1), corrupt), Sensitive: b.Item2)));
        var contentType = operation.Body is null ? Gen.Frequency((5, Gen.Const<string?>(() => null)), (1, Gen.OneOf(FuzzGens.ContentTypes))) : Gen.OneOf(FuzzGens.ContentTypes);
        var auth = Gen.Frequency((12, Gen.Const(FuzzAuth.Plain)), (1, Gen.OneOf(FuzzAuth.Forged, FuzzAuth.Basic, FuzzAuth.EmptyBearer, FuzzAuth.TrailingJunk, FuzzAuth.OneCharOff)));

        return Gen.Select(path, query, headers, bytes, contentType, Gen.OneOf(targets.Callers.ToArray()), auth, (p, q, h, b, ct, caller, a) =>
        {
            var pathAndQuery = q.Count == 0 ? p : p + "?" + string.Join("&", q.Select(x => x.Item1 + "=" + x.Item2));
            var sensitive = b.Sensitive.Concat(q.Where(x => SensitiveMembers.Contains(x.Item1)).Select(x => x.Item3)).Where(IsDistinctive).Distinct().ToList();
            return new FuzzCase(index, operation, caller, a, pathAndQuery, h, b.Bytes, b.Bytes is null ? (ct == "application/json" ? null : ct) : ct, sensitive);
        });
    }

    /// <summary>A value long and specific enough that finding it in an answer means it was echoed, not coincidence.</summary>
    private static bool IsDistinctive(string value) => value.Trim().Length >= 4 && value.Any(char.IsLetterOrDigit) && !value.All(c => c == value[0]);

    private Gen<string> PathValue(FuzzParameter parameter)
    {
        var known = parameter.Name switch
        {
            "arrestNumber" => targets.ArrestNumbers,
            "version" => ["1", "2", "3"],
            _ => [.. targets.Ids, .. targets.AgreementIds],
        };
        return Gen.Frequency((4, Gen.OneOf(known.ToArray())), (3, FuzzGens.AnyText.Select(PathSegment)), (1, Gen.OneOf(RawEncoded)));
    }

    /// <summary>A path segment that still routes to the operation: never empty, never a dot segment; everything escaped.</summary>
    private static string PathSegment(string value) => value is "" or "." or ".." ? "x" + value : Escape(value);

    private static Gen<(string Encoded, string Plain)> QueryValue(string name)
    {
        Gen<string> plausible = name switch
        {
            "limit" or "index" or "treeSize" or "size" or "window" => FuzzGens.NumberText,
            "cursor" => Gen.OneOf(FuzzGens.ForgedCursors),
            "dateOfBirth" or "bookedFrom" or "bookedTo" or "from" or "to" or "date" => FuzzGens.DateText,
            "month" => Gen.OneOf("2026-11", "2026-13", "0000-00", "9999-12", "2026-1", "11-2026"),
            "lastName" => Gen.OneOf("Zyxwarden", "zyxwarden", "ZYXWÁRDEN", "Okafor", "Оkafor"),
            "firstName" => Gen.OneOf("Quillon", "Chidi"),
            "status" => Gen.OneOf("awaiting-charging", "charged", "declined", "arraigned", "paroled"),
            "district" => Gen.OneOf("24", "25", "99", "024"),
            "statute" => Gen.OneOf("18 § 2701(a)(1)", "18 § 9999", "18"),
            "outcome" => Gen.OneOf("allowed", "refused", "failed", "weird"),
            "groupBy" => Gen.OneOf("day", "user", "purpose", "century"),
            _ => FuzzGens.HostileString,
        };
        return Gen.Frequency((3, plausible), (3, FuzzGens.AnyText), (1, Gen.OneOf(RawEncoded).Select(r => "raw:" + r)))
            .Select(v => v.StartsWith("raw:", StringComparison.Ordinal) ? (v[4..], v[4..]) : (Escape(v), v));
    }

    private Gen<string> HeaderValue(string name)
    {
        Gen<string> plausible = name switch
        {
            "If-Match" => Gen.OneOf(FuzzGens.ForgedETags),
            "Idempotency-Key" => Gen.Frequency((2, Gen.Guid.Select(g => g.ToString())), (1, Gen.OneOf("k", new string('k', 200), new string('k', 201), " ", "same-key"))),
            "OpenPars-Purpose" => Gen.OneOf(TestAgreementDocuments.Purpose, "warrant-service", "immigration-enforcement", "CRIMINAL-INVESTIGATION", ""),
            "OpenPars-Reason" => Gen.OneOf(TestAgreementDocuments.Reason, "short", "sweep of foreign born", new string('r', 2_001)),
            "OpenPars-Case-Number" => Gen.OneOf(TestAgreementDocuments.CaseNumber, "", new string('9', 500)),
            "Last-Event-ID" => FuzzGens.NumberText,
            "Accept" => Gen.OneOf("text/event-stream", "application/json", "*/*", "text/html", "application/xml"),
            _ => FuzzGens.HostileString,
        };
        return Gen.Frequency((3, plausible), (1, FuzzGens.AnyText)).Select(FuzzGens.AsHeaderText);
    }

    /// <summary>A body from the operation's schema: a valid example with one hostile change, or a body made from the
    /// schema itself; then perhaps an unknown member or a member duplicated with another value.</summary>
    private Gen<(string?, IReadOnlyList<string>)> JsonBody(string? schemaName, JsonObject schema)
    {
        var resolved = document.Resolve(NonNull(schema));
        var name = schemaName ?? (NonNull(schema)["$ref"]?.GetValue<string>()?.Split('/')[^1]);
        var fromSchema = FromSchema(resolved, 0);
        var start = name is not null && Examples.TryGetValue(name, out var example)
            ? Gen.Frequency((3, Gen.Const<JsonNode?>(() => example())), (1, fromSchema))
            : fromSchema;
        return start.SelectMany(node => Mutate(node).SelectMany(mutated => Gen.Int[0, 9].SelectMany(shape => FuzzGens.AnyJson.Select(extra =>
        {
            var sensitive = SensitiveValues(mutated).ToList();
            var text = mutated?.ToJsonString(OpenPars.Core.Common.OpenParsJson.Options) ?? "null";
            if (mutated is JsonObject o && o.Count > 0 && shape == 0)
            {
                // A member twice: the second with another value (JsonObject cannot hold it, so it is written by hand).
                text = "{" + JsonValue.Create(o.First().Key).ToJsonString() + ":" + (extra?.ToJsonString() ?? "null") + "," + text[1..];
            }
            else if (mutated is JsonObject && shape == 1)
            {
                text = text.Length > 2 ? "{\"unknownMember\":1," + text[1..] : "{\"unknownMember\":1}";
            }

            return ((string?)text, (IReadOnlyList<string>)sensitive);
        }))));
    }

    private static JsonObject NonNull(JsonObject schema) =>
        schema["oneOf"] is JsonArray choices ? choices.Select(c => c!.AsObject()).FirstOrDefault(c => c["$ref"] is not null) ?? schema : schema;

    /// <summary>A value of a schema, each member present or not, each scalar from the hostile generators or the
    /// schema's own enum, nested to depth 4.</summary>
    private Gen<JsonNode?> FromSchema(JsonObject schema, int depth)
    {
        schema = document.Resolve(NonNull(schema));
        if (depth > 4)
        {
            return FuzzGens.AnyJson;
        }

        if (schema["enum"] is JsonArray values && values.Count > 0)
        {
            var options = values.Select(v => v?.ToJsonString()).ToArray();
            return Gen.Frequency((4, Gen.OneOf(options).Select(o => o is null ? null : JsonNode.Parse(o))), (1, FuzzGens.AnyJson));
        }

        var type = FuzzDocument.TypeOf(schema);
        switch (type)
        {
            case "object":
                var properties = schema["properties"]?.AsObject().Select(p => (p.Key, Schema: p.Value?.AsObject() ?? [])).ToList() ?? [];
                var required = schema["required"]?.AsArray().Select(r => r!.GetValue<string>()).ToHashSet() ?? [];
                if (properties.Count == 0)
                {
                    return Gen.Frequency((3, Gen.Const<JsonNode?>(() => new JsonObject())), (1, FuzzGens.AnyJson));
                }

                return Sequence(properties.Select(p => Gen.Frequency(
                        (required.Contains(p.Key) ? 8 : 3, FromSchema(p.Schema, depth + 1).Select(v => (p.Key, (JsonNode?)v, true))),
                        (1, Gen.Const<(string, JsonNode?, bool)>(() => (p.Key, null, false))))))
                    .Select(members =>
                    {
                        var o = new JsonObject();
                        foreach (var (key, value, present) in members.Where(m => m.Item3))
                        {
                            o[key] = value;
                        }

                        return (JsonNode?)o;
                    });
            case "array":
                var items = schema["items"]?.AsObject() ?? [];
                return Gen.Frequency((5, FromSchema(items, depth + 1).List[0, 3].Select(l => (JsonNode?)new JsonArray([.. l]))), (1, FuzzGens.AnyJson));
            case "integer" or "number":
                return Gen.Frequency((4, FuzzGens.NumberText.Select(FuzzGens.Number)), (1, FuzzGens.AnyJson));
            case "boolean":
                return Gen.Frequency((3, Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b))), (1, FuzzGens.AnyJson));
            default:
                var format = schema["format"]?.GetValue<string>();
                var text = format is "date" or "date-time" ? FuzzGens.DateText : FuzzGens.HostileString;
                return Gen.Frequency((4, text.Select(s => (JsonNode?)JsonValue.Create(s))), (1, FuzzGens.AnyJson));
        }
    }

    /// <summary>One hostile change at a random place of the tree (a member nulled, retyped, removed, added), or none.</summary>
    private static Gen<JsonNode?> Mutate(JsonNode? root) => Gen.Int[0, 5].SelectMany(kind => Gen.Int[0, 1_000].SelectMany(at => FuzzGens.AnyJson.Select(value =>
    {
        if (root is null || kind == 0)
        {
            return root;
        }

        var copy = root.DeepClone();
        var slots = Slots(copy).ToList();
        if (slots.Count == 0)
        {
            return copy;
        }

        var (parent, key, position) = slots[at % slots.Count];
        switch (kind)
        {
            case 1 or 2 when parent is JsonObject o:
                o[key!] = value;
                break;
            case 1 or 2 when parent is JsonArray a:
                a[position] = value;
                break;
            case 3 when parent is JsonObject o:
                o.Remove(key!);
                break;
            case 3 when parent is JsonArray a:
                a.RemoveAt(position);
                break;
            case 4 when parent is JsonObject o:
                o["x" + at.ToString(CultureInfo.InvariantCulture)] = value;
                break;
            default:
                if (parent is JsonObject p)
                {
                    p[key!] = null;
                }

                break;
        }

        return copy;
    })));

    private static IEnumerable<(JsonNode Parent, string? Key, int Position)> Slots(JsonNode node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, child) in o.ToList())
                {
                    yield return (o, key, 0);
                    if (child is not null)
                    {
                        foreach (var slot in Slots(child))
                        {
                            yield return slot;
                        }
                    }
                }

                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    yield return (a, null, i);
                    if (a[i] is { } child)
                    {
                        foreach (var slot in Slots(child))
                        {
                            yield return slot;
                        }
                    }
                }

                break;
        }
    }

    private static IEnumerable<string> SensitiveValues(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, child) in o)
                {
                    if (SensitiveMembers.Contains(key) && child is JsonValue v && v.TryGetValue<string>(out var s))
                    {
                        yield return s;
                    }

                    foreach (var inner in SensitiveValues(child))
                    {
                        yield return inner;
                    }
                }

                break;
            case JsonArray a:
                foreach (var inner in a.SelectMany(SensitiveValues))
                {
                    yield return inner;
                }

                break;
        }
    }

    /// <summary>Now and then a body whose bytes are not UTF-8 (a broken sequence inside, or a surrogate's CESU bytes).</summary>
    private static byte[] Corrupt(byte[] body, int corrupt)
    {
        if (corrupt > 1 || body.Length < 2)
        {
            return body;
        }

        var bad = corrupt == 0 ? new byte[] { 0xC3, 0x28 } : [0xED, 0xA0, 0x80];
        var at = Array.IndexOf(body, (byte)'"', 1) is var quote and > 0 ? quote + 1 : body.Length / 2;
        return [.. body[..at], .. bad, .. body[at..]];
    }

    /// <summary>Percent-encodes UTF-8 (a lone surrogate becomes U+FFFD's bytes: no client can send one as UTF-8).</summary>
    private static string Escape(string value) => Uri.EscapeDataString(Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(value)));

    private static Gen<List<T>> Sequence<T>(IEnumerable<Gen<T>> gens) =>
        gens.Aggregate(Gen.Const(() => new List<T>()), (acc, gen) => acc.SelectMany(list => gen.Select(item => new List<T>(list) { item })));
}
