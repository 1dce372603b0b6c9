using System.Globalization;
using Dunning.Common;
using Dunning.Customers;
using Dunning.Invoices;
using Dunning.Messages;

namespace Dunning.Import;

/// <summary>
/// One customer or invoice as the import reads it, from a CSV record or a JSON object. Columns are named as in the
/// CSV header (snake_case); <see cref="Name"/> says how the user sees them. At most one problem is reported per column.
/// </summary>
internal abstract class LedgerRow(IReadOnlySet<string> silenced)
{
    /// <summary>Made at the first problem: most rows have none.</summary>
    private HashSet<string>? reported;

    public bool HasProblems { get; private set; }

    /// <summary>The trimmed value; null when the column is absent or the cell is empty.</summary>
    public abstract string? Value(string column);

    /// <summary>Whether the source has this column at all (a CSV header without it, for instance).</summary>
    public abstract bool Has(string column);

    /// <summary>The column as the user wrote it: <c>billing_email</c> in a CSV, <c>billingEmail</c> in JSON.</summary>
    public abstract string Name(string column);

    /// <summary>
    /// The invoice's line items as written, or null when there are none. A CSV cell encodes them as
    /// <c>description|quantity|unit price</c>, lines separated by <c>;</c>; a JSON body gives an array of objects.
    /// </summary>
    public virtual IReadOnlyList<RawLine>? Lines()
    {
        if (Value("lines") is not { } cell)
        {
            return null;
        }

        return [.. cell.Split(';', StringSplitOptions.TrimEntries).Where(line => line.Length > 0).Select(line =>
        {
            var parts = line.Split('|', StringSplitOptions.TrimEntries);
            return parts.Length == 3 ? new RawLine(parts[0], parts[1], parts[2]) : new RawLine(line, null, null);
        })];
    }

    /// <summary>Where the row is, for "also on line 3" or "also at [0]".</summary>
    public abstract string Where { get; }

    /// <summary>
    /// Records a problem. The row is invalid from now on; the problem is shown unless this column already has one, or
    /// the whole column is missing and was reported once for the file.
    /// </summary>
    public void Problem(string column, string reason)
    {
        HasProblems = true;
        reported ??= new(StringComparer.Ordinal);
        if (!silenced.Contains(column) && reported.Add(column))
        {
            Report(column, reason);
        }
    }

    protected abstract void Report(string column, string reason);
}

/// <summary>One line item as written: quantity and unit price still text (null when missing).</summary>
internal sealed record RawLine(string Description, string? Quantity, string? UnitPrice);

/// <summary>The columns of a ledger file: which there are, which must be there, and which one of a group must be there.</summary>
internal sealed record LedgerSchema(string What, string[] Columns, string[] Required, string[] AtLeastOneOf);

/// <summary>The rules of contract.md for customers and invoices, the same for CSV files and JSON bodies.</summary>
internal static class LedgerRules
{
    /// <summary>An invoice's line items: a printed copy stays readable and the Azure ledger's one property stays small.</summary>
    private const int MaxInvoiceLines = 100;

    private const int MaxLineDescription = 200;

    public static readonly LedgerSchema Customers = new(
        "customer",
        ["id", "name", "kind", "country", "region", "timezone", "billing_email", "manager_email", "owner_email", "phone", "address", "language"],
        ["id", "name", "kind", "country", "timezone"],
        ["billing_email", "manager_email", "owner_email"]);

    public static readonly LedgerSchema Invoices = new(
        "invoice",
        ["id", "customer_id", "number", "issue_date", "due_date", "currency", "amount", "amount_paid", "lines"],
        ["id", "customer_id", "number", "issue_date", "due_date", "currency", "amount"],
        []);

    private static readonly (string Column, ContactRole Role)[] ContactColumns =
    [
        ("billing_email", ContactRole.Billing),
        ("manager_email", ContactRole.Manager),
        ("owner_email", ContactRole.Owner),
    ];

    /// <summary>
    /// Reports a second use of an id already seen in this file or body. <paramref name="seen"/> holds each valid id
    /// with the <paramref name="position"/> (line, index) it first appeared at.
    /// </summary>
    public static void CheckUnique(LedgerRow row, string what, SeenIds seen, int position)
    {
        var id = row.Value("id");
        if (id is null || Id.Problem(id, what) is not null)
        {
            return;
        }

        if (!seen.TryAdd(id, position, out var first))
        {
            row.Problem("id", $"duplicate {what} '{id}' (first {first})");
        }
    }

