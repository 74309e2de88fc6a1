namespace OpenPars.Core.Arrests;

public sealed record Incident
{
    public string OffenseLocation { get; init; } = "";
    public DateTimeOffset? OccurredAt { get; init; }
    public string? Narrative { get; init; }
}

public sealed record Officer
{
    public string BadgeNumber { get; init; } = "";
    public string Name { get; init; } = "";
}
