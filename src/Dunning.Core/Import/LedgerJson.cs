using System.Globalization;
using System.Text.Json;
using Dunning.Common;
using Dunning.Customers;
using Dunning.Invoices;

namespace Dunning.Import;

/// <summary>
/// The ledger import for the HTTP API (<c>POST /api/customers</c>, <c>POST /api/invoices</c>): one object or an
/// array of objects, with the rules of the CSV import and camelCase field names (id, name, kind, country, region,
/// timezone, billingEmail, managerEmail, ownerEmail, phone, address, language; id, customerId, number, issueDate, dueDate,
/// currency, amount, amountPaid, lines: an array of {description, quantity, unitPrice}). Problems name the field, prefixed with the index in an array:
/// <c>[2].amount: must be greater than 0</c>. Amounts may be JSON numbers or decimal strings.
/// </summary>
public static class LedgerJson
{
    public static ImportResult<Customer> ParseCustomers(JsonElement body) =>
        Parse(body, LedgerRules.Customers, LedgerRules.Customer);

    /// <summary>Invoices may name only customers in <paramref name="knownCustomers"/>: those already in the ledger (and any imported alongside).</summary>
    public static ImportResult<Invoice> ParseInvoices(JsonElement body, ISet<CustomerId> knownCustomers)
    {
        ArgumentNullException.ThrowIfNull(knownCustomers);
        return Parse(body, LedgerRules.Invoices, row => LedgerRules.Invoice(row, knownCustomers.Contains));
    }

    private static ImportResult<T> Parse<T>(JsonElement body, LedgerSchema schema, Func<LedgerRow, T?> read)
        where T : class
    {
        var errors = new List<ImportError>();
        var rows = new List<T>();
        var (items, single) = body.ValueKind switch
        {
            JsonValueKind.Object => ([body], true),
            JsonValueKind.Array => (body.EnumerateArray().ToList(), false),
            _ => (new List<JsonElement>(), true),
        };

        if (items.Count == 0 && body.ValueKind != JsonValueKind.Array)
        {
            errors.Add(new(string.Empty, 0, string.Empty, "the body must be an object or an array of objects"));
        }

        var seen = new SeenIds(i => single ? "in this body" : string.Create(CultureInfo.InvariantCulture, $"at [{i}]"));
        for (var i = 0; i < items.Count; i++)
        {
            var prefix = single ? string.Empty : string.Create(CultureInfo.InvariantCulture, $"[{i}]");
            if (items[i].ValueKind != JsonValueKind.Object)
            {
                errors.Add(new(string.Empty, 0, prefix, "must be an object"));
                continue;
            }

            try
            {
                var row = new JsonRow(items[i], prefix, errors);
                LedgerRules.CheckUnique(row, schema.What + " id", seen, i);
                if (read(row) is { } value)
                {
                    rows.Add(value);
                }
            }
            catch (InvalidOperationException)
            {
                // Valid JSON whose text cannot become a .NET string, such as an escaped lone surrogate ("\ud800").
                errors.Add(new(string.Empty, 0, prefix, "contains text that is not valid Unicode (an escaped lone surrogate)"));
            }
        }

        return new(rows.ToValueList(), errors.ToValueList());
    }

    /// <summary>billing_email becomes billingEmail.</summary>
    private static string CamelCase(string column)
    {
        var parts = column.Split('_');
        return parts[0] + string.Concat(parts.Skip(1).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
    }

    private sealed class JsonRow : LedgerRow
    {
        private static readonly IReadOnlySet<string> NothingSilenced = new HashSet<string>();

        private readonly Dictionary<string, JsonElement> properties = new(StringComparer.OrdinalIgnoreCase);
        private readonly string prefix;
        private readonly List<ImportError> errors;

        public JsonRow(JsonElement item, string prefix, List<ImportError> errors)
            : base(NothingSilenced)
        {
            this.prefix = prefix;
            this.errors = errors;
            foreach (var property in item.EnumerateObject())
            {
                properties.TryAdd(property.Name, property.Value);
            }
        }

        public override string Where => prefix.Length == 0 ? "in this body" : "at " + prefix;

        public override bool Has(string column) => true;

        public override string Name(string column) => CamelCase(column);

        /// <summary>
        /// <c>lines</c> is an array of <c>{"description", "quantity", "unitPrice"}</c> objects (numbers or decimal
        /// strings); a string there is read as the CSV encoding.
        /// </summary>
        public override IReadOnlyList<RawLine>? Lines()
        {
            if (!properties.TryGetValue("lines", out var value) || value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
            {
                return null;
            }

            if (value.ValueKind == JsonValueKind.String)
            {
                return base.Lines();
            }

            if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(line => line.ValueKind != JsonValueKind.Object))
            {
                Problem("lines", "must be an array of objects with description, quantity and unitPrice");
                return [];
            }

            return [.. value.EnumerateArray().Select(line => new RawLine(Field(line, "description") ?? "", Field(line, "quantity"), Field(line, "unitPrice")))];
        }

        private static string? Field(JsonElement line, string name) =>
            line.EnumerateObject().FirstOrDefault(p => p.NameEquals(name) || p.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Value switch
            {
                { ValueKind: JsonValueKind.String } text => text.GetString()!.Trim(),
                { ValueKind: JsonValueKind.Number } number => number.GetRawText(),
                _ => null,
            };

        public override string? Value(string column)
        {
            if (!properties.TryGetValue(CamelCase(column), out var value))
            {
                return null;
            }

            switch (value.ValueKind)
            {
                case JsonValueKind.Null or JsonValueKind.Undefined:
                    return null;
                case JsonValueKind.String:
                    return value.GetString()!.Trim() is { Length: > 0 } text ? text : null;
                case JsonValueKind.Number when column.StartsWith("amount", StringComparison.Ordinal):
                    if (value.TryGetDecimal(out var number))
                    {
                        return number.ToString(CultureInfo.InvariantCulture);
                    }

                    Problem(column, "is not a number this system can hold");
                    return null;
                default:
                    Problem(column, column.StartsWith("amount", StringComparison.Ordinal) ? "must be a number or a decimal string" : "must be a string");
                    return null;
            }
        }

        protected override void Report(string column, string reason) =>
            errors.Add(new(string.Empty, 0, prefix.Length == 0 ? Name(column) : $"{prefix}.{Name(column)}", reason));
    }
}
