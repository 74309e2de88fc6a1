using OpenPars.Core.Common;

namespace OpenPars.Core.Arrests;

public enum Sex { Male, Female, Unknown }

/// <summary>Race as police records it (NCIC categories). Sensitive: never a partner criterion, never logged.</summary>
public enum Race { White, Black, Asian, AmericanIndian, PacificIslander, Unknown }

public enum Ethnicity { Hispanic, NonHispanic, Unknown }

public sealed record PersonName
{
    public string LastName { get; init; } = "";
    public string FirstName { get; init; } = "";
    public string? MiddleName { get; init; }
}

public sealed record PlaceOfBirth
{
    public string? City { get; init; }
    public string? Country { get; init; }
}

public sealed record PostalAddress
{
    public string Street { get; init; } = "";
    public string City { get; init; } = "";
    public string? State { get; init; }
    public string? PostalCode { get; init; }
}

/// <summary>Criminal-justice identifiers: Philadelphia Photo ID (PID), State ID (SID), FBI number.</summary>
public sealed record PersonIdentifiers
{
    public string? Pid { get; init; }
    public string? Sid { get; init; }
    public string? FbiNumber { get; init; }
}

/// <summary>
/// The arrested person. There is deliberately no immigration, citizenship, visa or legal-status field,
/// and a schema test keeps it that way (PARS held country of origin, never status).
/// </summary>
public sealed record Person
{
    public string LastName { get; init; } = "";
    public string FirstName { get; init; } = "";
    public string? MiddleName { get; init; }
    public List<PersonName> Aliases { get; init; } = [];

    [SensitiveData]
    public DateOnly? DateOfBirth { get; init; }

    public Sex? Sex { get; init; }

    [SensitiveData]
    public Race? Race { get; init; }

    [SensitiveData]
    public Ethnicity? Ethnicity { get; init; }

    [SensitiveData]
    public string? Ssn { get; init; }

    [SensitiveData]
    public PlaceOfBirth? PlaceOfBirth { get; init; }

    [SensitiveData]
    public PostalAddress? Address { get; init; }

    public PersonIdentifiers Identifiers { get; init; } = new();
}
