using Dunning.Cases;
using Dunning.Common;
using static Dunning.Cases.CaseEvent;
using static Dunning.Tests.Cases.Given;

namespace Dunning.Tests.Cases;

public class CaseRulesTests
{
    [Theory]
    [InlineData("0.001", "USD", "amount: 0.001 has more decimal places than USD has (2).")]
    [InlineData("10.5", "JPY", "amount: 10.5 has more decimal places than JPY has (0).")]
    [InlineData("1.2345", "KWD", "amount: 1.2345 has more decimal places than KWD has (3).")]
    [InlineData("79228162514264337593543950335", "USD", "amount: 79228162514264337593543950335 is more than 1,000,000,000,000, which no payment or credit here can be.")]
    [InlineData("0", "USD", "amount: must be greater than 0.")]
    [InlineData("-5", "USD", "amount: must be greater than 0.")]
    public void A_payment_that_cannot_be_real_is_refused_with_the_reason(string amount, string currency, string problem)
    {
        var state = Case(currency: currency);
        var payment = new PaymentReceived(DueDay(1), new Money(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), currency), "ref", "manual");

        var result = Assert.IsType<CommandResult.Invalid>(CaseRules.Check(state, payment));

        Assert.Equal([problem], result.Problems);
    }

    /// <summary>ISO 4217 counts the Kuwaiti dinar in fils (1/1000): a Stripe payment of 1234 fils is 1.234 KWD, not a typo.</summary>
    [Theory]
    [InlineData("1.234", "KWD", "998.766")]
    [InlineData("0.005", "BHD", "999.995")]
    [InlineData("250", "JPY", "750")]
    public void A_payment_as_fine_as_the_currency_s_minor_unit_is_applied(string amount, string currency, string left)
    {
        var state = Case(currency: currency);
        var payment = new PaymentReceived(DueDay(1), new Money(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), currency), "ref", "stripe", "pi_1");

        Assert.IsType<CommandResult.Accepted>(CaseRules.Check(state, payment));
        Assert.Equal(new Money(decimal.Parse(left, System.Globalization.CultureInfo.InvariantCulture), currency), CaseDecider.Evolve(state, payment).Balance);
    }

    [Fact]
    public void An_overpayment_is_accepted_and_kept_as_a_credit() =>
        Assert.IsType<CommandResult.Accepted>(CaseRules.Check(Case(amount: 100m), new PaymentReceived(DueDay(1), Usd(150m), "ref", "manual")));

    [Fact]
    public void A_ledger_update_that_changes_nothing_is_not_news_to_the_case()
    {
        var state = Case();

        Assert.IsType<CommandResult.Unchanged>(CaseRules.Check(state, new InvoiceUpdated(DueDay(1), state.Invoice)));
        Assert.IsType<CommandResult.Accepted>(CaseRules.Check(state, new InvoiceUpdated(DueDay(1), state.Invoice with { AmountPaid = Usd(10m) })));
    }
}
