using System.Text.Json.Serialization;
using Dunning.Charges;
using Dunning.Common;
using Dunning.Customers;
using Dunning.Invoices;
using Dunning.Plans;

namespace Dunning.Cases;

public enum ContactPurpose
{
    /// <summary>A rung of the escalation ladder.</summary>
    Ladder,

    /// <summary>A reminder that a plan installment or promised payment was missed.</summary>
    MissedInstallment,

    /// <summary>The letter a jurisdiction requires before a claim is filed.</summary>
    PreActionLetter,
}

public enum DisputeOutcome
{
    /// <summary>The customer was right: a credit is given and the case may close.</summary>
    Upheld,

    /// <summary>The claim stands: escalation resumes where it paused.</summary>
    Rejected,
}

/// <summary>How a phone call of a call task went, as the person who made it records it.</summary>
public enum CallOutcome
{
    /// <summary>Spoke to the customer; nothing more agreed.</summary>
    Reached,

    /// <summary>The customer promised to pay on a date (recorded as a promise to pay).</summary>
    Promise,

    /// <summary>The customer disputes the invoice (recorded as a dispute: contact pauses).</summary>
    Dispute,

    /// <summary>No one answered, or a message was left.</summary>
    NoAnswer,
}

/// <summary>
/// Everything that can happen to a case. Stored and sent between hosts as JSON with a "$type"
/// discriminator: renaming a case or a property breaks cases in flight (see the snapshot tests).
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "$type")]
[JsonDerivedType(typeof(ContactMade), "contact-made")]
[JsonDerivedType(typeof(StepSkipped), "step-skipped")]
[JsonDerivedType(typeof(ChargeApplied), "charge-applied")]
[JsonDerivedType(typeof(PaymentReceived), "payment-received")]
[JsonDerivedType(typeof(PaymentRefunded), "payment-refunded")]
[JsonDerivedType(typeof(PlanAgreed), "plan-agreed")]
[JsonDerivedType(typeof(InstallmentMissed), "installment-missed")]
[JsonDerivedType(typeof(PlanBroken), "plan-broken")]
[JsonDerivedType(typeof(DisputeOpened), "dispute-opened")]
[JsonDerivedType(typeof(DisputeResolved), "dispute-resolved")]
[JsonDerivedType(typeof(CeaseRequested), "cease-requested")]
[JsonDerivedType(typeof(Paused), "paused")]
[JsonDerivedType(typeof(Resumed), "resumed")]
[JsonDerivedType(typeof(InvoiceVoided), "invoice-voided")]
[JsonDerivedType(typeof(CreditIssued), "credit-issued")]
[JsonDerivedType(typeof(InvoiceUpdated), "invoice-updated")]
[JsonDerivedType(typeof(CaseFlagged), "case-flagged")]
[JsonDerivedType(typeof(CaseClosed), "case-closed")]
[JsonDerivedType(typeof(CustomerContacted), "customer-contacted")]
[JsonDerivedType(typeof(ContactDeferred), "contact-deferred")]
[JsonDerivedType(typeof(ContactCovered), "contact-covered")]
[JsonDerivedType(typeof(ContactBounced), "contact-bounced")]
[JsonDerivedType(typeof(CallLogged), "call-logged")]
public abstract record CaseEvent
{
    private CaseEvent()
    {
    }

    public abstract DateTimeOffset At { get; init; }

    /// <summary>A message went out (email sent, letter rendered for posting, call task created for a person).</summary>
    public sealed record ContactMade(
        DateTimeOffset At,
        string Key,
        ContactPurpose Purpose,
        string StepId,
        Channel Channel,
        ContactRole Role,
        string Recipient,
        string Template,
        string Subject) : CaseEvent;

    /// <summary>A step that will not be performed, and why (no contact for it, channel opted out, no longer relevant).</summary>
    public sealed record StepSkipped(DateTimeOffset At, string StepId, string Reason) : CaseEvent;

    public sealed record ChargeApplied(DateTimeOffset At, ChargeLine Charge) : CaseEvent;

    /// <summary>Money received towards the invoice.</summary>
    /// <param name="At">When the money moved.</param>
    /// <param name="Amount">How much, always positive.</param>
    /// <param name="Source">Who reported it: a provider ("stripe", "generic"), "manual" for staff, "simulated".</param>
    /// <param name="Reference">Free text for people (bank reference, cheque number): it never identifies the payment.</param>
    /// <param name="Key">
    /// What identifies the payment: <c>provider/payment id</c> or <c>provider/event id</c> (see <see cref="Webhooks.PaymentNotice.Key"/>). The same key counts once.
    /// Null in events stored before keys existed, which are identified by <c>Source/Reference</c>.
    /// </param>
    public sealed record PaymentReceived(DateTimeOffset At, Money Amount, string Reference, string Source, string? Key = null) : CaseEvent
    {
        [JsonIgnore]
        public string Identity => Key ?? $"{Source}/{Reference}";
    }

