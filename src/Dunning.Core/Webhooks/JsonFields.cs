using System.Text.Json;

namespace Dunning.Webhooks;

/// <summary>Reads a provider's JSON defensively: every wrong type or missing field becomes a named problem, never an exception.</summary>
internal sealed class JsonFields
{
    private readonly List<string> problems = [];

    public bool Any => problems.Count > 0;

    public string Detail => string.Join("; ", problems);

    public void Add(string path, string reason) => problems.Add(path + ": " + reason);

    /// <summary>Parses a signed body and reads it; JSON that cannot be parsed, or read, is a malformed body, not an exception.</summary>
    public static WebhookVerdict Read(string payload, Func<JsonElement, WebhookVerdict> read)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(payload);
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            return Malformed("body: not valid JSON (" + e.Message + ")");
        }

        using (document)
        {
            try
            {
                return read(document.RootElement);
            }
            catch (InvalidOperationException e)
            {
                // Valid JSON syntax whose text cannot become a .NET string, such as an escaped lone surrogate ("\ud800").
                return Malformed("body: contains text that cannot be read (" + e.Message + ")");
            }
        }
    }

    private static WebhookVerdict.Rejected Malformed(string detail) => new(WebhookRejection.Malformed, detail);

    /// <summary>The property, or false when it is absent or JSON null (or the parent is not an object).</summary>
    public static bool TryGet(JsonElement parent, string name, out JsonElement value)
    {
        if (parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null)
        {
            return true;
        }

        value = default;
        return false;
    }

    public JsonElement? Object(JsonElement parent, string name, string path, bool required = true)
    {
        if (!TryGet(parent, name, out var value))
        {
            if (required)
            {
                Add(path, "is required");
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            Add(path, "must be an object");
            return null;
        }

        return value;
    }

    /// <summary>A string property; absent, null or blank gives null (and a problem when required).</summary>
    public string? String(JsonElement parent, string name, string path, bool required = true, int maxLength = 500)
    {
        if (!TryGet(parent, name, out var value))
        {
            if (required)
            {
                Add(path, "is required");
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            Add(path, "must be a string");
            return null;
        }

        var text = value.GetString()!.Trim();
        if (text.Length == 0)
        {
            if (required)
            {
                Add(path, "must not be empty");
            }

            return null;
        }

        if (text.Length > maxLength)
        {
            Add(path, $"is longer than {maxLength} characters");
            return null;
        }

        if (text.Any(char.IsControl))
        {
            Add(path, "must not contain control characters");
            return null;
        }

        return text;
    }

    /// <summary>A JSON integer that fits a long: Stripe's amounts in minor units and its unix timestamps.</summary>
    public long? Integer(JsonElement parent, string name, string path, bool required = true)
    {
        if (!TryGet(parent, name, out var value))
        {
            if (required)
            {
                Add(path, "is required");
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number))
        {
            Add(path, "must be a whole number");
            return null;
        }

        return number;
    }
}
