using System.Globalization;
using System.Text;

namespace Dunning.Local.Tests.Support;

/// <summary>Ledgers the tests import: CSV files as a user writes them, and the same rows as JSON bodies.</summary>
public static class Sample
{
    public const string CustomersHeader = "id,name,kind,country,region,timezone,billing_email,manager_email,owner_email,phone,address";

    public const string InvoicesHeader = "id,customer_id,number,issue_date,due_date,currency,amount,amount_paid";

    /// <summary>A San Francisco business with every contact, a phone and a postal address (with a comma, so it is quoted).</summary>
    public const string HarborBakery =
        "C1,Harbor Bakery,business,US,CA,America/Los_Angeles,ap@harbor.example,office@harbor.example,owner@harbor.example,+1 415 555 0101,\"12 Pier St, San Francisco, CA 94111\"";

    /// <summary>
    /// <c>dunning init</c> for a made-up business: <c>import</c>, <c>run</c> and <c>serve</c> refuse to contact anyone
    /// while the business profile holds the built-in placeholders.
    /// </summary>
    /// <summary>
    /// What an owner runs before the first reminder can leave by SMTP: <c>init</c> (with <paramref name="initExtra"/>),
    /// <c>mail setup</c> for the test's SMTP server on <paramref name="smtpPort"/>, and <c>import</c>; each must succeed.
    /// </summary>
    public static async Task SetUpWithMailAsync(string data, int smtpPort, string customers, string invoices, params string[] initExtra)
    {
        string[][] steps =
        [
            [.. Init(data), .. initExtra],
            ["--data", data, "mail", "setup", "--host", "127.0.0.1", "--port", smtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--security", "none"],
            ["--data", data, "import", "--customers", customers, "--invoices", invoices],
        ];
        foreach (var args in steps)
        {
            var (exit, output, err) = await ConsoleCapture.CliAsync(args);
            Assert.True(exit == 0, $"{string.Join(' ', args)}: {err}{output}");
        }
    }

    /// <summary>
    /// <see cref="SetUpWithMailAsync"/> for Bäckerei Berg GmbH in Berlin (language de-DE) owing 1,234.50 EUR on INV-1, due
    /// 2 March 2026, with a EUR pay link (https://pay.sunrise.example/eur/{invoiceNumber}).
    /// </summary>
    public static Task SetUpGermanCustomerWithMailAsync(TempFolder folder, string data, int smtpPort)
    {
        var customers = folder.Write("customers.csv",
            CustomersHeader + ",language\n" + "C1,Bäckerei Berg GmbH,business,DE,,Europe/Berlin,buchhaltung@berg.example,,,,\"Mühlenweg 3, 10115 Berlin\",de-DE\n");
        var invoices = folder.Write("invoices.csv", Invoices(Invoice("INV-1", "C1", new DateOnly(2026, 3, 2), 1_234.5m, currency: "EUR")));
        return SetUpWithMailAsync(data, smtpPort, customers, invoices, "--payment-link-for", "EUR=https://pay.sunrise.example/eur/{invoiceNumber}");
    }

    public static string[] Init(string data) =>
    [
        "--data", data, "init", "--name", "Sunrise Bakery Supplies", "--email", "accounts@sunrise.example", "--owner", "Ana Baker",
        "--phone", "+1 415 555 0199", "--address", "9 Mill Lane, Oakland, CA 94607", "--payment-link", "https://pay.sunrise.example/i/{invoiceNumber}",
    ];

    public static string Customers(params string[] rows) => Csv(CustomersHeader, rows);

    public static string Invoices(params string[] rows) => Csv(InvoicesHeader, rows);

    public static string Invoice(string id, string customer, DateOnly due, decimal amount, decimal paid = 0m, string currency = "USD") =>
        string.Create(CultureInfo.InvariantCulture,
            $"{id},{customer},{id.Replace("INV-", "H-", StringComparison.Ordinal)},{due.AddDays(-30):yyyy-MM-dd},{due:yyyy-MM-dd},{currency},{amount:0.00},{paid:0.00}");

    /// <summary>The JSON body of POST /api/customers for <see cref="HarborBakery"/>.</summary>
    public static string HarborBakeryJson => """
        {"id":"C1","name":"Harbor Bakery","kind":"business","country":"US","region":"CA","timezone":"America/Los_Angeles",
         "billingEmail":"ap@harbor.example","managerEmail":"office@harbor.example","ownerEmail":"owner@harbor.example",
         "phone":"+1 415 555 0101","address":"12 Pier St, San Francisco, CA 94111"}
        """;

    public static string InvoiceJson(string id, string customer, DateOnly due, decimal amount, decimal paid = 0m, string currency = "USD") =>
        string.Create(CultureInfo.InvariantCulture,
            $$"""{"id":"{{id}}","customerId":"{{customer}}","number":"{{id.Replace("INV-", "H-", StringComparison.Ordinal)}}","issueDate":"{{due.AddDays(-30):yyyy-MM-dd}}","dueDate":"{{due:yyyy-MM-dd}}","currency":"{{currency}}","amount":{{amount:0.00}},"amountPaid":{{paid:0.00}}}""");

    /// <summary>
    /// A bigger ledger for long runs: <paramref name="count"/> customers in four jurisdictions (businesses and consumers,
    /// some without a manager or a postal address), one invoice each, due across January and February 2026,
    /// some partly paid and some too small to pursue. Same seed, same ledger.
    /// </summary>
    public static (string Customers, string Invoices) Ledger(int count, int seed)
    {
        var random = new Random(seed);
        (string Country, string Region, string Zone, string Currency)[] places =
        [
            ("US", "CA", "America/Los_Angeles", "USD"),
            ("US", "TX", "America/Chicago", "USD"),
            ("GB", "ENG", "Europe/London", "GBP"),
            ("DE", string.Empty, "Europe/Berlin", "EUR"),
        ];
        var customers = new StringBuilder(CustomersHeader).Append('\n');
        var invoices = new StringBuilder(InvoicesHeader).Append('\n');
        for (var i = 1; i <= count; i++)
        {
            var place = places[random.Next(places.Length)];
            var consumer = random.Next(4) == 0;
            var manager = consumer || random.Next(5) == 0 ? string.Empty : $"office@c{i}.example";
            var owner = consumer ? string.Empty : $"owner@c{i}.example";
            var address = random.Next(6) == 0 ? string.Empty : $"\"{i} Main St, Springfield\"";
            customers.Append(CultureInfo.InvariantCulture,
                $"C{i},Customer {i},{(consumer ? "consumer" : "business")},{place.Country},{place.Region},{place.Zone},ap@c{i}.example,{manager},{owner},+1 555 01{i:00},{address}\n");
            var due = new DateOnly(2026, 1, 5).AddDays(random.Next(45));
            var amount = random.Next(8) == 0 ? 60m + random.Next(30) : 200m + (random.Next(400) * 25m);
            var paid = random.Next(4) == 0 ? Math.Round(amount / 3m, 2) : 0m;
            invoices.Append(Invoice($"INV-{i:000}", $"C{i}", due, amount, paid, place.Currency)).Append('\n');
        }

        return (customers.ToString(), invoices.ToString());
    }

    private static string Csv(string header, string[] rows) => header + "\n" + string.Join("\n", rows) + "\n";
}
