using Dunning.Cases;
using Dunning.Charges;
using Dunning.Common;
using Dunning.Customers;
using Dunning.Invoices;
using Dunning.Jurisdictions;
using Dunning.Policies;

namespace Dunning.Tests.Resolution;

/// <summary>
/// Cases for the charge and resolution tests, built without the decider: the state a case would have
/// reached, with the shipped jurisdiction data unless the test supplies its own facts.
/// </summary>
public static class CaseBuilder
{
    public static readonly DateOnly DueDate = new(2026, 1, 1);

    public static readonly DateTimeOffset OpenedAt = new(2026, 1, 4, 9, 0, 0, TimeSpan.Zero);

    public static CaseState Case(
        string jurisdiction = "US-CA",
        decimal amount = 5_000m,
        string currency = "USD",
        CustomerKind kind = CustomerKind.Business,
        string? address = "1 Court Street, Springfield",
        DateOnly? dueDate = null,
        LateChargeRules? charges = null,
        ResolutionRules? resolution = null,
        JurisdictionFacts? facts = null)
    {
        var due = dueDate ?? DueDate;
        var customer = new Customer(
            new CustomerId("C-1"),
            "Slow Payer Ltd",
            kind,
            Jurisdiction.Parse(jurisdiction),
            "UTC",
            ValueList.Of(new Contact(ContactRole.Billing, "ap@slow.example")),
            Address: address);
        var invoice = new Invoice(
            new InvoiceId("INV-1"),
            customer.Id,
            "1001",
            due.AddDays(-30),
            due,
            new Money(amount, currency),
            Money.Zero(currency));
        var policy = DefaultPolicy.Value with
        {
            LateCharges = charges ?? new LateChargeRules(),
            Resolution = resolution ?? new ResolutionRules(MinimumToPursue: 100m, AgencyCommissionPercent: 25m),
        };
        return CaseState.Open(invoice, customer, policy, facts ?? JurisdictionCatalog.Default.For(customer.Jurisdiction), OpenedAt);
    }

    public static CaseState Paid(this CaseState state, decimal amount, DateOnly on, string reference = "pay-1") =>
        state with
        {
            PaidHere = state.PaidHere + new Money(amount, state.Currency),
            History = state.History.Add(new CaseEvent.PaymentReceived(At(on), new Money(amount, state.Currency), reference, "test")),
        };

    public static CaseState Done(this CaseState state, string stepId) =>
        state with { DoneSteps = state.DoneSteps.Add(stepId) };

    public static CaseState Charged(this CaseState state, IEnumerable<ChargeLine> charges) =>
        state with { Charges = state.Charges.AddRange(charges) };

    public static DateTimeOffset At(DateOnly day) => new(day.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero);
}
