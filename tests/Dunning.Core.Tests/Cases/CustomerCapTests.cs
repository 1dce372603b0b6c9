using Dunning.Cases;
using Dunning.Customers;
using Dunning.Policies;
using Dunning.Tests.Ports;
using Dunning.Tests.UseCases;
using Dunning.UseCases;
using static Dunning.Cases.CaseEvent;
using static Dunning.Tests.Cases.Given;

namespace Dunning.Tests.Cases;

/// <summary>"At most N contacts per rolling 7 days per case and per customer."</summary>
public class CustomerCapTests
{
    private static DunningPolicy EveryDay(int cap)
    {
        var steps = Enumerable.Range(1, 4).Select(d => new LadderStep("d" + d, d, Channel.Email, Tone.Firm, ContactRole.Billing, "firm")).ToArray();
        return Relaxed(Ladder(steps)) with { Cap = new FrequencyCap(cap, 7) };
    }

    [Fact]
    public void Frequency_cap_per_customer_counts_contacts_made_by_the_customers_other_cases()
    {
        // Given the customer's other invoice's case emailed them on day 1 at 08:00
        var run = Run.Start(Case(policy: EveryDay(2)));
        run.At(DueDay(1, 8), at => new CustomerContacted(at, "INV-2/step-d1", Channel.Email));

        run.ToEnd();

        // Then this case sends one on day 1 and waits a week for the next: 2 per 7 days for the customer, not per case
        Assert.Equal([DueDay(1, 8), DueDay(8, 8), DueDay(8, 8), DueDay(15, 8)], run.Ladder.Select(c => c.At).Take(4));
    }

    [Fact]
    public void Frequency_cap_per_customer_counts_each_told_contact_once()
    {
        var state = Case(policy: EveryDay(2));
        var told = new CustomerContacted(DueDay(1, 8), "INV-2/step-d1", Channel.Email);

        var once = CaseDecider.Evolve(state, told);
        var twice = CaseDecider.Evolve(once, told with { At = DueDay(1, 9) });

        Assert.Equal(once, twice);
        Assert.Equal(1, Compliance.ContactsInCapWindow(twice, DueDay(2)));
    }

    [Fact]
    public void Frequency_cap_per_customer_an_ended_case_is_not_told()
    {
        var closed = CaseDecider.Evolve(Case(), new CaseClosed(DueDay(1), OutcomeKind.Paid, "paid"));

        Assert.IsType<CommandResult.Unchanged>(CaseRules.Check(closed, new CustomerContacted(DueDay(2), "INV-2/step-d1", Channel.Email)));
        Assert.Equal(closed, CaseDecider.Evolve(closed, new CustomerContacted(DueDay(2), "INV-2/step-d1", Channel.Email)));
    }

    [Fact]
    public async Task Frequency_cap_per_customer_a_contact_is_told_to_the_customers_other_open_cases_only()
    {
        var app = new UseCaseFixture(PortSamples.Now);
        var mine = PortSamples.Case("A");
        var sibling = PortSamples.Case("B");
        var closed = CaseDecider.Evolve(PortSamples.Case("C"), new CaseClosed(PortSamples.Now, OutcomeKind.Paid, "paid"));
        var stranger = PortSamples.Case("D") with { Customer = PortSamples.Customer("C-9") };
        foreach (var s in new[] { mine, sibling, closed, stranger })
        {
            await app.Cases.SaveAsync(PortSamples.Record(s), default);
        }

        var contact = new CaseAction.Contact("step-gentle", ContactPurpose.Ladder, "gentle", Channel.Email, ContactRole.Billing, Tone.Friendly, "gentle", new Recipient("Pat", "ap@acme.example"), new Dunning.Messages.Message("s", "t", "h"));
        var told = await new CustomerCap(app.Cases, app.Workflows).TellOtherCasesAsync(mine, contact, PortSamples.Now, default);

        Assert.Equal(1, told);
        var (id, signal) = Assert.Single(app.Workflows.Signals);
        Assert.Equal("B", id.Value);
        Assert.Equal(new CustomerContacted(PortSamples.Now, "A/step-gentle", Channel.Email), signal);
    }
}
