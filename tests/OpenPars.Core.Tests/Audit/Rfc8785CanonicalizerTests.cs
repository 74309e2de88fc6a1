using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using OpenPars.Core.Audit;
using Shouldly;
using Xunit;

namespace OpenPars.Core.Tests.Audit;

public class Rfc8785CanonicalizerTests
{
    // RFC 8785 Appendix B: IEEE 754 bit patterns and their required serialization.
    [Theory]
    [InlineData("0000000000000000", "0")]
    [InlineData("8000000000000000", "0")]
    [InlineData("0000000000000001", "5e-324")]
    [InlineData("8000000000000001", "-5e-324")]
    [InlineData("7fefffffffffffff", "1.7976931348623157e+308")]
    [InlineData("ffefffffffffffff", "-1.7976931348623157e+308")]
    [InlineData("4340000000000000", "9007199254740992")]
    [InlineData("c340000000000000", "-9007199254740992")]
    [InlineData("4430000000000000", "295147905179352830000")]
    [InlineData("44b52d02c7e14af5", "9.999999999999997e+22")]
    [InlineData("44b52d02c7e14af6", "1e+23")]
    [InlineData("44b52d02c7e14af7", "1.0000000000000001e+23")]
    [InlineData("444b1ae4d6e2ef4e", "999999999999999700000")]
    [InlineData("444b1ae4d6e2ef4f", "999999999999999900000")]
    [InlineData("444b1ae4d6e2ef50", "1e+21")]
    [InlineData("3eb0c6f7a0b5ed8c", "9.999999999999997e-7")]
    [InlineData("3eb0c6f7a0b5ed8d", "0.000001")]
    [InlineData("41b3de4355555553", "333333333.3333332")]
    [InlineData("41b3de4355555554", "333333333.33333325")]
    [InlineData("41b3de4355555555", "333333333.3333333")]
    [InlineData("41b3de4355555556", "333333333.3333334")]
    [InlineData("41b3de4355555557", "333333333.33333343")]
    [InlineData("becbf647612f3696", "-0.0000033333333333333333")]
    [InlineData("43143ff3c1cb0959", "1424953923781206.2")]
    [InlineData("4340000000000001", "9007199254740994")]
    [InlineData("4340000000000002", "9007199254740996")]
    public void Appendix_B_numbers(string ieeeHex, string expected)
    {
        var value = BitConverter.Int64BitsToDouble(Convert.ToInt64(ieeeHex, 16));
        Rfc8785Canonicalizer.FormatNumber(value).ShouldBe(expected);
    }

    [Theory]
    [InlineData("1E30", "1e+30")]
    [InlineData("4.50", "4.5")]
    [InlineData("2e-3", "0.002")]
    [InlineData("0.0000001", "1e-7")]
    [InlineData("-0", "0")]
    [InlineData("-0.0", "0")]
    [InlineData("333333333.33333329", "333333333.3333333")]
    [InlineData("0.000000000000000000000000001", "1e-27")]
    [InlineData("100", "100")]
    [InlineData("1e21", "1e+21")]
    [InlineData("1e20", "100000000000000000000")]
    [InlineData("123456789012345678901234567890", "1.2345678901234568e+29")]
    [InlineData("0.1", "0.1")]
    [InlineData("-1.5e-10", "-1.5e-10")]
    public void Number_literals_are_written_as_ecmascript_would(string json, string expected) =>
        Canonical(json).ShouldBe(expected);

