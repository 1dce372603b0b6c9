using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using Dunning.Common;

namespace Dunning.Api;

/// <summary>
/// What every JSON request body is checked for before it is read, in both hosts, with every problem listed at once:
/// fields the request does not have (a typo must not pass as "not given"), text longer than the limits, and control
/// characters (NUL and the like never belong in a reference or a reason).
/// </summary>
public static partial class RequestShape
{
    /// <summary>The longest free text a person writes (a dispute reason, a note).</summary>
    public const int MaxFreeText = 2_000;

    /// <summary>The longest one-line text (a reference, a currency, a date).</summary>
    public const int MaxLineText = 255;

    /// <summary>Fields where a person writes sentences: line breaks and tabs are allowed there, nowhere else.</summary>
    private static readonly HashSet<string> FreeText = new(StringComparer.Ordinal) { "reason", "note" };

    /// <summary>Every problem with <paramref name="root"/> as a <typeparamref name="T"/> request, each as "field: what is wrong".</summary>
    public static List<string> Problems<T>(JsonElement root)
    {
        var problems = new List<string>();
        if (root.ValueKind != JsonValueKind.Object)
        {
            problems.Add("the body: must be a JSON object.");
            return problems;
        }

        Check(root, DunningJson.Options.GetTypeInfo(typeof(T)), string.Empty, problems);
        return problems;
    }

    private static void Check(JsonElement value, JsonTypeInfo? shape, string path, List<string> problems)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object when shape is { Kind: JsonTypeInfoKind.Object }:
                var known = shape.Properties.ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
                foreach (var property in value.EnumerateObject())
                {
                    var where = path.Length == 0 ? property.Name : $"{path}.{property.Name}";
                    if (!known.TryGetValue(property.Name, out var field))
                    {
                        problems.Add($"{Shorten(where)}: is not a field of this request (the fields are {string.Join(", ", shape.Properties.Select(p => p.Name))}).");
                        continue;
                    }

                    Check(property.Value, DunningJson.Options.GetTypeInfo(field.PropertyType), where, problems);
                }

                break;
            case JsonValueKind.Array:
                var element = shape is { Kind: JsonTypeInfoKind.Enumerable, ElementType: { } type } ? DunningJson.Options.GetTypeInfo(type) : null;
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    Check(item, element, $"{path}[{index++}]", problems);
                }

                break;
            case JsonValueKind.String:
                var text = value.GetString()!;
                var name = path[(path.LastIndexOf('.') + 1)..];
                var free = FreeText.Contains(name);
                var limit = free ? MaxFreeText : MaxLineText;
                if (text.Length > limit)
                {
                    problems.Add($"{Shorten(path)}: is {text.Length:N0} characters long; at most {limit:N0} are allowed.");
                }

                if (text.Any(c => char.IsControl(c) && !(free && c is '\n' or '\r' or '\t')))
                {
                    problems.Add($"{Shorten(path)}: must not contain control characters (NUL, escape{(free ? string.Empty : ", line breaks, tabs")}).");
                }

                break;
        }
    }

    /// <summary>
    /// What System.Text.Json refused, in the caller's terms: the field and what it must be (found from the request's own
    /// shape along <paramref name="path"/>), never the name of a type in this code.
    /// </summary>
    public static string Plain<T>(string message, string path)
    {
        var where = string.IsNullOrEmpty(path) || path == "$" ? "the body" : path.TrimStart('$', '.');
        if (FieldType(typeof(T), path) is { } type && (message.Contains("could not be converted", StringComparison.Ordinal) || type != typeof(T)))
        {
            return $"{where}: {Expected(Nullable.GetUnderlyingType(type) ?? type)}.";
        }

        return $"{where}: {TypeName().Replace(ApiJson.Plain(message), "the request").TrimEnd('.')}.";
    }

    /// <summary>The type of the field at a System.Text.Json path such as <c>$.installments[0].dueDate</c>.</summary>
    private static Type? FieldType(Type root, string path)
    {
        var type = root;
        foreach (var segment in PathSegment().Matches(path).Select(m => m.Value))
        {
            var info = DunningJson.Options.GetTypeInfo(type);
            if (segment.StartsWith('['))
            {
                if (info.ElementType is not { } element)
                {
                    return null;
                }

                type = element;
                continue;
            }

            var name = segment.TrimStart('.').Trim('[', ']', '\'', '"');
            if (info.Properties.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)) is not { } property)
            {
                return null;
            }

            type = property.PropertyType;
        }

        return type;
    }

    private static string Expected(Type type) => type switch
    {
        _ when type == typeof(DateOnly) => "must be a date, YYYY-MM-DD",
        _ when type == typeof(DateTimeOffset) => "must be an ISO 8601 date and time with an offset, e.g. 2026-02-01T11:00:00Z, or a date YYYY-MM-DD",
        _ when type == typeof(decimal) || type == typeof(double) => "must be a number",
        _ when type == typeof(int) || type == typeof(long) => "must be a whole number",
        _ when type == typeof(string) => "must be a string",
        _ when type == typeof(bool) => "must be true or false",
        { IsEnum: true } => $"must be one of {string.Join(", ", Enum.GetNames(type).Select(n => JsonNamingPolicy.KebabCaseLower.ConvertName(n)))}",
        _ when DunningJson.Options.GetTypeInfo(type).Kind == JsonTypeInfoKind.Enumerable => "must be an array",
        _ => "must be an object",
    };

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "…";

    [GeneratedRegex(@"\.[^.\[]+|\[[^\]]*\]")]
    private static partial Regex PathSegment();

    [GeneratedRegex(@"'?(Dunning|System)\.[\w.`\[\], =]+'?")]
    private static partial Regex TypeName();
}
