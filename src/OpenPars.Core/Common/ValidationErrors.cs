namespace OpenPars.Core.Common;

/// <summary>One broken rule: which field (a JSON path such as <c>person.ssn</c> or <c>charges[0].counts</c>),
/// which rule (a stable kebab-case name clients may switch on) and a message for people.</summary>
public sealed record FieldError(string Field, string Rule, string Message);

/// <summary>Collects every broken rule of one command so the caller hears about all of them at once.</summary>
public sealed class ValidationErrors
{
    private readonly List<FieldError> _errors = [];

    public bool IsEmpty => _errors.Count == 0;

    public IReadOnlyList<FieldError> All => _errors;

    public ValidationErrors Add(string field, string rule, string message)
    {
        _errors.Add(new FieldError(field, rule, message));
        return this;
    }

    public void Require(bool condition, string field, string rule, string message)
    {
        if (!condition)
        {
            Add(field, rule, message);
        }
    }

    public void RequireText(string? value, string field, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(field, "required", $"{field} is required.");
        }
        else if (value.Length > maxLength)
        {
            Add(field, "max-length", $"{field} must be at most {maxLength} characters.");
        }
    }

    public void OptionalText(string? value, string field, int maxLength)
    {
        if (value is not null && value.Length > maxLength)
        {
            Add(field, "max-length", $"{field} must be at most {maxLength} characters.");
        }
    }

    /// <summary>Groups the errors by field, the shape of RFC 9457 <c>errors</c> member we answer with.</summary>
    public IDictionary<string, FieldError[]> ByField() =>
        _errors.GroupBy(e => e.Field, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);

    public DomainException ToException() => new(ErrorCodes.ValidationFailed, "The request has invalid fields.", this);
}
