using System.Collections.Frozen;
using Dunning.Common;
using Dunning.Customers;
using Dunning.Invoices;

namespace Dunning.Import;

/// <summary>
/// Reads <c>customers.csv</c> and <c>invoices.csv</c> as contract.md describes them. Every problem in the file is
/// reported, each as <c>file:line: column: reason</c>; the caller writes nothing unless there are none.
/// </summary>
/// <remarks>
/// Columns are found by name in the header row, in any order; names are matched ignoring case, spaces, dashes and
/// underscores ("Billing Email" is <c>billing_email</c>, "Time Zone" is <c>timezone</c>). Columns the import does not
/// know are ignored.
/// Optional columns (<c>region</c>, <c>phone</c>, <c>address</c>, <c>amount_paid</c>, and all but one of the email
/// columns) may be left out of the header.
/// </remarks>
public static class LedgerCsv
{
    public static ImportResult<Customer> ParseCustomers(string fileName, TextReader reader) =>
        Parse(fileName, reader, LedgerRules.Customers, LedgerRules.Customer);

    /// <summary>Invoices may name only customers in <paramref name="knownCustomers"/>: those in the customers file being imported and those already in the ledger.</summary>
    public static ImportResult<Invoice> ParseInvoices(string fileName, TextReader reader, ISet<CustomerId> knownCustomers)
    {
        ArgumentNullException.ThrowIfNull(knownCustomers);
        return Parse(fileName, reader, LedgerRules.Invoices, row => LedgerRules.Invoice(row, knownCustomers.Contains));
    }

    /// <summary>
    /// The valid customers of a file one at a time, as they are read, each problem added to <paramref name="errors"/> as
    /// it is met: for a caller that must not hold the whole file. Nothing may be kept unless <paramref name="errors"/> is
    /// still empty once the enumeration ends.
    /// </summary>
    public static IEnumerable<Customer> StreamCustomers(string fileName, TextReader reader, ICollection<ImportError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return Rows(fileName, reader, LedgerRules.Customers, LedgerRules.Customer, errors);
    }

    /// <summary>
    /// The valid invoices of a file one at a time, as they are read, each problem added to <paramref name="errors"/> as it
    /// is met: for a caller that must not hold the whole file. Nothing may be written unless <paramref name="errors"/> is
    /// still empty once the enumeration ends.
    /// </summary>
    public static IEnumerable<Invoice> StreamInvoices(string fileName, TextReader reader, ISet<CustomerId> knownCustomers, ICollection<ImportError> errors)
    {
        ArgumentNullException.ThrowIfNull(knownCustomers);
        return StreamInvoices(fileName, reader, knownCustomers.Contains, errors);
    }

    /// <summary>
    /// The same, asking <paramref name="knownCustomer"/> of each customer id a row names (valid ids only): for a caller
    /// that learns which customers exist as it goes.
    /// </summary>
    public static IEnumerable<Invoice> StreamInvoices(string fileName, TextReader reader, Func<CustomerId, bool> knownCustomer, ICollection<ImportError> errors)
    {
        ArgumentNullException.ThrowIfNull(knownCustomer);
        ArgumentNullException.ThrowIfNull(errors);
        return Rows(fileName, reader, LedgerRules.Invoices, row => LedgerRules.Invoice(row, knownCustomer), errors);
    }

