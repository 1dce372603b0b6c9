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
        Span<byte> text = stackalloc byte[10];
        writer.WriteString(name, IsoDate(date, text));
    }

    /// <summary>
    /// <paramref name="date"/> as <c>yyyy-MM-dd</c> in ASCII, written by hand: the framework's custom-format path was a
    /// twentieth of an import, for the three dates of every invoice.
    /// </summary>
    public static ReadOnlySpan<byte> IsoDate(DateOnly date, Span<byte> text)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(text.Length, 10);
        var (year, month, day) = date;
        text[0] = (byte)('0' + (year / 1000));
        text[1] = (byte)('0' + (year / 100 % 10));
        text[2] = (byte)('0' + (year / 10 % 10));
        text[3] = (byte)('0' + (year % 10));
        text[4] = (byte)'-';
        text[5] = (byte)('0' + (month / 10));
        text[6] = (byte)('0' + (month % 10));
        text[7] = (byte)'-';
        text[8] = (byte)('0' + (day / 10));
        text[9] = (byte)('0' + (day % 10));
        return text[..10];
    }

    private static void WriteMoney(Utf8JsonWriter writer, JsonEncodedText name, Money money)
    {
        writer.WriteStartObject(name);
        writer.WriteNumber(Amount, money.Amount);
        writer.WriteString(Currency, money.Currency);
        writer.WriteEndObject();
    }
}
