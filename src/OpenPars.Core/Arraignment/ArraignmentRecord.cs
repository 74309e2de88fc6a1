namespace OpenPars.Core.Arraignment;

public enum BailType { Ror, Unsecured, Monetary, Nonmonetary, Denied }

public enum CustodyOutcome { Held, Released }

/// <summary>What the magistrate decided at the preliminary arraignment.</summary>
public sealed record ArraignmentRecord
{
    public string Magistrate { get; init; } = "";
    public BailType? BailType { get; init; }

    /// <summary>In dollars; required exactly for unsecured and monetary bail, refused for the others.</summary>
    public decimal? BailAmount { get; init; }

    public List<string> Conditions { get; init; } = [];
    public string DocketNumber { get; init; } = "";
    public DateOnly? NextHearingDate { get; init; }
    public string? NextHearingCourtroom { get; init; }
    public CustodyOutcome? Custody { get; init; }
    public DateTimeOffset? ArraignedAt { get; init; }
}
