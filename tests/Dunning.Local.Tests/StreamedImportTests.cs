using System.Globalization;
using Dunning.Common;
using Dunning.Import;
using Dunning.Local.Runner;
using Dunning.Local.Tests.Support;

namespace Dunning.Local.Tests;

/// <summary>
/// Import streams its files into one SQLite transaction (issue 12 item 3): rows are written as they are read, yet a bad
/// row anywhere, the very last included, still leaves the ledger exactly as it was.
/// </summary>
public sealed class StreamedImportTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 20, 6, 0, 0, TimeSpan.Zero);

    /// <summary>Above the ledger's bulk threshold, so the path that rebuilds the indexes at the commit is the one taken.</summary>
    private const int Rows = 20_000;

    [Fact]
    public async Task An_import_whose_last_row_is_bad_writes_nothing_and_names_that_row()
    {
        using var folder = new TempFolder("dunning-stream");
        var app = LocalApp.Open(folder.Path, clock: new SimulatedClock(Now));
        var before = await ImportAsync(app, folder, [Sample.Invoice("INV-00000", "C1", new DateOnly(2026, 3, 1), 100m)]);
        Assert.Empty(before.Errors);

        // The first row changes the invoice already there; the last has a negative amount.
        var rows = Enumerable.Range(0, Rows).Select(i => Sample.Invoice(Id(i), "C1", new DateOnly(2026, 3, 1), 900m))
            .Append(Sample.Invoice("INV-LAST", "C1", new DateOnly(2026, 3, 1), -5m));
        var refused = await ImportAsync(app, folder, rows, withCustomer: "C2,Thames Joinery Ltd,business,GB,ENG,Europe/London,ap@thames.example,,,,");

        var error = Assert.Single(refused.Errors);
        Assert.Equal(("invoices.csv", Rows + 2, "amount"), (error.File, error.Line, error.Column));
        Assert.Equal((1, 0, 0), (refused.ErrorCount, refused.Customers, refused.Invoices));
        Assert.Equal((1L, 1L), app.Ledger.Count());
        Assert.Null(await app.Ledger.GetCustomerAsync(new CustomerId("C2"), default));
        Assert.Equal(new Money(100m, "USD"), (await app.Ledger.GetInvoiceAsync(new InvoiceId("INV-00000"), default))!.Amount);

        // The indexes dropped for the bulk load came back with the rollback: the scan still finds the pending invoice.
        Assert.Equal(1, (await app.Scan.RunAsync(Now, default)).Started);
    }

    [Fact]
    public async Task A_large_generated_ledger_imports_every_row_and_the_scan_finds_exactly_its_due_invoices()
    {
        using var folder = new TempFolder("dunning-stream");
        var app = LocalApp.Open(folder.Path, clock: new SimulatedClock(Now));

        // Two in fifty fell due in February (one of them paid, as every tenth invoice is); the rest fall due in 2027.
        var rows = Enumerable.Range(0, Rows * 2).Select(i => Sample.Invoice(
            Id(i), "C1", i % 50 is 0 or 1 ? new DateOnly(2026, 2, 1) : new DateOnly(2027, 1, 1).AddDays(i % 300), 250m + i % 7, i % 10 == 0 ? 250m + i % 7 : 0m));

        var report = await ImportAsync(app, folder, rows);

        Assert.Empty(report.Errors);
        Assert.Equal((1, Rows * 2), (report.Customers, report.Invoices));
        Assert.Equal((1L, (long)Rows * 2), app.Ledger.Count());
        Assert.Equal(new Money(250m + 12_345 % 7, "USD"), (await app.Ledger.GetInvoiceAsync(new InvoiceId(Id(12_345)), default))!.Amount);
        var scan = await app.Scan.RunAsync(Now, default);
        Assert.Equal((Rows * 2 / 50, Rows * 2 / 50), (scan.Started, scan.NothingOwed));
    }

    [Fact]
    public async Task A_file_of_only_bad_rows_is_refused_with_the_first_thousand_problems_and_the_count_of_all()
    {
        using var folder = new TempFolder("dunning-stream");
        var app = LocalApp.Open(folder.Path, clock: new SimulatedClock(Now));

        var report = await ImportAsync(app, folder, Enumerable.Range(0, 3_000).Select(i => Sample.Invoice(Id(i), "NOBODY", new DateOnly(2026, 3, 1), 10m)));

        Assert.Equal((3_000, ImportErrors.DefaultKeep), (report.ErrorCount, report.Errors.Count));
        Assert.Equal("invoices.csv:2: customer_id: no customer 'NOBODY' in the customers being imported or in the ledger", report.Errors[0].ToString());
        Assert.Equal((0L, 0L), app.Ledger.Count());
    }

    [Fact]
    public async Task A_row_naming_a_customer_neither_in_the_file_nor_in_the_ledger_is_named_with_its_line_and_nothing_is_written()
    {
        using var folder = new TempFolder("dunning-stream");
        var app = LocalApp.Open(folder.Path, clock: new SimulatedClock(Now));
        var before = await ImportAsync(app, folder, [Sample.Invoice("INV-00000", "C1", new DateOnly(2026, 3, 1), 100m)]);
        Assert.Empty(before.Errors);

        // C1 is only in the ledger now, C2 only in the file. One row half-way names GHOST; the last names it again and has
        // a bad amount as well. Every other row is good, so the rows before and after GHOST's were written meanwhile.
        const string Thames = "C2,Thames Joinery Ltd,business,GB,ENG,Europe/London,ap@thames.example,,,,";
        var rows = Enumerable.Range(0, Rows).Select(i => Sample.Invoice(Id(i), i == Rows / 2 ? "GHOST" : i % 2 == 0 ? "C1" : "C2", new DateOnly(2026, 3, 1), 900m));
        var refused = await ImportAsync(app, folder, rows.Append(Sample.Invoice("INV-LAST", "GHOST", new DateOnly(2026, 3, 1), -5m)), [Thames]);

        Assert.Equal((3, 0, 0), (refused.ErrorCount, refused.Customers, refused.Invoices));
        Assert.Equal(
            [
                $"invoices.csv:{Rows / 2 + 2}: customer_id: no customer 'GHOST' in the customers being imported or in the ledger",
                $"invoices.csv:{Rows + 2}: customer_id: no customer 'GHOST' in the customers being imported or in the ledger",
                $"invoices.csv:{Rows + 2}: amount",
            ],
            refused.Errors.Select(e => e.Column == "amount" ? $"{e.File}:{e.Line}: {e.Column}" : e.ToString()));
        Assert.Equal((1L, 1L), app.Ledger.Count());
        Assert.Null(await app.Ledger.GetCustomerAsync(new CustomerId("C2"), default));
        Assert.Equal(new Money(100m, "USD"), (await app.Ledger.GetInvoiceAsync(new InvoiceId("INV-00000"), default))!.Amount);
        Assert.Equal(1, (await app.Scan.RunAsync(Now, default)).Started);

        // Without GHOST the same file imports: its rows name customers of the ledger and of the file alike.
        var imported = await ImportAsync(app, folder, rows.Where(r => !r.Contains(",GHOST,", StringComparison.Ordinal)), [Thames]);

        Assert.Empty(imported.Errors);
        Assert.Equal((1, Rows - 1), (imported.Customers, imported.Invoices));
        Assert.Equal((2L, (long)Rows - 1), app.Ledger.Count());
    }

    private static string Id(int i) => string.Create(CultureInfo.InvariantCulture, $"INV-{i:00000}");

    private static Task<UseCases.ImportReport> ImportAsync(LocalApp app, TempFolder folder, IEnumerable<string> invoices, string? withCustomer = null) =>
        ImportAsync(app, folder, invoices, withCustomer is null ? [Sample.HarborBakery] : [Sample.HarborBakery, withCustomer]);

    /// <summary>As <c>dunning import</c> does it: files on disk, the invoices opened by the import itself.</summary>
    private static async Task<UseCases.ImportReport> ImportAsync(LocalApp app, TempFolder folder, IEnumerable<string> invoices, string[] customerRows)
    {
        var customers = folder.Write("customers.csv", Sample.Customers(customerRows));
        var file = folder.Combine("invoices.csv");
        await File.WriteAllLinesAsync(file, [Sample.InvoicesHeader, .. invoices]);
        using var reader = new StreamReader(customers);
        return await app.Import.ImportCsvAsync("customers.csv", reader, "invoices.csv", () => new StreamReader(file), default);
    }
}
