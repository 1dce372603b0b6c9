using System.Buffers;
using System.Text;
using System.Text.Json;
using Dunning.Common;
using Dunning.Invoices;

namespace Dunning.Tests.Import;

/// <summary>The import writes an invoice's stored JSON by hand: it must be the serializer's, byte for byte.</summary>
public class InvoiceJsonTests
{
    private static readonly string[] Texts = ["N-1", "Ünïcödé €", "quote \" and \\ backslash", "tab\tand\nnewline", "<script>&'", "😀 emoji", "\u0001control", ""];

    private static readonly string[] CurrencyCodes = ["USD", "EUR", "JPY", "KWD", "CLF", "GBP"];

    private static readonly decimal[] Amounts = [0m, 0.00m, 1m, 150.00m, 1234.5m, 0.001m, 999999999999.99m, 1_000_000_000_000_000m, 79228162514264337593543950335m, 0.0000000000000000000000000001m, 12.3400m];

    [Fact]
    public void GivenAnyInvoice_WhenWrittenByHand_ThenTheSameBytesAsTheSerializer()
    {
        var random = new Random(12);
        var buffer = new ArrayBufferWriter<byte>();
        using var writer = new Utf8JsonWriter(buffer, InvoiceJson.WriterOptions);
        for (var i = 0; i < 5_000; i++)
        {
            var currency = CurrencyCodes[random.Next(CurrencyCodes.Length)];
            var amount = Amounts[random.Next(Amounts.Length)];
            var paid = Math.Min(amount, Amounts[random.Next(Amounts.Length)]);
            var invoice = new Invoice(
                new InvoiceId($"I-{i}"),
                new CustomerId($"C.{i % 7}_x"),
                Texts[random.Next(Texts.Length)] + i,
                new DateOnly(1, 1, 1).AddDays(random.Next(3_652_000)),
                new DateOnly(2026, 1, 31).AddDays(random.Next(-40_000, 40_000)),
                new Money(amount, currency),
                new Money(paid, currency))
            {
                Lines = random.Next(3) switch
                {
                    0 => null,
                    1 => ValueList<InvoiceLine>.Empty,
                    _ => Enumerable.Range(0, random.Next(1, 4)).Select(n => new InvoiceLine(Texts[random.Next(Texts.Length)], Amounts[random.Next(Amounts.Length)], Amounts[random.Next(Amounts.Length)])).ToValueList(),
                },
            };

            buffer.ResetWrittenCount();
            writer.Reset(buffer);
            InvoiceJson.Write(writer, invoice);
            writer.Flush();

            Assert.Equal(DunningJson.Serialize(invoice), Encoding.UTF8.GetString(buffer.WrittenSpan));
        }
    }

    /// <summary>If this fails, an invoice gained or lost a property: teach <see cref="InvoiceJson"/> the same, then this list.</summary>
    [Fact]
    public void GivenTheStoredShapes_ThenTheirPropertiesAreTheOnesInvoiceJsonWrites()
    {
        Assert.Equal(["id", "customerId", "number", "issueDate", "dueDate", "amount", "amountPaid", "lines", "outstanding"], Properties(typeof(Invoice)));
        Assert.Equal(["amount", "currency"], Properties(typeof(Money)));
        Assert.Equal(["description", "quantity", "unitPrice"], Properties(typeof(InvoiceLine)));
    }

    private static string[] Properties(Type type) =>
        [.. DunningJson.Options.GetTypeInfo(type).Properties.Where(p => p.Get is not null).Select(p => p.Name)];
}
