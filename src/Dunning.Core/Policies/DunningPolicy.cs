using Dunning.Common;
using Dunning.Customers;

namespace Dunning.Policies;

public enum Tone
{
    Friendly,
    Firm,
    Final,
}

/// <summary>
/// One rung of the escalation ladder. <see cref="DayOffset"/> counts from the due date; a negative
/// offset is a courtesy nudge before the invoice falls due.
/// </summary>
public sealed record LadderStep(
    string Id,
    int DayOffset,
    Channel Channel,
    Tone Tone,
    ContactRole Role,
    string Template,
    int? DeadlineDays = null);

/// <summary>When the business may contact a customer, in the customer's own time zone.</summary>
public sealed record ContactWindow(TimeOnly Start, TimeOnly End, bool AllowWeekends = false)
{
    /// <summary>No contact on a public holiday of the customer's country or region (on by default).</summary>
    public bool SkipPublicHolidays { get; init; } = true;
}

/// <summary>At most <see cref="MaxContacts"/> contacts in any rolling <see cref="Days"/> days.</summary>
public sealed record FrequencyCap(int MaxContacts, int Days = 7);

public sealed record PlanRules(
    int MaxInstallments,
    decimal MinimumInstallment,
    int GraceDays,
    int MissesAllowed,
    int MaxDaysBetweenInstallments,
    decimal AnnualInterestPercent = 0m);

/// <summary>
/// Late charges. Contractual ones apply only if the business's terms provide them; statutory B2B
/// interest and fixed compensation only where the customer's jurisdiction grants them. Every charge
/// is its own line, applied once for its period, never compounded.
/// </summary>
public sealed record LateChargeRules(
    decimal ContractualFee = 0m,
    decimal ContractualAnnualInterestPercent = 0m,
    bool ClaimStatutory = false,
    string? ApplyAtStep = null);

public enum Plaintiff
{
    /// <summary>A company, LLC or partnership: lower small-claims limits in some states (CA, WA).</summary>
    Entity,

    /// <summary>A sole trader suing in their own name.</summary>
    NaturalPerson,
}

public sealed record ResolutionRules(
    decimal MinimumToPursue,
    decimal AgencyCommissionPercent,
    Plaintiff Plaintiff = Plaintiff.Entity,
    bool PreferAgency = false)
{
    /// <summary>Per-currency minimums ("50 USD", "5000 JPY"); <see cref="MinimumToPursue"/> applies to the rest.</summary>
    public ValueList<Money> MinimumToPursueByCurrency { get; init; } = ValueList<Money>.Empty;

    public Money MinimumFor(string currency) =>
        MinimumToPursueByCurrency.FirstOrDefault(m => m.Currency == currency) is { Currency: not null } m
            ? m
            : new Money(MinimumToPursue, currency);
}

/// <summary>Who the messages come from and every way the customer can pay.</summary>
public sealed record BusinessProfile(
    string Name,
    string Email,
    string OwnerName,
    string? Phone = null,
    string? Address = null,
    string? PaymentLinkTemplate = null,
    string? BankTransfer = null,
    string? ChequePayableTo = null,
    string? ChequeAddress = null,
    string? OwnerNote = null)
{
    /// <summary>Where replies go, when not to <see cref="Email"/> (say a shared accounts mailbox).</summary>
    public string? ReplyTo { get; init; }

    /// <summary>The IETF tag of the language customers are written to when their own record names none (null: en).</summary>
    public string? Language { get; init; }

    /// <summary>
    /// How to pay in each currency: a customer paying in EUR must not be told a US routing number. The entry for the
    /// invoice's currency replaces the ways to pay above; a currency without an entry uses them.
    /// </summary>
    public ValueList<CurrencyPayment> PaymentsByCurrency { get; init; } = ValueList<CurrencyPayment>.Empty;

    /// <summary>The ways to pay an invoice in <paramref name="currency"/>.</summary>
    public CurrencyPayment PaymentFor(string currency) =>
        PaymentsByCurrency.FirstOrDefault(p => string.Equals(p.Currency, currency, StringComparison.OrdinalIgnoreCase))
        ?? new CurrencyPayment(currency, PaymentLinkTemplate, BankTransfer, ChequePayableTo, ChequeAddress);
}

/// <summary>
/// Every way to pay in one currency. <see cref="PaymentLinkTemplate"/> is a per-invoice URL (a Stripe Payment Link, an
/// invoice page) with <c>{invoiceNumber}</c>, <c>{invoiceId}</c>, <c>{amount}</c> and <c>{currency}</c> filled in.
/// </summary>
public sealed record CurrencyPayment(
    string Currency,
    string? PaymentLinkTemplate = null,
    string? BankTransfer = null,
    string? ChequePayableTo = null,
    string? ChequeAddress = null);

/// <summary>
/// A customer's own record chooses the ladder: one who paid <see cref="SlowAverageDaysLate"/> or more days late on
/// average gets <see cref="SlowLadder"/>, one who paid at most <see cref="PromptAverageDaysLate"/> days late gets
/// <see cref="PromptLadder"/>; everyone else, and anyone with fewer than <see cref="MinimumPaidCases"/> paid cases,
/// the policy's own ladder.
/// </summary>
public sealed record PaceRules(
    int MinimumPaidCases,
    int SlowAverageDaysLate,
    ValueList<LadderStep>? SlowLadder,
    int PromptAverageDaysLate,
    ValueList<LadderStep>? PromptLadder);

public sealed record DunningPolicy(
    int GraceDays,
    ContactWindow Window,
    FrequencyCap Cap,
    ValueList<LadderStep> Ladder,
    PlanRules Plans,
    LateChargeRules LateCharges,
    ResolutionRules Resolution,
    BusinessProfile Business)
{
    /// <summary>Optional: ladders chosen by the customer's payment history (see <see cref="CustomerPace"/>).</summary>
    public PaceRules? Pace { get; init; }

    /// <summary>
    /// One message per customer: a contact also lists the customer's other invoices whose own next contact on the same
    /// channel falls due within the cap's window (see <see cref="Customers.Consolidation"/>).
    /// </summary>
    public bool Consolidate { get; init; } = true;

    /// <summary>A dispute open on any of the customer's invoices holds contact about all of them.</summary>
    public bool HoldCustomerOnDispute { get; init; }

    /// <summary>
    /// The first day the daily scan opens a case: the earliest courtesy nudge of any ladder a case may run (the pace
    /// ladders too: which one applies is known only when the case opens), or the end of grace.
    /// </summary>
    public DateOnly CaseStartDate(DateOnly dueDate)
    {
        var steps = Ladder.Concat(Pace?.SlowLadder ?? ValueList<LadderStep>.Empty).Concat(Pace?.PromptLadder ?? ValueList<LadderStep>.Empty).ToList();
        var earliestNudge = steps.Count == 0 ? 0 : Math.Min(0, steps.Min(s => s.DayOffset));
        return dueDate.AddDays(Math.Min(earliestNudge, GraceDays));
    }
}
