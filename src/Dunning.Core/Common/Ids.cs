using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dunning.Common;

/// <summary>
/// Ids are used as table keys, file names and orchestration instance ids, so they allow only
/// characters that are safe in all three: letters, digits, '.', '_' and '-'.
/// </summary>
public static class Id
{
    public const int MaxLength = 100;

    private static readonly SearchValues<char> Allowed = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-");

    public static string? Problem(string? value, string what)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return $"{what} is empty";
        }

        if (value.Length > MaxLength)
        {
            return $"{what} '{value[..20]}…' is longer than {MaxLength} characters";
        }

        return !value.AsSpan().ContainsAnyExcept(Allowed)
            ? null
            : $"{what} '{value}' may contain only letters, digits, '.', '_' and '-'";
    }

    public static string Validate(string? value, string what) =>
        Problem(value, what) is { } problem ? throw new ArgumentException(problem) : value!;
}

[JsonConverter(typeof(InvoiceIdJsonConverter))]
public readonly record struct InvoiceId
{
    public InvoiceId(string value) => Value = Id.Validate(value, "invoice id");

    public string Value { get; }

    /// <summary>The durable instance id of this invoice's case: stable, so starting twice is harmless.</summary>
    public string CaseInstanceId => "case-" + Value;

    public static bool TryParse(string? value, out InvoiceId id)
    {
        id = Id.Problem(value, "invoice id") is null ? new InvoiceId(value!) : default;
        return id.Value is not null;
    }

    public override string ToString() => Value;
}

[JsonConverter(typeof(CustomerIdJsonConverter))]
public readonly record struct CustomerId
{
    public CustomerId(string value) => Value = Id.Validate(value, "customer id");

    public string Value { get; }

    public static bool TryParse(string? value, out CustomerId id)
    {
        id = Id.Problem(value, "customer id") is null ? new CustomerId(value!) : default;
        return id.Value is not null;
    }

    public override string ToString() => Value;
}

internal sealed class InvoiceIdJsonConverter : JsonConverter<InvoiceId>
{
    public override InvoiceId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        new(reader.GetString()!);

    public override void Write(Utf8JsonWriter writer, InvoiceId value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Value);
}

internal sealed class CustomerIdJsonConverter : JsonConverter<CustomerId>
{
    public override CustomerId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        new(reader.GetString()!);

    public override void Write(Utf8JsonWriter writer, CustomerId value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Value);
}