    [Theory]
    [InlineData("arrays")]
    [InlineData("french")]
    [InlineData("structures")]
    [InlineData("unicode")]
    [InlineData("values")]
    [InlineData("weird")]
    public void Reference_test_data_of_the_rfc_author(string name)
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "Audit", "TestData", "jcs");
        var input = File.ReadAllBytes(Path.Combine(dir, name + ".input.json"));
        var expected = File.ReadAllBytes(Path.Combine(dir, name + ".output.json"));
        Rfc8785Canonicalizer.Canonicalize(input).ShouldBe(expected);
        Rfc8785Canonicalizer.Canonicalize(JsonNode.Parse(input)).ShouldBe(expected);
    }

    [Fact]
    public void Section_3_2_2_example_gives_the_bytes_of_section_3_2_4()
    {
        const string input = """
            {
              "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
              "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
              "literals": [null, true, false]
            }
            """;
        const string hex =
            "7b226c69746572616c73223a5b6e756c6c2c747275652c66616c73655d2c226e756d62657273223a" +
            "5b3333333333333333332e333333333333332c31652b33302c342e352c302e3030322c31652d3237" +
            "5d2c22737472696e67223a22e282ac245c75303030665c6e4127425c225c5c5c5c5c222f227d";
        Convert.ToHexStringLower(Rfc8785Canonicalizer.Canonicalize(Encoding.UTF8.GetBytes(input))).ShouldBe(hex);
    }

    [Fact]
    public void Section_3_2_3_members_sort_by_utf16_code_units_not_code_points()
    {
        const string input = """
            {"\u20ac":"Euro Sign","\r":"Carriage Return","\ufb33":"Hebrew Letter Dalet With Dagesh","1":"One",
             "\ud83d\ude00":"Emoji: Grinning Face","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis"}
            """;
        using var doc = JsonDocument.Parse(input);
        var names = doc.RootElement.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToList();
        var canonical = Rfc8785Canonicalizer.CanonicalizeToString(doc.RootElement);
        var order = names.Select(n => canonical.IndexOf(JsonEncodedName(n), StringComparison.Ordinal)).ToList();
        order.ShouldBeInOrder();

        // The emoji's high surrogate U+D83D sorts before U+FB33 although its code point is higher.
        canonical.IndexOf("\ud83d\ude00", StringComparison.Ordinal).ShouldBeLessThan(canonical.IndexOf('\ufb33', StringComparison.Ordinal));
    }

    [Fact]
    public void Control_characters_use_short_escapes_or_lowercase_u_escapes_and_nothing_else_is_escaped()
    {
        var node = new JsonObject { ["s"] = "\u0000\u0001\b\t\n\f\r\u001f \"\\/<>&'\u007f\u2028é" };
        Encoding.UTF8.GetString(Rfc8785Canonicalizer.Canonicalize(node))
            .ShouldBe("{\"s\":\"\\u0000\\u0001\\b\\t\\n\\f\\r\\u001f \\\"\\\\/<>&'\u007f\u2028é\"}");
    }

    [Fact]
    public void Json_nodes_holding_clr_values_canonicalize_like_their_json()
    {
        var node = new JsonObject
        {
            ["z"] = 1.50m,
            ["a"] = new JsonArray(1, 2L, 3.25, "x", true, null),
            ["m"] = new JsonObject { ["b"] = false, ["a"] = (string?)null },
        };
        Encoding.UTF8.GetString(Rfc8785Canonicalizer.Canonicalize(node))
            .ShouldBe("""{"a":[1,2,3.25,"x",true,null],"m":{"a":null,"b":false},"z":1.5}""");
    }

    [Fact]
    public void Invalid_input_is_refused()
    {
        Should.Throw<FormatException>(() => Rfc8785Canonicalizer.Canonicalize("""{"a":1,"a":2}"""u8));
        Should.Throw<FormatException>(() => Rfc8785Canonicalizer.Canonicalize("[1e400]"u8));
        Should.Throw<FormatException>(() => Rfc8785Canonicalizer.Canonicalize("""["\ud800"]"""u8));
        Should.Throw<FormatException>(() => Rfc8785Canonicalizer.Canonicalize("""{"\udc00":1}"""u8));
        Should.Throw<ArgumentOutOfRangeException>(() => Rfc8785Canonicalizer.FormatNumber(double.NaN));
        Should.Throw<ArgumentOutOfRangeException>(() => Rfc8785Canonicalizer.FormatNumber(double.PositiveInfinity));
    }

    [Fact]
    public void Every_finite_double_round_trips_through_its_canonical_form() =>
        Gen.Double.Where(double.IsFinite).Sample(d =>
        {
            var text = Rfc8785Canonicalizer.FormatNumber(d);
            var back = double.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
            return back == d && text == Canonical(text);
        }, iter: 20_000);

    [Fact]
    public void Canonical_form_is_a_fixed_point_and_ignores_member_order() =>
        Gen.Dictionary(Gen.String[0, 6], Gen.OneOf(Gen.Double.Where(double.IsFinite).Select(d => (JsonNode?)d), Gen.String.Select(s => (JsonNode?)s)))[0, 8]
            .Sample(members =>
            {
                var forward = new JsonObject(members.Select(kv => KeyValuePair.Create(kv.Key, kv.Value?.DeepClone())));
                var backward = new JsonObject(members.Reverse().Select(kv => KeyValuePair.Create(kv.Key, kv.Value?.DeepClone())));
                byte[] a, b;
                try
                {
                    a = Rfc8785Canonicalizer.Canonicalize(forward);
                    b = Rfc8785Canonicalizer.Canonicalize(backward);
                }
                catch (Exception ex) when (ex is FormatException or InvalidOperationException or ArgumentException)
                {
                    return true; // random strings may hold lone surrogates, which must be refused
                }

                return a.AsSpan().SequenceEqual(b) && Rfc8785Canonicalizer.Canonicalize(a).AsSpan().SequenceEqual(a);
            }, iter: 2_000);

    private static string Canonical(string json) => Encoding.UTF8.GetString(Rfc8785Canonicalizer.Canonicalize(Encoding.UTF8.GetBytes(json)));

    private static string JsonEncodedName(string name) =>
        Encoding.UTF8.GetString(Rfc8785Canonicalizer.Canonicalize(JsonValue.Create(name))) + ":";
}
