using System.Globalization;
using System.Text.Json;
using Dunning.Common;

namespace Dunning.Invoices;

/// <summary>
/// An invoice's stored JSON written straight to UTF-8: byte for byte what <see cref="DunningJson.Serialize{T}"/> writes
/// for it (InvoiceJsonTests compares the two and lists the properties, so a new one fails there first), without the
/// serializer's per-property machinery, which was a tenth of a million-invoice import.
/// </summary>
public static class InvoiceJson
{
    /// <summary>The writer settings <see cref="DunningJson.Options"/> gives the serializer.</summary>
    public static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = DunningJson.Options.Encoder,
        Indented = false,
        SkipValidation = true,
    };

    private static readonly JsonEncodedText Id = JsonEncodedText.Encode("id");
    private static readonly JsonEncodedText CustomerId = JsonEncodedText.Encode("customerId");
    private static readonly JsonEncodedText Number = JsonEncodedText.Encode("number");
    private static readonly JsonEncodedText IssueDate = JsonEncodedText.Encode("issueDate");
    private static readonly JsonEncodedText DueDate = JsonEncodedText.Encode("dueDate");
    private static readonly JsonEncodedText Amount = JsonEncodedText.Encode("amount");
    private static readonly JsonEncodedText AmountPaid = JsonEncodedText.Encode("amountPaid");
    private static readonly JsonEncodedText Lines = JsonEncodedText.Encode("lines");
    private static readonly JsonEncodedText Outstanding = JsonEncodedText.Encode("outstanding");
    private static readonly JsonEncodedText Currency = JsonEncodedText.Encode("currency");
    private static readonly JsonEncodedText Description = JsonEncodedText.Encode("description");
    private static readonly JsonEncodedText Quantity = JsonEncodedText.Encode("quantity");
    private static readonly JsonEncodedText UnitPrice = JsonEncodedText.Encode("unitPrice");

    public static void Write(Utf8JsonWriter writer, Invoice invoice)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(invoice);
        writer.WriteStartObject();
        writer.WriteString(Id, invoice.Id.Value);
        writer.WriteString(CustomerId, invoice.CustomerId.Value);
        writer.WriteString(Number, invoice.Number);
        WriteDate(writer, IssueDate, invoice.IssueDate);
        WriteDate(writer, DueDate, invoice.DueDate);
        WriteMoney(writer, Amount, invoice.Amount);
        WriteMoney(writer, AmountPaid, invoice.AmountPaid);
        if (invoice.Lines is { } lines)
        {
            writer.WriteStartArray(Lines);
            foreach (var line in lines)
            {
                writer.WriteStartObject();
                writer.WriteString(Description, line.Description);
                writer.WriteNumber(Quantity, line.Quantity);
                writer.WriteNumber(UnitPrice, line.UnitPrice);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        WriteMoney(writer, Outstanding, invoice.Outstanding);
        writer.WriteEndObject();
    }

    private static void WriteDate(Utf8JsonWriter writer, JsonEncodedText name, DateOnly date)
    {
        Span<char> text = stackalloc char[10];
        date.TryFormat(text, out var written, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        writer.WriteString(name, text[..written]);
    }

    private static void WriteMoney(Utf8JsonWriter writer, JsonEncodedText name, Money money)
    {
        writer.WriteStartObject(name);
        writer.WriteNumber(Amount, money.Amount);
        writer.WriteString(Currency, money.Currency);
        writer.WriteEndObject();
    }
}
