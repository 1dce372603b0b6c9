using System.Globalization;
using Dunning.Common;
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

    /// <summary>
    /// Every currency's decimal places agree with the machine's own culture data where it knows the currency (ISO 4217
    /// and CLDR differ on a few the law counts in units nobody pays in, listed), and amounts stay within a long in minor units.
    /// </summary>
    [Fact]
    public void GivenTheCurrencyTable_ThenItsDecimalPlacesMatchTheCulturesAndAmountsFitInMinorUnits()
    {
        var byCurrency = CultureInfo.GetCultures(CultureTypes.SpecificCultures)
            .Select(c => { try { return (Region: new RegionInfo(c.Name), Culture: c); } catch (ArgumentException) { return default; } })
            .Where(x => x.Region is not null && Fields.Currency(x.Region.ISOCurrencySymbol) is not null)
            .GroupBy(x => x.Region.ISOCurrencySymbol)
            .ToDictionary(g => g.Key, g => g.Select(x => x.Culture.NumberFormat.CurrencyDecimalDigits).ToHashSet());

        // CLDR writes these without decimals in daily use (IQD with 0, not ISO's 3), while ISO 4217 keeps the minor
        // unit: ISO is what payment providers and ledgers use.
        string[] cashRounded = ["AFN", "ALL", "IQD", "IRR", "KPW", "LAK", "LBP", "MGA", "MMK", "RSD", "SOS", "SYP", "YER"];
        var disagree = byCurrency
            .Where(kv => !kv.Value.Contains(Currencies.MinorUnits(kv.Key)) && !cashRounded.Contains(kv.Key))
            .Select(kv => $"{kv.Key}: table {Currencies.MinorUnits(kv.Key)}, cultures {string.Join("/", kv.Value)}");
        Assert.Empty(disagree);
        Assert.Equal(3, Currencies.MinorUnits("KWD"));
        Assert.Equal(0, Currencies.MinorUnits("JPY"));
        Assert.Equal(4, Currencies.MinorUnits("CLF"));
        Assert.Equal("must be at most 100000000000000 in CLF", Problem(100_000_000_000_001m, "CLF"));
        Assert.Null(Problem(1_000_000_000_000_000m, "KWD"));
        Assert.False(Currencies.IsValid("XYZ"));
        Assert.True(Currencies.IsValid("kwd"));

        static string? Problem(decimal amount, string currency)
        {
            Fields.Amount(amount, allowZero: false, currency, out var problem);
            return problem;
        }
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

    /// <summary>Dates written <c>dddd-dd-dd</c> are read by hand; whatever the text, the answer is the framework's for "yyyy-MM-dd".</summary>
    [Fact]
    public void GivenAnyTextOfADatesShape_WhenReadAsADate_ThenTheSameAsTheFrameworksExactParse()
    {
        var random = new Random(2026);
        var texts = new List<string> { "2026-02-29", "2024-02-29", "0000-01-01", "0001-01-01", "9999-12-31", "1899-12-31", "1900-01-01", "2199-12-31", "2200-01-01", "2026-13-01", "2026-00-10", "2026-04-31", " 2026-01-31 ", "2026-1-31", "٢٠٢٦-٠١-٣١" };
        for (var i = 0; i < 20_000; i++)
        {
            var chars = "2026-01-31".ToCharArray();
            chars[random.Next(chars.Length)] = "0123456789-/ x"[random.Next(14)];
            texts.Add(new string(chars));
            texts.Add(new DateOnly(1850, 1, 1).AddDays(random.Next(150_000)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }

        foreach (var text in texts)
        {
            var expected = DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                ? (date < Fields.EarliestDate || date > Fields.LatestDate ? null : date)
                : (DateOnly?)null;
            Assert.True(expected == Fields.Date(text, out var problem), text);
            Assert.Equal(expected is null, problem is not null);
        }
    }
}
