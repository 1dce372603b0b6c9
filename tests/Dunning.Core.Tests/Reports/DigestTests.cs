using System.Globalization;
using Dunning.Cases;
using Dunning.Common;
using Dunning.Customers;
using Dunning.Ports;
using Dunning.Reports;
using Dunning.Tests.Cases;
using static Dunning.Cases.CaseEvent;
using static Dunning.Tests.Cases.Given;

namespace Dunning.Tests.Reports;

/// <summary>
/// The daily digest, on cases driven through the decider under the default ladder with weekends allowed (each step at
/// 08:00 UTC on its day: gentle +3, firm +14, letter +21, call +28, final +35, flagged 14 days after the final notice).
/// </summary>
public class DigestTests
{
    [Fact]
    public void Sent_lists_what_went_out_since_in_time_order()
    {
        var one = Run.Start(For("INV-1", "A")).Until(DueDay(20));
        var two = Run.Start(For("INV-2", "B")).Until(DueDay(20));

        var digest = Digest.Build([Record(two), Record(one)], [], DueDay(10));

        Assert.Equal(DueDay(10), digest.Since);
        Assert.Equal(
            [("INV-1", "A Ltd", "email 'firm' to billing@acme.example", DueDay(14, 8)), ("INV-2", "B Ltd", "email 'firm' to billing@acme.example", DueDay(14, 8))],
            digest.Sent.Select(l => (l.InvoiceId.Value, l.Customer, l.What, l.At)));
        Assert.Equal(4, Digest.Build([Record(two), Record(one)], [], DueDay(0)).Sent.Count);
        Assert.Empty(Digest.Build([Record(two), Record(one)], [], DueDay(15)).Sent);
    }

    [Fact]
    public void Calls_to_make_are_the_new_call_tasks_whose_case_still_wants_the_call()
    {
        var open = Run.Start(For("INV-1", "A")).Until(DueDay(29));
        var paid = Run.Start(For("INV-2", "B")).Until(DueDay(29)).When(at => new PaymentReceived(at, Usd(1_000m), "p-1", "stripe")).Until(DueDay(30));
        var noCalls = Run.Start(For("INV-3", "C")).Until(DueDay(29)).When(at => new CeaseRequested(at, Channel.Call)).Until(DueDay(30));
        var older = Run.Start(For("INV-4", "D")).Until(DueDay(29));
        Assert.All(new[] { open, paid, noCalls, older }, r => Assert.Contains("call", r.LadderSteps));
        CallTask[] tasks = [Task(open, DueDay(28, 8)), Task(paid, DueDay(28, 8)), Task(noCalls, DueDay(28, 8)), Task(older, DueDay(20))];

        var digest = Digest.Build([Record(open), Record(paid), Record(noCalls), Record(older)], tasks, DueDay(27));

        Assert.Equal(["INV-1"], digest.CallsToMake.Select(t => t.InvoiceId.Value));
    }

    [Fact]
    public void Open_disputes_and_cases_flagged_since_need_a_person()
    {
        var disputed = Run.Start(For("INV-1", "A")).Until(DueDay(6)).When(at => new DisputeOpened(at, "the goods arrived damaged")).Until(DueDay(60));
        var voided = Run.Start(For("INV-2", "B")).Until(DueDay(6)).When(at => new DisputeOpened(at, "never ordered"))
            .When(at => new InvoiceVoided(at, "raised in error")).Until(DueDay(60));
        var flagged = Run.Start(For("INV-3", "C")).ToEnd();
        var flaggedAt = flagged.Outcome!.At;
        Assert.True(flagged.Outcome.IsFlag);
        Assert.Null(voided.State.Dispute);
        CaseRecord[] records = [Record(flagged), Record(voided), Record(disputed)];

        var digest = Digest.Build(records, [], flaggedAt.AddDays(-1));

        var dispute = Assert.Single(digest.OpenDisputes);
        Assert.Equal(("INV-1", "dispute"), (dispute.InvoiceId.Value, dispute.Status));
        Assert.Contains("the goods arrived damaged", dispute.Waiting, StringComparison.Ordinal);
        var flag = Assert.Single(digest.NewlyFlagged);
        Assert.Equal(("INV-3", Usd(1_000m)), (flag.InvoiceId.Value, flag.Balance));
        Assert.Empty(Digest.Build(records, [], flaggedAt.AddDays(1)).NewlyFlagged);
    }

    [Fact]
    public void The_text_is_in_UTC_whatever_the_offset_given_and_the_same_in_every_culture()
    {
        var run = Run.Start(For("INV-1", "A", amount: 1_234.5m)).ToEnd();
        var since = new DateTimeOffset(2026, 1, 25, 1, 0, 0, TimeSpan.FromHours(1));
        var digest = Digest.Build([Record(run)], [Task(run, DueDay(28, 8))], since);

        var saved = CultureInfo.CurrentCulture;
        string text;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            text = digest.ToText();
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }

        Assert.StartsWith("Since 2026-01-25 00:00 UTC\n", text, StringComparison.Ordinal);
        Assert.Contains("  2026-01-29 08:00  INV-1          A Ltd: email 'firm' to billing@acme.example\n", text, StringComparison.Ordinal);
        Assert.Contains("Calls to make (0)", text, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^  INV-1 +A Ltd: .+, \$1,234\.50$", text);
    }

    private static CaseState For(string invoice, string customer, decimal amount = 1_000m)
    {
        var state = Case(amount: amount, policy: Relaxed());
        var who = state.Customer with { Id = new CustomerId(customer), Name = customer + " Ltd" };
        return CaseState.Open(state.Invoice with { Id = new InvoiceId(invoice), CustomerId = who.Id }, who, state.Policy, state.Facts, state.OpenedAt);
    }

    /// <summary>The case as a host stores it: its state and the status it shows.</summary>
    private static CaseRecord Record(Run run) => new(run.State, CaseStatus.Of(run.State, run.Next, run.Now));

    private static CallTask Task(Run run, DateTimeOffset at) =>
        new($"{run.State.InvoiceId}/step-call", run.State.InvoiceId, run.State.Customer.Name, "Manager Person", Phone, "Hello, ...", at);
}
