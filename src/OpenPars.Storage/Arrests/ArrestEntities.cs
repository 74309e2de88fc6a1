namespace OpenPars.Storage.Arrests;

/// <summary>
/// The current record of an arrest, one column per field so that a governed query can select only the
/// columns an agreement grants. Kept in step with the events by <see cref="ArrestRowMapping"/>, in the same
/// transaction as the event that changed it.
/// </summary>
public sealed class ArrestRow
{
    public long Id { get; set; }
    public string ArrestNumber { get; set; } = "";
    public string Status { get; set; } = "";

    /// <summary>The last event's sequence; the optimistic-concurrency token and the ETag.</summary>
    public int Version { get; set; }

    public string District { get; set; } = "";
    public DateTimeOffset BookedAt { get; set; }
    public DateTimeOffset LastChangedAt { get; set; }
    public long BookedByUserId { get; set; }
    public string BookedByName { get; set; } = "";
    public string BookedByAgency { get; set; } = "";

    public string OfficerBadge { get; set; } = "";
    public string OfficerName { get; set; } = "";

    public string OffenseLocation { get; set; } = "";
    public DateTimeOffset? OccurredAt { get; set; }
    public string? Narrative { get; set; }

    public string LastName { get; set; } = "";
    public string FirstName { get; set; } = "";
    public string? MiddleName { get; set; }

    /// <summary>Upper-cased (invariant) names, for case-insensitive search on every provider.</summary>
    public string LastNameKey { get; set; } = "";
    public string FirstNameKey { get; set; } = "";

    /// <summary>JSON array of {lastName, firstName, middleName}.</summary>
    public string AliasesJson { get; set; } = "[]";

    public DateOnly? DateOfBirth { get; set; }

    /// <summary>18 or older on the UTC date of booking (<see cref="Core.Policy.RowScopeRules.IsAdultAtBooking"/>),
    /// kept with the record so a partner's adults-only scope is a plain WHERE that never names the date of birth.</summary>
    public bool AdultAtBooking { get; set; }

    public string? Sex { get; set; }
    public string? Race { get; set; }
    public string? Ethnicity { get; set; }
    public string? Ssn { get; set; }
    public string? BirthCity { get; set; }
    public string? BirthCountry { get; set; }
    public string? AddressStreet { get; set; }
    public string? AddressCity { get; set; }
    public string? AddressState { get; set; }
    public string? AddressPostalCode { get; set; }
    public string? Pid { get; set; }
    public string? Sid { get; set; }
    public string? FbiNumber { get; set; }

    public string? ChargingOutcome { get; set; }
    public string? ChargingReason { get; set; }
    public string? ChargingAttorney { get; set; }
    public string? ChargingAgency { get; set; }
    public DateTimeOffset? ChargedAt { get; set; }

    public string? Magistrate { get; set; }
    public string? BailType { get; set; }
    public decimal? BailAmount { get; set; }

    /// <summary>JSON array of strings.</summary>
    public string? BailConditionsJson { get; set; }

    public string? DocketNumber { get; set; }
    public DateOnly? NextHearingDate { get; set; }
    public string? NextHearingCourtroom { get; set; }
    public string? Custody { get; set; }
    public DateTimeOffset? ArraignedAt { get; set; }

    public List<ChargeRow> Charges { get; set; } = [];
}

public sealed class ChargeRow
{
    public long Id { get; set; }
    public long ArrestId { get; set; }
    public int Position { get; set; }
    public string Citation { get; set; } = "";
    public string Description { get; set; } = "";
    public string Grade { get; set; } = "";
    public int Counts { get; set; }
}

/// <summary>Victims and witnesses, in a table of their own: no partner query ever joins it.</summary>
public sealed class InvolvedPartyRow
{
    public long Id { get; set; }
    public long ArrestId { get; set; }
    public int Position { get; set; }
    public string Role { get; set; } = "";
    public string Name { get; set; } = "";
    public string? Contact { get; set; }
}

/// <summary>Remembers the answer to a booking made with an Idempotency-Key, so a retry returns it.</summary>
public sealed class IdempotencyRow
{
    public long Id { get; set; }
    public long UserId { get; set; }
    public string Key { get; set; } = "";
    public byte[] RequestHash { get; set; } = [];
    public string ArrestNumber { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
}
