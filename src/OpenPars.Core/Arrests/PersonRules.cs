using System.Text.RegularExpressions;
using OpenPars.Core.Common;

namespace OpenPars.Core.Arrests;

/// <summary>Validation of the person section. Messages never echo a sensitive value back.</summary>
public static partial class PersonRules
{
    public const int MaxAgeYears = 120;

    public static void Validate(Person? person, string path, DateTimeOffset now, ValidationErrors errors)
    {
        if (person is null)
        {
            errors.Add(path, "required", $"{path} is required.");
            return;
        }

        ValidateName(person.LastName, $"{path}.lastName", errors);
        ValidateName(person.FirstName, $"{path}.firstName", errors);
        if (person.MiddleName is not null)
        {
            ValidateName(person.MiddleName, $"{path}.middleName", errors);
        }

        // JSON null deserializes past the defaults: a null list or item is refused here, never dereferenced.
        var aliases = person.Aliases ?? [];
        errors.Require(person.Aliases is not null, $"{path}.aliases", "not-null", "aliases is a list (empty when there are none), never null.");
        errors.Require(aliases.Count <= 20, $"{path}.aliases", "max-items", "At most 20 aliases.");
        for (var i = 0; i < aliases.Count; i++)
        {
            if (aliases[i] is not { } alias)
            {
                errors.Add($"{path}.aliases[{i}]", "not-null", "An alias is a name object, never null.");
                continue;
            }

            ValidateName(alias.LastName, $"{path}.aliases[{i}].lastName", errors);
            ValidateName(alias.FirstName, $"{path}.aliases[{i}].firstName", errors);
        }

        ValidateDateOfBirth(person.DateOfBirth, $"{path}.dateOfBirth", now, errors);
        errors.Require(person.Sex is not null, $"{path}.sex", "required", $"{path}.sex is required.");

        if (person.Ssn is not null)
        {
            ValidateSsn(person.Ssn, $"{path}.ssn", errors);
        }

        errors.OptionalText(person.PlaceOfBirth?.City, $"{path}.placeOfBirth.city", 100);
        errors.OptionalText(person.PlaceOfBirth?.Country, $"{path}.placeOfBirth.country", 100);
        if (person.Address is { } address)
        {
            errors.RequireText(address.Street, $"{path}.address.street", 200);
            errors.RequireText(address.City, $"{path}.address.city", 100);
            errors.OptionalText(address.State, $"{path}.address.state", 50);
            errors.OptionalText(address.PostalCode, $"{path}.address.postalCode", 20);
        }

        if (person.Identifiers is not { } identifiers)
        {
            errors.Add($"{path}.identifiers", "not-null", "identifiers is an object (empty when there are none), never null.");
            return;
        }

        ValidateIdentifier(identifiers.Pid, $"{path}.identifiers.pid", errors);
        ValidateIdentifier(identifiers.Sid, $"{path}.identifiers.sid", errors);
        ValidateIdentifier(identifiers.FbiNumber, $"{path}.identifiers.fbiNumber", errors);
    }

    /// <summary>The rule name for an identifier (SSN, SID, FBI number, PID) holding anything but ASCII.</summary>
    public const string AsciiOnlyRule = "ascii-only";

    /// <summary>
    /// Identifiers are compared, searched and masked as ASCII: an SSN in Arabic-Indic (٢١٩) or fullwidth (２１９)
    /// digits would pass a Unicode <c>\d</c>, be stored, match no search and defeat the last-4 mask. Refused with
    /// <see cref="AsciiOnlyRule"/>, never converted (nobody should guess which number was meant).
    /// </summary>
    public static void ValidateIdentifier(string? value, string field, ValidationErrors errors)
    {
        if (value is null)
        {
            return;
        }

        if (!value.All(char.IsAscii) || value.Any(char.IsControl))
        {
            errors.Add(field, AsciiOnlyRule, $"{field} must be written in ASCII letters and digits.");
            return;
        }

        errors.OptionalText(value, field, 20);
    }

    /// <summary>Names in any script are accepted and kept exactly; only control characters are refused.</summary>
    public static void ValidateName(string? name, string field, ValidationErrors errors)
    {
        errors.RequireText(name, field, 100);
        if (name is not null && name.Any(char.IsControl))
        {
            errors.Add(field, ControlCharacters.Rule, ControlCharacters.Message(field));
        }
    }

    public static void ValidateDateOfBirth(DateOnly? dateOfBirth, string field, DateTimeOffset now, ValidationErrors errors)
    {
        if (dateOfBirth is not { } dob)
        {
            errors.Add(field, "required", $"{field} is required.");
            return;
        }

        var today = DateOnly.FromDateTime(now.UtcDateTime);
        if (dob > today)
        {
            errors.Add(field, "not-in-future", $"{field} must not be in the future.");
        }
        else if (dob < today.AddYears(-MaxAgeYears))
        {
            errors.Add(field, "max-age", $"{field} must be within the last {MaxAgeYears} years.");
        }
    }

    /// <summary>SSA rules: NNN-NN-NNNN; area never 000, 666 or 9xx; group never 00; serial never 0000.</summary>
    public static void ValidateSsn(string ssn, string field, ValidationErrors errors)
    {
        if (!ssn.All(char.IsAscii))
        {
            errors.Add(field, AsciiOnlyRule, $"{field} must be written in ASCII digits, NNN-NN-NNNN.");
            return;
        }

        if (!SsnPattern().IsMatch(ssn))
        {
            errors.Add(field, "ssn-format", $"{field} must be written NNN-NN-NNNN.");
            return;
        }

        var area = ssn[..3];
        if (area is "000" or "666" || area[0] == '9')
        {
            errors.Add(field, "ssn-area", $"{field} has an area number that is never issued (000, 666, 9xx).");
        }
        else if (ssn[4..6] == "00" || ssn[7..] == "0000")
        {
            errors.Add(field, "ssn-group-serial", $"{field} has a group (00) or serial (0000) that is never issued.");
        }
    }

    // [0-9], not \d: in .NET \d is any Unicode decimal digit (Arabic-Indic, Devanagari, fullwidth, …).
    [GeneratedRegex(@"^[0-9]{3}-[0-9]{2}-[0-9]{4}$", RegexOptions.CultureInvariant)]
    private static partial Regex SsnPattern();
}
