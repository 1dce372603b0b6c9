using Dunning.Cases;
using static Dunning.Cases.CaseEvent;
using static Dunning.Tests.Cases.Given;

namespace Dunning.Tests.Cases;

/// <summary>Lifecycle 4: payments, refunds and credits, and what they do to a running or ended case.</summary>
public class PaymentTests
{
    [Fact]
    public void Partial_payment_reduces_the_balance_and_the_case_goes_on()
    {
        var run = Run.Start(Case()).Until(DueDay(6)); // gentle sent

        run.When(at => new PaymentReceived(at, Usd(400m), "p-1", "stripe")).ToEnd();

        Assert.Equal(Usd(600m), run.State.Balance);
        Assert.Equal(["gentle", "firm", "letter", "call", "final"], run.LadderSteps);
        Assert.Equal(Usd(600m), run.Outcome!.Recommendation!.Claim);
    }

    [Fact]
    public void Full_payment_closes_the_case_as_paid_and_nothing_more_is_sent()
    {
        var run = Run.Start(Case()).Until(DueDay(6));

        run.When(at => new PaymentReceived(at, Usd(1_000m), "p-1", "stripe")).Until(DueDay(400));

        Assert.Equal(OutcomeKind.Paid, run.Outcome!.Kind);
        Assert.Equal(DueDay(6), run.Outcome.At);
        Assert.Equal(["gentle"], run.LadderSteps);
        Assert.IsType<Decision.Ended>(run.Next);
    }

    [Fact]
    public void Payments_that_add_up_to_the_amount_close_the_case_as_paid()
    {
        var run = Run.Start(Case())
            .At(DueDay(6), at => new PaymentReceived(at, Usd(300m), "p-1", "stripe"))
            .At(DueDay(16), at => new PaymentReceived(at, Usd(700m), "p-2", "manual"))
            .Until(DueDay(100));

        Assert.Equal(OutcomeKind.Paid, run.Outcome!.Kind);
        Assert.Equal(["gentle", "firm"], run.LadderSteps);
    }

    [Fact]
    public void Overpayment_closes_the_case_and_records_the_excess_as_a_credit()
    {
        var run = Run.Start(Case()).When(at => new PaymentReceived(at, Usd(1_250m), "p-1", "stripe")).ToEnd();

        Assert.Equal(OutcomeKind.Paid, run.Outcome!.Kind);
        Assert.Equal(Usd(250m), run.State.Overpaid);
        Assert.Equal(Usd(-250m), run.State.Balance);
        Assert.Contains("Overpaid by", run.Outcome.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_payment_reference_is_counted_once()
    {
        var run = Run.Start(Case()).Until(DueDay(6))
            .When(at => new PaymentReceived(at, Usd(400m), "pi_123", "stripe"))
            .When(at => new PaymentReceived(at + TimeSpan.FromMinutes(1), Usd(400m), "pi_123", "stripe"));

        Assert.Equal(Usd(600m), run.State.Balance);
        Assert.Single(run.State.History.OfType<PaymentReceived>());
    }

    [Fact]
    public void Duplicate_refund_reference_is_counted_once()
    {
        var run = Run.Start(Case())
            .When(at => new PaymentReceived(at, Usd(400m), "pi_1", "stripe"))
            .When(at => new PaymentRefunded(at, Usd(100m), "re_1"))
            .When(at => new PaymentRefunded(at, Usd(100m), "re_1"));

        Assert.Equal(Usd(700m), run.State.Balance);
    }

    [Fact]
    public void Payment_in_another_currency_is_not_applied()
    {
        var run = Run.Start(Case()).When(at => new PaymentReceived(at, new(1_000m, "EUR"), "p-1", "stripe"));

        Assert.Equal(Usd(1_000m), run.State.Balance);
        Assert.Null(run.Outcome);
    }

    [Fact]
    public void Refund_after_payment_in_full_reopens_the_case_where_it_left_off()
    {
        // Given a case paid in full on day 6 after the gentle reminder
        var run = Run.Start(Case()).Until(DueDay(6)).When(at => new PaymentReceived(at, Usd(1_000m), "p-1", "stripe")).Until(DueDay(20));
        Assert.Equal(OutcomeKind.Paid, run.Outcome!.Kind);

        // When the payment is refunded (a chargeback) 14 days later
        run.When(at => new PaymentRefunded(at, Usd(1_000m), "p-1")).ToEnd();

        // Then the case re-opens and continues with the next step, shifted by the 14 days it was closed
        Assert.Equal(["gentle", "firm", "letter", "call", "final"], run.LadderSteps);
        var firm = run.Ladder.Single(c => c.StepId == "firm");
        Assert.Equal(DueDay(14 + 14, 8), firm.At);
        Assert.True(run.Outcome!.IsFlag);
    }

    [Fact]
    public void Refund_of_part_of_an_overpayment_that_leaves_it_paid_does_not_reopen()
    {
        var run = Run.Start(Case()).When(at => new PaymentReceived(at, Usd(1_250m), "p-1", "stripe")).ToEnd();

        run.When(at => new PaymentRefunded(at, Usd(250m), "re-1"));

        Assert.Equal(OutcomeKind.Paid, run.Outcome!.Kind);
        Assert.Equal(Usd(0m), run.State.Balance);
    }

    [Fact]
    public void Payment_after_the_case_was_flagged_is_applied_and_the_flag_is_updated_when_paid_in_full()
    {
        var run = Run.Start(Case()).ToEnd();
        Assert.Equal(OutcomeKind.SmallClaims, run.Outcome!.Kind);

        run.When(at => new PaymentReceived(at, Usd(400m), "late-1", "stripe"));
        Assert.Equal(OutcomeKind.SmallClaims, run.Outcome!.Kind);
        Assert.Equal(Usd(600m), run.State.Balance);

        run.When(at => new PaymentReceived(at, Usd(600m), "late-2", "stripe"));
        Assert.Equal(OutcomeKind.Paid, run.Outcome!.Kind);
        Assert.Equal(OutcomeKind.SmallClaims, run.Outcome.PreviouslyFlaggedAs);
    }

    [Fact]
    public void Refund_after_a_flagged_case_was_paid_restores_the_flag()
    {
        var run = Run.Start(Case()).ToEnd()
            .When(at => new PaymentReceived(at, Usd(1_000m), "late-1", "stripe"))
            .When(at => new PaymentRefunded(at, Usd(1_000m), "late-1"));

        Assert.Equal(OutcomeKind.SmallClaims, run.Outcome!.Kind);
        Assert.NotNull(run.Outcome.Recommendation);
        Assert.IsType<Decision.Ended>(run.Next);
    }

    [Fact]
    public void Ledger_update_with_amount_paid_counts_with_payments_here_without_double_counting()
    {
        // Given 400 paid here by webhook, then the ledger re-import says 400 paid (the same money)
        var run = Run.Start(Case()).When(at => new PaymentReceived(at, Usd(400m), "p-1", "stripe"));

        run.When(at => new InvoiceUpdated(at, run.State.Invoice with { AmountPaid = Usd(400m) }));

        Assert.Equal(Usd(600m), run.State.Balance);
    }
}
