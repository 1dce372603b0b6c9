using Dunning.Cases;
using Dunning.Common;
using Dunning.Customers;
using Dunning.Invoices;
using Dunning.Jurisdictions;
using Dunning.Plans;
using Dunning.Policies;

namespace Dunning.Tests.Cases;

/// <summary>
/// Cases for the decider tests. The default: a USD 1,000 invoice due Thursday 2026-01-15 to a business
/// in UTC with a billing, a manager and an owner contact, an address and a phone, under the default
/// policy, opened the day after the due date (so the courtesy nudge is skipped: pass openedAt to see it).
/// </summary>
public static class Given
{
    public static readonly DateOnly DueDate = new(2026, 1, 15);

    public const string Billing = "billing@acme.example";

    public const string Manager = "manager@acme.example";

    public const string Owner = "owner@acme.example";

    public const string Address = "1 Court Street, Springfield";

    public const string Phone = "+1 555 0199";

    public static readonly ContactRole[] AllRoles = [ContactRole.Billing, ContactRole.Manager, ContactRole.Owner];

    public static CaseState Case(
        decimal amount = 1_000m,
        string currency = "USD",
        string zone = "UTC",
        string jurisdiction = "US-CA",
        CustomerKind kind = CustomerKind.Business,
        ContactRole[]? roles = null,
        string? address = Address,
        string? phone = Phone,
        DateOnly? dueDate = null,
        DateTimeOffset? openedAt = null,
        DunningPolicy? policy = null,
        JurisdictionFacts? facts = null,
        decimal paidBefore = 0m,
        ValueList<Channel>? optedOut = null,
        bool holidays = false)
    {
        // The ladder's dates here (January and February 2026 in the US) cross Martin Luther King Jr. Day and Presidents'
        // Day: public holidays are tested on their own (holidays: true), the other rules on a calendar without them.
        var rules = policy ?? DefaultPolicy.Value;
        rules = rules with { Window = rules.Window with { SkipPublicHolidays = holidays } };
        var due = dueDate ?? DueDate;
        var contacts = (roles ?? AllRoles).Select(r => new Contact(r, Email(r), r + " Person")).ToValueList();
        var customer = new Customer(new CustomerId("C-1"), "Acme Ltd", kind, Jurisdiction.Parse(jurisdiction), zone, contacts, phone, address)
        {
            OptedOut = optedOut ?? ValueList<Channel>.Empty,
        };
        var invoice = new Invoice(
            new InvoiceId("INV-1"),
            customer.Id,
            "1001",
            due.AddDays(-30),
            due,
            new Money(amount, currency),
            new Money(paidBefore, currency));
        var opened = openedAt ?? new DateTimeOffset(due.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        return CaseState.Open(invoice, customer, rules, facts ?? JurisdictionCatalog.Default.For(customer.Jurisdiction), opened);
    }

    public static string Email(ContactRole role) => role switch
    {
        ContactRole.Billing => Billing,
        ContactRole.Manager => Manager,
        ContactRole.Owner => Owner,
    };

    /// <summary>Midnight UTC of <paramref name="date"/>.</summary>
    public static DateTimeOffset Day(DateOnly date, int hour = 0, int minute = 0) =>
        new(date.ToDateTime(new TimeOnly(hour, minute)), TimeSpan.Zero);

    /// <summary>Midnight UTC, <paramref name="days"/> after the default due date.</summary>
    public static DateTimeOffset DueDay(int days, int hour = 0) => Day(DueDate.AddDays(days), hour);

    public static Money Usd(decimal amount) => new(amount, "USD");

    public static PaymentPlan Plan(params (DateOnly Due, decimal Amount)[] installments) =>
        new(installments.Select((i, n) => new Installment(n + 1, i.Due, Usd(i.Amount))).ToValueList());

    public static PaymentPlan Promise(DateOnly due, decimal amount) =>
        new(ValueList.Of(new Installment(1, due, Usd(amount))), IsPromise: true);

    /// <summary>A policy with only the given ladder, every other rule as the default.</summary>
    public static DunningPolicy Ladder(params LadderStep[] steps) => DefaultPolicy.Value with { Ladder = steps.ToValueList() };

    /// <summary>The default policy with weekends allowed and no cap worth mentioning, to test one rule at a time.</summary>
    public static DunningPolicy Relaxed(DunningPolicy? policy = null) => (policy ?? DefaultPolicy.Value) with
    {
        Window = new ContactWindow(new TimeOnly(8, 0), new TimeOnly(20, 0), AllowWeekends: true),
        Cap = new FrequencyCap(100, 7),
    };
}
