using System.Text.Json.Nodes;

namespace OpenPars.Core.Policy;

/// <summary>
/// One arrest as a partner may see it: only the granted fields, each already masked, keyed by catalogue name
/// (<c>person.ssn</c>). <see cref="ToJson"/> nests the names into the response object.
/// </summary>
public sealed class PartnerRecord
{
    private readonly SortedDictionary<string, JsonNode?> _fields;

    internal PartnerRecord(string arrestNumber, SortedDictionary<string, JsonNode?> fields)
    {
        ArrestNumber = arrestNumber;
        _fields = fields;
    }

    /// <summary>The record's id for the audit entry (which records were disclosed). It is part of the response
    /// only if <c>arrestNumber</c> is granted.</summary>
    public string ArrestNumber { get; }

    public IReadOnlyDictionary<string, JsonNode?> Fields => _fields;

    /// <summary>The response object: <c>person.ssn</c> becomes <c>{"person":{"ssn":…}}</c>. A fresh copy each call.</summary>
    public JsonObject ToJson()
    {
        var root = new JsonObject();
        foreach (var (name, value) in _fields)
        {
            var parts = name.Split('.');
            var node = root;
            foreach (var part in parts[..^1])
            {
                if (node[part] is not JsonObject child)
                {
                    child = [];
                    node[part] = child;
                }

                node = child;
            }

            node[parts[^1]] = value?.DeepClone();
        }

        return root;
    }
}
