using Dunning.Cases;
using static Dunning.Cases.CaseEvent;
using static Dunning.Tests.Cases.Given;

namespace Dunning.Tests.Cases;

/// <summary>
/// The one step every host takes (<see cref="CaseDecider.Step"/>): what the rules decide on their own is applied,
/// and the host is handed the one thing it must do, an effect, a wait or the end.
/// </summary>
public class StepTests
{
    [Fact]
    public void GivenAnOverdueCase_WhenItSteps_ThenTheCourtesyNudgeIsSkippedAndTheGentleReminderIsWhatTheHostSends()
    {
        var at = DueDay(4, hour: 9);

        var step = CaseDecider.Step(Case(), at);

        var skipped = Assert.IsType<StepSkipped>(Assert.Single(step.Applied));
        Assert.Equal("courtesy", skipped.StepId);
        Assert.Contains("courtesy", step.State.DoneSteps);
        var contact = Assert.IsType<CaseAction.Contact>(Assert.IsType<Decision.Perform>(step.Next).Action);
        Assert.Equal("gentle", contact.StepId);
        Assert.Equal(step.Next, CaseDecider.Decide(step.State, at));
    }

    [Fact]
    public void GivenACasePaidInFullWhileItWaited_WhenItSteps_ThenItClosesAsPaidAndTheHostStops()
    {
        var paid = CaseDecider.Evolve(Case(), new PaymentReceived(DueDay(1), Usd(1_000m), "p-1", "stripe"));

        var step = CaseDecider.Step(paid, DueDay(1, hour: 10));

        Assert.Equal(OutcomeKind.Paid, Assert.IsType<CaseClosed>(Assert.Single(step.Applied)).Outcome);
        Assert.Equal(OutcomeKind.Paid, Assert.IsType<Decision.Ended>(step.Next).Outcome.Kind);
        Assert.Equal(OutcomeKind.Paid, step.State.Outcome?.Kind);
    }

    [Fact]
    public void GivenACaseWaitingForItsNextReminder_WhenItSteps_ThenNothingIsAppliedAndTheHostWaitsForTheReminder()
    {
        var waiting = Run.Start(Case()).Until(DueDay(5)).State;

        var step = CaseDecider.Step(waiting, DueDay(5));

        Assert.Empty(step.Applied);
        Assert.Same(waiting, step.State);
        Assert.Equal(CaseDecider.StepTime(waiting, waiting.Policy.Ladder.Single(s => s.Id == "firm")), Assert.IsType<Decision.Wait>(step.Next).Until);
    }
}
