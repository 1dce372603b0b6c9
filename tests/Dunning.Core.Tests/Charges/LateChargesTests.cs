using Dunning.Charges;
using Dunning.Common;
using Dunning.Customers;
using Dunning.Jurisdictions;
using Dunning.Policies;
using Dunning.Tests.Resolution;

namespace Dunning.Tests.Charges;

public class LateChargesTests
{
    private static readonly StatutoryLatePayment UkAct = JurisdictionCatalog.Default.For("GB-ENG").Statutory!;

    private static readonly LateChargeRules Statutory = new(ClaimStatutory: true, ApplyAtStep: "final");

    [Theory]
    [InlineData(0.01, 40)]
    [InlineData(999.99, 40)]
    [InlineData(1_000, 70)]
    [InlineData(5_000, 70)]
    [InlineData(9_999.99, 70)]
    [InlineData(10_000, 100)]
    [InlineData(250_000, 100)]
    public void UkFixedCompensation_IsBandedByTheDebt(decimal principal, decimal expected)
    {
        var state = CaseBuilder.Case("GB-ENG", principal, "GBP");

        var line = LateCharges.FixedCompensation(state.Facts, state.Customer, new Money(principal, "GBP"));

        Assert.NotNull(line);
        Assert.Equal(ChargeKind.FixedCompensation, line.Kind);
        Assert.Equal(new Money(expected, "GBP"), line.Amount);
        Assert.Contains("Late Payment of Commercial Debts (Interest) Act 1998", line.Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("DE", 40)]
    [InlineData("AT", 40)]
    [InlineData("FR", 40)]
    public void EuroAreaFixedCompensation_IsFortyEuros(string code, decimal expected)
    {
        var state = CaseBuilder.Case(code, 20_000m, "EUR");

        Assert.Equal(new Money(expected, "EUR"), LateCharges.FixedCompensation(state.Facts, state.Customer, new Money(20_000m, "EUR"))!.Amount);
    }

    [Theory]
    [InlineData("GB-ENG", "GBP", CustomerKind.Consumer)]
    [InlineData("GB-ENG", "USD", CustomerKind.Business)]
    [InlineData("DE", "GBP", CustomerKind.Business)]
    [InlineData("US-CA", "USD", CustomerKind.Business)]
    [InlineData("ZZ", "USD", CustomerKind.Business)]
    public void NoFixedCompensation_ForConsumers_OtherCurrencies_OrWithoutALaw(string code, string currency, CustomerKind kind)
    {
        var state = CaseBuilder.Case(code, 5_000m, currency, kind);

        Assert.Null(LateCharges.FixedCompensation(state.Facts, state.Customer, new Money(5_000m, currency)));
    }

    [Fact]
    public void UkStatutoryInterest_At11Point75Percent_On5000_For30Days_Is48Pounds29()
    {
        var line = LateCharges.StatutoryInterest(UkAct, new Money(5_000m, "GBP"), new DateOnly(2026, 1, 2), new DateOnly(2026, 2, 1));

        Assert.Equal(new Money(48.29m, "GBP"), line.Amount);
        Assert.Equal(ChargeKind.StatutoryInterest, line.Kind);
        Assert.Equal(new DateOnly(2026, 1, 2), line.From);
        Assert.Equal(new DateOnly(2026, 2, 1), line.Through);
        Assert.Equal(11.75m, line.AnnualRatePercent);
        Assert.Equal(
            "Statutory interest under the Late Payment of Commercial Debts (Interest) Act 1998 at 11.75% a year (reference rate 3.75% + 8%) "
            + "on £5,000.00 for 2026-01-02 to 2026-01-31 inclusive (30 days): simple interest, actual days / 365",
            line.Description);
    }

    [Theory]
    [InlineData(12, 1_000, 365, 120.00)]
    [InlineData(18, 1_000, 1, 0.49)]
    [InlineData(18, 1_000, 0, 0)]
    [InlineData(10, 123_456.78, 31, 1_048.54)]
    public void ContractualInterest_IsSimple_ActualOver365_RoundedToCents(decimal percent, decimal principal, int days, decimal expected)
    {
        var from = new DateOnly(2026, 3, 1);

        var line = LateCharges.ContractualInterest(percent, new Money(principal, "USD"), from, from.AddDays(days));

        Assert.Equal(new Money(expected, "USD"), line.Amount);
        Assert.Equal(ChargeKind.ContractualInterest, line.Kind);
    }

    [Fact]
    public void Interest_InAZeroDecimalCurrency_RoundsToWholeUnits()
    {
        var from = new DateOnly(2026, 3, 1);

        var line = LateCharges.ContractualInterest(10m, new Money(100_000m, "JPY"), from, from.AddDays(30));

        Assert.Equal(new Money(822m, "JPY"), line.Amount);
    }

    [Fact]
    public void Interest_ForAPeriodThatEndsBeforeItStarts_IsAnError() =>
        Assert.Throws<ArgumentException>(() => LateCharges.ContractualInterest(10m, new Money(1m, "USD"), new DateOnly(2026, 3, 2), new DateOnly(2026, 3, 1)));

    [Fact]
    public void GivenTheChargingStepNotReached_ThenNothingIsDue()
    {
        var state = CaseBuilder.Case("GB-ENG", 5_000m, "GBP", charges: Statutory).Done("firm");

        Assert.Empty(LateCharges.Due(state, new DateOnly(2026, 6, 1), final: true));
    }

    [Fact]
    public void GivenNoChargingStep_ThenChargesStartWithTheCase()
    {
        var state = CaseBuilder.Case("GB-ENG", 5_000m, "GBP", charges: Statutory with { ApplyAtStep = null });

        Assert.Equal(
            [ChargeKind.FixedCompensation, ChargeKind.StatutoryInterest],
            LateCharges.Due(state, new DateOnly(2026, 2, 1), final: false).Select(c => c.Kind));
    }

    [Fact]
    public void GivenAUkBusiness_WhenTheFinalStepIsDone_ThenCompensationAndInterestFromTheDayAfterTheDueDate()
    {
        var state = CaseBuilder.Case("GB-ENG", 5_000m, "GBP", charges: Statutory).Done("final");

        var due = LateCharges.Due(state, new DateOnly(2026, 2, 1), final: false);

        Assert.Equal(2, due.Count);
        Assert.Equal(new Money(70m, "GBP"), due[0].Amount);
        Assert.Equal(new Money(48.29m, "GBP"), due[1].Amount);
        Assert.Equal(CaseBuilder.DueDate.AddDays(1), due[1].From);
        Assert.Equal(new DateOnly(2026, 2, 1), due[1].Through);
    }

    [Fact]
    public void GivenChargesApplied_WhenCalledAgainTheSameDay_ThenNothingMore_AndTheNextPeriodStartsWhereTheLastStopped()
    {
        var state = CaseBuilder.Case("GB-ENG", 5_000m, "GBP", charges: Statutory with { ContractualFee = 25m }).Done("final");
        var first = LateCharges.Due(state, new DateOnly(2026, 2, 1), final: false);
        state = state.Charged(first);

        Assert.Empty(LateCharges.Due(state, new DateOnly(2026, 2, 1), final: false));
        Assert.Empty(LateCharges.Due(state, new DateOnly(2026, 3, 2), final: false));

        var next = Assert.Single(LateCharges.Due(state, new DateOnly(2026, 3, 3), final: false));
        Assert.Equal(ChargeKind.StatutoryInterest, next.Kind);
        Assert.Equal(new DateOnly(2026, 2, 1), next.From);
        Assert.Equal(new DateOnly(2026, 3, 3), next.Through);
        Assert.Equal(new Money(48.29m, "GBP"), next.Amount);
    }

    [Fact]
    public void GivenAContractualFee_ThenItIsChargedOncePerCase()
    {
        var state = CaseBuilder.Case(charges: new LateChargeRules(ContractualFee: 25m, ApplyAtStep: "final")).Done("final");

        var first = Assert.Single(LateCharges.Due(state, new DateOnly(2026, 1, 10), final: false));
        Assert.Equal(ChargeKind.ContractualFee, first.Kind);
        Assert.Equal(new Money(25m, "USD"), first.Amount);

        Assert.Empty(LateCharges.Due(state.Charged([first]), new DateOnly(2026, 6, 1), final: true));
    }

    [Fact]
    public void GivenAConsumer_ThenNoStatutoryCharges_ButContractualInterestStillApplies()
    {
        var rules = Statutory with { ContractualAnnualInterestPercent = 12m };
        var state = CaseBuilder.Case("GB-ENG", 5_000m, "GBP", CustomerKind.Consumer, charges: rules).Done("final");

        var line = Assert.Single(LateCharges.Due(state, new DateOnly(2026, 2, 1), final: false));

        Assert.Equal(ChargeKind.ContractualInterest, line.Kind);
        Assert.Equal(new Money(49.32m, "GBP"), line.Amount);
    }

    [Fact]
    public void GivenAConsumer_AndOnlyStatutoryRules_ThenNothingIsDue()
    {
        var state = CaseBuilder.Case("GB-ENG", 5_000m, "GBP", CustomerKind.Consumer, charges: Statutory).Done("final");

        Assert.Empty(LateCharges.Due(state, new DateOnly(2026, 6, 1), final: true));
    }

    [Fact]
    public void GivenBothStatutoryAndContractualInterest_ThenStatutoryWins_NeverBoth()
    {
        var rules = Statutory with { ContractualAnnualInterestPercent = 18m };
        var state = CaseBuilder.Case("GB-ENG", 5_000m, "GBP", charges: rules).Done("final");

        var interest = LateCharges.Due(state, new DateOnly(2026, 2, 1), final: false).Where(c => c.Kind is ChargeKind.StatutoryInterest or ChargeKind.ContractualInterest);

        Assert.Equal(ChargeKind.StatutoryInterest, Assert.Single(interest).Kind);
    }

    [Fact]
    public void GivenAnInvoiceInAnotherCurrency_ThenTheStatutoryRateIsNotUsed_AndContractualInterestApplies()
    {
        var rules = Statutory with { ContractualAnnualInterestPercent = 12m };
        var state = CaseBuilder.Case("GB-ENG", 5_000m, "USD", charges: rules).Done("final");

        var line = Assert.Single(LateCharges.Due(state, new DateOnly(2026, 2, 1), final: false));

        Assert.Equal(ChargeKind.ContractualInterest, line.Kind);
    }

    [Fact]
    public void GivenFewerThan30DaysAccrued_ThenInterestWaits_UnlessTheCaseIsBeingFlagged()
    {
        var state = CaseBuilder.Case(charges: new LateChargeRules(ContractualAnnualInterestPercent: 10m, ApplyAtStep: null));
        var day = CaseBuilder.DueDate.AddDays(11);

        Assert.Empty(LateCharges.Due(state, day, final: false));

        var line = Assert.Single(LateCharges.Due(state, day, final: true));
        Assert.Equal(CaseBuilder.DueDate.AddDays(1), line.From);
        Assert.Equal(day, line.Through);
        Assert.Equal(new Money(13.70m, "USD"), line.Amount);
    }

    [Fact]
    public void GivenTheLastInterestLineEndsToday_ThenAFinalCallAddsNothing()
    {
        var state = CaseBuilder.Case(charges: new LateChargeRules(ContractualAnnualInterestPercent: 10m, ApplyAtStep: null));
        var day = CaseBuilder.DueDate.AddDays(40);
        state = state.Charged(LateCharges.Due(state, day, final: false));

        Assert.Empty(LateCharges.Due(state, day, final: true));
        Assert.Single(LateCharges.Due(state, day.AddDays(1), final: true));
    }

    [Fact]
    public void GivenThePrincipalIsPaid_ThenNothingIsDue_EvenWithChargesOutstanding()
    {
        var state = CaseBuilder.Case("GB-ENG", 5_000m, "GBP", charges: Statutory with { ContractualFee = 25m }).Done("final");
        state = state.Charged(LateCharges.Due(state, new DateOnly(2026, 2, 1), false)).Paid(5_000m, new DateOnly(2026, 2, 5));

        Assert.True(state.Balance.IsPositive);
        Assert.Empty(LateCharges.Due(state, new DateOnly(2026, 6, 1), final: true));
    }

    [Fact]
    public void Interest_IsOnThePrincipalBalanceOnly_NeverOnCharges()
    {
        var state = CaseBuilder.Case("GB-ENG", 5_000m, "GBP", charges: Statutory with { ContractualFee = 500m }).Done("final");
        state = state.Charged(LateCharges.Due(state, new DateOnly(2026, 2, 1), false)).Paid(1_000m, new DateOnly(2026, 2, 10));

        var next = Assert.Single(LateCharges.Due(state, new DateOnly(2026, 3, 3), final: false));

        Assert.Equal(new Money(4_000m, "GBP"), state.PrincipalBalance);
        Assert.Equal(new Money(38.63m, "GBP"), next.Amount);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(3, false)]
    [InlineData(7, true)]
    [InlineData(45, true)]
    public void GivenDailyCalls_InterestLinesTileThePeriodExactly_WithoutOverlapOrGap(int step, bool final)
    {
        var state = CaseBuilder.Case("GB-ENG", 7_777.77m, "GBP", charges: Statutory with { ApplyAtStep = null });
        var end = CaseBuilder.DueDate.AddDays(400);
        for (var day = CaseBuilder.DueDate; day <= end; day = day.AddDays(step))
        {
            state = state.Charged(LateCharges.Due(state, day, final));
        }

        state = state.Charged(LateCharges.Due(state, end, final: true));
        var lines = state.Charges.Where(c => c.Kind == ChargeKind.StatutoryInterest).ToList();

        Assert.Equal(CaseBuilder.DueDate.AddDays(1), lines[0].From);
        Assert.Equal(end, lines[^1].Through);
        Assert.All(lines.Zip(lines.Skip(1)), pair => Assert.Equal(pair.First.Through, pair.Second.From));
        Assert.All(lines.SkipLast(1), line => Assert.True(line.Through!.Value.DayNumber - line.From!.Value.DayNumber >= (final ? 1 : LateCharges.AccrualDays)));
        var whole = LateCharges.StatutoryInterest(UkAct, state.PrincipalBalance, lines[0].From!.Value, end).Amount.Amount;
        Assert.InRange(lines.Sum(l => l.Amount.Amount), whole - (0.005m * (lines.Count + 1)), whole + (0.005m * (lines.Count + 1)));
        Assert.Single(state.Charges, c => c.Kind == ChargeKind.FixedCompensation);
    }
}
