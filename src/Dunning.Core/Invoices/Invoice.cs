using System.Text.Json.Serialization;
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
    /// <summary>
    /// What was billed, line by line, for the invoice copy sent by post; null when the import gave none (then the copy
    /// shows the invoice as one line). Left out of stored JSON when null, so invoices without lines keep their shape.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ValueList<InvoiceLine>? Lines { get; init; }

    public Money Outstanding => Amount - AmountPaid;

    public int DaysOverdue(DateOnly today) => Math.Max(0, today.DayNumber - DueDate.DayNumber);
}

/// <summary>One billed line: quantity times unit price, in the invoice's currency.</summary>
public sealed record InvoiceLine(string Description, decimal Quantity, decimal UnitPrice)
{
    [JsonIgnore]
    public decimal Total => Quantity * UnitPrice;
}
