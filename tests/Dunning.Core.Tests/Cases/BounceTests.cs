using Dunning.Customers;
using static Dunning.Cases.CaseEvent;
using static Dunning.Tests.Cases.Given;

namespace Dunning.Tests.Cases;

/// <summary>Issue 10.1: an email that bounces for good is not lost: the step goes to the next contact role, or by post.</summary>
public class BounceTests
{
    [Theory]
    [InlineData("INV-7/step-gentle", "INV-7", "step-gentle")]
    [InlineData("INV-7/step-gentle.2", "INV-7", "step-gentle.2")]
    [InlineData("INV-7/plan1/installment-1", "INV-7", "plan1/installment-1")]
    public void A_bounced_email_s_key_names_its_case_and_the_contact_that_bounced(string key, string invoice, string action)
    {
        var bounced = Dunning.UseCases.CaseEffects.Bounced(key, Billing, "550 5.1.1", DueDay(3));

        Assert.Equal((invoice, new ContactBounced(DueDay(3), action, Billing, "550 5.1.1")), (bounced?.Invoice.Value, bounced?.Bounce));
    }

    [Theory]
    [InlineData("/step-gentle")]
    [InlineData("no-slash")]
    [InlineData("bad id!/step-gentle")]
    public void A_key_of_no_case_bounces_nothing(string key) =>
        Assert.Null(Dunning.UseCases.CaseEffects.Bounced(key, Billing, "550", DueDay(3)));

    [Fact]
    public void GivenTheGentleReminderBounced_WhenTheCaseRuns_ThenItGoesAgainToTheManagerUnderANewKey()
    {
        var run = Run.Start(Case()).Until(DueDay(4, hour: 9));
        var gentle = Assert.Single(run.Ladder);
        Assert.Equal(("gentle", Billing), (gentle.StepId, gentle.Recipient));

        run.When(at => new ContactBounced(at, gentle.Key, Billing, "550 5.1.1 no such user")).Until(DueDay(5, hour: 9));

        Assert.Equal([("gentle", Billing, "step-gentle"), ("gentle", Manager, "step-gentle.2")], run.Ladder.Select(c => (c.StepId, c.Recipient, c.Key)));
        Assert.Contains(Billing, run.State.BouncedAddresses);
    }

    [Fact]
    public void GivenTheBillingAddressBounced_ThenNoLaterStepIsSentToIt()
    {
        var run = Run.Start(Case()).Until(DueDay(4, hour: 9));
        run.When(at => new ContactBounced(at, run.Ladder.Single().Key, Billing, "550 no such user")).ToEnd();

        Assert.DoesNotContain(run.Contacts, c => c.Recipient == Billing && c.At > DueDay(4, hour: 9));
        Assert.Equal(run.Contacts.Count, run.Contacts.Select(c => c.Key).Distinct().Count());
    }

    [Fact]
    public void GivenEveryEmailAddressBounced_ThenTheStepGoesByPost()
    {
        var run = Run.Start(Case(roles: [ContactRole.Billing])).Until(DueDay(4, hour: 9));
        run.When(at => new ContactBounced(at, run.Ladder.Single().Key, Billing, "550 no such user")).Until(DueDay(5, hour: 9));

        var again = run.Ladder.Last();
        Assert.Equal(("gentle", Channel.Letter, Address), (again.StepId, again.Channel, again.Recipient));
    }

    [Fact]
    public void GivenTheSameBounceReportedTwice_ThenTheStepIsSentAgainOnce()
    {
        var run = Run.Start(Case()).Until(DueDay(4, hour: 9));
        var key = run.Ladder.Single().Key;
        run.When(at => new ContactBounced(at, key, Billing, "550 no such user")).Until(DueDay(5, hour: 9))
            .When(at => new ContactBounced(at, key, Billing, "550 no such user")).Until(DueDay(6, hour: 9));

        Assert.Equal(2, run.Ladder.Count(c => c.StepId == "gentle"));
        Assert.Single(run.State.History.OfType<ContactBounced>());
    }

    [Fact]
    public void GivenAnOldStepBouncedAfterTheLadderMovedOn_ThenOnlyTheAddressIsDropped()
    {
        var run = Run.Start(Case()).Until(DueDay(15, hour: 9));
        var gentle = run.Ladder.First(c => c.StepId == "gentle");
        Assert.Contains("firm", run.LadderSteps);

        run.When(at => new ContactBounced(at, gentle.Key, Billing, "550 no such user")).Until(DueDay(16, hour: 9));

        Assert.Single(run.Ladder, c => c.StepId == "gentle");
        Assert.Contains(Billing, run.State.BouncedAddresses);
    }
}
