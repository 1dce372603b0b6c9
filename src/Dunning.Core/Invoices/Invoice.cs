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

    public int DaysOverdue(DateOnly today) => Math.Max(0, today.DayNumber - DueDate.DayNumber);
}