    /// <summary>Money given back (a refund or chargeback): the balance grows again and a closed case re-opens.</summary>
    /// <param name="At">When the money was given back.</param>
    /// <param name="Amount">How much, always positive.</param>
    /// <param name="Reference">Free text for people: the refunded payment or charge as the provider names it.</param>
    /// <param name="Key">
    /// What identifies the refund (a refund id), or with <paramref name="RefundedToDate"/> the payment it gives money back on.
    /// Null in events stored before keys existed, which are identified by <paramref name="Reference"/>.
    /// </param>
    /// <param name="RefundedToDate">
    /// The provider's running total refunded on the payment <paramref name="Key"/> names (Stripe's <c>amount_refunded</c>):
    /// the refund is what this adds to the refunds already recorded for that key. <paramref name="Amount"/> is then
    /// what the case applied (in a signal not yet applied, the provider's own figure for this refund).
    /// </param>
    public sealed record PaymentRefunded(DateTimeOffset At, Money Amount, string Reference, string? Key = null, Money? RefundedToDate = null) : CaseEvent
    {
        [JsonIgnore]
        public string Identity => Key ?? Reference;
    }

    public sealed record PlanAgreed(DateTimeOffset At, PaymentPlan Plan) : CaseEvent;

    public sealed record InstallmentMissed(DateTimeOffset At, int Number) : CaseEvent;

    public sealed record PlanBroken(DateTimeOffset At, string Reason) : CaseEvent;

    public sealed record DisputeOpened(DateTimeOffset At, string Reason) : CaseEvent;

    public sealed record DisputeResolved(DateTimeOffset At, DisputeOutcome Outcome, Money? Credit = null, string? Note = null) : CaseEvent;

    /// <summary>The customer asked not to be contacted, on one channel or (null) on any.</summary>
    public sealed record CeaseRequested(DateTimeOffset At, Channel? Channel = null, string? Note = null) : CaseEvent;

    public sealed record Paused(DateTimeOffset At, string Reason, DateTimeOffset? Until = null) : CaseEvent;

    public sealed record Resumed(DateTimeOffset At) : CaseEvent;

    public sealed record InvoiceVoided(DateTimeOffset At, string Reason) : CaseEvent;

    public sealed record CreditIssued(DateTimeOffset At, Money Amount, string Reference) : CaseEvent;

    /// <summary>The ledger changed the invoice (re-import). Its amount_paid and payments recorded here overlap: the larger wins.</summary>
    public sealed record InvoiceUpdated(DateTimeOffset At, Invoice Invoice) : CaseEvent;

    /// <summary>The case ended with a recommendation for a person to act on, and its evidence bundle is filed.</summary>
    public sealed record CaseFlagged(DateTimeOffset At, Recommendation Recommendation, string EvidenceLocation) : CaseEvent;

    public sealed record CaseClosed(DateTimeOffset At, OutcomeKind Outcome, string Reason) : CaseEvent;

    /// <summary>
    /// The customer's contact ledger did not let this contact go out now (the customer's cap across all invoices was
    /// full, a quiet day, a dispute on another invoice): no contact before <see cref="Until"/>.
    /// </summary>
    public sealed record ContactDeferred(DateTimeOffset At, string Key, DateTimeOffset Until, string Reason) : CaseEvent;

    /// <summary>
    /// This step went out earlier in another case's consolidated message (<see cref="MessageId"/>, sent at
    /// <see cref="SentAt"/>): the step is done and nothing more is sent for it.
    /// </summary>
    public sealed record ContactCovered(
        DateTimeOffset At,
        string Key,
        ContactPurpose Purpose,
        string StepId,
        Channel Channel,
        ContactRole Role,
        string Recipient,
        string Template,
        string MessageId,
        DateTimeOffset SentAt) : CaseEvent
    {
        /// <summary>The contact this case had through the consolidated message, as of when it was sent.</summary>
        public ContactMade AsContact() => new(SentAt, Key, Purpose, StepId, Channel, Role, Recipient, Template, $"statement {MessageId}");
    }

    /// <summary>
    /// Kept so that stored cases still load: before the customer's contact ledger, another case of the same customer
    /// told this one about its contact (<see cref="Key"/> is that contact's idempotency key). It still counts towards
    /// this case's cap; nothing sends it any more.
    /// </summary>
    public sealed record CustomerContacted(DateTimeOffset At, string Key, Channel Channel) : CaseEvent;

    /// <summary>
    /// The message of contact <see cref="Key"/> (the case's action key) could not be delivered to <see cref="Address"/>
    /// and never will be (no such mailbox, a refused address). That address is not used again; the ladder step it
    /// carried goes again to the next contact role, or by post when no email address is left.
    /// </summary>
    public sealed record ContactBounced(DateTimeOffset At, string Key, string Address, string Reason) : CaseEvent;

    /// <summary>
    /// A person made the phone call of call task <see cref="Key"/> (the task's idempotency key) and recorded how it
    /// went. A promise or a dispute the call brought is sent to the case as its own signal; this one is the record.
    /// </summary>
    public sealed record CallLogged(DateTimeOffset At, string Key, CallOutcome Outcome, string? Note = null) : CaseEvent;
}
