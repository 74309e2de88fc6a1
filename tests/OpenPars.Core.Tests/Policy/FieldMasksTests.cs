using OpenPars.Core.Policy;
using Shouldly;
using Xunit;

namespace OpenPars.Core.Tests.Policy;

public class FieldMasksTests
{
    [Theory]
    [InlineData("123-45-6789", "***-**-6789")]
    [InlineData("123456789", "***-**-6789")]
    [InlineData(" 123 45 6789 ", "***-**-6789")]
    [InlineData("6789", "***-**-6789")]
    [InlineData("789", null)]
    [InlineData("", null)]
    [InlineData("abc-de-fghi", null)]
    [InlineData("١٢٣-٤٥-٦٧٨٩", null)] // Arabic-Indic digits are not an SSN's digits; nothing is shown
    [InlineData(null, null)]
    public void Last4(string? ssn, string? expected) => FieldMasks.Last4(ssn).ShouldBe(expected);

    [Fact]
    public void Last4_never_shows_more_than_four_digits_of_the_input()
    {
        var masked = FieldMasks.Last4("123-45-6789")!;
        masked.Count(char.IsAsciiDigit).ShouldBe(4);
    }

    [Fact]
    public void Year()
    {
        FieldMasks.Year(new DateOnly(1987, 6, 5)).ShouldBe("1987");
        FieldMasks.Year(new DateOnly(1, 1, 1)).ShouldBe("0001");
        FieldMasks.Year(null).ShouldBeNull();
    }

    [Theory]
    [InlineData("John", "J.")]
    [InlineData("j", "J.")]
    [InlineData("  maria ", "M.")]
    [InlineData("'Abdul", "A.")]
    [InlineData("Łukasz", "Ł.")]
    [InlineData("Ésa", "É.")]
    [InlineData("E\u0301sa", "E\u0301.")] // E + combining acute stays one grapheme
    [InlineData("Ольга", "О.")]
    [InlineData("محمد", "م.")]
    [InlineData("张伟", "张.")]
    [InlineData("𝒜lice", "𝒜.")] // a letter outside the BMP is not split
    [InlineData("-", null)]
    [InlineData("", null)]
    [InlineData("   ", null)]
    [InlineData(null, null)]
    public void Initial(string? name, string? expected) => FieldMasks.Initial(name).ShouldBe(expected);
}
