using System.Globalization;
using Dunning.Cases;
using Dunning.Common;
using Dunning.Reports;
using Dunning.Tests.Cases;
using static Dunning.Cases.CaseEvent;
using static Dunning.Tests.Cases.Given;

namespace Dunning.Tests.Reports;

/// <summary>
/// "Learn from the past", on cases driven through the decider under the default ladder with weekends allowed, so each
/// step goes out at 08:00 UTC on its day: courtesy on day −3 (only for a case opened before the due date), gentle +3,
/// firm +14, letter +21, call +28, final +35.
/// </summary>
public class LearningTests
{
    [Fact]
    public void A_step_converts_when_the_case_is_paid_in_full_within_N_days_of_it()
    {
        // Opened before the due date: courtesy, gentle and firm; paid 5 days after firm (16 after gentle, 22 after courtesy).
        var early = Run.Start(For("INV-1", "A", openedAt: DueDay(-4))).Until(DueDay(19, 8)).When(at => Pay(at, 1_000m)).Until(DueDay(90));
        // Gentle only; paid 5 days after it.
        var prompt = Run.Start(For("INV-2", "B")).Until(DueDay(8, 8)).When(at => Pay(at, 1_000m)).Until(DueDay(90));
        // Never pays: every step, then flagged.
        var silent = Run.Start(For("INV-3", "C")).ToEnd();
        Assert.Equal(["courtesy", "gentle", "firm"], early.LadderSteps);
        Assert.Equal(["gentle"], prompt.LadderSteps);
        Assert.True(silent.Outcome!.IsFlag);

        var report = LearningReport.Build([silent.State, early.State, prompt.State]);

        Assert.Equal(14, report.WithinDays);
        Assert.Equal(["courtesy", "gentle", "firm", "letter", "call", "final"], report.Steps.Select(s => s.StepId));
        var steps = report.Steps.ToDictionary(s => s.StepId);
        Assert.Equal((1, 0), (steps["courtesy"].Reached, steps["courtesy"].Converted));
        Assert.Equal((3, 1), (steps["gentle"].Reached, steps["gentle"].Converted));
        Assert.Equal((2, 1), (steps["firm"].Reached, steps["firm"].Converted));
        Assert.Equal(0.5m, steps["firm"].Rate);
        Assert.Equal(0.3333m, steps["gentle"].Rate);
        Assert.Equal((1, 0, 0m), (steps["final"].Reached, steps["final"].Converted, steps["final"].Rate));

        // Within 30 days, the early payer converts for gentle (16 days) and courtesy (22 days) too.
        var month = LearningReport.Build([silent.State, early.State, prompt.State], withinDays: 30).Steps.ToDictionary(s => s.StepId);
        Assert.Equal(1, month["courtesy"].Converted);
        Assert.Equal(2, month["gentle"].Converted);
    }

    [Fact]
    public void A_payment_recorded_days_later_counts_from_the_day_it_was_paid_not_the_day_the_case_closed()
    {
        // A cheque paid on day 17 (3 days after firm), entered by hand on day 34, after the letter and the call went out.
        var run = Run.Start(For("INV-1", "A")).Until(DueDay(34)).When(_ => new PaymentReceived(DueDay(17), Usd(1_000m), "chq-1", "manual")).Until(DueDay(90));
        Assert.Equal(OutcomeKind.Paid, run.Outcome!.Kind);
        Assert.Equal(DueDay(34), run.Outcome.At);

        var report = LearningReport.Build([run.State]);

        var steps = report.Steps.ToDictionary(s => s.StepId);
        Assert.Equal(1, steps["firm"].Converted);
        Assert.Equal(0, steps["letter"].Converted);
        Assert.Equal(0, steps["call"].Converted);
        Assert.Equal(17d, Assert.Single(report.Customers).AverageDaysToPay);
    }

