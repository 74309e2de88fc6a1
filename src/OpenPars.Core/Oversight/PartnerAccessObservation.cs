using OpenPars.Core.Agreements;

namespace OpenPars.Core.Oversight;

/// <summary>One record disclosed by a partner request: the arrest and the person behind it
/// (<see cref="OversightPerson.PersonKeyOf"/>).</summary>
public sealed record DisclosedRecord(string ArrestNumber, string PersonKey);

/// <summary>
/// One partner request as the verified audit log records it (entry types 8001 search and 8002 read): the
/// wiring builds these from entries the verifier proved, and every oversight figure is computed from them.
/// <see cref="EntryIndex"/> is the entry's place in the log, which is what an alert cites as evidence.
/// </summary>
public sealed record PartnerAccessObservation
{
    public required long EntryIndex { get; init; }
    public required DateTimeOffset Time { get; init; }
    public required long UserId { get; init; }
    public required string UserName { get; init; }
    public required string AgencyCode { get; init; }

    /// <summary>The agreement the request was decided under (details.agreementId), null when there was none.</summary>
    public string? AgreementId { get; init; }

    public PartnerOperation Operation { get; init; } = PartnerOperation.Search;

    /// <summary>Refused requests carry their stable code (PARS-AGR-0xx) and disclose nothing.</summary>
    public bool Allowed { get; init; } = true;

    public string? RefusalCode { get; init; }

    /// <summary>Criteria as sent (names as typed: <see cref="Criterion"/> matches them without case).</summary>
    public IReadOnlyDictionary<string, string> Criteria { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<DisclosedRecord> Disclosed { get; init; } = [];

    /// <summary>How many records the answer carried (an allowed request with none is a zero-result query).</summary>
    public int ResultCount => Disclosed.Count;

    /// <summary>The value of a criterion by its catalogue name, whatever case the request used; blank = absent.</summary>
    public string? Criterion(string name)
    {
        foreach (var (key, value) in Criteria)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase) && !string.IsNullOrWhiteSpace(value))
            {
                return value.Trim();
            }
        }

        return null;
    }
}
