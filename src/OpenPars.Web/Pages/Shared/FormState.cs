using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using OpenPars.Core.Common;

namespace OpenPars.Web.Pages.Shared;

/// <summary>
/// A page form as typed: every control is named by the JSON path of the field the use case validates
/// (<c>person.lastName</c>, <c>charges[0].citation</c>), so a refusal's field errors (<see cref="FieldError.Field"/>)
/// land next to their controls without a mapping table, exactly as an API client reads the problem's <c>errors</c>.
/// Values the form cannot even read as their type (a date, a number, a choice) and control characters are refused here
/// with the same rules' shape (field, rule, message) before any use case runs.
/// </summary>
public sealed class FormState
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _labels = new(StringComparer.Ordinal);
    private readonly List<FieldError> _errors = [];

    /// <summary>The value typed in <paramref name="path"/> ("" when none).</summary>
    public string this[string path]
    {
        get => _values.GetValueOrDefault(path, "");
        set => _values[path] = value ?? "";
    }

    /// <summary>Every broken rule shown on the page, by the field path the rule named.</summary>
    public IReadOnlyList<FieldError> Errors => _errors;

    /// <summary>Whether the page shows any refusal.</summary>
    public bool HasErrors => _errors.Count > 0;

    /// <summary>Names the control of <paramref name="path"/> (its label, and what a message about it calls it).</summary>
    public void Label(string path, string label) => _labels[path] = label;

    /// <summary>The label of <paramref name="path"/>, or null when the form has no control for it.</summary>
    public string? LabelOf(string path) => _labels.GetValueOrDefault(path);

    /// <summary>The HTML id of <paramref name="path"/>'s control: <c>charges[0].citation</c> → <c>f-charges-0-citation</c>.</summary>
    public static string Id(string path) =>
        "f-" + string.Join('-', path.Split(['.', '[', ']'], StringSplitOptions.RemoveEmptyEntries));

    /// <summary>The id of the message next to <paramref name="path"/>'s control.</summary>
    public static string ErrorId(string path) => "e-" + Id(path)[2..];

    /// <summary>The messages about <paramref name="path"/> (with <paramref name="items"/>, also about its items
    /// <c>path[i]</c>), in plain words: the field's path is replaced by its label.</summary>
    public IReadOnlyList<string> ErrorsFor(string path, bool items = false) =>
        _errors.Where(e => e.Field == path || (items && e.Field.StartsWith(path + "[", StringComparison.Ordinal)))
            .Select(Plain).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>A message with field paths spoken as their labels.</summary>
    public string Plain(FieldError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var message = error.Message;
        if (error.Field.Length > 0 && LabelOf(error.Field) is { } label)
        {
            message = message.Replace(error.Field, label, StringComparison.Ordinal);
        }

        return message;
    }

    /// <summary>Adds refusals to show.</summary>
    public void Add(IEnumerable<FieldError> errors) => _errors.AddRange(errors);

    /// <summary>Adds one refusal to show.</summary>
    public void Add(string field, string rule, string message) => _errors.Add(new FieldError(field, rule, message));

    /// <summary>Reads the posted <paramref name="form"/>: each value kept as typed; a control character refused
    /// (tab and line breaks allowed in the <paramref name="freeText"/> fields).</summary>
    public static FormState Read(IFormCollection form, Func<string, bool> freeText)
    {
        ArgumentNullException.ThrowIfNull(form);
        ArgumentNullException.ThrowIfNull(freeText);
        var state = new FormState();
        foreach (var (key, values) in form)
        {
            if (key.StartsWith("__", StringComparison.Ordinal) || key.Length > 200)
            {
                continue;
            }

            var value = values.ToString();
            if (ControlCharacters.AnyRefused(key, freeText: false) || ControlCharacters.AnyRefused(value, freeText(key)))
            {
                state.Add(key, ControlCharacters.Rule, ControlCharacters.Message(key));
                continue;
            }

            state._values[key] = value;
        }

        return state;
    }

    /// <summary>The trimmed text of <paramref name="path"/>, or null when blank.</summary>
    public string? Text(string path) => this[path].Trim() is { Length: > 0 } text ? text : null;

    /// <summary>Whether every one of <paramref name="paths"/> is blank (a repeatable row left empty is no row).</summary>
    public bool Blank(IEnumerable<string> paths) => paths.All(p => Text(p) is null);

    /// <summary>A date (yyyy-MM-dd, what a date control sends), or null when blank or unreadable (then refused).</summary>
    public DateOnly? Date(string path)
    {
        if (Text(path) is not { } text)
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        Add(path, "date-format", $"{path} must be a date, yyyy-MM-dd.");
        return null;
    }

    /// <summary>A local date and time (what a datetime-local control sends) in <paramref name="zone"/>, as an instant.</summary>
    public DateTimeOffset? LocalDateTime(string path, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        if (Text(path) is not { } text)
        {
            return null;
        }

        if (DateTime.TryParseExact(text, ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)
            && local.Year is > 1 and < 9999)
        {
            var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
            var offset = zone.IsInvalidTime(unspecified) ? zone.BaseUtcOffset : zone.GetUtcOffset(unspecified);
            return new DateTimeOffset(unspecified, offset).ToUniversalTime();
        }

        Add(path, "date-time-format", $"{path} must be a date and time, yyyy-MM-ddTHH:mm.");
        return null;
    }

    /// <summary>The text of <paramref name="instant"/> for a datetime-local control in <paramref name="zone"/>.</summary>
    public static string LocalText(DateTimeOffset? instant, TimeZoneInfo zone) =>
        instant is { } at ? TimeZoneInfo.ConvertTime(at, zone).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture) : "";

    /// <summary>A whole number, or null when blank or unreadable (then refused).</summary>
    public int? Integer(string path)
    {
        if (Text(path) is not { } text)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        Add(path, "number-format", $"{path} must be a whole number.");
        return null;
    }

    /// <summary>An amount (digits, an optional point and cents; a thousands comma allowed), or null when blank or unreadable.</summary>
    public decimal? Amount(string path)
    {
        if (Text(path) is not { } text)
        {
            return null;
        }

        if (decimal.TryParse(text.TrimStart('$'), NumberStyles.AllowDecimalPoint | NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        Add(path, "number-format", $"{path} must be an amount in dollars, such as 2500 or 2500.00.");
        return null;
    }

    /// <summary>One of <typeparamref name="TEnum"/>'s values by its kebab-case code, or null when blank or unknown (then refused).</summary>
    public TEnum? Choice<TEnum>(string path)
        where TEnum : struct, Enum
    {
        if (Text(path) is not { } text)
        {
            return null;
        }

        foreach (var value in Enum.GetValues<TEnum>())
        {
            if (string.Equals(Code(value), text, StringComparison.Ordinal))
            {
                return value;
            }
        }

        Add(path, "unknown-choice", $"{path} is not one of the choices offered.");
        return null;
    }

    /// <summary>The kebab-case code of an enum value, as the JSON dialect writes it.</summary>
    public static string Code<TEnum>(TEnum value)
        where TEnum : struct, Enum =>
        JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());

    /// <summary>The code of an optional value, "" when none.</summary>
    public static string Code<TEnum>(TEnum? value)
        where TEnum : struct, Enum =>
        value is { } v ? Code(v) : "";

    /// <summary>The choices of <typeparamref name="TEnum"/>: its codes and words for people.</summary>
    public static IReadOnlyList<(string Value, string Label)> Choices<TEnum>()
        where TEnum : struct, Enum =>
        Enum.GetValues<TEnum>().Select(v => (Code(v), Words(v.ToString()))).ToList();

    private static string Words(string name)
    {
        var words = JsonNamingPolicy.KebabCaseLower.ConvertName(name).Replace('-', ' ');
        return char.ToUpperInvariant(words[0]) + words[1..];
    }
}