    public static Customer? Customer(LedgerRow row)
    {
        var id = RequiredId(row, "id", "customer id");
        var name = Text(row, "name", required: true, maxLength: 200);

        var kind = default(CustomerKind);
        switch (row.Value("kind")?.ToUpperInvariant())
        {
            case null:
                row.Problem("kind", "is required: business or consumer");
                break;
            case "BUSINESS":
                kind = CustomerKind.Business;
                break;
            case "CONSUMER":
                kind = CustomerKind.Consumer;
                break;
            case var _:
                row.Problem("kind", $"'{Fields.Shorten(row.Value("kind")!)}' must be business or consumer");
                break;
        }

        var countryText = row.Value("country");
        var country = countryText is null ? null : Fields.Country(countryText);
        if (countryText is null)
        {
            row.Problem("country", "is required (ISO 3166-1 alpha-2, e.g. US, GB, DE)");
        }
        else if (country is null)
        {
            row.Problem("country", Fields.CountryProblem(countryText));
        }

        var region = row.Value("region")?.ToUpperInvariant();
        if (region is not null && Fields.RegionProblem(region, country) is { } regionProblem)
        {
            row.Problem("region", regionProblem);
        }

        var timeZone = row.Value("timezone");
        if (timeZone is null)
        {
            row.Problem("timezone", "is required (an IANA time zone, e.g. America/Los_Angeles)");
        }
        else if (!TimeZones.IsKnown(timeZone))
        {
            row.Problem("timezone", $"'{Fields.Shorten(timeZone)}' is not a known IANA time zone (e.g. America/Los_Angeles, Europe/London)");
        }

        var contacts = new List<Contact>();
        var anyContact = false;
        foreach (var (column, role) in ContactColumns)
        {
            if (row.Value(column) is not { } email)
            {
                continue;
            }

            anyContact = true;
            if (Fields.EmailProblem(email) is { } emailProblem)
            {
                row.Problem(column, emailProblem);
            }
            else
            {
                contacts.Add(new Contact(role, email));
            }
        }

        if (!anyContact)
        {
            var first = ContactColumns.Select(c => c.Column).FirstOrDefault(row.Has) ?? ContactColumns[0].Column;
            row.Problem(first, $"at least one of {string.Join(", ", ContactColumns.Select(c => row.Name(c.Column)))} is required");
        }

        var phone = row.Value("phone");
        if (phone is not null && Fields.PhoneProblem(phone) is { } phoneProblem)
        {
            row.Problem("phone", phoneProblem);
        }

        var address = Text(row, "address", required: false, maxLength: 500);

        // An unsupported tag is refused rather than written to in the business's language: a customer marked "it"
        // who silently gets English would be a surprise the owner only hears about from the customer.
        var languageText = row.Value("language");
        var language = Languages.Normalize(languageText);
        if (languageText is not null && language is null)
        {
            row.Problem("language", Languages.Problem(Fields.Shorten(languageText)));
        }

        return row.HasProblems
            ? null
            : new Customer(
                new CustomerId(id!),
                name!,
                kind,
                new Jurisdiction(country!, region),
                timeZone!,
                contacts.ToValueList(),
                phone,
                address)
            {
                Language = language,
            };
    }

    /// <summary>An invoice whose customer <paramref name="knownCustomer"/> does not know is refused.</summary>
    public static Invoice? Invoice(LedgerRow row, Func<CustomerId, bool> knownCustomer)
    {
        var id = RequiredId(row, "id", "invoice id");
        var customerId = RequiredId(row, "customer_id", "customer id");
        if (customerId is not null && !knownCustomer(new CustomerId(customerId)))
        {
            row.Problem("customer_id", $"no customer '{customerId}' in the customers being imported or in the ledger");
        }

        var number = Text(row, "number", required: true, maxLength: 100);
        var issued = Date(row, "issue_date");
        var due = Date(row, "due_date");
        if (issued is not null && due < issued)
        {
            row.Problem("due_date", string.Create(CultureInfo.InvariantCulture, $"{due:yyyy-MM-dd} is before {row.Name("issue_date")} {issued:yyyy-MM-dd}"));
        }

        var currencyText = row.Value("currency");
        var currency = currencyText is null ? null : Fields.Currency(currencyText);
        if (currencyText is null)
        {
            row.Problem("currency", "is required (ISO 4217, e.g. USD, EUR, GBP)");
        }
        else if (currency is null)
        {
            row.Problem("currency", Fields.CurrencyProblem(currencyText));
        }

        var amount = Amount(row, "amount", allowZero: false, currency);
        var paid = row.Value("amount_paid") is null ? 0m : Amount(row, "amount_paid", allowZero: true, currency);
        if (amount is not null && paid > amount)
        {
            row.Problem("amount_paid", string.Create(CultureInfo.InvariantCulture, $"{paid} is more than {row.Name("amount")} {amount}"));
        }

        var lines = InvoiceLines(row, amount, currency);
        return row.HasProblems
            ? null
            : new Invoice(
                new InvoiceId(id!),
                new CustomerId(customerId!),
                number!,
                issued!.Value,
                due!.Value,
                new Money(amount!.Value, currency!),
                new Money(paid!.Value, currency!)) { Lines = lines };
    }

