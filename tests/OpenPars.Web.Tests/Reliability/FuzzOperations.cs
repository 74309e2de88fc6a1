using System.Text.Json.Nodes;

namespace OpenPars.Web.Tests.Reliability;

/// <summary>One parameter of an operation as the served OpenAPI document declares it.</summary>
/// <param name="Name">As sent (<c>lastName</c>, <c>If-Match</c>).</param>
/// <param name="In"><c>path</c>, <c>query</c> or <c>header</c>.</param>
/// <param name="Type">The schema's type (<c>string</c>, <c>integer</c>, …), <c>string</c> when it names none.</param>
public sealed record FuzzParameter(string Name, string In, string Type);

/// <summary>One operation of the served document: what the fuzzer may call.</summary>
/// <param name="Method">GET, POST, …</param>
/// <param name="Template">The route as served, <c>/api/v1/arrests/{arrestNumber}</c>.</param>
/// <param name="Parameters">Path, query and header parameters.</param>
/// <param name="BodySchemaName">The component schema of the JSON body (<c>BookArrest</c>), null when the operation takes none.</param>
/// <param name="Body">The body's schema, references resolved lazily by <see cref="FuzzDocument.Resolve"/>.</param>
/// <param name="Streams">The document says its answer is server-sent events (<c>text/event-stream</c>): an answer that
/// does not end by itself, so the fuzzer reads its headers only. Read from the document, not the path, so a stream
/// added under any route is one (the overseers' alert stream is under <c>/api/v1/oversight/</c>).</param>
public sealed record FuzzOperation(string Method, string Template, IReadOnlyList<FuzzParameter> Parameters, string? BodySchemaName, JsonObject? Body, bool Streams)
{
    /// <summary>The key of the endpoint's promise in <c>Security/EndpointPromises</c> (<c>{arrestNumber}</c> is written <c>{n}</c> there).</summary>
    public string PromiseKey => $"{Method} {Template.Replace("{arrestNumber}", "{n}", StringComparison.Ordinal)}";

    public override string ToString() => $"{Method} {Template}";
}

/// <summary>The served OpenAPI document read as the fuzzer's list of operations: nothing here is a hand list.</summary>
public sealed class FuzzDocument
{
    private readonly JsonObject _schemas;

    private FuzzDocument(JsonObject schemas, IReadOnlyList<FuzzOperation> operations)
    {
        _schemas = schemas;
        Operations = operations;
    }

    /// <summary>Every operation under <c>/api/</c> the document serves.</summary>
    public IReadOnlyList<FuzzOperation> Operations { get; }

    /// <summary>Reads the document the server serves at <paramref name="path"/>.</summary>
    public static async Task<FuzzDocument> ReadAsync(HttpClient client, string path = "/openapi/v1.json")
    {
        var document = JsonNode.Parse(await client.GetStringAsync(new Uri(path, UriKind.Relative)))!.AsObject();
        var schemas = document["components"]?["schemas"]?.AsObject() ?? [];
        var operations = new List<FuzzOperation>();
        foreach (var (template, item) in document["paths"]!.AsObject())
        {
            if (!template.StartsWith("/api/", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var (method, operation) in item!.AsObject())
            {
                if (method is not ("get" or "post" or "put" or "delete" or "patch"))
                {
                    continue;
                }

                var parameters = (operation!["parameters"]?.AsArray() ?? [])
                    .Select(p => new FuzzParameter(p!["name"]!.GetValue<string>(), p["in"]!.GetValue<string>(), TypeOf(p["schema"])))
                    .ToList();
                var bodySchema = operation["requestBody"]?["content"]?["application/json"]?["schema"]?.AsObject();
                var reference = bodySchema?["$ref"]?.GetValue<string>();
                var streams = operation["responses"]?["200"]?["content"]?["text/event-stream"] is not null;
                operations.Add(new FuzzOperation(method.ToUpperInvariant(), template, parameters, reference?.Split('/')[^1], bodySchema, streams));
            }
        }

        return new FuzzDocument(schemas, operations);
    }

    /// <summary>The schema itself when <paramref name="schema"/> is a <c>$ref</c> to a component.</summary>
    public JsonObject Resolve(JsonObject schema)
    {
        for (var hops = 0; schema["$ref"]?.GetValue<string>() is { } reference && hops < 10; hops++)
        {
            schema = _schemas[reference.Split('/')[^1]]?.AsObject() ?? [];
        }

        return schema;
    }

    /// <summary>The first non-null type a schema names (<c>["null", "string"]</c> is a string).</summary>
    public static string TypeOf(JsonNode? schema) => schema?["type"] switch
    {
        JsonArray types => types.Select(t => t!.GetValue<string>()).FirstOrDefault(t => t != "null") ?? "string",
        JsonValue type => type.GetValue<string>(),
        _ => "string",
    };
}
