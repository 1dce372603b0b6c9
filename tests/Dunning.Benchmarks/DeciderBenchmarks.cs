using BenchmarkDotNet.Attributes;
using Dunning.Cases;
using Dunning.Common;
using Dunning.Customers;
using Dunning.Invoices;
using Dunning.Jurisdictions;
using Dunning.Policies;

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
        now = state.OpenedAt;

        // Run the case to the letter step (about day 21), the way a host would.
        while (now < new DateTimeOffset(2026, 2, 6, 0, 0, 0, TimeSpan.Zero))
        {
            switch (CaseDecider.Decide(state, now))
            {
                case Decision.Perform { Action: CaseAction.Contact contact }:
                    state = CaseDecider.Evolve(state, contact.Done(now));
                    break;
                case Decision.Apply apply:
                    state = CaseDecider.Evolve(state, apply.Event);
                    break;
                case Decision.Wait { Until: { } until }:
                    now = until;
                    break;
                default:
                    throw new InvalidOperationException("The benchmark case ended early.");
            }
        }

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
