using System.Collections.Frozen;
using System.Text.Json;
using Dunning.Common;

namespace Dunning.Customers;

/// <summary>
/// A customer's stored JSON written straight to UTF-8: byte for byte what <see cref="DunningJson.Serialize{T}"/> writes
/// for it (CustomerJsonTests compares the two and lists the properties, so a new one fails there first). An import
/// writes a customer per ten invoices, and the serializer, still cold when the customers file comes first, took
/// longer over them than over the invoices.
/// </summary>
public static class CustomerJson
{
    private static readonly JsonEncodedText Id = JsonEncodedText.Encode("id");
    private static readonly JsonEncodedText Name = JsonEncodedText.Encode("name");
    private static readonly JsonEncodedText Kind = JsonEncodedText.Encode("kind");
    private static readonly JsonEncodedText JurisdictionName = JsonEncodedText.Encode("jurisdiction");
    private static readonly JsonEncodedText Country = JsonEncodedText.Encode("country");
    private static readonly JsonEncodedText Region = JsonEncodedText.Encode("region");
    private static readonly JsonEncodedText Code = JsonEncodedText.Encode("code");
    private static readonly JsonEncodedText TimeZone = JsonEncodedText.Encode("timeZone");
    private static readonly JsonEncodedText Contacts = JsonEncodedText.Encode("contacts");
    private static readonly JsonEncodedText Role = JsonEncodedText.Encode("role");
    private static readonly JsonEncodedText Email = JsonEncodedText.Encode("email");
    private static readonly JsonEncodedText Phone = JsonEncodedText.Encode("phone");
    private static readonly JsonEncodedText Address = JsonEncodedText.Encode("address");
    private static readonly JsonEncodedText OptedOut = JsonEncodedText.Encode("optedOut");
    private static readonly JsonEncodedText Language = JsonEncodedText.Encode("language");

    public static void Write(Utf8JsonWriter writer, Customer customer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(customer);
        writer.WriteStartObject();
        writer.WriteString(Id, customer.Id.Value);
        writer.WriteString(Name, customer.Name);
        writer.WriteString(Kind, EnumName<CustomerKind>.Of(customer.Kind));
        writer.WriteStartObject(JurisdictionName);
        writer.WriteString(Country, customer.Jurisdiction.Country);
        if (customer.Jurisdiction.Region is { } region)
        {
            writer.WriteString(Region, region);
        }

        writer.WriteString(Code, customer.Jurisdiction.Code);
        writer.WriteEndObject();
        writer.WriteString(TimeZone, customer.TimeZone);
        writer.WriteStartArray(Contacts);
        foreach (var contact in customer.Contacts)
        {
            writer.WriteStartObject();
            writer.WriteString(Role, EnumName<ContactRole>.Of(contact.Role));
            writer.WriteString(Email, contact.Email);
            if (contact.Name is { } name)
            {
                writer.WriteString(Name, name);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        WriteIfAny(writer, Phone, customer.Phone);
        WriteIfAny(writer, Address, customer.Address);
        writer.WriteStartArray(OptedOut);
        foreach (var channel in customer.OptedOut)
        {
            writer.WriteStringValue(EnumName<Channel>.Of(channel));
        }

        writer.WriteEndArray();
        WriteIfAny(writer, Language, customer.Language);
        writer.WriteEndObject();
    }

    private static void WriteIfAny(Utf8JsonWriter writer, JsonEncodedText name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    /// <summary>An enum's stored names, as <see cref="DunningJson"/>'s enum converter writes them (kebab-case).</summary>
    private static class EnumName<T>
        where T : struct, Enum
    {
        private static readonly FrozenDictionary<T, JsonEncodedText> Names = Enum.GetValues<T>()
            .ToFrozenDictionary(v => v, v => JsonEncodedText.Encode(JsonNamingPolicy.KebabCaseLower.ConvertName(v.ToString())));

        public static JsonEncodedText Of(T value) => Names[value];
    }
}
