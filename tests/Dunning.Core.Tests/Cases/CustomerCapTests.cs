using Dunning.Cases;
using Dunning.Customers;
using Dunning.Policies;
using static Dunning.Cases.CaseEvent;
using static Dunning.Tests.Cases.Given;

namespace Dunning.Tests.Cases;

/// <summary>Stored cases hold contacts told by sibling cases before the customer ledger (CustomerContacted): they still load and count.</summary>
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
}
