using Dunning.Cases;
using Dunning.Common;
using Dunning.Local.Cli;
using Dunning.Local.Tests.Support;

namespace Dunning.Local.Tests;

/// <summary>
/// <c>dunning import --customers F --invoices F</c>: all or nothing, and a bad file gets every bad row listed as
/// <c>file:line: column: reason</c> with exit code 1 (contract: "Data formats (import)", "CLI").
/// </summary>
[Collection(nameof(ConsoleCollection))]
public sealed class CliImportTests
{
    private static readonly DateOnly Due = new(2026, 3, 2);

    private static readonly string GoodCustomers = Sample.Customers(
        Sample.HarborBakery,
        "C2,Thames Joinery Ltd,business,GB,ENG,Europe/London,ap@thames.example,,owner@thames.example,,\"14 Wharf Rd, London\"");

    private static readonly string BadCustomers = Sample.Customers(
        Sample.HarborBakery,
        "C2,Bad Country,business,UK,,Europe/London,ap@c2.example,,,,",
        "C3,No Contacts,consumer,US,NY,America/New_York,,,,,",
        "C4,Bad Zone,business,US,NY,Mars/Olympus,ap@c4.example,,,,");

    private static readonly string BadInvoices = Sample.Invoices(
        Sample.Invoice("INV-1", "C1", Due, 1_200m),
        "INV-2,C1,H-2,2026-02-30,2026-03-02,USD,100.00,0",
        Sample.Invoice("INV-3", "C1", Due, 0m),
        Sample.Invoice("INV-4", "C9", Due, 100m),
        Sample.Invoice("INV-5", "C1", Due, 100m, paid: 200m),
        Sample.Invoice("INV-1", "C1", Due, 50m),
        "INV-7,C1,H-7,2026-01-31,2026-03-02,XYZ,1.5.0,0");

    [Fact]
    public async Task A_bad_file_changes_nothing_and_every_bad_row_is_listed_as_file_line_column()
    {
        using var folder = new TempFolder("dunning-cli");
        var customers = folder.Write("customers.csv", BadCustomers);
        var invoices = folder.Write("invoices.csv", BadInvoices);
        var data = folder.Combine("data");
        Assert.Equal(CommandLine.Ok, (await ConsoleCapture.CliAsync(Sample.Init(data))).Exit);

        var (exit, _, err) = await ConsoleCapture.CliAsync("--data", data, "import", "--customers", customers, "--invoices", invoices);

        Assert.Equal(CommandLine.BadInput, exit);
        var lines = err.Split('\n').Select(l => l.Trim()).ToList();
        string[] expected =
        [
            "customers.csv:3: country: ",
            "customers.csv:4: billing_email: ",
            "customers.csv:5: timezone: ",
            "invoices.csv:3: issue_date: ",
            "invoices.csv:4: amount: ",
            "invoices.csv:5: customer_id: ",
            "invoices.csv:6: amount_paid: ",
            "invoices.csv:7: id: ",
            "invoices.csv:8: currency: ",
            "invoices.csv:8: amount: ",
        ];
        var missing = expected.Where(e => !lines.Any(l => l.StartsWith(e, StringComparison.Ordinal) && l.Length > e.Length)).ToList();
        Assert.True(missing.Count == 0, $"not reported on a line of its own: {string.Join(" | ", missing)}\n{err}");
        Assert.DoesNotContain(lines, l => l.StartsWith("customers.csv:2:", StringComparison.Ordinal) || l.StartsWith("invoices.csv:2:", StringComparison.Ordinal));

        var app = LocalApp.Open(data);
        Assert.Equal((0L, 0L), app.Ledger.Count());
    }