    /// <summary>
    /// Line items are optional; when given, each needs a description, a quantity above 0 and a unit price, and their
    /// totals must add up to the invoice amount (a copy whose lines disagree with its total would be posted wrong).
    /// </summary>
    private static ValueList<InvoiceLine>? InvoiceLines(LedgerRow row, decimal? amount, string? currency)
    {
        if (row.Lines() is not { } raw)
        {
            return null;
        }

        if (raw.Count > MaxInvoiceLines)
        {
            row.Problem("lines", string.Create(CultureInfo.InvariantCulture, $"has {raw.Count} lines; at most {MaxInvoiceLines} are kept (the invoice copy is printed, and the Azure ledger stores them in one table property)"));
            return null;
        }

        var lines = new List<InvoiceLine>();
        for (var i = 0; i < raw.Count; i++)
        {
            var (description, quantityText, priceText) = (raw[i].Description, raw[i].Quantity, raw[i].UnitPrice);
            var which = string.Create(CultureInfo.InvariantCulture, $"line {i + 1}");
            if (quantityText is null || priceText is null)
            {
                row.Problem("lines", $"{which} '{Fields.Shorten(description)}' needs a description, a quantity and a unit price (description|quantity|unit price)");
                return null;
            }

            if (description.Length == 0)
            {
                row.Problem("lines", $"{which} has no description");
                return null;
            }

            if (description.Length > MaxLineDescription)
            {
                row.Problem("lines", string.Create(CultureInfo.InvariantCulture, $"{which}: the description is longer than {MaxLineDescription} characters"));
                return null;
            }

            if (Fields.HasControl(description))
            {
                row.Problem("lines", $"{which}: the description must not contain control characters");
                return null;
            }

            if (!Fields.TryParseDecimal(quantityText, out var quantity) || quantity <= 0)
            {
                row.Problem("lines", $"{which}: quantity '{Fields.Shorten(quantityText)}' is not a number greater than 0");
                return null;
            }

            var price = Fields.Amount(priceText, allowZero: true, currency, out var problem);
            if (problem is not null || price is null)
            {
                row.Problem("lines", $"{which}: unit price {problem ?? "is not an amount"}");
                return null;
            }

            // The copy prints each line's amount: one between cents would be shown rounded and the lines would not add up on paper.
            var line = new InvoiceLine(description, quantity, price.Value);
            if (currency is not null && decimal.Round(line.Total, Currencies.MinorUnits(currency)) != line.Total)
            {
                row.Problem("lines", string.Create(CultureInfo.InvariantCulture, $"{which}: {quantity} × {price.Value} = {line.Total} is not a whole amount in {currency}"));
                return null;
            }

            lines.Add(line);
        }

        if (lines.Count == 0)
        {
            row.Problem("lines", "is given but holds no line");
            return null;
        }

        var total = lines.Sum(l => l.Total);
        if (amount is not null && total != amount)
        {
            row.Problem("lines", string.Create(CultureInfo.InvariantCulture, $"the line totals add up to {total}, not the {row.Name("amount")} {amount}"));
            return null;
        }

        return lines.ToValueList();
    }

    private static string? RequiredId(LedgerRow row, string column, string what)
    {
        var value = row.Value(column);
        var problem = value is null ? "is required" : Id.Problem(value, what);
        if (problem is not null)
        {
            row.Problem(column, problem);
            return null;
        }

        return value;
    }

    private static string? Text(LedgerRow row, string column, bool required, int maxLength)
    {
        var value = row.Value(column);
        if (value is null)
        {
            if (required)
            {
                row.Problem(column, "is required");
            }

            return null;
        }

        value = Fields.OneLine(value);
        if (value.Length > maxLength)
        {
            row.Problem(column, $"is longer than {maxLength} characters");
            return null;
        }

        if (Fields.HasControl(value))
        {
            row.Problem(column, "must not contain control characters");
            return null;
        }

        return value;
    }

    private static DateOnly? Date(LedgerRow row, string column)
    {
        if (row.Value(column) is not { } text)
        {
            row.Problem(column, "is required (YYYY-MM-DD)");
            return null;
        }

        var date = Fields.Date(text, out var problem);
        if (problem is not null)
        {
            row.Problem(column, problem);
        }

        return date;
    }

    private static decimal? Amount(LedgerRow row, string column, bool allowZero, string? currency)
    {
        if (row.Value(column) is not { } text)
        {
            row.Problem(column, "is required");
            return null;
        }

        var amount = Fields.Amount(text, allowZero, currency, out var problem);
        if (problem is not null)
        {
            row.Problem(column, problem);
        }

        return amount;
    }
}
