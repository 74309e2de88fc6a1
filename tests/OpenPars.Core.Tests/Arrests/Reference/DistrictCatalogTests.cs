using System.Text;
using OpenPars.Core.Arrests.Reference;
using Shouldly;
using Xunit;

namespace OpenPars.Core.Tests.Arrests.Reference;

public sealed class DistrictCatalogTests
{
    private static MemoryStream Json(string text) => new(Encoding.UTF8.GetBytes(text));

    [Theory]
    [InlineData("1")]
    [InlineData("01")]
    [InlineData(" 001 ")]
    public void TryFind_accepts_codes_with_or_without_leading_zeros(string code)
    {
        DistrictCatalog.LoadDefault().TryFind(code, out var district).ShouldBeTrue();
        district.Code.ShouldBe("01");
        district.Name.ShouldBe("1st District");
        district.Division.ShouldBe("South");
    }

    [Theory]
    [InlineData("4")]
    [InlineData("23")]
    [InlineData("")]
    [InlineData("x")]
    public void TryFind_misses_codes_that_are_not_districts(string code) =>
        DistrictCatalog.LoadDefault().TryFind(code, out _).ShouldBeFalse();

    [Fact]
    public void Another_citys_file_loads_and_replaces_philadelphia()
    {
        var catalog = DistrictCatalog.Load(Json("""
            {"jurisdiction": "Pittsburgh, PA", "districts": [
              {"code": "1", "name": "Zone 1", "division": "North", "demoWeight": 3},
              {"code": "OSI", "name": "Special", "division": "Citywide", "demoWeight": 1}
            ]}
            """));
        catalog.Jurisdiction.ShouldBe("Pittsburgh, PA");
        catalog.All.Select(d => d.Code).ShouldBe(["01", "OSI"]);
        catalog.TryFind("osi", out var special).ShouldBeTrue();
        special.Name.ShouldBe("Special");
        catalog.TryFind("24", out _).ShouldBeFalse();
    }

    [Theory]
    [InlineData("""{"code": "01", "name": "Again", "division": "South", "demoWeight": 1}""", "districts[1] \"01\"", "duplicate code")]
    [InlineData("""{"code": "2", "division": "South", "demoWeight": 1}""", "districts[1] \"2\"", "\"name\" is required")]
    [InlineData("""{"code": "2", "name": "2nd District", "demoWeight": 1}""", "districts[1] \"2\"", "\"division\" is required")]
    [InlineData("""{"code": "2", "name": "2nd District", "division": "Northeast", "demoWeight": 0}""", "districts[1] \"2\"", "demoWeight must be greater than 0")]
    [InlineData("""{"code": "2", "name": "2nd District", "division": "Northeast", "demoWeight": 1, "captain": "X"}""", "districts[1] \"2\"", "unknown member \"captain\"")]
    [InlineData("""{"name": "2nd District", "division": "Northeast", "demoWeight": 1}""", "districts[1]", "\"code\" is required")]
    public void A_malformed_entry_is_refused_naming_the_entry_and_the_rule(string badEntry, string entry, string rule)
    {
        var json = $$"""{"jurisdiction": "Philadelphia, PA", "districts": [{"code": "1", "name": "1st District", "division": "South", "demoWeight": 20}, {{badEntry}}]}""";
        var ex = Should.Throw<ReferenceDataException>(() => DistrictCatalog.Load(Json(json)));
        ex.Entry.ShouldBe(entry);
        ex.Message.ShouldContain(entry);
        ex.Message.ShouldContain(rule);
    }

    [Theory]
    [InlineData("""{"districts": [{"code": "1", "name": "1st", "division": "South", "demoWeight": 1}]}""", "\"jurisdiction\" is required")]
    [InlineData("""{"jurisdiction": "X", "districts": []}""", "\"districts\" is required")]
    [InlineData("""{"jurisdiction": "X", "city": "Y", "districts": []}""", "unknown member \"city\"")]
    [InlineData("""{"jurisdiction": "X", "districts": [}""", "not valid JSON")]
    public void A_malformed_file_is_refused_naming_the_rule(string json, string rule) =>
        Should.Throw<ReferenceDataException>(() => DistrictCatalog.Load(Json(json))).Message.ShouldContain(rule);
}
