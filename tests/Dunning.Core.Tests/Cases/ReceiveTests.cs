using Dunning.Cases;
using static Dunning.Cases.CaseEvent;
using static Dunning.Tests.Cases.Given;

namespace Dunning.Tests.Cases;

/// <summary>One way in for every signal, in both hosts: check, then fold in; an ended case says when it must run again.</summary>
public class ReceiveTests
{
    [Fact]
    public void A_payment_on_a_running_case_is_applied_and_does_not_reopen_anything()
    {
        var run = Run.Start(Case()).Until(DueDay(6));

        var applied = Assert.IsType<Reception.Applied>(CaseDecider.Receive(run.State, new PaymentReceived(DueDay(6), Usd(400m), "p-1", "stripe")));

        Assert.False(applied.Reopens);
        Assert.Equal(Usd(600m), applied.State.Balance);
    }

    [Fact]
    public void A_repeated_payment_is_not_applied_and_says_it_is_a_repeat()
    {
        var paid = CaseDecider.Evolve(Case(), new PaymentReceived(DueDay(6), Usd(400m), "p-1", "stripe"));

        var refused = Assert.IsType<Reception.NotApplied>(CaseDecider.Receive(paid, new PaymentReceived(DueDay(7), Usd(400m), "p-1", "stripe")));

        Assert.IsType<CommandResult.Unchanged>(refused.Reason);
    }

    [Fact]
    public void A_dispute_resolution_without_a_dispute_is_refused_with_the_reason()
    {
        var refused = Assert.IsType<Reception.NotApplied>(CaseDecider.Receive(Case(), new DisputeResolved(DueDay(6), DisputeOutcome.Rejected)));

        Assert.Equal("There is no open dispute to resolve.", Assert.IsType<CommandResult.Conflict>(refused.Reason).Detail);
    }

    [Fact]
    public void A_late_payment_on_a_flagged_case_reopens_it_to_record_that_it_was_paid()
    {
        var flagged = Run.Start(Case()).ToEnd().State;
        Assert.Equal(OutcomeKind.SmallClaims, flagged.Outcome!.Kind);

        var applied = Assert.IsType<Reception.Applied>(CaseDecider.Receive(flagged, new PaymentReceived(DueDay(90), Usd(1_000m), "late", "stripe")));

        Assert.True(applied.Reopens);
        Assert.Equal(OutcomeKind.Paid, applied.State.Outcome!.Kind);
        Assert.Equal(OutcomeKind.SmallClaims, applied.State.Outcome.PreviouslyFlaggedAs);
    }

    [Fact]
    public void A_refund_on_a_paid_case_reopens_it_and_the_ladder_resumes()
    {
        var paid = Run.Start(Case()).At(DueDay(6), at => new PaymentReceived(at, Usd(1_000m), "p-1", "stripe")).Until(DueDay(8)).State;
        Assert.Equal(OutcomeKind.Paid, paid.Outcome!.Kind);

        var applied = Assert.IsType<Reception.Applied>(CaseDecider.Receive(paid, new PaymentRefunded(DueDay(8), Usd(1_000m), "r-1")));

        Assert.True(applied.Reopens);
        Assert.Null(applied.State.Outcome);
        var resumed = Run.Start(applied.State, DueDay(8)).ToEnd();
        Assert.Equal(["firm", "letter", "call", "final"], resumed.LadderSteps);
    }

    [Fact]
    public void An_ended_case_refuses_what_only_a_running_case_acts_on_and_ignores_a_siblings_contact()
    {
        var flagged = Run.Start(Case()).ToEnd().State;

        var pause = Assert.IsType<Reception.NotApplied>(CaseDecider.Receive(flagged, new Paused(DueDay(90), "holiday", null)));
        var sibling = Assert.IsType<Reception.NotApplied>(CaseDecider.Receive(flagged, new CustomerContacted(DueDay(90), "INV-2/step-firm", Dunning.Customers.Channel.Email)));

        Assert.IsType<CommandResult.Conflict>(pause.Reason);
        Assert.IsType<CommandResult.Unchanged>(sibling.Reason);
    }
}