    [Fact]
    public void A_case_paid_then_refunded_is_not_paid_and_paid_again_counts_from_the_payment_that_cleared_it_again()
    {
        // Paid 5 days after gentle, the payment bounced two days later: the case re-opens.
        var refunded = Run.Start(For("INV-1", "A")).Until(DueDay(8, 8)).When(at => Pay(at, 1_000m))
            .Until(DueDay(10)).When(at => new PaymentRefunded(at, Usd(1_000m), "p-1"))
            .Until(DueDay(11));
        Assert.Null(refunded.Outcome);

        var bounced = LearningReport.Build([refunded.State]);
        Assert.Equal(0, bounced.Steps.Single(s => s.StepId == "gentle").Converted);
        Assert.Null(Assert.Single(bounced.Customers).AverageDaysToPay);
        Assert.Equal(1, bounced.Customers[0].OpenCases);

        // Paid again on day 40: that payment is the one that counts.
        var repaid = refunded.Until(DueDay(40)).When(at => Pay(at, 1_000m, "p-2")).Until(DueDay(90));
        Assert.Equal(OutcomeKind.Paid, repaid.Outcome!.Kind);
        var report = LearningReport.Build([repaid.State]);
        Assert.Equal(0, report.Steps.Single(s => s.StepId == "gentle").Converted);
        Assert.Equal(40d, Assert.Single(report.Customers).AverageDaysToPay);
        Assert.Equal(1, report.Steps.Single(s => s.StepId == "final").Converted);
    }

    [Fact]
    public void Contacts_too_recent_to_judge_are_pending_and_left_out_of_the_rate()
    {
        var unpaid = Run.Start(For("INV-1", "A")).Until(DueDay(6));
        var paid = Run.Start(For("INV-2", "B")).Until(DueDay(5)).When(at => Pay(at, 1_000m)).Until(DueDay(6));

        var now = LearningReport.Build([unpaid.State, paid.State], asOf: DueDay(6)).Steps.Single();
        Assert.Equal(("gentle", 0, 0, 2, 0m), (now.StepId, now.Reached, now.Converted, now.Pending, now.Rate));

        var later = LearningReport.Build([unpaid.State, paid.State], asOf: DueDay(30)).Steps.Single();
        Assert.Equal((2, 1, 0, 0.5m), (later.Reached, later.Converted, later.Pending, later.Rate));
    }

    [Fact]
    public void Days_to_pay_are_by_customer_slowest_first_on_the_customers_own_calendar()
    {
        // A pays after 19 and 9 days; B (in California) pays at 03:00 UTC on day 9, still day 8 at home; C has not paid.
        var a1 = Run.Start(For("INV-1", "A")).Until(DueDay(19, 9)).When(at => Pay(at, 1_000m)).Until(DueDay(90));
        var a2 = Run.Start(For("INV-2", "A")).Until(DueDay(9, 9)).When(at => Pay(at, 1_000m)).Until(DueDay(90));
        var b = Run.Start(For("INV-3", "B", zone: "America/Los_Angeles")).Until(DueDay(9, 3)).When(at => Pay(at, 1_000m)).Until(DueDay(90));
        var c = Run.Start(For("INV-4", "C")).Until(DueDay(9));

        var customers = LearningReport.Build([c.State, b.State, a2.State, a1.State]).Customers;

        Assert.Equal(["A", "B", "C"], customers.Select(x => x.CustomerId.Value));
        Assert.Equal(("A Ltd", 2, 14d, 0), (customers[0].Name, customers[0].PaidCases, customers[0].AverageDaysToPay, customers[0].OpenCases));
        Assert.Equal((1, 8d), (customers[1].PaidCases, customers[1].AverageDaysToPay));
        Assert.Equal((0, (double?)null, 1), (customers[2].PaidCases, customers[2].AverageDaysToPay, customers[2].OpenCases));
    }

