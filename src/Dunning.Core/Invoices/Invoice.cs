using Dunning.Common;

namespace Dunning.Invoices;

public sealed record Invoice(
    InvoiceId Id,
    CustomerId CustomerId,
    string Number,
    DateOnly IssueDate,
    DateOnly DueDate,
    Money Amount,
    Money AmountPaid)
{
    public Money Outstanding => Amount - AmountPaid;

    /// <summary>The invoice after a payment (negative: a refund) the ledger records without a case.</summary>
    public Invoice WithPayment(Money amount) => this with { AmountPaid = AmountPaid + amount };

    public int DaysOverdue(DateOnly today) => Math.Max(0, today.DayNumber - DueDate.DayNumber);
}
