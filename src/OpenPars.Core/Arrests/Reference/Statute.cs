namespace OpenPars.Core.Arrests.Reference;

/// <summary>One offense of a statute catalog. <see cref="Citation"/> is in canonical form (<see cref="StatuteCatalog.Normalize"/>).</summary>
public sealed record Statute(string Citation, string Title, OffenseGrade DefaultGrade, string Category, bool HasVictim, int DemoWeight);

/// <summary>One police district. <see cref="Code"/> is in canonical form (<see cref="DistrictCatalog.NormalizeCode"/>).</summary>
public sealed record District(string Code, string Name, string Division, int DemoWeight);
