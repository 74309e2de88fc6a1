namespace OpenPars.Core.Arrests;

/// <summary>A correction request: a reason and the sections to replace. Charges can be corrected only before
/// the DA has decided; afterwards they belong to the charging decision.</summary>
public sealed record CorrectArrest
{
    public string Reason { get; init; } = "";
    public string? District { get; init; }
    public Officer? ArrestingOfficer { get; init; }
    public Incident? Incident { get; init; }
    public Person? Person { get; init; }
    public List<Charge>? Charges { get; init; }
    public List<InvolvedParty>? InvolvedParties { get; init; }
}
