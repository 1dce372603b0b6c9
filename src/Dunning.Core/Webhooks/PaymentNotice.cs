using Dunning.Common;

namespace Dunning.Webhooks;

public enum PaymentNoticeKind
{
    Payment,
    Refund,
}

/// <summary>
/// A verified payment or refund reported by a provider. <see cref="Amount"/> is always positive;
/// <see cref="Kind"/> says which way the money went.
/// </summary>
/// <param name="Provider">"stripe" or "generic": with <paramref name="EventId"/>, the key deliveries are deduplicated by.</param>
/// <param name="EventId">The provider's id for this delivery's event; the same event delivered again has the same id.</param>
/// <param name="InvoiceId">The invoice the provider named, when it named a valid invoice id.</param>
/// <param name="RawInvoiceId">
/// The invoice id exactly as the provider sent it (trimmed), or null when it sent none. When it is set and
/// <paramref name="InvoiceId"/> is null, the provider named something that is not a valid invoice id.
/// </param>
/// <param name="Amount">How much moved, always positive, in the currency the provider reported.</param>
/// <param name="PaidAt">When the money moved, as the provider reports it.</param>
/// <param name="Reference">The provider's own reference for the money (payment intent, invoice or charge id, bank reference).</param>
/// <param name="Kind">A payment towards the invoice, or a refund of one.</param>
/// <param name="PaymentId">
/// The provider's id for the money, when it names one: with <see cref="PaymentProvider"/>, what identifies the payment
/// (see <see cref="Key"/>). Null when the event itself is the only identity the money has.
/// </param>
/// <param name="PaymentProvider">Whose id <paramref name="PaymentId"/> is: the provider itself, or the one a generic event mirrors.</param>
/// <param name="RefundedToDate">For a refund reported as a running total on a payment (Stripe's <c>amount_refunded</c>): that total.</param>
public sealed record PaymentNotice(
    string Provider,
    string EventId,
    InvoiceId? InvoiceId,
    string? RawInvoiceId,
    Money Amount,
    DateTimeOffset PaidAt,
    string Reference,
    PaymentNoticeKind Kind,
    string? PaymentId = null,
    string? PaymentProvider = null,
    Money? RefundedToDate = null)
{
    /// <summary>
    /// What identifies the money, and so what counts once: <c>provider/payment id</c> when the provider names its payment
    /// (a Stripe payment intent, invoice or charge id; provider ids are unique per provider), otherwise
    /// <c>provider/event id</c>. Never the free-text <see cref="Reference"/>: bank feeds reuse the invoice number
    /// there for every payment. A generic event that mirrors a Stripe payment names it (<c>stripePaymentId</c>) and
    /// so shares Stripe's key: the payment counts once whichever webhook reports it first.
    /// </summary>
    public string Key => PaymentId is { } id ? $"{PaymentProvider ?? Provider}/{id}" : $"{Provider}/{EventId}";
}