    private static ImportResult<T> Parse<T>(string fileName, TextReader reader, LedgerSchema schema, Func<LedgerRow, T?> read)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(reader);
        var errors = new List<ImportError>();
        var rows = Rows(fileName, reader, schema, read, errors).ToList();
        return Result(rows, errors);
    }

    private static IEnumerable<T> Rows<T>(string fileName, TextReader reader, LedgerSchema schema, Func<LedgerRow, T?> read, ICollection<ImportError> errors)
        where T : class
    {
        using var records = CsvReader.Read(reader).GetEnumerator();

        if (!records.MoveNext())
        {
            errors.Add(new(fileName, 1, string.Empty, $"the file is empty: expected a header row naming the columns {string.Join(", ", schema.Required)}"));
            yield break;
        }

        var header = records.Current;
        if (header.Problem is not null)
        {
            errors.Add(new(fileName, header.Line, string.Empty, "header: " + header.Problem));
            yield break;
        }

        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        var canonical = schema.Columns.ToDictionary(Key, c => c, StringComparer.Ordinal);
        var names = header.Fields.Select(f => canonical.GetValueOrDefault(Key(f), f.Trim())).ToList();
        for (var i = 0; i < names.Count; i++)
        {
            if (names[i].Length > 0 && !columns.TryAdd(names[i], i) && schema.Columns.Contains(names[i]))
            {
                errors.Add(new(fileName, header.Line, names[i], "the column appears more than once in the header"));
            }
        }

        var silenced = new HashSet<string>(StringComparer.Ordinal);
        foreach (var missing in schema.Required.Where(c => !columns.ContainsKey(c)))
        {
            errors.Add(new(fileName, header.Line, missing, "required column is missing from the header"));
            silenced.Add(missing);
        }

        if (schema.AtLeastOneOf.Length > 0 && !schema.AtLeastOneOf.Any(columns.ContainsKey))
        {
            errors.Add(new(fileName, header.Line, schema.AtLeastOneOf[0], $"the header needs at least one of the columns {string.Join(", ", schema.AtLeastOneOf)}"));
            silenced.UnionWith(schema.AtLeastOneOf);
        }

        // Every row asks for its columns by name a dozen times: a frozen dictionary answers without hashing the whole name.
        var index = columns.ToFrozenDictionary(StringComparer.Ordinal);
        var seen = new SeenIds(CsvRow.At);
        while (records.MoveNext())
        {
            var record = records.Current;
            if (record.Problem is not null)
            {
                var column = record.ProblemField < names.Count && names[record.ProblemField].Length > 0
                    ? names[record.ProblemField]
                    : $"field {record.ProblemField + 1}";
                errors.Add(new(fileName, record.Line, column, record.Problem));
                continue;
            }

            if (record.Fields.Count < names.Count || HasExtraText(record.Fields, names.Count))
            {
                errors.Add(new(
                    fileName,
                    record.Line,
                    string.Empty,
                    $"the record has {record.Fields.Count} fields but the header has {names.Count} (a comma inside a value needs the value in double quotes)"));
                continue;
            }

            var row = new CsvRow(fileName, record, index, silenced, errors);
            LedgerRules.CheckUnique(row, schema.What + " id", seen, record.Line);
            if (read(row) is { } value)
            {
                yield return value;
            }
        }
    }

    /// <summary>Whether the record has text beyond the header's columns (empty cells there are harmless).</summary>
    private static bool HasExtraText(IReadOnlyList<string> fields, int columns)
    {
        for (var i = columns; i < fields.Count; i++)
        {
            if (!string.IsNullOrWhiteSpace(fields[i]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>"Billing Email", "billing-email" and "BillingEmail" all name billing_email.</summary>
    private static string Key(string name) =>
        string.Concat(name.Where(c => c is not (' ' or '_' or '-'))).ToLowerInvariant();

    private static ImportResult<T> Result<T>(List<T> rows, List<ImportError> errors) => new(rows.ToValueList(), errors.ToValueList());

    private sealed class CsvRow(
        string fileName,
        CsvRecord record,
        FrozenDictionary<string, int> columns,
        IReadOnlySet<string> silenced,
        ICollection<ImportError> errors) : LedgerRow(silenced)
    {
        public override string Where => At(record.Line);

        public static string At(int line) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"on line {line}");

        public override bool Has(string column) => columns.ContainsKey(column);

        public override string Name(string column) => column;

        public override string? Value(string column) =>
            columns.TryGetValue(column, out var index) && record.Fields[index].Trim() is { Length: > 0 } value ? value : null;

        protected override void Report(string column, string reason) => errors.Add(new(fileName, record.Line, column, reason));
    }
}
