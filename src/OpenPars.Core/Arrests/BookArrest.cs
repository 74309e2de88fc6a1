namespace OpenPars.Core.Arrests;

/// <summary>What a booking officer submits. The server assigns the arrest number.</summary>
public sealed record BookArrest
{
    public string District { get; init; } = "";

    /// <summary>When absent, the server's clock.</summary>
    public DateTimeOffset? BookedAt { get; init; }

    public Officer ArrestingOfficer { get; init; } = new();
    public Incident Incident { get; init; } = new();
    public Person Person { get; init; } = new();
    public List<Charge> Charges { get; init; } = [];
    public List<InvolvedParty> InvolvedParties { get; init; } = [];
}
