using System.Globalization;
using System.Text;
using Dunning.Common;
using Dunning.Local.Runner;
using Dunning.Local.Tests.Support;

namespace Dunning.Local.Tests;

/// <summary>The daily scan on the SQLite ledger, which starts cases and marks invoices in batches.</summary>
public sealed class ScanTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 20, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_scan_over_more_invoices_than_a_batch_starts_each_case_once_and_reports_a_missing_customer()
    {
        using var folder = new TempFolder("dunning-scan");
        var app = LocalApp.Open(folder.Path, clock: new SimulatedClock(Now));
        var count = 2_500;
        var invoices = new StringBuilder(Sample.InvoicesHeader).Append('\n');
        for (var i = 0; i < count; i++)
        {
            // Every tenth is paid already (needs no case); the rest are due weeks ago.
            invoices.Append(Sample.Invoice(string.Create(CultureInfo.InvariantCulture, $"INV-{i:0000}"), "C1", new DateOnly(2026, 2, 20), 500m, i % 10 == 0 ? 500m : 0m)).Append('\n');
        }

        using (var customers = new StringReader(Sample.Customers(Sample.HarborBakery)))
        using (var reader = new StringReader(invoices.ToString()))
        {
            Assert.Empty((await app.Import.ImportCsvAsync("customers.csv", customers, "invoices.csv", reader, default)).Errors);
        }

        // An invoice whose customer row went away: reported, not started, and left pending for a later scan.
        app.Database.Write((c, t) =>
        {
            using var command = c.CreateCommand();
            command.Transaction = t;
            command.CommandText = """
                INSERT INTO invoices (id, customer_id, due_date, outstanding, pending, json)
                SELECT 'INV-X', 'C-GONE', due_date, outstanding, 1, replace(replace(json, '"INV-0001"', '"INV-X"'), '"C1"', '"C-GONE"') FROM invoices WHERE id = 'INV-0001'
                """;
            command.ExecuteNonQuery();
        });

        var first = await app.Scan.RunAsync(Now, default);
        var again = await app.Scan.RunAsync(Now, default);

        Assert.Equal((count - (count / 10), count / 10), (first.Started, first.NothingOwed));
        Assert.Equal(["invoice INV-X: customer C-GONE is missing from the ledger."], first.Problems);
        Assert.Equal((0, 0, 0), (again.Started, again.AlreadyRunning, again.NothingOwed));
        Assert.Equal(count - (count / 10), (await app.Cases.ListAsync(null, default)).Count);
        Assert.NotNull(await app.Cases.GetAsync(new InvoiceId("INV-2499"), default));
        Assert.Null(await app.Cases.GetAsync(new InvoiceId("INV-0000"), default));
    }
}
