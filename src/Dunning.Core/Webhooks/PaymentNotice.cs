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
public sealed record PaymentNotice(
    string Provider,
    string EventId,
    InvoiceId? InvoiceId,
    string? RawInvoiceId,
    Money Amount,
    DateTimeOffset PaidAt,
    string Reference,
    PaymentNoticeKind Kind);
