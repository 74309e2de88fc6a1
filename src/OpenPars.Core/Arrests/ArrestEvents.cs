using System.Text.Json.Serialization;
using OpenPars.Core.Arraignment;
using OpenPars.Core.Charging;

namespace OpenPars.Core.Arrests;

/// <summary>Who did something, as the event log remembers them.</summary>
public sealed record Actor(long UserId, string UserName, string AgencyCode);

/// <summary>
/// An arrest changes only by appended events; <see cref="ArrestProjection"/> folds them into the current record.
/// The discriminator strings are stored in the database: never rename them.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(ArrestBooked), "arrest-booked")]
[JsonDerivedType(typeof(ArrestCorrected), "arrest-corrected")]
[JsonDerivedType(typeof(ChargingDecided), "charging-decided")]
[JsonDerivedType(typeof(ArraignmentRecorded), "arraignment-recorded")]
public abstract record ArrestEvent
{
    public string ArrestNumber { get; init; } = "";

    /// <summary>1 for the booking, then one more per event; also the record's version (its ETag).</summary>
    public int Sequence { get; init; }

    public DateTimeOffset RecordedAt { get; init; }
    public Actor Actor { get; init; } = new(0, "", "");
}

public sealed record ArrestBooked : ArrestEvent
{
    public string District { get; init; } = "";
    public DateTimeOffset BookedAt { get; init; }

    /// <summary>The records admin's reason for a booking entered later than the backdating window; null otherwise.</summary>
    public string? BackdatingReason { get; init; }

    public Officer ArrestingOfficer { get; init; } = new();
    public Incident Incident { get; init; } = new();
    public Person Person { get; init; } = new();
    public List<Charge> Charges { get; init; } = [];
    public List<InvolvedParty> InvolvedParties { get; init; } = [];
}

/// <summary>A correction replaces whole sections; absent sections are unchanged.</summary>
public sealed record ArrestCorrected : ArrestEvent
{
    public string Reason { get; init; } = "";
    public string? District { get; init; }
    public Officer? ArrestingOfficer { get; init; }
    public Incident? Incident { get; init; }
    public Person? Person { get; init; }
    public List<Charge>? Charges { get; init; }
    public List<InvolvedParty>? InvolvedParties { get; init; }

    /// <summary>The sections this correction replaced, for the history view.</summary>
    public List<string> ChangedSections { get; init; } = [];
}

public sealed record ChargingDecided : ArrestEvent
{
    public ChargingOutcome Outcome { get; init; }
    public List<Charge> Charges { get; init; } = [];
    public string? Reason { get; init; }
}

public sealed record ArraignmentRecorded : ArrestEvent
{
    public ArraignmentRecord Arraignment { get; init; } = new();
}
