using System.Text.Json.Serialization;
using Dunning.Charges;
using Dunning.Common;
using Dunning.Customers;
using Dunning.Invoices;
using Dunning.Jurisdictions;
using Dunning.Plans;
using Dunning.Policies;

namespace Dunning.Cases;

public sealed record ActivePlan(
    PaymentPlan Plan,
    DateTimeOffset AgreedAt,
    Money PaidBeforePlan)
{
    public ValueList<int> Missed { get; init; } = ValueList<int>.Empty;

    public ValueList<int> Reminded { get; init; } = ValueList<int>.Empty;
}

public sealed record OpenDispute(string Reason, DateTimeOffset OpenedAt);

public sealed record StaffPause(string Reason, DateTimeOffset At, DateTimeOffset? Until);

/// <summary>
/// Everything a case knows. The policy and the jurisdiction's facts are snapshotted when the case
/// opens: a case runs under the terms it started with, and a durable replay always sees the same rules.
/// </summary>
public sealed record CaseState(
    Invoice Invoice,
    Customer Customer,
    DunningPolicy Policy,
    JurisdictionFacts Facts,
    DateTimeOffset OpenedAt)
{
    [JsonIgnore]
    public InvoiceId InvoiceId => Invoice.Id;

    /// <summary>The invoice's amount_paid when the case opened; payments before the case are the ledger's business.</summary>
    public Money PaidAtOpen { get; init; } = Invoice.AmountPaid;

    /// <summary>Payments recorded by this system (webhooks, staff), net of refunds.</summary>
    public Money PaidHere { get; init; } = Money.Zero(Invoice.Amount.Currency);

    /// <summary>
    /// Refunds recorded by this system. Zero in cases stored before it was kept apart, whose refunds are only in
    /// <see cref="PaidHere"/>. Never more than <see cref="Received"/>: a refund gives back money that was paid.
    /// </summary>
    public Money Refunded { get; init; } = Money.Zero(Invoice.Amount.Currency);

    public Money Credited { get; init; } = Money.Zero(Invoice.Amount.Currency);

    public ValueList<ChargeLine> Charges { get; init; } = ValueList<ChargeLine>.Empty;

    /// <summary>Ladder steps performed or skipped: each rung happens at most once.</summary>
    public ValueList<string> DoneSteps { get; init; } = ValueList<string>.Empty;

    public ValueList<CaseEvent> History { get; init; } = ValueList<CaseEvent>.Empty;

    public ActivePlan? Plan { get; init; }

    public OpenDispute? Dispute { get; init; }

    public StaffPause? Pause { get; init; }

    public bool Ceased { get; init; }

    public ValueList<Channel> CeasedChannels { get; init; } = ValueList<Channel>.Empty;

    /// <summary>Email addresses that bounced for good: contacts go to the next role or channel instead.</summary>
    public ValueList<string> BouncedAddresses { get; init; } = ValueList<string>.Empty;

    /// <summary>When escalation stopped for a plan, dispute or pause; the ladder shifts by the time it was halted.</summary>
    public DateTimeOffset? HaltedSince { get; init; }

    public TimeSpan LadderShift { get; init; }

    public DateTimeOffset? PreActionLetterAt { get; init; }

    public Outcome? Outcome { get; init; }

    /// <summary>The customer's contact ledger deferred this case's contact until then (<see cref="CaseEvent.ContactDeferred"/>).</summary>
    public DateTimeOffset? ContactHeldUntil { get; init; }

    [JsonIgnore]
    public string Currency => Invoice.Amount.Currency;

    /// <summary>
    /// Every payment received, before refunds: the larger of the ledger's amount_paid and the amount paid when the
    /// case opened plus the payments recorded here since, because the ledger may already count those.
    /// </summary>
    [JsonIgnore]
    public Money Received => Invoice.AmountPaid.Max(PaidAtOpen + PaidHere + Refunded);

    /// <summary>What was paid and kept: payments received less refunds (including refunds of money paid before the case opened).</summary>
    [JsonIgnore]
    public Money TotalPaid => Received - Refunded;

    [JsonIgnore]
    public Money ChargesTotal => Charges.Aggregate(Money.Zero(Currency), (sum, c) => sum + c.Amount);

    /// <summary>Principal still owed. Payments go to principal first, then to charges.</summary>
    [JsonIgnore]
    public Money PrincipalBalance => (Invoice.Amount - Credited - TotalPaid).Max(Money.Zero(Currency));

    /// <summary>Principal plus charges, less everything paid and credited; negative when overpaid.</summary>
    [JsonIgnore]
    public Money Balance => Invoice.Amount + ChargesTotal - Credited - TotalPaid;

    /// <summary>Principal still owed when the case opened: what collection set out to recover.</summary>
    [JsonIgnore]
    public Money OwedAtOpen => (Invoice.Amount - PaidAtOpen).Max(Money.Zero(Currency));

    /// <summary>Everything paid since the case opened, here or in the ledger, net of refunds.</summary>
    [JsonIgnore]
    public Money Recovered => (TotalPaid - PaidAtOpen).Max(Money.Zero(Currency));

    /// <summary>
    /// When the money that cleared a paid or settled case came in: the last payment (or ledger update) at or before
    /// it closed — not the close itself, since a payment recorded by hand may be dated days earlier. A case paid,
    /// then re-opened by a refund, is not paid; paid again, it counts from the payment that cleared it again.
    /// </summary>
    [JsonIgnore]
    public DateTimeOffset? PaidInFullAt =>
        Outcome is { Kind: OutcomeKind.Paid or OutcomeKind.Settled } outcome
            ? History.LastOrDefault(e => e is CaseEvent.PaymentReceived or CaseEvent.InvoiceUpdated && e.At <= outcome.At)?.At ?? outcome.At
            : null;

    /// <summary>Days from the due date to <see cref="PaidInFullAt"/>, in the customer's own days; null while unpaid.</summary>
    [JsonIgnore]
    public int? DaysToPay => PaidInFullAt is { } paid ? CaseClock.LocalDate(this, paid).DayNumber - Invoice.DueDate.DayNumber : null;

    /// <summary>What is still owed, never below zero: an overpayment is a credit, not a negative debt.</summary>
    [JsonIgnore]
    public Money StillOwed => Balance.Max(Money.Zero(Currency));

    [JsonIgnore]
    public Money Overpaid => (-Balance).Max(Money.Zero(Currency));

    [JsonIgnore]
    public bool IsHalted => Plan is not null || Dispute is not null || Pause is not null;

    [JsonIgnore]
    public IEnumerable<CaseEvent.ContactMade> Contacts => History
        .Select(e => e switch
        {
            CaseEvent.ContactMade made => made,
            CaseEvent.ContactCovered covered => covered.AsContact(),
            _ => null,
        })
        .OfType<CaseEvent.ContactMade>();

    public bool IsChannelOpen(Channel channel) =>
        !Ceased && !CeasedChannels.Contains(channel) && !Customer.OptedOut.Contains(channel);

    [JsonIgnore]
    public bool AnyChannelOpen => Array.Exists(AllChannels, IsChannelOpen);

    private static readonly Channel[] AllChannels = Enum.GetValues<Channel>();

    public static CaseState Open(Invoice invoice, Customer customer, DunningPolicy policy, JurisdictionFacts facts, DateTimeOffset at) =>
        new(invoice, customer, policy, facts, at);
}
