using System.Text;
using OpenPars.Core.Arrests.Reference;
using Shouldly;
using Xunit;

namespace OpenPars.Core.Tests.Arrests.Reference;

public sealed class StatuteCatalogTests
{
    private static StatuteCatalog Pa => StatuteCatalog.LoadDefault();

    private static MemoryStream Json(string text) => new(Encoding.UTF8.GetBytes(text));

    [Theory]
    [InlineData("18 § 2701(a)(1)")]
    [InlineData("18 §2701(a)(1)")]
    [InlineData("18 Sec. 2701(a)(1)")]
    [InlineData("18 sec 2701 (a) (1)")]
    [InlineData("18 Section 2701(a)(1)")]
    [InlineData("18 s. 2701(a)(1)")]
    [InlineData("18 Pa.C.S. § 2701(a)(1)")]
    [InlineData("18 Pa.C.S.A. 2701(A)(1)")]
    [InlineData("  18  §  2701(A)(1)  ")]
    [InlineData("18\u00a0§\u00a02701(a)(1)")]
    public void TryFind_tolerates_spelling_of_the_section_mark_spacing_and_case(string citation)
    {
        Pa.TryFind(citation, out var statute).ShouldBeTrue();
        statute.Citation.ShouldBe("18 § 2701(a)(1)");
        statute.DefaultGrade.ShouldBe(OffenseGrade.M2);
    }

