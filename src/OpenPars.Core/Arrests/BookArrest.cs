namespace OpenPars.Core.Arrests;

/// <summary>What a booking officer submits. The server assigns the arrest number.</summary>
public sealed record BookArrest
{
    public string District { get; init; } = "";

    /// <summary>When absent, the server's clock.</summary>
    public DateTimeOffset? BookedAt { get; init; }

    /// <summary>Why a booking is entered more than <see cref="BookingOptions.BackdatingWindow"/> after it happened;
    /// accepted from a records admin only, and recorded in the booking event.</summary>
    public string? BackdatingReason { get; init; }

    public Officer ArrestingOfficer { get; init; } = new();
    public Incident Incident { get; init; } = new();
    public Person Person { get; init; } = new();
    public List<Charge> Charges { get; init; } = [];
    public List<InvolvedParty> InvolvedParties { get; init; } = [];
}
