using Dunning.Cases;
using Dunning.Common;
using Dunning.Customers;
using Dunning.Local.Tests.Support;
using Xunit.Abstractions;

namespace Dunning.Local.Tests;

/// <summary>
/// The customer, not the invoice (issue 8) on the local runner: the cap, cease and consolidation hold per customer
/// across all of their invoices, whatever order the cases run in.
/// </summary>
public sealed class CustomerLedgerTests(ITestOutputHelper output)
{
    private static readonly DateOnly FirstDue = new(2026, 3, 2);

    private static readonly string[] Five = ["INV-1", "INV-2", "INV-3", "INV-4", "INV-5"];

    [Fact]
    public async Task Five_invoices_due_on_consecutive_days_run_for_three_weeks_give_at_most_two_contacts_in_any_7_days_in_far_fewer_emails()
    {
        using var folder = new TempFolder("dunning-customer");
        var customers = folder.Write("customers.csv", Sample.Customers(Sample.HarborBakery));
        var invoices = folder.Write("invoices.csv", Sample.Invoices([.. Five.Select((id, i) => Sample.Invoice(id, "C1", FirstDue.AddDays(i), 100m * (i + 1)))]));
        var data = folder.Combine("books");

        var init = await DunningProcess.RunAsync(TimeSpan.FromSeconds(60), Sample.Init(data));
        Assert.True(init.Exit == 0, init.Err);
        var import = await DunningProcess.RunAsync(TimeSpan.FromSeconds(60), "--data", data, "import", "--customers", customers, "--invoices", invoices);
        Assert.True(import.Exit == 0, import.Err);
        var run = await DunningProcess.RunAsync(TimeSpan.FromSeconds(120), "--data", data, "run", "--until", "2026-03-27");
        Assert.True(run.Exit == 0, run.Err);

        var app = LocalApp.Open(data, clock: LocalApp.ClockOf(data));
        var states = new List<CaseState>();
        foreach (var id in Five)
        {
            states.Add((await app.Cases.GetAsync(new InvoiceId(id), default))!.State);
        }

        foreach (var e in states.SelectMany(s => s.History.Select(e => (s.InvoiceId, e))).OrderBy(x => x.e.At))
        {
            output.WriteLine($"{e.e.At:yyyy-MM-dd HH:mm} {e.InvoiceId} {CaseStatus.Describe(e.e)}");
        }

        // Messages that went out (a step carried by another case's statement sent nothing of its own).
        var sent = states.SelectMany(s => s.History.OfType<CaseEvent.ContactMade>()).Select(c => c.At).Order().ToList();
        Assert.All(sent, t => Assert.True(sent.Count(x => x > t - TimeSpan.FromDays(7) && x <= t) <= 2, $"more than 2 contacts in the 7 days to {t:O}"));
        var ledger = await app.Contacts.GetAsync(new CustomerId("C1"), default);
        Assert.Equal(sent, ledger.Contacts.Select(c => c.At));

        // Every email step of every invoice was carried out, in far fewer emails: statements carried the rest.
        var emails = Directory.EnumerateFiles(app.OutboxFolder, "*.eml").Select(File.ReadAllText).ToList();
        Assert.Equal(states.Sum(s => s.History.OfType<CaseEvent.ContactMade>().Count(c => c.Channel == Channel.Email)), emails.Count);
        var emailSteps = states.Sum(s => s.Contacts.Count(c => c.Channel == Channel.Email));
        Assert.Equal(15, emailSteps);
        Assert.True(emails.Count <= 6, $"{emails.Count} emails for {emailSteps} email steps");
        Assert.Contains(emails, e => Five.Count(id => e.Contains(Number(id), StringComparison.Ordinal)) >= 4);
        Assert.Contains(states, s => s.History.OfType<CaseEvent.ContactCovered>().Any());
    }

    [Fact]
    public async Task A_customer_with_five_overdue_invoices_gets_one_statement_instead_of_five_emails()
    {
        await using var host = await LoopbackHost.StartAsync(new DateTimeOffset(2026, 3, 10, 17, 0, 0, TimeSpan.Zero));
        await host.ImportAndScanAsync([.. Five.Select((id, i) => Sample.InvoiceJson(id, "C1", FirstDue.AddDays(i), 100m * (i + 1)))]);

        await host.RunnerTurnAsync();

        foreach (var f in host.OutboxFiles())
        {
            output.WriteLine(f);
        }

        var email = File.ReadAllText(Assert.Single(Directory.EnumerateFiles(host.Outbox, "*.eml")));
        output.WriteLine(email);
        Assert.All(Five, id => Assert.Contains(Number(id), email, StringComparison.Ordinal));
        Assert.Contains("Total owed: $1,500.00", email, StringComparison.Ordinal);
        Assert.Contains("Invoice H-1: $100.00, due 2026-03-02, 8 days overdue", email, StringComparison.Ordinal);
        Assert.Contains("Invoice H-5: $500.00, due 2026-03-06, 4 days overdue", email, StringComparison.Ordinal);
        Assert.Contains("https://pay.example.com", email, StringComparison.Ordinal);
        foreach (var id in Five)
        {
            var state = (await host.App.Cases.GetAsync(new InvoiceId(id), default))!.State;
            Assert.Contains("gentle", state.DoneSteps);
            Assert.Single(state.Contacts);
        }
    }

