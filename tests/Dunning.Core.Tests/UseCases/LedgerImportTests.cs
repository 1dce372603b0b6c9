using System.Text.Json;
using Dunning.Cases;
using Dunning.Common;
using Dunning.Tests.Ports;
using Dunning.UseCases;

namespace Dunning.Tests.UseCases;

public class LedgerImportTests
{
    private const string CustomerHeader = "id,name,kind,country,region,timezone,billing_email,manager_email,owner_email,phone,address";
    private const string InvoiceHeader = "id,customer_id,number,issue_date,due_date,currency,amount,amount_paid";
    private static readonly DateTimeOffset Now = new(2026, 2, 1, 9, 0, 0, TimeSpan.Zero);

    private static (UseCaseFixture App, LedgerImport Import) Fixture()
    {
        var app = new UseCaseFixture(Now);
        return (app, new LedgerImport(app.Ledger, app.Cases, app.Workflows, app.Clock));
    }

    private static Task<ImportReport> Csv(LedgerImport import, string? customers, string? invoices) =>
        import.ImportCsvAsync(
            "customers.csv", customers is null ? null : new StringReader(customers),
            "invoices.csv", invoices is null ? null : new StringReader(invoices),
            default);

    [Fact]
    public async Task Invoices_may_name_customers_in_the_same_import_or_already_in_the_ledger()
    {
        var (app, import) = Fixture();
        await app.Ledger.UpsertAsync([PortSamples.Customer("OLD")], [], default);

        var report = await Csv(
            import,
            $"{CustomerHeader}\nNEW,New Co,business,US,NY,America/New_York,ap@new.example,,,,\n",
            $"{InvoiceHeader}\nI-1,NEW,1001,2026-01-01,2026-01-31,USD,100.00,0\nI-2,OLD,1002,2026-01-01,2026-01-31,USD,50.00,10\n");

        Assert.Empty(report.Errors);
        Assert.Equal((1, 2, 0), (report.Customers, report.Invoices, report.CasesTold));
        Assert.Equal(new Money(40m, "USD"), (await app.Ledger.GetInvoiceAsync(new InvoiceId("I-2"), default))!.Outstanding);
    }

    [Fact]
    public async Task A_customer_of_the_ledger_is_found_whatever_the_header_calls_the_customer_column()
    {
        var (app, import) = Fixture();
        await app.Ledger.UpsertAsync([PortSamples.Customer("OLD")], [], default);

        // "Customer ID" names customer_id, as every column is matched ignoring case, spaces, dashes and underscores.
        var report = await Csv(import, null, "id,Customer ID,number,issue_date,due_date,currency,amount,amount_paid\nI-1,OLD,1001,2026-01-01,2026-01-31,USD,100.00,0\n");

        Assert.Empty(report.Errors);
        Assert.Equal(1, report.Invoices);
    }

    [Fact]
    public async Task A_file_with_bad_rows_changes_nothing_and_every_bad_row_is_reported()
    {
        var (app, import) = Fixture();

        var report = await Csv(
            import,
            $"{CustomerHeader}\nC1,Good Co,business,US,NY,America/New_York,ap@good.example,,,,\nC2,Bad Co,business,XX,,Mars/Base,,,,,\n",
            $"{InvoiceHeader}\nI-1,C1,1001,2026-01-01,2026-01-31,USD,100.00,0\nI-2,NOBODY,1002,2026-01-01,2026-01-31,USD,50.00,0\nI-3,C1,1003,2026-01-01,2026-01-31,USD,-5,0\n");

        Assert.Equal(0, report.Customers);
        Assert.Contains(report.Errors, e => e.File == "customers.csv" && e.Line == 3);
        Assert.Contains(report.Errors, e => e.ToString().StartsWith("invoices.csv:3: customer_id: no customer 'NOBODY'", StringComparison.Ordinal));
        Assert.Contains(report.Errors, e => e.File == "invoices.csv" && e.Line == 4 && e.Column == "amount");
        Assert.Null(await app.Ledger.GetCustomerAsync(new CustomerId("C1"), default));
        Assert.Null(await app.Ledger.GetInvoiceAsync(new InvoiceId("I-1"), default));
    }

    [Fact]
    public async Task Reimporting_an_invoice_whose_case_runs_tells_the_case_once_with_the_new_numbers()
    {
        var (app, import) = Fixture();
        await app.Ledger.UpsertAsync([PortSamples.Customer("C1")], [PortSamples.Invoice("I-1", customer: "C1", amount: 500m)], default);
        await app.Scan.RunAsync(Now, default);

        var report = await Csv(import, null, $"{InvoiceHeader}\nI-1,C1,N-I-1,2026-01-01,2026-01-05,USD,500.00,200.00\n");

        Assert.Empty(report.Errors);
        Assert.Equal(1, report.CasesTold);
        var (id, signal) = Assert.Single(app.Workflows.Signals);
        Assert.Equal("I-1", id.Value);
        Assert.Equal(new Money(200m, "USD"), Assert.IsType<CaseEvent.InvoiceUpdated>(signal).Invoice.AmountPaid);
        Assert.Equal(new Money(300m, "USD"), (await app.Cases.GetAsync(new InvoiceId("I-1"), default))!.State.Balance);
    }

    [Fact]
    public async Task A_json_body_is_imported_with_the_same_rules()
    {
        var (app, import) = Fixture();
        using var customers = JsonDocument.Parse("""[{ "id": "J1", "name": "Json Co", "kind": "business", "country": "DE", "timezone": "Europe/Berlin", "billingEmail": "ap@json.example" }]""");
        using var invoices = JsonDocument.Parse("""
            [{ "id": "JI-1", "customerId": "J1", "number": "7", "issueDate": "2026-01-01", "dueDate": "2026-01-31", "currency": "EUR", "amount": 70 },
             { "id": "JI-2", "customerId": "GHOST", "number": "8", "issueDate": "2026-01-01", "dueDate": "2026-01-31", "currency": "EUR", "amount": 80 }]
            """);

        var refused = await import.ImportJsonAsync(customers.RootElement, invoices.RootElement, default);
        var good = await import.ImportJsonAsync(customers.RootElement, null, default);

        Assert.Equal("[1].customerId: no customer 'GHOST' in the customers being imported or in the ledger", Assert.Single(refused.Errors).ToString());
        Assert.Equal((1, 0), (good.Customers, good.Invoices));
        Assert.NotNull(await app.Ledger.GetCustomerAsync(new CustomerId("J1"), default));
    }
}
