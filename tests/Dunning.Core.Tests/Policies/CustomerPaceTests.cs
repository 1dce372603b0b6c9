using Dunning.Cases;
using Dunning.Common;
using Dunning.Customers;
using Dunning.Jurisdictions;
using Dunning.Policies;
using Dunning.Tests.Cases;
using Dunning.Tests.Ports;
using Dunning.Tests.UseCases;
using Dunning.UseCases;
using static Dunning.Tests.Cases.Given;

namespace Dunning.Tests.Policies;

public class CustomerPaceTests
{
    private static readonly ValueList<LadderStep> Strict = ValueList.Of(
        new LadderStep("strict-firm", 1, Channel.Email, Tone.Firm, ContactRole.Billing, "firm"),
        new LadderStep("strict-final", 10, Channel.Email, Tone.Final, ContactRole.Owner, "final-notice", 10));

    private static readonly ValueList<LadderStep> Gentle = ValueList.Of(
        new LadderStep("gentle-only", 7, Channel.Email, Tone.Friendly, ContactRole.Billing, "gentle"),
        new LadderStep("final", 40, Channel.Email, Tone.Final, ContactRole.Owner, "final-notice", 14));

    private static readonly DunningPolicy Policy = DefaultPolicy.Value with
    {
        Pace = new PaceRules(MinimumPaidCases: 2, SlowAverageDaysLate: 30, SlowLadder: Strict, PromptAverageDaysLate: 3, PromptLadder: Gentle),
        LateCharges = new LateChargeRules(),
    };

    /// <summary>A past case of the customer, paid <paramref name="daysLate"/> days after its due date.</summary>
    private static CaseState PaidLate(int daysLate, string id) =>
        Run.Start(Case(policy: Relaxed()) with { Invoice = Case().Invoice with { Id = new InvoiceId(id) } })
            .At(DueDay(daysLate, hour: 12), at => new CaseEvent.PaymentReceived(at, Usd(1_000m), "pay-" + id, "stripe"))
            .ToEnd()
            .State;

    [Fact]
    public void A_customer_who_paid_late_on_average_gets_the_stricter_ladder()
    {
        var policy = CustomerPace.For(Policy, [PaidLate(40, "A"), PaidLate(30, "B")]);

        Assert.Equal(["strict-firm", "strict-final"], policy.Ladder.Select(s => s.Id));
        Assert.Null(policy.Pace);
    }

    [Fact]
    public void A_customer_who_always_paid_on_time_gets_the_gentler_ladder()
    {
        var policy = CustomerPace.For(Policy, [PaidLate(0, "A"), PaidLate(2, "B"), PaidLate(1, "C")]);

        Assert.Equal(["gentle-only", "final"], policy.Ladder.Select(s => s.Id));
    }

    [Theory]
    [InlineData(new[] { 40 }, "one paid case is not a history")]
    [InlineData(new[] { 10, 20 }, "in between: the policy's own ladder")]
    public void Otherwise_the_policys_own_ladder(int[] daysLate, string why)
    {
        var policy = CustomerPace.For(Policy, daysLate.Select((d, i) => PaidLate(d, "P" + i.ToString(System.Globalization.CultureInfo.InvariantCulture))));

        Assert.True(DefaultPolicy.Value.Ladder == policy.Ladder, why);
    }

    [Fact]
    public void A_pace_ladder_with_an_earlier_courtesy_nudge_makes_the_scan_open_cases_early_enough_for_it()
    {
        var nudging = ValueList.Of([new LadderStep("early-nudge", -5, Channel.Email, Tone.Friendly, ContactRole.Billing, "courtesy"), .. Gentle]);
        var policy = Policy with { Pace = Policy.Pace! with { PromptLadder = nudging } };

        Assert.Equal(DueDate.AddDays(-5), policy.CaseStartDate(DueDate));
        Assert.Equal(DueDate.AddDays(-3), DefaultPolicy.Value.CaseStartDate(DueDate));
    }

    [Fact]
    public void Unpaid_cases_are_not_counted_as_paid_on_time()
    {
        var unpaid = Run.Start(Case(policy: Relaxed())).ToEnd().State;

        Assert.Empty(CustomerPace.DaysLate([unpaid]));
    }

    [Fact]
    public async Task The_daily_scan_opens_a_slow_payers_new_case_on_the_stricter_ladder()
    {
        var app = new UseCaseFixture(PortSamples.Now);
        foreach (var past in new[] { PaidLate(45, "OLD-1"), PaidLate(35, "OLD-2") })
        {
            var mine = past with { Customer = PortSamples.Customer() };
            await app.Cases.SaveAsync(PortSamples.Record(mine), default);
        }

        await app.Ledger.UpsertAsync([PortSamples.Customer()], [PortSamples.Invoice("NEW", dueDay: 5)], default);
        var scan = new DailyScan(app.Ledger, app.Cases, app.Workflows, Policy, JurisdictionCatalog.Default);

        await scan.RunAsync(new DateTimeOffset(2026, 1, 10, 6, 0, 0, TimeSpan.Zero), default);

        var opened = (await app.Cases.GetAsync(new InvoiceId("NEW"), default))!.State;
        Assert.Equal(["strict-firm", "strict-final"], opened.Policy.Ladder.Select(s => s.Id));
    }
}
