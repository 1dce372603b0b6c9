using System.Globalization;
using Dunning.Import;

namespace Dunning.Tests.Import;

public class FieldsTests
{
    [Fact]
    public void GivenTheCodeLists_ThenTheyHoldEveryCountryAndCurrencyTheMachineKnows()
    {
        var regions = CultureInfo.GetCultures(CultureTypes.SpecificCultures)
            .Select(c => { try { return new RegionInfo(c.Name); } catch (ArgumentException) { return null; } })
            .OfType<RegionInfo>()
            .Where(r => r.TwoLetterISORegionName.Length == 2 && r.TwoLetterISORegionName.All(char.IsAsciiLetterUpper))
            .ToList();

        Assert.NotEmpty(regions);
        // CLDR also has DG, EA and IC (Diego Garcia, Ceuta and Melilla, Canary Islands): reserved, not assigned, in ISO 3166-1.
        Assert.Equal([], regions.Select(r => r.TwoLetterISORegionName).Distinct().Where(code => Fields.Country(code) is null).Except(["DG", "EA", "IC"]));
        Assert.Equal([], regions.Select(r => r.ISOCurrencySymbol).Distinct().Where(code => code.Length == 3 && Fields.Currency(code) is null));
        Assert.Equal(250, Fields.CountryCount);
    }

    [Theory]
    [InlineData("usd", "USD")]
    [InlineData(" EUR ", "EUR")]
    [InlineData("XXX", null)]
    [InlineData("ABC", null)]
    [InlineData("US", null)]
    public void GivenCurrencyText_ThenOnlyIsoCodesAreAccepted(string text, string? expected) =>
        Assert.Equal(expected, Fields.Currency(text));

    [Theory]
    [InlineData("0", true)]
    [InlineData("12.50", true)]
    [InlineData("12.", false)]
    [InlineData(".5", false)]
    [InlineData("+1", false)]
    [InlineData("1 000", false)]
    [InlineData("1e3", false)]
    [InlineData("١٢", false)]
    [InlineData("", false)]
    public void GivenDecimalText_ThenOnlyPlainDecimalsParse(string text, bool parses) =>
        Assert.Equal(parses, Fields.TryParseDecimal(text, out _));

    [Fact]
    public void GivenAnotherCurrentCulture_ThenParsingAndMessagesStayInvariant()
    {
        var previous = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");

            Assert.True(Fields.TryParseDecimal("1234.50", out var value));
            Assert.Equal(1234.50m, value);
            Fields.Amount(10.001m, allowZero: false, "EUR", out var problem);
            Assert.Equal("10.001 has more decimal places than EUR has (2)", problem);

            CultureInfo.CurrentCulture = new CultureInfo("th-TH");
            Assert.Equal(new DateOnly(2026, 1, 31), Fields.Date("2026-01-31", out _));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }
}