    private static string Number(string id) => id.Replace("INV-", "H-", StringComparison.Ordinal);

    [Fact]
    public async Task A_cease_asked_on_one_invoice_stops_contact_about_every_invoice_of_the_customer_and_later_ones()
    {
        await using var host = await LoopbackHost.StartAsync(new DateTimeOffset(2026, 3, 4, 17, 0, 0, TimeSpan.Zero));
        await host.ImportAndScanAsync(
            Sample.InvoiceJson("INV-A", "C1", FirstDue, 400m),
            Sample.InvoiceJson("INV-B", "C1", FirstDue.AddDays(2), 250m));
        await host.App.Driver!.AdvanceAsync(host.Clock.Now.AddDays(1));
        var before = host.OutboxFiles();

        var cease = await host.PostAsync("/api/cases/INV-A/cease", """{ "note": "letter received" }""");
        Assert.Equal(202, cease.Code);
        Assert.Contains("every invoice of Harbor Bakery", cease.Text, StringComparison.Ordinal);

        // A later invoice of the same customer: its case opens, and is refused by the customer's ledger.
        var late = await host.PostAsync("/api/invoices", Sample.InvoiceJson("INV-C", "C1", FirstDue.AddDays(20), 900m), admin: true);
        Assert.Equal(200, late.Code);
        await host.App.Driver.AdvanceAsync(new DateTimeOffset(2026, 7, 1, 0, 0, 0, TimeSpan.Zero));

        Assert.Equal(before, host.OutboxFiles());
        Assert.Empty(await host.App.Cases.CallTasksAsync(default));
        Assert.Empty(Directory.Exists(Path.Combine(host.DataFolder, "letters")) ? Directory.EnumerateFiles(Path.Combine(host.DataFolder, "letters"), "*", SearchOption.AllDirectories) : []);
        foreach (var id in new[] { "INV-A", "INV-B", "INV-C" })
        {
            var state = (await host.App.Cases.GetAsync(new InvoiceId(id), default))!.State;
            Assert.True(state.Ceased, $"{id} does not show the customer's cease");
            Assert.DoesNotContain(state.History.OfType<CaseEvent.ContactMade>(), c => c.At > host.Clock.Now.AddDays(-200) && c.At >= new DateTimeOffset(2026, 3, 5, 17, 0, 0, TimeSpan.Zero));
        }

        Assert.True((await host.App.Contacts.GetAsync(new CustomerId("C1"), default)).Ceased);
    }

    [Fact]
    public async Task The_customer_route_records_an_opt_out_for_every_invoice_and_says_so_again_unchanged()
    {
        await using var host = await LoopbackHost.StartAsync(new DateTimeOffset(2026, 3, 4, 17, 0, 0, TimeSpan.Zero));
        await host.ImportAndScanAsync(Sample.InvoiceJson("INV-A", "C1", FirstDue, 400m), Sample.InvoiceJson("INV-B", "C1", FirstDue.AddDays(2), 250m));

        var first = await host.PostAsync("/api/customers/C1/cease", """{ "channel": "email" }""");
        var again = await host.PostAsync("/api/customers/C1/cease", """{ "channel": "email" }""");
        var unknown = await host.PostAsync("/api/customers/NOPE/cease");

        Assert.Equal(202, first.Code);
        Assert.Equal("no contact by email about any invoice of Harbor Bakery", first.Body["applied"]!.GetValue<string>());
        Assert.Equal(2, first.Body["casesTold"]!.AsArray().Count);
        Assert.Equal(200, again.Code);
        Assert.False(again.Body["changed"]!.GetValue<bool>());
        Assert.Equal(404, unknown.Code);
        Assert.True(unknown.IsProblem);
        var emailsBefore = host.OutboxFiles();
        await host.App.Driver!.AdvanceAsync(new DateTimeOffset(2026, 4, 15, 0, 0, 0, TimeSpan.Zero));
        Assert.Equal(emailsBefore, host.OutboxFiles());
        Assert.Contains(Channel.Email, (await host.App.Cases.GetAsync(new InvoiceId("INV-B"), default))!.State.CeasedChannels);
    }
}
