using Dunning.Cases;
using Dunning.Common;
using Dunning.Customers;
using Dunning.Functions.Orchestration;
using Dunning.Jurisdictions;
using Dunning.Policies;
using Dunning.Tests.Ports;

namespace Dunning.Functions.Tests.Orchestration;

/// <summary>The workbook's custom events: each step, payment and ending once, whatever the retries.</summary>
public sealed class CaseTelemetryTests
{
    private static readonly DateTimeOffset At = new(2026, 1, 12, 17, 0, 0, TimeSpan.Zero);

    private static CaseRecord Record(CaseState state) => new(state, CaseStatus.Of(state, CaseDecider.Decide(state, At), At));

    private static CaseState Opened() =>
        CaseState.Open(PortSamples.Invoice(amount: 500m), PortSamples.Customer(), DefaultPolicy.Value, JurisdictionFacts.Unknown("US-CA"), At);

    [Fact]
    public void A_new_case_is_started_once_and_each_later_event_is_reported_once()
    {
        var opened = Record(Opened());
        var contacted = Record(CaseDecider.Evolve(opened.State, new CaseEvent.ContactMade(At, "step-gentle", ContactPurpose.Ladder, "gentle", Channel.Email, ContactRole.Billing, "ap@acme.example", "gentle", "Reminder")));
        var paid = Record(CaseDecider.Evolve(contacted.State, new CaseEvent.PaymentReceived(At, new Money(500m, "USD"), "pi_1", "stripe")));
        var closed = Record(CaseDecider.Evolve(paid.State, new CaseEvent.CaseClosed(At, OutcomeKind.Paid, "paid")));

        Assert.Equal(["DunningCaseStarted"], CaseTelemetry.Between(null, opened).Select(e => e.Name));
        var step = Assert.Single(CaseTelemetry.Between(opened, contacted));
        Assert.Equal(("DunningStepPerformed", "gentle", "email"), (step.Name, step.Properties["stepId"], step.Properties["channel"]));
        var payment = Assert.Single(CaseTelemetry.Between(contacted, paid));
        Assert.Equal(("DunningPaymentApplied", 500d, "USD"), (payment.Name, payment.Metrics["amount"], payment.Properties["currency"]));
        var ended = Assert.Single(CaseTelemetry.Between(paid, closed));
        Assert.Equal(("DunningCaseEnded", "paid", 500d), (ended.Name, ended.Properties["outcome"], ended.Metrics["recovered"]));
    }

    [Fact]
    public void Saving_the_same_picture_again_reports_nothing()
    {
        var record = Record(CaseDecider.Evolve(Opened(), new CaseEvent.PaymentReceived(At, new Money(100m, "USD"), "pi_1", "stripe")));

        Assert.Empty(CaseTelemetry.Between(record, record));
    }
}
