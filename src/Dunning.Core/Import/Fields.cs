using System.Buffers;
using System.Collections.Frozen;
using System.Globalization;
using Dunning.Common;

namespace Dunning.Import;

/// <summary>
/// The field rules shared by the ledger import (CSV and JSON) and the payment webhooks. Each check answers with
/// a reason a person can act on, or null when the value is fine.
/// </summary>
internal static class Fields
{
    /// <summary>The largest amount accepted anywhere: it still fits a long in minor units down to 1/1000 (less for CLF and UYW).</summary>
    public const decimal MaxAmount = 1_000_000_000_000_000m;

    public const long MaxMinorUnits = 1_000_000_000_000_000_000;

    /// <summary>ISO 3166-1 alpha-2, plus XK (Kosovo), which banks and tax authorities use.</summary>
    private static readonly FrozenSet<string> CountryCodes = FrozenSet.ToFrozenSet(
        """
        AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW
        BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI
        FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN
        IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME
        MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF
        PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV
        SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS XK
        YE YT ZA ZM ZW
        """.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries),
        StringComparer.Ordinal);

    internal static int CountryCount => CountryCodes.Count;

    /// <summary>The normalised (upper-case) code, or null when it is not an ISO 4217 currency.</summary>
    public static string? Currency(string text)
    {
        var code = text.Trim().ToUpperInvariant();
        return Currencies.IsValid(code) ? code : null;
    }

    public static string CurrencyProblem(string text) => $"'{Shorten(text)}' is not an ISO 4217 code (e.g. USD, EUR, GBP)";

    /// <summary>The normalised (upper-case) code, or null when it is not an ISO 3166-1 alpha-2 country.</summary>
    public static string? Country(string text)
    {
        var code = text.Trim().ToUpperInvariant();
        return CountryCodes.Contains(code) ? code : null;
    }

    public static string CountryProblem(string text) => text.Trim().ToUpperInvariant() switch
    {
        "UK" => "'UK' is not an ISO 3166-1 alpha-2 code: the United Kingdom is GB",
        "EL" => "'EL' is not an ISO 3166-1 alpha-2 code: Greece is GR",
        _ => $"'{Shorten(text)}' is not an ISO 3166-1 alpha-2 country code (e.g. US, GB, DE)",
    };

    /// <summary>A subdivision code without the country: one to three letters or digits.</summary>
    public static string? RegionProblem(string text, string? country)
    {
        if (text.Length is >= 1 and <= 3 && !text.AsSpan().ContainsAnyExcept(AsciiLettersAndDigits))
        {
            return null;
        }

        var dash = text.IndexOf('-');
        if (dash > 0 && country is not null && text[..dash].Equals(country, StringComparison.OrdinalIgnoreCase))
        {
            return $"'{Shorten(text)}': write the subdivision without the country, e.g. {text[(dash + 1)..].ToUpperInvariant()}";
        }

        return $"'{Shorten(text)}' is not a subdivision code (one to three letters or digits, e.g. CA, NY, ENG)";
    }

    /// <summary>
    /// A plain decimal: digits with an optional '.' and more digits. No sign, no exponent, no thousands separators,
    /// whatever the machine's culture.
    /// </summary>
    public static bool TryParseDecimal(string text, out decimal value) => TryParseDecimal(text.AsSpan(), out value);

    private static readonly SearchValues<char> Digits = SearchValues.Create("0123456789");

    private static readonly SearchValues<char> AsciiLettersAndDigits = SearchValues.Create("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    private static bool TryParseDecimal(ReadOnlySpan<char> text, out decimal value)
    {
        value = 0m;
        var dot = text.IndexOf('.');
        var whole = dot < 0 ? text : text[..dot];
        var fraction = dot < 0 ? "0" : text[(dot + 1)..];
        return whole.Length is > 0 and <= 20
            && fraction.Length is > 0 and <= 20
            && !whole.ContainsAnyExcept(Digits)
            && !fraction.ContainsAnyExcept(Digits)
            && decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Parses an amount; null with a reason when it is not a usable amount.</summary>
    public static decimal? Amount(string text, bool allowZero, string? currency, out string? problem)
    {
        var trimmed = text.AsSpan().Trim();
        if (trimmed.StartsWith('-') && TryParseDecimal(trimmed[1..], out _))
        {
            problem = allowZero ? "must not be negative" : "must be greater than 0";
            return null;
        }

        if (!TryParseDecimal(trimmed, out var value))
        {
            problem = $"'{Shorten(text)}' is not a decimal with '.' and no thousands separators, e.g. 1234.50";
            return null;
        }

        return Amount(value, allowZero, currency, out problem);
    }

    public static decimal? Amount(decimal value, bool allowZero, string? currency, out string? problem)
    {
        problem = value switch
        {
            < 0m when allowZero => "must not be negative",
            <= 0m when !allowZero => "must be greater than 0",
            > MaxAmount => string.Create(CultureInfo.InvariantCulture, $"must be at most {MaxAmount}"),
            _ when currency is not null && value * Currencies.MinorUnitFactor(currency) > MaxMinorUnits =>
                string.Create(CultureInfo.InvariantCulture, $"must be at most {MaxMinorUnits / Currencies.MinorUnitFactor(currency)} in {currency}"),
            _ when currency is not null && value != Math.Round(value, Currencies.MinorUnits(currency)) =>
                string.Create(CultureInfo.InvariantCulture, $"{value} has more decimal places than {currency} has ({Currencies.MinorUnits(currency)})"),
            _ => null,
        };

        return problem is null ? value : null;
    }

    /// <summary>
    /// The days a ledger date or a payment's time may fall on. Outside them a date is a typo or a placeholder
    /// (9999-12-31 for "never"), and the ladder's day arithmetic on it would overflow the calendar.
    /// </summary>
    public static readonly DateOnly EarliestDate = new(1900, 1, 1);

    /// <inheritdoc cref="EarliestDate"/>
    public static readonly DateOnly LatestDate = new(2199, 12, 31);

    /// <summary>Why <paramref name="date"/> cannot be a real ledger date, or null when it can.</summary>
    public static string? ImplausibleDate(DateOnly date) =>
        date < EarliestDate || date > LatestDate
            ? string.Create(CultureInfo.InvariantCulture, $"{date:yyyy-MM-dd} is not a plausible date (from {EarliestDate:yyyy-MM-dd} to {LatestDate:yyyy-MM-dd})")
            : null;

    public static DateOnly? Date(string text, out string? problem)
    {
        var trimmed = text.AsSpan().Trim();
        if (IsoDate(trimmed) is { } iso || DateOnly.TryParseExact(trimmed, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out iso))
        {
            problem = ImplausibleDate(iso);
            return problem is null ? iso : null;
        }

        problem = $"'{Shorten(text)}' is not a date as YYYY-MM-DD";
        return null;
    }

    /// <summary>
    /// The date of ten ASCII characters <c>dddd-dd-dd</c> naming a day of the calendar, read by hand (a ledger has two a
    /// row); null for anything else, which <see cref="DateOnly.TryParseExact(ReadOnlySpan{char}, ReadOnlySpan{char}, IFormatProvider?, DateTimeStyles, out DateOnly)"/> then decides.
    /// </summary>
    private static DateOnly? IsoDate(ReadOnlySpan<char> text)
    {
        if (text.Length != 10 || text[4] != '-' || text[7] != '-'
            || text[..4].ContainsAnyExcept(Digits) || text[5..7].ContainsAnyExcept(Digits) || text[8..].ContainsAnyExcept(Digits))
        {
            return null;
        }

        var year = ((text[0] - '0') * 1000) + ((text[1] - '0') * 100) + ((text[2] - '0') * 10) + (text[3] - '0');
        var month = ((text[5] - '0') * 10) + (text[6] - '0');
        var day = ((text[8] - '0') * 10) + (text[9] - '0');
        return year >= 1 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month)
            ? new DateOnly(year, month, day)
            : null;
    }

    private static readonly string[] InstantFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'z'",
        "yyyy-MM-dd'T'HH:mmzzz",
        "yyyy-MM-dd'T'HH:mm'Z'",
        "yyyy-MM-dd",
    ];

    /// <summary>
    /// A moment as both the generic webhook and staff write it: ISO 8601 with an offset or Z, or a date alone (midnight UTC).
    /// A time without an offset is refused: it would mean whatever zone the server happens to run in.
    /// </summary>
    public static DateTimeOffset? Instant(string text, out string? problem)
    {
        if (WellFormedInstant(text) is { } at)
        {
            problem = ImplausibleDate(DateOnly.FromDateTime(at.UtcDateTime));
            return problem is null ? at : null;
        }

        problem = InstantFormProblem(text);
        return null;
    }

    public static string InstantFormProblem(string text) =>
        $"'{Shorten(text)}' is not an ISO 8601 date and time with an offset, e.g. 2026-02-01T11:00:00Z, or a date (YYYY-MM-DD, midnight UTC)";

    /// <summary>The moment <paramref name="text"/> writes in one of the accepted forms, plausible or not.</summary>
    public static DateTimeOffset? WellFormedInstant(string text) =>
        DateTimeOffset.TryParseExact(text.Trim(), InstantFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;

    public static string? EmailProblem(string text)
    {
        if (text.Length > 254)
        {
            return "is longer than 254 characters";
        }

        if (text.Contains(',') || text.Contains(';'))
        {
            return $"'{Shorten(text)}': one email address per column";
        }

        var at = text.IndexOf('@');
        var domain = at < 0 ? string.Empty : text[(at + 1)..];
        var looksRight = at > 0
            && at == text.LastIndexOf('@')
            && !HasCharNotInEmail(text)
            && domain.Contains('.')
            && domain[0] != '.'
            && domain[^1] != '.'
            && !domain.Contains("..", StringComparison.Ordinal);
        return looksRight ? null : $"'{Shorten(text)}' is not an email address";
    }

    public static string? PhoneProblem(string text) =>
        DigitCount(text) >= 5 && !text.Contains('@') && !HasControl(text)
            ? null
            : $"'{Shorten(text)}' is not a phone number";

    /// <summary>
    /// Whether <paramref name="text"/> holds a control character. A loop, as the checks below, rather than LINQ over the
    /// characters: a delegate call per character of every cell was a good part of reading 100k customers.
    /// </summary>
    public static bool HasControl(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (char.IsControl(c))
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasCharNotInEmail(string text)
    {
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c) || c is '<' or '>' or '(' or ')' or '"' or '[' or ']' or '\\')
            {
                return true;
            }
        }

        return false;
    }

    private static int DigitCount(string text)
    {
        var digits = 0;
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c))
            {
                digits++;
            }
        }

        return digits;
    }

    /// <summary>Free text on one line: line breaks inside a quoted cell become ", ".</summary>
    public static string OneLine(string text) =>
        text.AsSpan().ContainsAny('\r', '\n')
            ? string.Join(", ", text.Split((char[])['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            : text.Trim();

    /// <summary>Quoted back to the user without flooding the error list.</summary>
    public static string Shorten(string text) => text.Length <= 40 ? text : text[..37] + "...";
}
