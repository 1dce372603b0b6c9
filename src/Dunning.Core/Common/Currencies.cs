using System.Collections.Frozen;
using System.Globalization;

namespace Dunning.Common;

/// <summary>
/// ISO 4217 currencies and their minor units (decimal places): the one table every part of the system uses to say
/// whether a code is a currency and how finely it is counted. Codes in use, their funds codes, and a few recently
/// withdrawn ones that old invoices still carry (HRK, SLL, ZWL, CUC, ANG); no metals or test codes.
/// </summary>
public static class Currencies
{
    private const string ZeroDecimals = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF";

    private const string ThreeDecimals = "BHD IQD JOD KWD LYD OMR TND";

    private const string FourDecimals = "CLF UYW";

    private const string TwoDecimals = """
        AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN BZD CAD CDF CHE CHF
        CHW CNY COP COU CRC CUC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HRK
        HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR
        MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP
        SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED VES WST XCD XCG YER
        ZAR ZMW ZWG ZWL
        """;

    private static readonly FrozenDictionary<string, int> MinorUnitsByCode = new[] { (ZeroDecimals, 0), (TwoDecimals, 2), (ThreeDecimals, 3), (FourDecimals, 4) }
        .SelectMany(group => group.Item1.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries).Select(code => KeyValuePair.Create(code, group.Item2)))
        .ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly decimal[] Pow10 = [1m, 10m, 100m, 1_000m, 10_000m];

    public static string Normalize(string? code)
    {
        // Almost every code is already normalised: every Money is made through here, several times an imported row.
        if (code is { Length: 3 } && MinorUnitsByCode.ContainsKey(code))
        {
            return code;
        }

        var normalized = (code ?? string.Empty).Trim().ToUpperInvariant();
        return IsValid(normalized)
            ? normalized
            : throw new ArgumentException($"'{code}' is not an ISO 4217 currency code (three letters, e.g. USD, EUR, GBP).", nameof(code));
    }

    /// <summary>Whether the text is an ISO 4217 code, in either case.</summary>
    public static bool IsValid(string? code) => code is { Length: 3 } && MinorUnitsByCode.ContainsKey(code.ToUpperInvariant());

    /// <summary>Decimal places of the currency: 2 for most, 0 for JPY and friends, 3 for KWD and friends (2 for a code the table does not know).</summary>
    public static int MinorUnits(string currency) => MinorUnitsByCode.GetValueOrDefault(currency, 2);

    /// <summary>How many minor units make one: 10 to the power of <see cref="MinorUnits"/>.</summary>
    public static decimal MinorUnitFactor(string currency) => Pow10[MinorUnits(currency)];

    public static string Symbol(string currency) => currency switch
    {
        "USD" => "$",
        "CAD" => "CA$",
        "AUD" => "A$",
        "NZD" => "NZ$",
        "GBP" => "£",
        "EUR" => "€",
        "JPY" => "¥",
        _ => currency + " ",
    };

    /// <summary>Formats for a letter or an email: "$1,234.50", "€99.00", "CHF 10.00".</summary>
    public static string Format(Money money)
    {
        var digits = MinorUnits(money.Currency);
        var sign = money.Amount < 0 ? "-" : string.Empty;
        return sign + Symbol(money.Currency) + Math.Abs(money.Amount).ToString("N" + digits, CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Formats in the reader's locale: "1.234,56 €" (de-DE), "1 234,56 €" (fr-FR), "$1,234.56" (en-US), "£1,234.56" (en-GB).
    /// The culture decides where the symbol goes and which separators to use; the decimals come from the ISO table,
    /// not the culture, so ¥ has none and KWD three whatever the reader's country. A currency that is not the culture's
    /// own keeps its unambiguous symbol ("CA$", "CHF"), because "$" in a French letter would not say which dollar.
    /// </summary>
    public static string Format(Money money, CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(culture);
        var format = (NumberFormatInfo)culture.NumberFormat.Clone();
        format.CurrencyDecimalDigits = MinorUnits(money.Currency);
        var symbol = IsCultureCurrency(culture, money.Currency) ? culture.NumberFormat.CurrencySymbol : Symbol(money.Currency);
        format.CurrencySymbol = symbol.Trim();
        if (symbol.EndsWith(' '))
        {
            // A bare code ("CHF") needs a space before the digits where the culture glues its own symbol to them.
            format.CurrencyPositivePattern = format.CurrencyPositivePattern == 0 ? 2 : format.CurrencyPositivePattern;
            format.CurrencyNegativePattern = format.CurrencyNegativePattern == 1 ? 9 : format.CurrencyNegativePattern;
        }

        return money.Amount.ToString("C", format);
    }

    private static bool IsCultureCurrency(CultureInfo culture, string currency)
    {
        if (culture.IsNeutralCulture || culture.Equals(CultureInfo.InvariantCulture))
        {
            return false;
        }

        try
        {
            return new RegionInfo(culture.Name).ISOCurrencySymbol == currency;
        }
        catch (ArgumentException)
        {
            // A culture without a region (a custom or neutral tag) has no currency of its own.
            return false;
        }
    }
}
