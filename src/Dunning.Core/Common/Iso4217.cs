using System.Collections.Frozen;

namespace Dunning.Common;

/// <summary>
/// ISO 4217 currencies and their minor units (the number of decimal places): the one table every part of the system
/// uses to say whether a code is a currency and how finely it is counted. Codes in use, their funds codes, and a few
/// recently withdrawn ones that old invoices still carry (HRK, SLL, ZWL, CUC, ANG); no metals or test codes.
/// </summary>
public static class Iso4217
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

    /// <summary>How many currencies the table knows.</summary>
    public static int Count => MinorUnitsByCode.Count;

    /// <summary>Whether <paramref name="code"/> (upper case) is an ISO 4217 currency.</summary>
    public static bool IsCode(string code) => MinorUnitsByCode.ContainsKey(code);

    /// <summary>The currency's decimal places (2 for a code the table does not know, as for most currencies).</summary>
    public static int MinorUnits(string code) => MinorUnitsByCode.GetValueOrDefault(code, 2);
}
