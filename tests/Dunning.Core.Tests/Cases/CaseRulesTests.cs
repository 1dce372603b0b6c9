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