    [Fact]
    public void Recovery_by_outcome_is_per_currency_with_a_rate_and_counts_what_the_ledger_says_was_paid()
    {
        // 200 was paid before the case opened: 800 was owed, 800 recovered.
        var paidHere = Run.Start(For("INV-1", "A", paidBefore: 200m)).Until(DueDay(5)).When(at => Pay(at, 800m)).Until(DueDay(90));
        // Paid according to a re-imported ledger, not through this system.
        var paidInLedger = Run.Start(For("INV-2", "A")).Until(DueDay(5))
            .When(at => new InvoiceUpdated(at, For("INV-2", "A").Invoice with { AmountPaid = Usd(1_000m) })).Until(DueDay(90));
        var euros = Run.Start(For("INV-3", "B", currency: "EUR", amount: 500m)).Until(DueDay(5)).When(at => Pay(at, 500m, currency: "EUR")).Until(DueDay(90));
        var partly = Run.Start(For("INV-4", "C")).Until(DueDay(5)).When(at => Pay(at, 300m)).Until(DueDay(6));
        Assert.All(new[] { paidHere, paidInLedger, euros }, r => Assert.Equal(OutcomeKind.Paid, r.Outcome!.Kind));

        var outcomes = LearningReport.Build([paidHere.State, paidInLedger.State, euros.State, partly.State]).Outcomes;

        Assert.Equal(["open", "paid"], outcomes.Select(o => o.Outcome));
        var open = Assert.Single(outcomes[0].ByCurrency);
        Assert.Equal((Usd(1_000m), Usd(300m), 0.3m), (open.Owed, open.Recovered, open.Rate));
        var paid = outcomes[1];
        Assert.Equal(3, paid.Cases);
        Assert.Equal(["EUR", "USD"], paid.ByCurrency.Select(m => m.Currency));
        Assert.Equal((1, new Money(500m, "EUR"), new Money(500m, "EUR"), 1m), (paid.ByCurrency[0].Cases, paid.ByCurrency[0].Owed, paid.ByCurrency[0].Recovered, paid.ByCurrency[0].Rate));
        Assert.Equal((2, Usd(1_800m), Usd(1_800m), 1m), (paid.ByCurrency[1].Cases, paid.ByCurrency[1].Owed, paid.ByCurrency[1].Recovered, paid.ByCurrency[1].Rate));
    }

    [Fact]
    public void The_text_reads_the_same_in_every_culture()
    {
        var paid = Run.Start(For("INV-1", "A", amount: 1_234.5m)).Until(DueDay(8, 8)).When(at => Pay(at, 1_234.5m)).Until(DueDay(90));
        var open = Run.Start(For("INV-2", "B")).Until(DueDay(20));
        var report = LearningReport.Build([paid.State, open.State], withinDays: 7);

        var saved = CultureInfo.CurrentCulture;
        string text;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            text = report.ToText();
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }

        Assert.Contains("paid in full within 7 days", text, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^  gentle +2 reached +1 paid +50%$", text);
        Assert.Matches(@"(?m)^  A Ltd +8\.0 days over 1 case\(s\)$", text);
        Assert.Contains("recovered $1,234.50 of $1,234.50 (100%)", text, StringComparison.Ordinal);
        Assert.Contains("recovered $0.00 of $1,000.00 (0%)", text, StringComparison.Ordinal);
    }

    private static CaseState For(string invoice, string customer, string currency = "USD", decimal amount = 1_000m, DateTimeOffset? openedAt = null, decimal paidBefore = 0m, string zone = "UTC")
    {
        var state = Case(amount: amount, currency: currency, zone: zone, openedAt: openedAt, policy: Relaxed(), paidBefore: paidBefore);
        var who = state.Customer with { Id = new CustomerId(customer), Name = customer + " Ltd" };
        return CaseState.Open(state.Invoice with { Id = new InvoiceId(invoice), CustomerId = who.Id }, who, state.Policy, state.Facts, state.OpenedAt);
    }

    private static PaymentReceived Pay(DateTimeOffset at, decimal amount, string reference = "p-1", string currency = "USD") =>
        new(at, new Money(amount, currency), reference, "stripe");
}
