using Dunning.Cases;
using Dunning.Customers;
using Dunning.Policies;
using static Dunning.Cases.CaseEvent;
using static Dunning.Tests.Cases.Given;

namespace Dunning.Tests.Cases;

/// <summary>Lifecycle 5: payment plans and promises to pay (default plan rules: 3 days' grace, 1 miss allowed).</summary>
public class PlanTests
{
    private static readonly DateOnly First = new(2026, 2, 2);

    private static readonly DateOnly Second = new(2026, 3, 2);

    private static readonly DateOnly Third = new(2026, 4, 1);

    /// <summary>Gentle sent on Monday 2026-01-19; the plan is agreed on Wednesday 2026-01-21 (day 6).</summary>
    private static Run Agreed(Dunning.Plans.PaymentPlan plan) =>
        Run.Start(Case()).Until(DueDay(6)).When(at => new PlanAgreed(at, plan));

    private static readonly Dunning.Plans.PaymentPlan ThreeInstallments = Plan((First, 400m), (Second, 300m), (Third, 300m));

    [Fact]
    public void Plan_pauses_the_ladder_while_installments_are_paid_on_time()
    {
        var run = Agreed(ThreeInstallments)
            .At(Day(First, 12), at => new PaymentReceived(at, Usd(400m), "i-1", "stripe"))
            .At(Day(Second, 12), at => new PaymentReceived(at, Usd(300m), "i-2", "stripe"))
            .Until(Day(Third));

        Assert.Equal(["gentle"], run.LadderSteps);
        Assert.DoesNotContain(run.Contacts, c => c.Purpose != ContactPurpose.Ladder);
        Assert.Equal("installment 3 of 300.00 USD due 2026-04-01", Assert.IsType<Decision.Wait>(run.Next).Reason);
    }

    [Fact]
    public void Plan_completed_closes_the_case_as_settled()
    {
        var run = Agreed(ThreeInstallments)
            .At(Day(First, 12), at => new PaymentReceived(at, Usd(400m), "i-1", "stripe"))
            .At(Day(Second, 12), at => new PaymentReceived(at, Usd(300m), "i-2", "stripe"))
            .At(Day(Third, 12), at => new PaymentReceived(at, Usd(300m), "i-3", "stripe"))
            .ToEnd();

        Assert.Equal(OutcomeKind.Settled, run.Outcome!.Kind);
        Assert.Equal(Day(Third, 12), run.Outcome.At);
        Assert.Equal(["gentle"], run.LadderSteps);
    }

    [Fact]
    public void Plan_installment_paid_within_the_grace_period_is_not_missed()
    {
        var run = Agreed(ThreeInstallments)
            .At(Day(First.AddDays(3), 19), at => new PaymentReceived(at, Usd(400m), "i-1", "stripe"))
            .Until(Day(Second));

        Assert.DoesNotContain(run.State.History, e => e is InstallmentMissed);
        Assert.Single(run.Contacts);
    }

    [Fact]
    public void Plan_missed_installment_gets_one_reminder_after_the_grace_period()
    {
        var run = Agreed(ThreeInstallments).Until(Day(Second));

        // Then on the morning after the 3 grace days it is marked missed and the billing contact is reminded, once
        var missed = Assert.Single(run.State.History.OfType<InstallmentMissed>());
        Assert.Equal((1, Day(First.AddDays(4), 8)), (missed.Number, missed.At));
        var reminder = Assert.Single(run.Contacts, c => c.Purpose == ContactPurpose.MissedInstallment);
        Assert.Equal((Day(First.AddDays(4), 8), Channel.Email, Billing, "missed-installment"), (reminder.At, reminder.Channel, reminder.Recipient, reminder.Template));
        Assert.Equal(["gentle"], run.LadderSteps);
        Assert.Null(run.Outcome);
    }

    [Fact]
    public void Plan_broken_by_too_many_misses_resumes_escalation_where_it_paused()
    {
        // Given the plan agreed at 2026-01-21 00:00 and no payment: the second miss (2026-03-06 08:00) is one too many
        var run = Agreed(ThreeInstallments).ToEnd();

        var broken = Assert.Single(run.State.History.OfType<PlanBroken>());
        Assert.Equal(Day(new(2026, 3, 6), 8), broken.At);

        // Then the ladder goes on with firm, not gentle again; firm (2026-01-29 08:00) moves by the 44 days 8 hours
        // the plan ran, to Saturday 2026-03-14 16:00, and so to Monday 08:00
        Assert.Equal(["gentle", "firm", "letter", "call", "final"], run.LadderSteps);
        Assert.Equal(Day(new(2026, 3, 16), 8), run.Ladder.Single(c => c.StepId == "firm").At);
        Assert.True(run.Outcome!.IsFlag);
    }

    [Fact]
    public void Plan_partly_paid_then_broken_leaves_the_rest_owed()
    {
        var run = Agreed(ThreeInstallments)
            .At(Day(First, 12), at => new PaymentReceived(at, Usd(400m), "i-1", "stripe"))
            .ToEnd();

        Assert.Single(run.State.History.OfType<PlanBroken>());
        Assert.Equal(Usd(600m), run.Outcome!.Recommendation!.Claim);
    }

    [Fact]
    public void Plan_with_more_misses_allowed_is_kept_after_one_miss()
    {
        var policy = DefaultPolicy.Value with { Plans = DefaultPolicy.Value.Plans with { MissesAllowed = 2 } };
        var run = Run.Start(Case(policy: policy)).Until(DueDay(6)).When(at => new PlanAgreed(at, ThreeInstallments))
            .Until(Day(Third));

        Assert.Equal(2, run.State.Plan!.Missed.Count);
        Assert.Equal(2, run.Contacts.Count(c => c.Purpose == ContactPurpose.MissedInstallment));
        Assert.DoesNotContain(run.State.History, e => e is PlanBroken);
    }

    [Fact]
    public void Promise_to_pay_kept_settles_the_case()
    {
        var run = Agreed(Promise(First, 1_000m))
            .At(Day(First, 10), at => new PaymentReceived(at, Usd(1_000m), "promised", "manual"))
            .ToEnd();

        Assert.Equal(OutcomeKind.Settled, run.Outcome!.Kind);
    }

    [Fact]
    public void Promise_to_pay_allows_no_miss_one_reminder_says_so_and_escalation_resumes_right_after_its_grace()
    {
        var run = Agreed(Promise(First, 1_000m)).Until(Day(First.AddDays(30)));

        var reminder = Assert.Single(run.Contacts, c => c.Purpose == ContactPurpose.MissedInstallment);
        Assert.Equal(("promise-missed", Day(First.AddDays(4), 8)), (reminder.Template, reminder.At));
        var broken = Assert.Single(run.State.History.OfType<PlanBroken>());
        Assert.Equal(Day(First.AddDays(4), 8), broken.At);
        Assert.Contains("promised payment was not made", broken.Reason, StringComparison.Ordinal);
        Assert.Null(run.State.Plan);
        Assert.Contains("firm", run.LadderSteps);
    }

    [Fact]
    public void Plan_whose_installments_are_paid_but_leave_a_balance_is_broken()
    {
        var run = Agreed(Plan((First, 200m)))
            .At(Day(First, 10), at => new PaymentReceived(at, Usd(200m), "i-1", "stripe"));

        var apply = Assert.IsType<Decision.Apply>(run.Next);
        Assert.Contains("still owed", Assert.IsType<PlanBroken>(apply.Event).Reason, StringComparison.Ordinal);
    }
}
