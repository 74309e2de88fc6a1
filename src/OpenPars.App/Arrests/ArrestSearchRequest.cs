using OpenPars.Core.Agreements;

namespace OpenPars.App.Arrests;

/// <summary>
/// A stakeholder search as an adapter received it: each criterion as typed (null when absent), named by the one
/// search vocabulary the partner search also uses (<see cref="SearchCriteria"/>): <c>lastName</c>,
/// <c>firstName</c>, <c>dateOfBirth</c>, <c>bookedFrom</c>, <c>bookedTo</c>, <c>district</c>, <c>statute</c>,
/// plus the stakeholder-only <c>status</c> and the paging <c>cursor</c> and <c>limit</c>.
/// </summary>
public sealed record ArrestSearchRequest
{
    public string? LastName { get; init; }
    public string? FirstName { get; init; }
    public string? DateOfBirth { get; init; }
    public string? BookedFrom { get; init; }
    public string? BookedTo { get; init; }
    public string? District { get; init; }
    public string? Statute { get; init; }
    public string? Status { get; init; }
    public string? Cursor { get; init; }
    public string? Limit { get; init; }

    /// <summary>Names of the retired stakeholder vocabulary and the name that replaced each: sent, they are refused
    /// with a 400 that names the right one, rather than silently ignored (a search that ignores its date filter
    /// answers the wrong question).</summary>
    public static IReadOnlyDictionary<string, string> RenamedParameters { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["dob"] = SearchCriteria.DateOfBirth,
        ["from"] = SearchCriteria.BookedFrom,
        ["to"] = SearchCriteria.BookedTo,
    };
}