    [Fact]
    public async Task A_good_file_imports_and_importing_it_again_is_harmless_while_a_running_case_is_told_of_a_change()
    {
        using var folder = new TempFolder("dunning-cli");
        var customers = folder.Write("customers.csv", GoodCustomers);
        var invoices = folder.Write("invoices.csv", Sample.Invoices(Sample.Invoice("INV-1", "C1", Due, 1_200m), Sample.Invoice("INV-2", "C2", Due.AddDays(40), 640m, currency: "GBP")));
        var data = folder.Combine("data");
        Assert.Equal(CommandLine.Ok, (await ConsoleCapture.CliAsync(Sample.Init(data))).Exit);

        var first = await ConsoleCapture.CliAsync("--data", data, "import", "--customers", customers, "--invoices", invoices);
        Assert.True(first.Exit == CommandLine.Ok, first.Err);
        Assert.Equal((2L, 2L), LocalApp.Open(data).Ledger.Count());
        var address = (await LocalApp.Open(data).Ledger.GetCustomerAsync(new CustomerId("C1"), default))!.Address;
        Assert.Equal("12 Pier St, San Francisco, CA 94111", address);

        var scan = await ConsoleCapture.CliAsync("--data", data, "scan", "--as-of", "2026-03-10");
        Assert.True(scan.Exit == CommandLine.Ok, scan.Err);

        var again = await ConsoleCapture.CliAsync("--data", data, "import", "--customers", customers, "--invoices", invoices);
        Assert.True(again.Exit == CommandLine.Ok, again.Err);
        var app = LocalApp.Open(data);
        Assert.Equal((2L, 2L), app.Ledger.Count());
        Assert.Single(await app.Cases.ListAsync(null, default));

        // The ledger now says INV-1 is partly paid: the running case hears of it.
        var corrected = folder.Write("corrected.csv", Sample.Invoices(Sample.Invoice("INV-1", "C1", Due, 1_200m, paid: 400m)));
        var update = await ConsoleCapture.CliAsync("--data", data, "import", "--invoices", corrected);
        Assert.True(update.Exit == CommandLine.Ok, update.Err);
        var told = app.Runner.Signals(new InvoiceId("INV-1")).Select(n => n.Signal).OfType<CaseEvent.InvoiceUpdated>().Last();
        Assert.Equal(800m, told.Invoice.Outstanding.Amount);
    }

    [Fact]
    public async Task Missing_files_and_wrong_usage_get_exit_codes_1_and_2()
    {
        using var folder = new TempFolder("dunning-cli");
        var data = folder.Combine("data");

        Assert.Equal(CommandLine.BadInput, (await ConsoleCapture.CliAsync("--data", data, "import")).Exit);
        Assert.Equal(CommandLine.BadInput, (await ConsoleCapture.CliAsync("--data", data, "import", "--customers", folder.Combine("nope.csv"))).Exit);
        Assert.Equal(CommandLine.Usage, (await ConsoleCapture.CliAsync("--data", data, "import", "--clients", "x.csv")).Exit);
        Assert.Equal(CommandLine.Usage, (await ConsoleCapture.CliAsync("--data", data, "impart")).Exit);
    }

    [Fact]
    public async Task Errors_piped_to_a_file_are_plain_one_per_line_never_wrapped_or_coloured()
    {
        using var folder = new TempFolder("dunning-cli");
        var customers = folder.Write("customers.csv", BadCustomers);
        var invoices = folder.Write("invoices.csv", BadInvoices);

        Assert.Equal(CommandLine.Ok, (await DunningProcess.RunAsync(TimeSpan.FromSeconds(60), Sample.Init(folder.Combine("data")))).Exit);
        var (exit, _, err) = await DunningProcess.RunAsync(TimeSpan.FromSeconds(60),
            "--data", folder.Combine("data"), "import", "--customers", customers, "--invoices", invoices);

        Assert.Equal(CommandLine.BadInput, exit);
        Assert.DoesNotContain('\u001b', err);
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
        Assert.StartsWith("Nothing was imported: 10 problem(s).", lines[0], StringComparison.Ordinal);
        Assert.Equal(10, lines.Count(l => l.StartsWith("  customers.csv:", StringComparison.Ordinal) || l.StartsWith("  invoices.csv:", StringComparison.Ordinal)));
        Assert.Equal(11, lines.Count);
        Assert.Contains("  customers.csv:3: country: 'UK' is not an ISO 3166-1 alpha-2 code: the United Kingdom is GB", lines);
    }
}
