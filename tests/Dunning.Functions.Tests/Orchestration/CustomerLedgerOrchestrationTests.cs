using Dunning.Cases;
using Dunning.Common;
using Dunning.Ports;
using Dunning.Functions.Orchestration;
using Dunning.Jurisdictions;
using Dunning.Policies;
using Dunning.Tests.Ports;
using Dunning.UseCases;
using Microsoft.ApplicationInsights;
using Microsoft.ApplicationInsights.Extensibility;

namespace Dunning.Functions.Tests.Orchestration;

/// <summary>
/// Issue 8 on the Azure host: the orchestration's PerformContact activity reserves every contact against the customer's
/// ledger, so the cap, a customer-level cease and consolidated statements hold across the customer's orchestrations,
/// with the same outcomes as the local runner (tests/Dunning.Local.Tests/CustomerLedgerTests.cs).
/// </summary>
public sealed class CustomerLedgerOrchestrationTests
{
    /// <summary>Tuesday 10 March 2026, 10:00 in San Francisco.</summary>
    private static readonly DateTime Start = new(2026, 3, 10, 17, 0, 0, DateTimeKind.Utc);

    private static readonly DateOnly FirstDue = new(2026, 3, 2);

    private readonly InMemoryMailer mailer = new();
    private readonly InMemoryDocuments documents = new();
    private readonly InMemoryCaseStore cases = new();
    private readonly InMemoryContactLedger contacts = new();

    private readonly InMemorySignalNotes notes = new();

    private CaseActivities Activities => new(new CaseEffects(mailer, documents, cases, contacts), cases, notes, new TelemetryClient(new TelemetryConfiguration()));

    private static CaseState Opened(string id, int day, decimal amount, DateTime at) => CaseState.Open(
        PortSamples.Invoice(id, amount: amount) with { DueDate = FirstDue.AddDays(day) },
        PortSamples.Customer(),
        DefaultPolicy.Value,
        JurisdictionFacts.Unknown("US-CA"),
        new DateTimeOffset(at, TimeSpan.Zero));

    private ScriptedContext Context() => new(Start, async (name, input) => name switch
    {
        nameof(CaseActivities.PerformContact) => await Activities.PerformContactAsync(input!, default),
        nameof(CaseActivities.FileEvidence) => await Activities.FileEvidenceAsync(input!, default),
        nameof(CaseActivities.SaveProjection) => await SaveAsync(input!),
        nameof(CaseActivities.NoteSignal) => await NoteAsync(input!),
        _ => throw new InvalidOperationException($"No activity {name}."),
    });

    private async Task<string?> NoteAsync(string input)
    {
        await Activities.NoteSignalAsync(input, default);
        return null;
    }

    private async Task<string?> SaveAsync(string input)
    {
        return await Activities.SaveProjectionAsync(input, default);
    }

    private async Task<CaseState> RunAsync(CaseState state, Action<ScriptedContext>? script = null)
    {
        var context = Context();
        script?.Invoke(context);
        return DunningJson.Deserialize<CaseState>(await context.RunAsync(DunningJson.Serialize(state)));
    }

    [Fact]
    public async Task Five_overdue_invoices_of_one_customer_get_one_statement_and_the_others_record_it()
    {
        var five = Enumerable.Range(0, 5).Select(i => Opened($"INV-{i + 1}", i, 100m * (i + 1), Start)).ToList();
        foreach (var s in five)
        {
            // Every orchestration saves its case's projection before its first decision: the siblings a statement reads.
            await cases.SaveAsync(new CaseRecord(s, CaseStatus.Of(s, CaseDecider.Decide(s, s.OpenedAt), s.OpenedAt)), default);
        }

        var first = await RunAsync(five[0]);
        var others = new List<CaseState>();
        foreach (var s in five.Skip(1))
        {
            others.Add(await RunAsync(s));
        }

        var statement = mailer.Sent["INV-1/step-gentle"];
        Assert.All(five, s => Assert.Contains(s.Invoice.Number, statement.Text, StringComparison.Ordinal));
        Assert.Contains("Total owed: $1,500.00", statement.Text, StringComparison.Ordinal);
        Assert.Equal(new DateTimeOffset(Start, TimeSpan.Zero), first.Contacts.First().At);
        Assert.All(others, s =>
        {
            var covered = s.History.OfType<CaseEvent.ContactCovered>().First();
            Assert.Equal(("gentle", "INV-1/step-gentle"), (covered.StepId, covered.MessageId));
        });
        Assert.DoesNotContain(mailer.Sent.Keys, k => k.EndsWith("/step-gentle", StringComparison.Ordinal) && k != "INV-1/step-gentle");
        AssertCapHeld([first, .. others]);
    }

    [Fact]
    public async Task A_cease_asked_on_one_invoice_stops_contact_about_every_invoice_of_the_customer_and_later_ones()
    {
        var ceaseAt = Start.AddDays(3);
        var a = Opened("INV-A", 0, 400m, Start);
        var b = Opened("INV-B", 2, 250m, Start);
        await cases.SaveAsync(new CaseRecord(b, CaseStatus.Of(b, CaseDecider.Decide(b, b.OpenedAt), b.OpenedAt)), default);

        // What POST /api/cases/INV-A/cease does (CaseCommands.CeaseAsync): the customer's ledger records it, every open case is told.
        CaseEvent cease = new CaseEvent.CeaseRequested(new DateTimeOffset(ceaseAt, TimeSpan.Zero), null, CustomerRequests.Note(a.Customer.Name, "letter received"));
        var ceasedA = await RunAsync(a, c => c.Signal(ceaseAt, DunningJson.Serialize(cease)));
        var ceasedB = await RunAsync(b, c => c.Signal(ceaseAt, DunningJson.Serialize(cease)));
        Assert.True(await contacts.RequestAsync(a.Customer.Id, null, new DateTimeOffset(ceaseAt, TimeSpan.Zero), "letter received", default));
        var sentBefore = mailer.Sent.Keys.Order(StringComparer.Ordinal).ToList();

        // A later invoice of the same customer: its orchestration runs, and the ledger refuses its first contact.
        var later = await RunAsync(Opened("INV-C", 20, 900m, ceaseAt.AddDays(1)));

        var after = new DateTimeOffset(ceaseAt, TimeSpan.Zero);
        Assert.All([ceasedA, ceasedB, later], s =>
        {
            Assert.True(s.Ceased, $"{s.InvoiceId} did not cease");
            Assert.DoesNotContain(s.History.OfType<CaseEvent.ContactMade>(), c => c.At >= after);
            Assert.NotNull(s.Outcome);
        });
        Assert.Contains("not to be contacted about any invoice", later.History.OfType<CaseEvent.CeaseRequested>().Single().Note, StringComparison.Ordinal);
        Assert.Equal(sentBefore, mailer.Sent.Keys.Order(StringComparer.Ordinal).ToList());
        Assert.Empty(documents.Letters);
        AssertCapHeld([ceasedA, ceasedB, later]);
    }

    private static void AssertCapHeld(IEnumerable<CaseState> states)
    {
        var sent = states.SelectMany(s => s.History.OfType<CaseEvent.ContactMade>()).Select(c => c.At).Order().ToList();
        Assert.All(sent, t => Assert.True(sent.Count(x => x > t - TimeSpan.FromDays(7) && x <= t) <= 2, $"more than 2 contacts in the 7 days to {t:O}"));
    }
}