    [Theory]
    [InlineData("35 P.S. § 780-113(a)(16)", "35 § 780-113(a)(16)")]
    [InlineData("35 § 780-113 (A)(30)", "35 § 780-113(a)(30)")]
    [InlineData("75 Pa.C.S. § 3802(d)(1)", "75 § 3802(d)(1)")]
    [InlineData("18 §§ 6110.2(a)", "18 § 6110.2(a)")]
    [InlineData("18 § 3503(b.1)", "18 § 3503(b.1)")]
    [InlineData("ORS  164.055", "ORS 164.055")]
    public void Normalize_gives_the_canonical_spelling(string input, string expected) =>
        StatuteCatalog.Normalize(input).ShouldBe(expected);

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("18 § 2711")]
    [InlineData("18 § 2701(a)(9)")]
    public void TryFind_misses_unknown_citations(string citation) =>
        Pa.TryFind(citation, out _).ShouldBeFalse();

    [Fact]
    public void Search_by_section_prefix_returns_the_subsections_in_file_order()
    {
        var found = Pa.Search("2701", 10);
        found.Select(s => s.Citation).ShouldBe(["18 § 2701(a)(1)", "18 § 2701(a)(2)", "18 § 2701(a)(3)", "18 § 2701(a)(4)"]);
        Pa.Search("18 sec. 2701(a)(", 10).Count.ShouldBe(4);
        Pa.Search("780-113(a)(3", 10).Select(s => s.Citation).ShouldBe(
            ["35 § 780-113(a)(30)", "35 § 780-113(a)(31)", "35 § 780-113(a)(32)", "35 § 780-113(a)(33)"]);
    }

    [Fact]
    public void Search_by_title_words_is_case_insensitive_and_heaviest_first()
    {
        var found = Pa.Search("RETAIL thef", 10);
        found.ShouldNotBeEmpty();
        found[0].Citation.ShouldBe("18 § 3929(a)(1)");
        found.ShouldAllBe(s => s.Title.Contains("Retail theft", StringComparison.OrdinalIgnoreCase));

        Pa.Search("firearms", 3).Select(s => s.Citation).ShouldBe(["18 § 6106(a)(1)", "18 § 6108", "18 § 6105(a)(1)"]);
    }

    [Fact]
    public void Search_with_no_query_returns_the_first_entries_and_respects_the_limit()
    {
        Pa.Search(null, 5).ShouldBe(Pa.All.Take(5));
        Pa.Search("  ", 3).ShouldBe(Pa.All.Take(3));
        Pa.Search("assault", 2).Count.ShouldBe(2);
        Pa.Search("assault", 0).ShouldBeEmpty();
        Pa.Search("no such offense anywhere", 10).ShouldBeEmpty();
        Should.Throw<ArgumentOutOfRangeException>(() => Pa.Search("x", -1));
    }

    [Fact]
    public void Another_states_file_loads_from_a_string_and_replaces_pennsylvania()
    {
        const string delaware = """
            {
              "jurisdiction": "DE",
              "name": "Delaware Code Title 11 (two offenses)",
              "grades": ["F3", "M1", "ungraded"],
              "statutes": [
                {"citation": "11 § 611", "title": "Assault in the third degree", "grade": "M1", "category": "assault", "hasVictim": true, "demoWeight": 5},
                {"citation": "11 Sec. 841(c)(1)", "title": "Theft", "grade": "ungraded", "category": "theft", "hasVictim": true, "demoWeight": 3}
              ]
            }
            """;
        var catalog = StatuteCatalog.Load(Json(delaware));
        catalog.Jurisdiction.ShouldBe("DE");
        catalog.Name.ShouldBe("Delaware Code Title 11 (two offenses)");
        catalog.All.Count.ShouldBe(2);
        catalog.TryFind("11 §841(c)(1)", out var theft).ShouldBeTrue();
        theft.Citation.ShouldBe("11 § 841(c)(1)");
        catalog.TryFind("18 § 2701(a)(1)", out _).ShouldBeFalse();
        StatuteCatalog.LoadDefault().Jurisdiction.ShouldBe("PA");
    }

    [Fact]
    public void LoadFile_reads_a_file_and_names_it_when_missing()
    {
        var path = Path.Combine(Path.GetTempPath(), $"openpars-statutes-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """{"jurisdiction":"XX","statutes":[{"citation":"1 § 1","title":"T","grade":"S","category":"traffic","hasVictim":false,"demoWeight":1}]}""");
        try
        {
            StatuteCatalog.LoadFile(path).Jurisdiction.ShouldBe("XX");
        }
        finally
        {
            File.Delete(path);
        }

        Should.Throw<ReferenceDataException>(() => StatuteCatalog.LoadFile(path)).Message.ShouldContain(path);
    }

    private const string Good = """{"citation": "18 § 2701(a)(1)", "title": "Simple assault", "grade": "M2", "category": "assault", "hasVictim": true, "demoWeight": 60}""";

    [Theory]
    [InlineData("""{"citation": "18 § 2702(a)(1)", "title": "Aggravated assault", "grade": "F4", "category": "assault", "hasVictim": true, "demoWeight": 40}""",
        "statutes[1] \"18 § 2702(a)(1)\"", "grade \"F4\" is not one of")]
    [InlineData("""{"citation": "18 Sec. 2701 (a)(1)", "title": "Again", "grade": "M2", "category": "assault", "hasVictim": true, "demoWeight": 1}""",
        "statutes[1] \"18 Sec. 2701 (a)(1)\"", "duplicate citation")]
    [InlineData("""{"citation": "18 § 2705", "grade": "M2", "category": "assault", "hasVictim": true, "demoWeight": 35}""",
        "statutes[1] \"18 § 2705\"", "\"title\" is required")]
    [InlineData("""{"citation": "18 § 2705", "title": "  ", "grade": "M2", "category": "assault", "hasVictim": true, "demoWeight": 35}""",
        "statutes[1] \"18 § 2705\"", "\"title\" is required")]
    [InlineData("""{"citation": "18 § 2705", "title": "REAP", "grade": "M2", "category": "assault", "hasVictim": true, "demoWeight": 0}""",
        "statutes[1] \"18 § 2705\"", "demoWeight must be greater than 0")]
    [InlineData("""{"citation": "18 § 2705", "title": "REAP", "grade": "M2", "category": "assault", "hasVictim": true, "demoWeight": -3}""",
        "statutes[1] \"18 § 2705\"", "demoWeight must be greater than 0")]
    [InlineData("""{"citation": "18 § 2705", "title": "REAP", "grade": "M2", "category": "assault", "hasVictim": true, "demoWeight": 35, "severity": 3}""",
        "statutes[1] \"18 § 2705\"", "unknown member \"severity\"")]
    [InlineData("""{"citation": "18 § 2705", "title": "REAP", "grade": "M2", "category": "assault", "hasVictim": true, "DemoWeight": 35}""",
        "statutes[1] \"18 § 2705\"", "unknown member \"DemoWeight\"")]
    [InlineData("""{"title": "REAP", "grade": "M2", "category": "assault", "hasVictim": true, "demoWeight": 35}""",
        "statutes[1]", "\"citation\" is required")]
    [InlineData("""{"citation": "18 § 2705", "title": "REAP", "grade": "M2", "category": "Assault", "hasVictim": true, "demoWeight": 35}""",
        "statutes[1] \"18 § 2705\"", "category \"Assault\" must be lower-case")]
    [InlineData("""{"citation": "18 § 2705", "title": "REAP", "grade": "M2", "category": "assault", "demoWeight": 35}""",
        "statutes[1] \"18 § 2705\"", "\"hasVictim\" is required")]
    [InlineData("""{"citation": "18 § 2705", "title": "REAP", "grade": "M2", "category": "assault", "hasVictim": true, "demoWeight": "35"}""",
        "statutes[1] \"18 § 2705\"", "\"demoWeight\" has the wrong JSON type")]
    [InlineData("""{"citation": "18 § 2705", "title": "REAP", "grade": "F1", "category": "assault", "hasVictim": true, "demoWeight": 35}""",
        "statutes[1] \"18 § 2705\"", "grade \"F1\" is not in the file's \"grades\" list")]
    public void A_malformed_entry_is_refused_naming_the_entry_and_the_rule(string badEntry, string entry, string rule)
    {
        var json = $$"""{"jurisdiction": "PA", "grades": ["M2", "ungraded"], "statutes": [{{Good}}, {{badEntry}}]}""";
        var ex = Should.Throw<ReferenceDataException>(() => StatuteCatalog.Load(Json(json)));
        ex.Entry.ShouldBe(entry);
        ex.Rule.ShouldNotBeNull().ShouldContain(rule);
        ex.Message.ShouldContain(entry);
        ex.Message.ShouldContain(rule);
    }

    [Theory]
    [InlineData("""{"statutes": [GOOD]}""", "\"jurisdiction\" is required")]
    [InlineData("""{"jurisdiction": "PA", "statutes": []}""", "\"statutes\" is required")]
    [InlineData("""{"jurisdiction": "PA"}""", "\"statutes\" is required")]
    [InlineData("""{"jurisdiction": "PA", "version": 2, "statutes": [GOOD]}""", "unknown member \"version\"")]
    [InlineData("""{"jurisdiction": "PA", "grades": ["M2", "X"], "statutes": [GOOD]}""", "grade \"X\" is not one of")]
    [InlineData("""{"jurisdiction": "PA", "statutes": [GOOD,]}""", "not valid JSON")]
    [InlineData("""{"jurisdiction": "PA", "jurisdiction": "NJ", "statutes": [GOOD]}""", "not valid JSON")]
    [InlineData("""[GOOD]""", "must be a JSON object")]
    public void A_malformed_file_is_refused_naming_the_rule(string json, string rule)
    {
        var ex = Should.Throw<ReferenceDataException>(() => StatuteCatalog.Load(Json(json.Replace("GOOD", Good, StringComparison.Ordinal))));
        ex.Message.ShouldContain(rule);
    }

    [Fact]
    public void Offense_grades_parse_print_and_classify()
    {
        foreach (var grade in Enum.GetValues<OffenseGrade>())
        {
            OffenseGrades.TryParse(OffenseGrades.ToCode(grade), out var back).ShouldBeTrue();
            back.ShouldBe(grade);
        }

        OffenseGrades.ToCode(OffenseGrade.Ungraded).ShouldBe("ungraded");
        OffenseGrades.TryParse(" f2 ", out var f2).ShouldBeTrue();
        f2.ShouldBe(OffenseGrade.F2);
        OffenseGrades.TryParse("F", out _).ShouldBeFalse();
        OffenseGrades.TryParse("Ungraded", out var u).ShouldBeTrue();
        u.ShouldBe(OffenseGrade.Ungraded);
        OffenseGrades.TryParse(null!, out _).ShouldBeFalse();

        OffenseGrade[] felonies = [OffenseGrade.F1, OffenseGrade.F2, OffenseGrade.F3];
        OffenseGrade[] misdemeanors = [OffenseGrade.M1, OffenseGrade.M2, OffenseGrade.M3];
        foreach (var grade in Enum.GetValues<OffenseGrade>())
        {
            OffenseGrades.IsFelony(grade).ShouldBe(felonies.Contains(grade));
            OffenseGrades.IsMisdemeanor(grade).ShouldBe(misdemeanors.Contains(grade));
        }
    }
}
