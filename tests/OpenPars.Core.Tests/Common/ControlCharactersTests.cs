using System.Text.Json.Nodes;
using CsCheck;
using OpenPars.Core.Common;

namespace OpenPars.Core.Tests.Common;

/// <summary>The guard every request passes (query values, JSON bodies, agreement and charter documents): a control
/// character anywhere is found and named by its path, and nothing else is.</summary>
public sealed class ControlCharactersTests
{
    private static readonly Gen<char> Ordinary = Gen.Char["abcXYZ019 -_.,'é§ОоıA\u00A0\u200B\u202E"];
    private static readonly Gen<char> Control = Gen.Char["\0\u0001\u0007\u0008\u000B\u000C\u001B\u001F\u007F\u0085\u009F"];
    private static readonly Gen<char> LineBreakOrTab = Gen.Char["\t\n\r"];

    private static readonly Gen<string> Text =
        Gen.Frequency((8, Ordinary), (1, Control), (1, LineBreakOrTab)).Array[0, 8].Select(c => new string(c));

    private static readonly Gen<string> MemberName =
        Gen.Frequency((12, Ordinary), (1, Control), (1, LineBreakOrTab)).Array[1, 6].Select(c => new string(c));

    private static Gen<JsonNode?> Node(int depth) => depth == 0
        ? Leaf
        : Gen.Frequency(
            (3, Leaf),
            (1, Gen.Select(MemberName, Gen.Int[0, 0]).Array[0, 4].SelectMany(members =>
                Node(depth - 1).Array[members.Length].Select(values =>
                {
                    var o = new JsonObject();
                    for (var i = 0; i < members.Length; i++)
                    {
                        o[members[i].Item1] = values[i]; // a repeated name keeps the last value, as a reader would
                    }

                    return (JsonNode?)o;
                }))),
            (1, Node(depth - 1).Array[0, 4].Select(items => (JsonNode?)new JsonArray(items))));

    private static readonly Gen<JsonNode?> Leaf = Gen.OneOf(
        Text.Select(t => (JsonNode?)JsonValue.Create(t)),
        Gen.Int.Select(i => (JsonNode?)JsonValue.Create(i)),
        Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b)),
        Gen.Const((JsonNode?)null));

    [Fact]
    public void Every_control_character_in_a_document_is_named_by_its_path_and_nothing_else_is() =>
        Node(3).Sample(document =>
        {
            var errors = new ValidationErrors();
            ControlCharacters.FindInJson(System.Text.Encoding.UTF8.GetBytes(document?.ToJsonString() ?? "null"), errors);
            var found = errors.All.Select(e => e.Field).ToHashSet();
            Assert.All(errors.All, e => Assert.Equal(ControlCharacters.Rule, e.Rule));
            Assert.Equal(Expected(document).OrderBy(f => f, StringComparer.Ordinal), found.OrderBy(f => f, StringComparer.Ordinal));
        }, iter: 2_000);

    [Theory]
    [InlineData("{\"incident\":{\"narrative\":\"a\\u0000b\"}}", "incident.narrative")]
    [InlineData("{\"charges\":[{\"citation\":\"ok\"},{\"citation\":\"x\\u001b[31m\"}]}", "charges[1].citation")]
    [InlineData("[\"ok\",[\"\\u0007\"]]", "[1][0]")]
    [InlineData("\"\\u0000\"", "body")]
    [InlineData("{\"na\\u0000me\":1}", "na\u0000me")]
    public void A_refused_character_is_named_where_it_is(string json, string field)
    {
        var errors = new ValidationErrors();
        ControlCharacters.FindInJson(System.Text.Encoding.UTF8.GetBytes(json), errors);
        Assert.Equal([field], errors.All.Select(e => e.Field));
    }

    [Theory]
    [InlineData("{\"narrative\":\"Line one\\nline two\\r\\n\\tindented\"}")]
    [InlineData("{\"narrative\":\"Okafor \\u00e9\\u200b\\u202e\"}")]
    [InlineData("{\"broken\": ")]
    public void Line_breaks_tabs_other_text_and_documents_that_are_not_json_are_left_alone(string json)
    {
        var errors = new ValidationErrors();
        ControlCharacters.FindInJson(System.Text.Encoding.UTF8.GetBytes(json), errors);
        Assert.True(errors.IsEmpty);
    }

    [Fact]
    public void A_body_that_is_not_utf8_is_left_to_the_reader_that_refuses_it()
    {
        // Found by the HTTP fuzzer: GetString() throws InvalidOperationException (not JsonException) on bad UTF-8.
        byte[] body = [.. "{\""u8, 0xFF, 0xFE, .. "label\":null}"u8];
        var errors = new ValidationErrors();
        ControlCharacters.FindInJson(body, errors);
        Assert.True(errors.IsEmpty);
    }

    [Fact]
    public void A_query_value_keeps_no_control_character_not_even_a_line_break()
    {
        Assert.True(ControlCharacters.AnyRefused("Oka\nfor", freeText: false));
        Assert.False(ControlCharacters.AnyRefused("Oka\nfor", freeText: true));
        Assert.True(ControlCharacters.AnyRefused("Oka\0for", freeText: true));
        Assert.False(ControlCharacters.AnyRefused("O'Kafor-Ñúñez", freeText: false));
    }

    /// <summary>The oracle: walks the node tree (not the reader's tokens) and names each refused member or string.</summary>
    private static HashSet<string> Expected(JsonNode? node, string path = "")
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        switch (node)
        {
            case JsonObject o:
                foreach (var (name, value) in o)
                {
                    var here = path.Length == 0 ? name : path + "." + name;
                    if (name.Any(c => char.IsControl(c)))
                    {
                        found.Add(here);
                    }

                    found.UnionWith(Expected(value, here));
                }

                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    found.UnionWith(Expected(a[i], $"{path}[{i}]"));
                }

                break;
            case JsonValue v when v.TryGetValue<string>(out var s):
                if (s.Any(c => char.IsControl(c) && c is not ('\t' or '\n' or '\r')))
                {
                    found.Add(path.Length == 0 ? "body" : path);
                }

                break;
        }

        return found;
    }
}
