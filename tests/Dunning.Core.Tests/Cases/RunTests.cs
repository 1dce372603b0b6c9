using Dunning.Common;
using Dunning.Simulation;
using static Dunning.Tests.Cases.Given;

namespace Dunning.Tests.Cases;

/// <summary>The test driver is the host loop: it agrees with the simulator's loop on the same case.</summary>
public class RunTests
{
    [Theory]
    [InlineData("UTC", "US-CA", 1_000)]
    [InlineData("America/Los_Angeles", "US-CA", 9_000)]
    [InlineData("Europe/London", "GB-ENG", 2_000)]
    [InlineData("Asia/Tokyo", "US-CA", 99)]
    public void Driver_and_CaseSimulator_make_the_same_contacts_and_reach_the_same_state(string zone, string jurisdiction, int amount)
    {
        var state = Case(amount: amount, zone: zone, jurisdiction: jurisdiction, currency: jurisdiction.StartsWith("GB", StringComparison.Ordinal) ? "GBP" : "USD", openedAt: DueDay(-10));

        var run = Run.Start(state).ToEnd();
        var simulated = CaseSimulator.Drive(new SimulatedCase(state, ValueList<Dunning.Cases.CaseEvent>.Empty, PaymentModel.Silent), state.OpenedAt.AddYears(2), new Random(1));

        Assert.Equal(simulated.Contacts.Select(c => (c.At, c.StepId, c.Channel, c.Recipient)), run.Contacts.Select(c => (c.At, c.StepId, c.Channel, c.Recipient)));
        Assert.Equal(simulated.Final.Outcome, run.State.Outcome);
    }
}
