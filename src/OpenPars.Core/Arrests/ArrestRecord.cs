using OpenPars.Core.Arraignment;
using OpenPars.Core.Charging;

namespace OpenPars.Core.Arrests;

/// <summary>The current state of one arrest: the fold of its events. Version = the last event's sequence.</summary>
public sealed record ArrestRecord
{
    public string ArrestNumber { get; init; } = "";
    public ArrestStatus Status { get; init; }
    public int Version { get; init; }
    public string District { get; init; } = "";
    public DateTimeOffset BookedAt { get; init; }
    public Actor BookedBy { get; init; } = new(0, "", "");
    public Officer ArrestingOfficer { get; init; } = new();
    public Incident Incident { get; init; } = new();
    public Person Person { get; init; } = new();
    public List<Charge> Charges { get; init; } = [];
    public List<InvolvedParty> InvolvedParties { get; init; } = [];
    public ChargingRecord? Charging { get; init; }
    public ArraignmentRecord? Arraignment { get; init; }
    public DateTimeOffset LastChangedAt { get; init; }
}

public sealed record ChargingRecord
{
    public ChargingOutcome Outcome { get; init; }
    public string? Reason { get; init; }
    public string Attorney { get; init; } = "";
    public string AgencyCode { get; init; } = "";
    public DateTimeOffset DecidedAt { get; init; }
}
