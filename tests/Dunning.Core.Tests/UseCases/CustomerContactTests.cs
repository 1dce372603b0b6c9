using Dunning.Cases;
using Dunning.Customers;
using Dunning.Jurisdictions;
using Dunning.Messages;
using Dunning.Policies;
using Dunning.Tests.Ports;

namespace Dunning.Tests.UseCases;

/// <summary>What CaseEffects does with the customer's contact ledger's answer, one answer at a time.</summary>
public class CustomerContactTests
{
    private static readonly CaseAction.Contact Gentle = new(
        "step-gentle", ContactPurpose.Ladder, "gentle", Channel.Email, ContactRole.Billing, Tone.Friendly, "gentle",
        new Recipient("Pat", "ap@acme.example"), new Message("Reminder", "text", "<p>html</p>"));

    /// <summary>Monday 2 March 2026, 09:00 in Los Angeles: inside the customer's contact window.</summary>
    private static readonly DateTimeOffset At = PortSamples.Now.AddHours(2);

    private static CaseState Open(string id, DunningPolicy policy) =>
        CaseState.Open(PortSamples.Invoice(id), PortSamples.Customer(), policy, JurisdictionFacts.Unknown("US-CA"), PortSamples.Now);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task GivenADisputeOnAnotherInvoice_WhenTheContactIsReserved_ThenThePolicyDecidesWhetherItHoldsTheCustomer(bool hold)
    {
        var app = new UseCaseFixture(At);
        var policy = DefaultPolicy.Value with { HoldCustomerOnDispute = hold };
        await app.Cases.SaveAsync(PortSamples.Record(PortSamples.Case("A") with { Policy = policy }), default);

        var done = await app.Effects.PerformAsync(Open("B", policy), Gentle, At, default);

        if (hold)
        {
            var deferred = Assert.IsType<CaseEvent.ContactDeferred>(done);
            Assert.Equal(new DateTimeOffset(2026, 3, 3, 16, 0, 0, TimeSpan.Zero), deferred.Until); // 08:00 the next day in Los Angeles
            Assert.Contains("a dispute is open on invoice N-A", deferred.Reason, StringComparison.Ordinal);
            Assert.Empty(app.Mailer.Sent);
        }
        else
        {
            Assert.IsType<CaseEvent.ContactMade>(done);
            Assert.Single(app.Mailer.Sent);
        }
    }

    [Fact]
    public async Task GivenACustomerLevelOptOut_WhenACaseOpenedLaterReserves_ThenItRecordsTheOptOutAndSendsNothing()
    {
        var app = new UseCaseFixture(At);
        await app.Ledger.UpsertAsync([PortSamples.Customer()], [], default);
        var asked = await app.Customers.RequestAsync(PortSamples.Customer().Id, Channel.Email, "by phone", default);

        var state = Open("LATER", DefaultPolicy.Value);
        var done = await app.Effects.PerformAsync(state, Gentle, At.AddDays(1), default);

        Assert.True(asked!.Changed);
        var refused = Assert.IsType<CaseEvent.CeaseRequested>(done);
        Assert.Equal(Channel.Email, refused.Channel);
        Assert.Empty(app.Mailer.Sent);
        var after = CaseDecider.Evolve(state, done);
        Assert.False(after.IsChannelOpen(Channel.Email));
    }

    [Fact]
    public async Task GivenTheCapIsFull_WhenTheDeferredCaseDecidesAgain_ThenItWaitsUntilTheLedgerSaid()
    {
        var app = new UseCaseFixture(At);
        var policy = DefaultPolicy.Value with { Cap = new FrequencyCap(1, 7), Consolidate = false };
        Assert.IsType<CaseEvent.ContactMade>(await app.Effects.PerformAsync(Open("A", policy), Gentle, At, default));
        var b = Open("B", policy);

        var done = await app.Effects.PerformAsync(b, Gentle, At.AddHours(1), default);

        var deferred = Assert.IsType<CaseEvent.ContactDeferred>(done);
        Assert.Equal(At.AddDays(7), deferred.Until);
        Assert.Equal(deferred.Until, Compliance.EarliestContact(CaseDecider.Evolve(b, done), At.AddHours(2)));
    }
}
