using BenchmarkDotNet.Attributes;
using Dunning.Cases;
using Dunning.Common;
using Dunning.Customers;
using Dunning.Invoices;
using Dunning.Jurisdictions;
using Dunning.Policies;
using Dunning.Simulation;

namespace Dunning.Benchmarks;

/// <summary>
/// What one runner transition costs inside the core: a decision, an evolve, and the state's JSON (which the
/// runner writes once per transition), for a case half-way down the ladder.
/// </summary>
[MemoryDiagnoser]
public class DeciderBenchmarks
{
    private CaseState state = null!;
    private DateTimeOffset now;
    private string json = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        var customer = new Customer(
            new CustomerId("C1"), "Acme Ltd", CustomerKind.Business, Jurisdiction.Parse("US-CA"), "America/Los_Angeles",
            ValueList.Of(new Contact(ContactRole.Billing, "ap@acme.example"), new Contact(ContactRole.Owner, "owner@acme.example")),
            Phone: "+1 555 0100", Address: "1 Main Street");
        var due = new DateOnly(2026, 1, 15);
        var invoice = new Invoice(new InvoiceId("I1"), customer.Id, "1001", due.AddDays(-30), due, new Money(2_400m, "USD"), Money.Zero("USD"));
        state = CaseState.Open(invoice, customer, DefaultPolicy.Value, JurisdictionCatalog.Default.For(customer.Jurisdiction), new DateTimeOffset(2026, 1, 12, 0, 0, 0, TimeSpan.Zero));
        // Run the case to the letter step (about day 21) on the core's interpreter, the way a host would.
        var run = new CaseRun(state, state.OpenedAt, "bench/evidence");
        while (run.Now < new DateTimeOffset(2026, 2, 6, 0, 0, 0, TimeSpan.Zero))
        {
            switch (run.Step().Step.Next)
            {
                case Decision.Perform { Action: CaseAction.Contact }:
                    break;
                case Decision.Wait { Until: { } until }:
                    run.AdvanceTo(until);
                    break;
                default:
                    throw new InvalidOperationException("The benchmark case ended early.");
            }
        }

        (state, now) = (run.State, run.Now);
        json = DunningJson.Serialize(state);
    }

    [Benchmark]
    public Decision Decide() => CaseDecider.Decide(state, now);

    [Benchmark]
    public CaseState Evolve() => CaseDecider.Evolve(state, new CaseEvent.PaymentReceived(now, new Money(100m, "USD"), "bench", "stripe"));

    [Benchmark]
    public string SerializeState() => DunningJson.Serialize(state);

    [Benchmark]
    public CaseState DeserializeState() => DunningJson.Deserialize<CaseState>(json);
}
