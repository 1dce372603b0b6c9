using System.Buffers;
using System.Text;
using System.Text.Json;
using Dunning.Common;
using Dunning.Customers;
using Dunning.Invoices;

namespace Dunning.Tests.Import;

/// <summary>The import writes a customer's stored JSON by hand: it must be the serializer's, byte for byte.</summary>
public class CustomerJsonTests
{
    private static readonly string?[] Texts = [null, "", "Thames Joinery Ltd", "Ünïcödé €", "quote \" and \\ backslash", "tab\tand\nnewline", "<b>&'", "😀", "\u0001"];

    [Fact]
    public void GivenAnyCustomer_WhenWrittenByHand_ThenTheSameBytesAsTheSerializer()
    {
        var random = new Random(7);
        var buffer = new ArrayBufferWriter<byte>();
        using var writer = new Utf8JsonWriter(buffer, InvoiceJson.WriterOptions);
        string? Text() => Texts[random.Next(Texts.Length)];
        T Pick<T>(T[] values) => values[random.Next(values.Length)];
        for (var i = 0; i < 5_000; i++)
        {
            var contacts = Enumerable.Range(0, random.Next(0, 4))
                .Select(_ => new Contact(Pick(Enum.GetValues<ContactRole>()), Text() ?? "a@b.example", Text()))
                .ToValueList();
            var customer = new Customer(
                new CustomerId($"C-{i}"),
                Text() ?? "Name",
                Pick(Enum.GetValues<CustomerKind>()),
                new Jurisdiction(Pick(["US", "GB", "DE"]), Text()),
                Pick(["America/New_York", "Europe/London", "Etc/UTC"]),
                contacts,
                Text(),
                Text())
            {
                OptedOut = Enumerable.Range(0, random.Next(0, 3)).Select(_ => Pick(Enum.GetValues<Channel>())).ToValueList(),
                Language = Text(),
            };

            buffer.ResetWrittenCount();
            writer.Reset(buffer);
            CustomerJson.Write(writer, customer);
            writer.Flush();

            Assert.Equal(DunningJson.Serialize(customer), Encoding.UTF8.GetString(buffer.WrittenSpan));
        }
    }

    /// <summary>If this fails, a customer gained or lost a property: teach <see cref="CustomerJson"/> the same, then this list.</summary>
    [Fact]
    public void GivenTheStoredShapes_ThenTheirPropertiesAreTheOnesCustomerJsonWrites()
    {
        Assert.Equal(["id", "name", "kind", "jurisdiction", "timeZone", "contacts", "phone", "address", "optedOut", "language"], Properties(typeof(Customer)));
        Assert.Equal(["country", "region", "code"], Properties(typeof(Jurisdiction)));
        Assert.Equal(["role", "email", "name"], Properties(typeof(Contact)));
        Assert.Equal(["billing", "manager", "owner", "business", "consumer", "email", "letter", "call"], new object[]
        {
            ContactRole.Billing, ContactRole.Manager, ContactRole.Owner, CustomerKind.Business, CustomerKind.Consumer, Channel.Email, Channel.Letter, Channel.Call,
        }.Select(v => JsonSerializer.Deserialize<string>(JsonSerializer.Serialize(v, v.GetType(), DunningJson.Options))!));
    }

    private static string[] Properties(Type type) =>
        [.. DunningJson.Options.GetTypeInfo(type).Properties.Where(p => p.Get is not null).Select(p => p.Name)];
}
