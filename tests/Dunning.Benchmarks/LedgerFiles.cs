using System.Globalization;
using System.Text;

namespace Dunning.Benchmarks;

/// <summary>
/// A ledger of N invoices as a business exports it: one customer per ten invoices in five jurisdictions, due dates
/// spread over a year, a few partly or wholly paid. Same N, same files.
/// </summary>
public static class LedgerFiles
{
    private static readonly string[] Places = ["US,NY,America/New_York,USD", "US,CA,America/Los_Angeles,USD", "GB,ENG,Europe/London,GBP", "DE,,Europe/Berlin,EUR", "AU,NSW,Australia/Sydney,AUD"];

    public static readonly DateOnly FirstDue = new(2025, 1, 1);

    public static (string Customers, string Invoices) Write(string folder, int invoices)
    {
        Directory.CreateDirectory(folder);
        var customersFile = Path.Combine(folder, "customers.csv");
        var invoicesFile = Path.Combine(folder, "invoices.csv");
        var customers = Math.Max(1, invoices / 10);
        using (var writer = new StreamWriter(customersFile, false, new UTF8Encoding(false), 1 << 16))
        {
            writer.Write("id,name,kind,country,region,timezone,billing_email,manager_email,owner_email,phone,address\n");
            for (var c = 0; c < customers; c++)
            {
                var place = Places[c % Places.Length].Split(',');
                writer.Write(string.Create(CultureInfo.InvariantCulture,
                    $"C{c},Customer {c},{(c % 7 == 0 ? "consumer" : "business")},{place[0]},{place[1]},{place[2]},ap{c}@example.com,,owner{c}@example.com,+1 555 0100,\"{c} Main Street, Springfield\"\n"));
            }
        }

        using (var writer = new StreamWriter(invoicesFile, false, new UTF8Encoding(false), 1 << 16))
        {
            writer.Write("id,customer_id,number,issue_date,due_date,currency,amount,amount_paid\n");
            for (var i = 0; i < invoices; i++)
            {
                var c = i % customers;
                var currency = Places[c % Places.Length].Split(',')[3];
                var due = FirstDue.AddDays(i % 365);
                var amount = 150m + (i % 50 * 97m);
                var paid = (i % 10) switch { 0 => amount, 1 => 100m, _ => 0m };
                writer.Write(string.Create(CultureInfo.InvariantCulture,
                    $"I{i},C{c},N{i},{due.AddDays(-30):yyyy-MM-dd},{due:yyyy-MM-dd},{currency},{amount:0.00},{paid:0.00}\n"));
            }
        }

        return (customersFile, invoicesFile);
    }
}
