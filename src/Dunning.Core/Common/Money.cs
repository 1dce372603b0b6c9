using System.Globalization;
using System.Text.Json.Serialization;

namespace Dunning.Common;

/// <summary>An amount in one ISO 4217 currency. Never a double; arithmetic across currencies is an error.</summary>
public readonly record struct Money
{
    [JsonConstructor]
    public Money(decimal amount, string currency)
    {
        Amount = amount;
        Currency = Currencies.Normalize(currency);
    }

    // For arithmetic on amounts already made: their currency is canonical, and normalising it again (trimming,
    // upper-casing, looking it up) was a tenth of a simulation's time. default(Money) has none and still fails.
    private Money(decimal amount, string? canonicalCurrency, bool canonical)
    {
        Amount = amount;
        Currency = canonical && canonicalCurrency is not null ? canonicalCurrency : Currencies.Normalize(canonicalCurrency);
    }

    public decimal Amount { get; }

    public string Currency { get; }

    public static Money Zero(string currency) => new(0m, currency);

    /// <summary>The sum of amounts in <paramref name="currency"/> (zero for none); another currency among them is an error.</summary>
    public static Money Sum(IEnumerable<Money> amounts, string currency) => amounts.Aggregate(Zero(currency), (sum, m) => sum + m);

    [JsonIgnore]
    public bool IsZero => Amount == 0m;

    [JsonIgnore]
    public bool IsPositive => Amount > 0m;

    public static Money operator +(Money a, Money b) => new(a.Amount + b.Amount, SameCurrency(a, b), canonical: true);

    public static Money operator -(Money a, Money b) => new(a.Amount - b.Amount, SameCurrency(a, b), canonical: true);

    public static Money operator -(Money a) => new(-a.Amount, a.Currency, canonical: true);

    public static bool operator <(Money a, Money b) => a.Amount < b.Amount && SameCurrency(a, b) is not null;

    public static bool operator >(Money a, Money b) => a.Amount > b.Amount && SameCurrency(a, b) is not null;

    public static bool operator <=(Money a, Money b) => a.Amount <= b.Amount && SameCurrency(a, b) is not null;

    public static bool operator >=(Money a, Money b) => a.Amount >= b.Amount && SameCurrency(a, b) is not null;

    public Money Times(decimal factor) => new(Amount * factor, Currency, canonical: true);

    public Money Min(Money other) => this <= other ? this : other;

    public Money Max(Money other) => this >= other ? this : other;

    /// <summary>Rounds half away from zero to the currency's minor unit (2 places, 0 for JPY, 3 for KWD and friends).</summary>
    public Money Round() => new(Math.Round(Amount, Currencies.MinorUnits(Currency), MidpointRounding.AwayFromZero), Currency, canonical: true);

    /// <summary>Minor units (cents) as a long: how money is stored where there is no decimal type.</summary>
    public long ToMinorUnits() => checked((long)(Round().Amount * Currencies.MinorUnitFactor(Currency)));

    public static Money FromMinorUnits(long minor, string currency) => new(minor / Currencies.MinorUnitFactor(currency), currency);

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Amount.ToString("N" + Currencies.MinorUnits(Currency), CultureInfo.InvariantCulture)} {Currency}");

    private static string SameCurrency(Money a, Money b) =>
        a.Currency == b.Currency
            ? a.Currency
            : throw new InvalidOperationException($"Cannot combine {a.Currency} with {b.Currency}.");
}
