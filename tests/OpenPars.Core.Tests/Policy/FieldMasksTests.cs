using CsCheck;
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

    [Fact]
    public void Last4_output_is_exactly_the_last_four_ascii_digits_of_the_input_or_nothing() =>
        Gen.OneOf(TestGens.Ssn, Gen.String[Gen.Char["0123456789-x ٣"], 0, 14].Select(s => (string?)s)).Sample(ssn =>
        {
            var masked = FieldMasks.Last4(ssn);
            masked.ShouldBe(PartnerOracle.Last4Of(ssn), $"\"{ssn}\"");
            if (masked is not null)
            {
                masked.Length.ShouldBe(11);
                masked.Count(char.IsAsciiDigit).ShouldBe(4);
            }
        }, iter: 5000);

    [Fact]
    public void Year_output_is_exactly_the_four_digit_year_of_the_date() =>
        Gen.Int[DateOnly.MinValue.DayNumber, DateOnly.MaxValue.DayNumber].Select(DateOnly.FromDayNumber).Sample(date =>
        {
            var year = FieldMasks.Year(date)!;
            year.ShouldBe(PartnerOracle.YearOf(date));
            year.Length.ShouldBe(4);
            int.Parse(year, System.Globalization.CultureInfo.InvariantCulture).ShouldBe(date.Year);
        }, iter: 5000);

    [Fact]
    public void Initial_output_is_one_letter_of_the_name_upper_cased_and_a_dot_or_nothing() =>
        TestGens.Name.Sample(name =>
        {
            var initial = FieldMasks.Initial(name);
            initial.ShouldBe(PartnerOracle.InitialOf(name), $"\"{name}\"");
            if (initial is not null)
            {
                PartnerOracle.IsOneLetter(initial).ShouldBeTrue(initial);
            }
        }, iter: 5000);
}
