using BenchmarkDotNet.Attributes;
using Dunning.Cases;
using Dunning.Common;
using Dunning.Customers;
using Dunning.Evidence;
using Dunning.Invoices;
using Dunning.Jurisdictions;
using Dunning.Policies;
using Dunning.Printing;

namespace Dunning.Benchmarks;

/// <summary>
/// What the printed documents cost: the evidence bundle of a flagged case (which now renders the statement of
/// account as a PDF beside the text files), the statement PDF alone, and a posted letter whose invoice copy has 20
/// line items. Each runs once per flagged case or letter step, so these bound what printing adds to a runner round.
/// </summary>
[MemoryDiagnoser]
public class PrintingBenchmarks
{
    private CaseState flagged = null!;
    private Recommendation recommendation = null!;
    private CaseState atLetter = null!;
    private CaseAction.Contact letter = null!;
    private DateTimeOffset now;

    [GlobalSetup]
    public void Setup()
    {
        var customer = new Customer(
            new CustomerId("C1"), "Acme Ltd", CustomerKind.Business, Jurisdiction.Parse("GB-ENG"), "Europe/London",
            ValueList.Of(new Contact(ContactRole.Billing, "ap@acme.example"), new Contact(ContactRole.Owner, "owner@acme.example")),
            Phone: "+44 113 496 0000", Address: "12 High St, Leeds, LS1 4AB");
        var due = new DateOnly(2026, 1, 15);
        var lines = Enumerable.Range(1, 20).Select(i => new InvoiceLine($"Sourdough loaves, batch {i}", 40m, 3m)).ToValueList();
        var invoice = new Invoice(new InvoiceId("I1"), customer.Id, "1001", due.AddDays(-30), due, new Money(2_400m, "GBP"), Money.Zero("GBP")) { Lines = lines };
        var state = CaseState.Open(invoice, customer, DefaultPolicy.Value, JurisdictionCatalog.Default.For(customer.Jurisdiction), new DateTimeOffset(2026, 1, 12, 0, 0, 0, TimeSpan.Zero));
        now = state.OpenedAt;
        state = CaseDecider.Evolve(state, new CaseEvent.PaymentReceived(now.AddDays(10), new Money(400m, "GBP"), "BACS 42", "manual"));

        // Run the case the way a host would, keeping the letter step and the evidence step it reaches.
        while (true)
        {
            switch (CaseDecider.Decide(state, now))
            {
                case Decision.Perform { Action: CaseAction.Contact contact }:
                    if (contact.Channel == Channel.Letter && atLetter is null)
                    {
                        (atLetter, letter) = (state, contact);
                    }

                    state = CaseDecider.Evolve(state, contact.Done(now));
                    break;
                case Decision.Perform { Action: CaseAction.FileEvidence file }:
                    (flagged, recommendation) = (state, file.Recommendation);
                    if (atLetter is null)
                    {
                        throw new InvalidOperationException("The benchmark case sent no letter.");
                    }

                    return;
                case Decision.Apply apply:
                    state = CaseDecider.Evolve(state, apply.Event);
                    break;
                case Decision.Wait { Until: { } until }:
                    now = until;
                    break;
                default:
                    throw new InvalidOperationException("The benchmark case ended before it was flagged.");
            }
        }
    }

    [Benchmark]
    public EvidenceBundle EvidenceBundleWithPdfStatement() => EvidenceBundle.Build(flagged, recommendation, now);

    [Benchmark]
    public byte[] StatementPdf() => LetterPdf.Render(StatementOfAccount.Of(flagged, DateOnly.FromDateTime(now.DateTime)), Stationery.Din5008);

    [Benchmark]
    public byte[] LetterWithTwentyLineInvoiceCopy() => PostedLetters.Render(atLetter, letter, DateOnly.FromDateTime(now.DateTime));
}
