using System.Globalization;
using Dunning.Common;

namespace Dunning.Invoices;

/// <summary>
/// A payment or refund for an invoice with no case, as the ledger records it. The ledger keeps <see cref="StoredKey"/>
/// for every one it applied, so a delivery retried after a crash, or the same payment reported through another
/// route, changes nothing the second time.
/// </summary>
/// <param name="Key">What identifies the money: <c>provider/payment id</c>, or <c>provider/event id</c> when the provider names no payment.</param>
/// <param name="Amount">Always positive.</param>
/// <param name="IsRefund">Money given back rather than paid.</param>
/// <param name="RefundedToDate">
/// For a refund reported as the provider's running total on the payment <paramref name="Key"/> names (Stripe's
/// <c>amount_refunded</c>): that total. The refund is what it adds to the largest total already applied.
/// </param>
public sealed record LedgerPayment(string Key, Money Amount, bool IsRefund, Money? RefundedToDate = null)
{
    /// <summary>The key the ledger stores: a running total is stored with its figure, so the next total adds only its difference.</summary>
    public string StoredKey => RunningTotalPrefix is { } prefix
        ? prefix + RefundedToDate!.Value.ToMinorUnits().ToString(CultureInfo.InvariantCulture)
        : (IsRefund ? "refund:" : string.Empty) + Key;

    /// <summary>For a running total, the prefix of the keys stored for earlier totals on the same payment; otherwise null.</summary>
    public string? RunningTotalPrefix => IsRefund && RefundedToDate is not null ? $"refund:{Key}#" : null;

    /// <summary>
    /// The invoice once this is applied, given the keys stored earlier under <see cref="RunningTotalPrefix"/>.
    /// A refund never takes amount_paid below zero: it gives back money that was paid.
    /// </summary>
    public Invoice ApplyTo(Invoice invoice, IEnumerable<string> earlierTotals)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        ArgumentNullException.ThrowIfNull(earlierTotals);
        if (!IsRefund)
        {
            return invoice with { AmountPaid = invoice.AmountPaid + Amount };
        }

        var zero = Money.Zero(invoice.Amount.Currency);
        var asked = Amount;
        if (RunningTotalPrefix is { } prefix && RefundedToDate is { } total)
        {
            var before = earlierTotals
                .Where(k => k.StartsWith(prefix, StringComparison.Ordinal) && k != StoredKey)
                .Select(k => long.TryParse(k.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var minor) ? minor : 0L)
                .DefaultIfEmpty(0L)
                .Max();
            asked = total - Money.FromMinorUnits(before, total.Currency);
        }

        var refund = asked.Min(invoice.AmountPaid).Max(zero);
        return invoice with { AmountPaid = invoice.AmountPaid - refund };
    }
}
