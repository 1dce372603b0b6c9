using System.Globalization;
using Dunning.Common;

namespace Dunning.Tests.Messages;

/// <summary>Amounts read as the customer writes them: symbol placement and separators from the locale, decimals from ISO 4217.</summary>
public sealed class LocalAmountsTests
{
    [Theory]
    [InlineData("de-DE", "EUR", "1234.56", "1.234,56 €")]
    [InlineData("fr-FR", "EUR", "1234.56", "1\u202F234,56 €")]
    [InlineData("es-ES", "EUR", "1234.56", "1.234,56 €")]
    [InlineData("en-US", "USD", "1234.56", "$1,234.56")]
    [InlineData("en-GB", "GBP", "1234.56", "£1,234.56")]
    [InlineData("en-GB", "EUR", "99", "€99.00")]
    [InlineData("de-DE", "JPY", "1500", "1.500 ¥")]
    [InlineData("en-US", "KWD", "12.5", "KWD 12.500")]
    [InlineData("fr-FR", "CAD", "10", "10,00 CA$")]
    [InlineData("de", "EUR", "1234.56", "1.234,56 €")]
    [InlineData("en", "USD", "-1234.5", "-$1,234.50")]
    [InlineData("en", "CHF", "10", "CHF 10.00")]
    [InlineData("en", "CHF", "-10", "-CHF 10.00")]
    public void An_amount_is_written_in_the_readers_locale(string culture, string currency, string amount, string expected)
    {
        var money = new Money(decimal.Parse(amount, CultureInfo.InvariantCulture), currency);

        Assert.Equal(expected, Currencies.Format(money, CultureInfo.GetCultureInfo(culture)).Replace('\u00A0', ' '));
    }
}
