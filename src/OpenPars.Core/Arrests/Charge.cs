using OpenPars.Core.Arrests.Reference;

namespace OpenPars.Core.Arrests;

/// <summary>One charged offense. Description and grade default to the statute's when booking leaves them out.</summary>
public sealed record Charge
{
    public string Citation { get; init; } = "";
    public string? Description { get; init; }
    public OffenseGrade? Grade { get; init; }
    public int Counts { get; init; } = 1;
}
