using System.Text.Json;
using OpenPars.Core.Arrests.Reference;
using Shouldly;
using Xunit;

namespace OpenPars.Core.Tests.Arrests.Reference;

/// <summary>Invariants of the shipped files, data/statutes/pa.json and data/districts/philadelphia.json.</summary>
public sealed class DefaultDataTests
{
    private static readonly string[] Grades = ["F1", "F2", "F3", "M1", "M2", "M3", "S", "ungraded"];

    private static readonly string[] Categories =
    [
        "homicide", "assault", "sexual-offense", "robbery", "burglary", "theft", "fraud", "weapons", "drugs", "dui",
        "traffic", "public-order", "obstruction", "property-damage", "kidnapping", "child-welfare", "inchoate", "vice",
    ];

    private static JsonDocument RawStatutes()
    {
        using var stream = typeof(StatuteCatalog).Assembly.GetManifestResourceStream(StatuteCatalog.DefaultResourceName);
        stream.ShouldNotBeNull();
        return JsonDocument.Parse(stream);
    }

    [Fact]
    public void Statute_file_declares_exactly_the_grade_list_and_every_entry_uses_it()
    {
        using var raw = RawStatutes();
        var declared = raw.RootElement.GetProperty("grades").EnumerateArray().Select(g => g.GetString()).ToArray();
        declared.ShouldBe(Grades);
        foreach (var entry in raw.RootElement.GetProperty("statutes").EnumerateArray())
        {
            var grade = entry.GetProperty("grade").GetString();
            Grades.ShouldContain(grade, $"{entry.GetProperty("citation").GetString()} has grade {grade}");
        }
    }

    [Fact]
    public void Pennsylvania_catalog_has_at_least_150_unique_canonical_citations_with_positive_weights()
    {
        var catalog = StatuteCatalog.LoadDefault();
        catalog.Jurisdiction.ShouldBe("PA");
        catalog.All.Count.ShouldBeGreaterThanOrEqualTo(150);
        catalog.All.Select(s => s.Citation).ShouldBeUnique();
        catalog.All.Select(s => s.Citation.ToUpperInvariant()).ShouldBeUnique();
        catalog.All.ShouldAllBe(s => s.DemoWeight > 0);
        catalog.All.ShouldAllBe(s => !string.IsNullOrWhiteSpace(s.Title));
        catalog.All.ShouldAllBe(s => Categories.Contains(s.Category));

        using var raw = RawStatutes();
        foreach (var entry in raw.RootElement.GetProperty("statutes").EnumerateArray())
        {
            var citation = entry.GetProperty("citation").GetString()!;
            StatuteCatalog.Normalize(citation).ShouldBe(citation, "the file stores citations in canonical form");
        }
    }

    [Fact]
    public void All_three_sources_are_present()
    {
        var citations = StatuteCatalog.LoadDefault().All.Select(s => s.Citation).ToList();
        citations.ShouldContain(c => c.StartsWith("18 § ", StringComparison.Ordinal), "Title 18, Crimes Code");
        citations.ShouldContain(c => c.StartsWith("35 § 780-113(", StringComparison.Ordinal), "35 P.S. § 780-113, Controlled Substance Act");
        citations.ShouldContain(c => c.StartsWith("75 § ", StringComparison.Ordinal), "Title 75, Vehicle Code");
    }

    [Theory]
    [InlineData("18 § 2701(a)(1)", OffenseGrade.M2, "assault", true)]
    [InlineData("18 § 2702(a)(1)", OffenseGrade.F1, "assault", true)]
    [InlineData("18 § 3502(a)(1)(i)", OffenseGrade.F1, "burglary", true)]
    [InlineData("18 § 3701(a)(1)(ii)", OffenseGrade.F1, "robbery", true)]
    [InlineData("18 § 3929(a)(1)", OffenseGrade.Ungraded, "theft", false)]
    [InlineData("18 § 6105(a)(1)", OffenseGrade.F2, "weapons", false)]
    [InlineData("18 § 6106(a)(1)", OffenseGrade.F3, "weapons", false)]
    [InlineData("18 § 6108", OffenseGrade.M1, "weapons", false)]
    [InlineData("18 § 2709(a)(1)", OffenseGrade.S, "assault", true)]
    [InlineData("35 § 780-113(a)(16)", OffenseGrade.Ungraded, "drugs", false)]
    [InlineData("35 § 780-113(a)(30)", OffenseGrade.Ungraded, "drugs", false)]
    [InlineData("75 § 3802(a)(1)", OffenseGrade.Ungraded, "dui", false)]
    [InlineData("75 § 1543(a)", OffenseGrade.S, "traffic", false)]
    [InlineData("75 § 3733(a)", OffenseGrade.M2, "traffic", false)]
    public void Spot_checks(string citation, OffenseGrade grade, string category, bool hasVictim)
    {
        StatuteCatalog.LoadDefault().TryFind(citation, out var statute).ShouldBeTrue();
        statute.DefaultGrade.ShouldBe(grade);
        statute.Category.ShouldBe(category);
        statute.HasVictim.ShouldBe(hasVictim);
    }

    [Fact]
    public void Demo_weights_favour_the_everyday_arrests()
    {
        var catalog = StatuteCatalog.LoadDefault();
        int Weight(string c) => catalog.TryFind(c, out var s) ? s.DemoWeight : throw new InvalidOperationException(c);
        Weight("35 § 780-113(a)(16)").ShouldBeGreaterThan(Weight("18 § 2502(a)") * 10);
        Weight("18 § 3929(a)(1)").ShouldBeGreaterThan(Weight("18 § 3121(a)(1)"));
        catalog.All.MaxBy(s => s.DemoWeight)!.Category.ShouldBe("drugs");
    }

    [Fact]
    public void Philadelphia_has_its_21_police_districts_in_six_divisions()
    {
        var catalog = DistrictCatalog.LoadDefault();
        catalog.Jurisdiction.ShouldBe("Philadelphia, PA");
        catalog.All.Select(d => d.Code).ShouldBe(
            ["01", "02", "03", "05", "06", "07", "08", "09", "12", "14", "15", "16", "17", "18", "19", "22", "24", "25", "26", "35", "39"]);
        catalog.All.Select(d => d.Division).Distinct().Order().ShouldBe(["Central", "East", "Northeast", "Northwest", "South", "Southwest"]);
        catalog.All.ShouldAllBe(d => d.DemoWeight > 0);
        catalog.TryFind("24", out var kensington).ShouldBeTrue();
        kensington.Division.ShouldBe("East");
        kensington.Name.ShouldBe("24th District");
        catalog.All.MaxBy(d => d.DemoWeight)!.Code.ShouldBe("24");
    }
}
