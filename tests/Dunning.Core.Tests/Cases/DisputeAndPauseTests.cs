using Dunning.Cases;
using static Dunning.Cases.CaseEvent;
using static Dunning.Tests.Cases.Given;

namespace Dunning.Tests.Cases;

/// <summary>Lifecycle 6 and staff actions: disputes, staff pause and resume, void and credit notes.</summary>
public class DisputeAndPauseTests
{
    /// <summary>Gentle sent on 2026-01-19; a dispute opened on 2026-01-21 00:00 (day 6).</summary>
    private static Run Disputed() => Run.Start(Case()).Until(DueDay(6)).When(at => new DisputeOpened(at, "the goods arrived damaged"));

    [Fact]
    public void A_void_ends_the_case_with_no_dispute_or_pause_left_open()
    {
        var run = Disputed().When(at => new Paused(at, "waiting for the credit note")).When(at => new InvoiceVoided(at, "raised in error"));

        Assert.Equal(OutcomeKind.Voided, run.Outcome!.Kind);
        Assert.Null(run.State.Dispute);
        Assert.Null(run.State.Pause);
        Assert.Equal("closed", CaseStatus.Of(run.State, run.Next, DueDay(7)).Status);
    }

    [Fact]
    public void Dispute_pauses_all_contact()
    {
        var run = Disputed().Until(DueDay(200));

        Assert.Equal(["gentle"], run.LadderSteps);
        Assert.Null(Assert.IsType<Decision.Wait>(run.Next).Until);
    }

    [Fact]
    public void Dispute_upheld_with_a_credit_for_the_balance_closes_the_case_as_credited()
    {
        var run = Disputed().Until(DueDay(20)).When(at => new DisputeResolved(at, DisputeOutcome.Upheld, Usd(1_000m))).ToEnd();

        Assert.Equal(OutcomeKind.Credited, run.Outcome!.Kind);
        Assert.Equal(Usd(0m), run.State.Balance);
        Assert.Equal(["gentle"], run.LadderSteps);
    }

    [Fact]
    public void Dispute_upheld_with_a_part_credit_resumes_escalation_for_the_rest()
    {
        var run = Disputed().Until(DueDay(20)).When(at => new DisputeResolved(at, DisputeOutcome.Upheld, Usd(300m))).ToEnd();

        Assert.Equal(Usd(700m), run.State.Balance);
        Assert.Equal(["gentle", "firm", "letter", "call", "final"], run.LadderSteps);
        Assert.Equal(Usd(700m), run.Outcome!.Recommendation!.Claim);
    }

    [Fact]
    public void Dispute_rejected_resumes_escalation_where_it_paused()
    {
        // Given the dispute ran 14 days (2026-01-21 to 2026-02-04)
        var run = Disputed().Until(DueDay(20)).When(at => new DisputeResolved(at, DisputeOutcome.Rejected)).ToEnd();

        // Then firm (2026-01-29) goes 14 days later, on 2026-02-12, and the rest follow once each
        Assert.Equal(["gentle", "firm", "letter", "call", "final"], run.LadderSteps);
        Assert.Equal(Day(new(2026, 2, 12), 8), run.Ladder.Single(c => c.StepId == "firm").At);
        Assert.Equal(Usd(1_000m), run.State.Balance);
    }

    [Fact]
    public void Dispute_rules_refuse_a_credit_on_a_rejected_dispute_and_a_second_open()
    {
        var state = Disputed().State;

        Assert.IsType<CommandResult.Invalid>(CaseRules.Check(state, new DisputeResolved(DueDay(7), DisputeOutcome.Rejected, Usd(10m))));
        Assert.IsType<CommandResult.Unchanged>(CaseRules.Check(state, new DisputeOpened(DueDay(7), "again")));
        Assert.IsType<CommandResult.Conflict>(CaseRules.Check(state, new PlanAgreed(DueDay(7), Plan((new(2026, 2, 2), 1_000m)))));
    }

    [Fact]
    public void Staff_pause_until_a_date_resumes_by_itself_and_shifts_the_ladder()
    {
        var run = Run.Start(Case()).Until(DueDay(6)).When(at => new Paused(at, "customer on holiday", DueDay(16)));

        run.ToEnd();

        // Paused 10 days: firm (2026-01-29) goes on 2026-02-08, a Sunday, so Monday 2026-02-09
        var resumed = Assert.Single(run.State.History.OfType<Resumed>());
        Assert.Equal(DueDay(16), resumed.At);
        Assert.Equal(Day(new(2026, 2, 9), 8), run.Ladder.Single(c => c.StepId == "firm").At);
        Assert.Equal(["gentle", "firm", "letter", "call", "final"], run.LadderSteps);
    }

    [Fact]
    public void Staff_pause_without_a_date_waits_for_resume()
    {
        var run = Run.Start(Case()).Until(DueDay(6)).When(at => new Paused(at, "talking to them")).Until(DueDay(100));

        Assert.Equal(["gentle"], run.LadderSteps);
        Assert.Null(Assert.IsType<Decision.Wait>(run.Next).Until);

        run.When(at => new Resumed(at)).Until(DueDay(110));

        // Resumed on day 100 after 94 days: firm moves from day 14 to day 108, Sunday 2026-05-03, so Monday
        Assert.Equal(["gentle", "firm"], run.LadderSteps);
        Assert.Equal(Day(new(2026, 5, 4), 8), run.Ladder.Last().At);
    }

    [Fact]
    public void Staff_pause_during_a_plan_keeps_the_plan_halted_after_resume()
    {
        var run = Run.Start(Case()).Until(DueDay(6))
            .When(at => new PlanAgreed(at, Plan((new(2026, 3, 2), 1_000m))))
            .When(at => new Paused(at, "check"))
            .When(at => new Resumed(at + TimeSpan.FromDays(1)));

        Assert.NotNull(run.State.HaltedSince);
        Assert.NotNull(run.State.Plan);
    }

    [Fact]
    public void Void_ends_the_case_and_nothing_more_is_sent()
    {
        var run = Run.Start(Case()).Until(DueDay(6)).When(at => new InvoiceVoided(at, "issued in error")).Until(DueDay(300));

        Assert.Equal(OutcomeKind.Voided, run.Outcome!.Kind);
        Assert.Equal(["gentle"], run.LadderSteps);
    }

    [Fact]
    public void Credit_note_for_the_balance_closes_the_case_as_credited()
    {
        var run = Run.Start(Case()).Until(DueDay(6)).When(at => new CreditIssued(at, Usd(1_000m), "CN-1")).ToEnd();

        Assert.Equal(OutcomeKind.Credited, run.Outcome!.Kind);
        Assert.Equal(["gentle"], run.LadderSteps);
    }

    [Fact]
    public void Credit_note_for_part_of_the_balance_reduces_it_and_the_case_goes_on()
    {
        var run = Run.Start(Case()).Until(DueDay(6)).When(at => new CreditIssued(at, Usd(250m), "CN-1")).ToEnd();

        Assert.Equal(Usd(750m), run.State.Balance);
        Assert.Equal(5, run.LadderSteps.Count());
    }

    [Fact]
    public void Credit_and_payment_that_together_clear_the_balance_close_as_paid_when_the_payment_came_last()
    {
        var run = Run.Start(Case())
            .When(at => new CreditIssued(at, Usd(250m), "CN-1"))
            .When(at => new PaymentReceived(at, Usd(750m), "p-1", "stripe"))
            .ToEnd();

        Assert.Equal(OutcomeKind.Paid, run.Outcome!.Kind);
    }
}
