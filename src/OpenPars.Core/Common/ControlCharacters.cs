using System.Text.Json;

namespace OpenPars.Core.Common;

/// <summary>
/// Which control characters a request may carry. No field of OpenPARS needs one: a NUL is refused by PostgreSQL's
/// text type (a server failure before this rule), and the others (bell, escape, the C1 range, DEL) only hide text
/// from the person reading a record, an audit entry or a report. Free text keeps its line breaks and tabs.
/// </summary>
public static class ControlCharacters
{
    /// <summary>The rule name in a problem's <c>errors</c>, the same as the person rules' (<c>PersonRules.ValidateName</c>).</summary>
    public const string Rule = "no-control-characters";

    /// <summary>True when <paramref name="text"/> holds a character no field accepts: any control character
    /// (<see cref="char.IsControl(char)"/>), except tab, line feed and carriage return when <paramref name="freeText"/>.</summary>
    public static bool AnyRefused(ReadOnlySpan<char> text, bool freeText)
    {
        foreach (var c in text)
        {
            if (char.IsControl(c) && !(freeText && c is '\t' or '\n' or '\r'))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The message of a refusal, naming the field and never the value.</summary>
    public static string Message(string field) => $"{field} must not contain control characters.";

    /// <summary>Walks the document once and names every member or string holding a refused character by its path
    /// (<c>incident.narrative</c>, <c>charges[0].citation</c>). A document that is not JSON is left to its reader, which
    /// refuses it with the request-shape code (PARS-REQ-001).</summary>
    public static void FindInJson(ReadOnlySpan<byte> json, ValidationErrors errors)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 64 });
        var path = new List<Segment>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        Advance(path);
                        path.Add(new Segment(reader.TokenType == JsonTokenType.StartArray, null, -1));
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        path.RemoveAt(path.Count - 1);
                        break;
                    case JsonTokenType.PropertyName:
                        var name = reader.GetString() ?? "";
                        path[^1] = path[^1] with { Member = name };
                        if (reader.ValueIsEscaped && AnyRefused(name, freeText: false))
                        {
                            Name(path, errors);
                        }

                        break;
                    case JsonTokenType.String:
                        Advance(path);
                        // An unescaped control character is not JSON at all; an escaped one is text we refuse.
                        if (reader.ValueIsEscaped && AnyRefused(reader.GetString(), freeText: true))
                        {
                            Name(path, errors);
                        }

                        break;
                    default:
                        Advance(path);
                        break;
                }
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Not JSON, not UTF-8 (GetString cannot transcode it) or deeper than any request of ours: the endpoint's
            // own reading refuses it with the request-shape code.
        }
    }

    /// <summary>A value inside an array moves the array's index on; inside an object the member names it.</summary>
    private static void Advance(List<Segment> path)
    {
        if (path.Count > 0 && path[^1].IsArray)
        {
            path[^1] = path[^1] with { Index = path[^1].Index + 1 };
        }
    }

    private static void Name(List<Segment> path, ValidationErrors errors)
    {
        var field = string.Concat(path.Select((s, i) => s.IsArray ? $"[{s.Index}]" : i == 0 ? s.Member : "." + s.Member));
        field = field.Length == 0 ? "body" : field;
        if (!errors.All.Any(e => e.Field == field))
        {
            errors.Add(field, Rule, Message(field));
        }
    }

    private readonly record struct Segment(bool IsArray, string? Member, int Index);
}
