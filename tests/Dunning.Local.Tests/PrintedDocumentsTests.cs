using Dunning.Local.Cli;
using Dunning.Local.Tests.Support;
using UglyToad.PdfPig;

namespace Dunning.Local.Tests;

/// <summary>
/// Issue 10.4 through the local host: line items imported from the CSV reach the posted invoice copy, and a flagged
/// case's evidence folder holds the statement of account as a PDF.
/// </summary>
[Collection(nameof(ConsoleCollection))]
public sealed class PrintedDocumentsTests
{
    private static readonly DateOnly Due = new(2026, 1, 5);

    [Fact]
    public async Task Imported_line_items_are_on_the_posted_invoice_copy_and_the_flagged_case_files_a_pdf_statement()
    {
        using var folder = new TempFolder("dunning-printed");
        var data = folder.Combine("data");
        var customers = folder.Write("customers.csv", Sample.Customers(Sample.HarborBakery));
        var invoices = folder.Write("invoices.csv", $"""
            {Sample.InvoicesHeader},lines
            {Sample.Invoice("INV-1", "C1", Due, 1_234.50m, paid: 200m)},"Sourdough loaves|40|25.00; Wedding cake, three tiers|1|234.50"

            """);
        Assert.Equal(CommandLine.Ok, (await ConsoleCapture.CliAsync(Sample.Init(data))).Exit);
        foreach (var args in new[]
        {
            new[] { "import", "--customers", customers, "--invoices", invoices },
            ["run", "--until", "2026-04-15"],
        })
        {
            var (exit, _, err) = await ConsoleCapture.CliAsync(["--data", data, .. args]);
            Assert.True(exit == CommandLine.Ok, $"{string.Join(' ', args)}: {err}");
        }

        var letter = Assert.Single(Directory.GetFiles(Path.Combine(data, "letters", "INV-1"), "*.pdf"), f => Text(f, page: 2).Contains("COPY", StringComparison.Ordinal));
        var copy = Text(letter, page: 2);
        Assert.Contains("Sourdough loaves 40 $25.00 $1,000.00", copy, StringComparison.Ordinal);
        Assert.Contains("Wedding cake, three tiers 1 $234.50 $234.50", copy, StringComparison.Ordinal);
        Assert.Contains("Amount due $1,034.50", copy, StringComparison.Ordinal);

        var evidence = Path.Combine(data, "evidence", "INV-1");
        Assert.True(File.Exists(Path.Combine(evidence, "statement-of-account.txt")), "the case was flagged and its bundle filed");
        var statement = Text(Path.Combine(evidence, "statement-of-account.pdf"), page: 1);
        Assert.Contains("Sunrise Bakery Supplies", statement, StringComparison.Ordinal);
        Assert.Contains("Harbor Bakery 12 Pier St San Francisco, CA 94111", statement, StringComparison.Ordinal);
        Assert.Contains("Statement of account", statement, StringComparison.Ordinal);
        Assert.Contains("6 Dec 2025 Invoice H-1 (due 2026-01-05) $1,234.50 $1,234.50 Paid before collection began -$200.00 $1,034.50", statement, StringComparison.Ordinal);
        Assert.EndsWith("Amount due $1,034.50", statement, StringComparison.Ordinal);
        // The text statement beside it is unchanged in form: still UTF-8 text ending in the same balance.
        Assert.EndsWith("$1,034.50\n", await File.ReadAllTextAsync(Path.Combine(evidence, "statement-of-account.txt")), StringComparison.Ordinal);
    }

    private static string Text(string pdfFile, int page)
    {
        using var pdf = PdfDocument.Open(pdfFile);
        return page > pdf.NumberOfPages ? "" : string.Join(" ", pdf.GetPage(page).GetWords().Select(w => w.Text));
    }
}
