// Temporary: replaced by the statutes branch's loaders when it merges.
using System.Diagnostics.CodeAnalysis;

namespace OpenPars.Core.Arrests.Reference;

public sealed record Statute(string Citation, string Title, OffenseGrade DefaultGrade, string Category, bool HasVictim, int DemoWeight);

public sealed class StatuteCatalog
{
    public static StatuteCatalog LoadDefault() => new();
    public string Jurisdiction => "PA";
    public IReadOnlyList<Statute> All { get; } = [new("18 § 2701(a)(1)", "Simple assault", OffenseGrade.M2, "assault", true, 1)];
    public bool TryFind(string citation, [NotNullWhen(true)] out Statute? statute) { statute = All.FirstOrDefault(s => s.Citation == citation); return statute is not null; }
    public IReadOnlyList<Statute> Search(string? query, int limit) => All;
}

public sealed record District(string Code, string Name, string Division, int DemoWeight);

public sealed class DistrictCatalog
{
    public static DistrictCatalog LoadDefault() => new();
    public string Jurisdiction => "Philadelphia, PA";
    public IReadOnlyList<District> All { get; } = [new("01", "1st District", "South", 1)];
    public bool TryFind(string code, [NotNullWhen(true)] out District? district) { district = All.FirstOrDefault(d => d.Code == code.PadLeft(2, '0')); return district is not null; }
}

public static class OffenseGrades
{
    public static bool TryParse(string s, out OffenseGrade g) { g = default; return s == "ungraded" ? (g = OffenseGrade.Ungraded) == OffenseGrade.Ungraded : s != "Ungraded" && Enum.TryParse(s, false, out g); }
    public static string ToCode(OffenseGrade g) => g == OffenseGrade.Ungraded ? "ungraded" : g.ToString();
}
