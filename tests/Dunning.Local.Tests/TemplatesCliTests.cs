using Dunning.Local.Tests.Support;
using MimeKit;

namespace Dunning.Local.Tests;

/// <summary><c>dunning templates export</c> and <c>check</c>, and a business's template changing what the runner sends.</summary>
[Collection(nameof(ConsoleCollection))]
public sealed class TemplatesCliTests
{
    private static string Write(TempFolder folder, string relative, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(folder.Combine(relative))!);
        return folder.Write(relative, text);
    }

    [Fact]
    public async Task ExportWritesEveryShippedTemplateForEditingAndTheCheckPassesThem()
    {
        using var folder = new TempFolder("dunning-templates-cli");

        var export = await ConsoleCapture.CliAsync("--data", folder.Path, "templates", "export", "--to", folder.Combine("edit"));
        var check = await ConsoleCapture.CliAsync("--data", folder.Path, "templates", "check");

        Assert.True(export.Exit == 0, export.Err + export.Out);
        foreach (var language in new[] { "en", "de", "fr", "es" })
        {
            Assert.True(File.Exists(folder.Combine("edit", language, "gentle.liquid")), language);
            Assert.True(File.Exists(folder.Combine("edit", language, "final-notice.liquid")), language);
        }

        Assert.Contains("Zahlungserinnerung", await File.ReadAllTextAsync(folder.Combine("edit", "de", "gentle.liquid")), StringComparison.Ordinal);
        Assert.True(check.Exit == 0, check.Err + check.Out);
        Assert.Contains("no unknown variables", check.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExportNeverOverwritesATemplateTheBusinessAlreadyEdited()
    {
        using var folder = new TempFolder("dunning-templates-cli");
        var mine = Write(folder, "data/templates/en/gentle.liquid", "{% capture subject %}Mine{% endcapture %}{% capture opening %}Hi.{% endcapture %}{% capture closing %}Bye.{% endcapture %}");

        var export = await ConsoleCapture.CliAsync("--data", folder.Combine("data"), "templates", "export");

        Assert.True(export.Exit == 0, export.Err + export.Out);
        Assert.StartsWith("{% capture subject %}Mine", await File.ReadAllTextAsync(mine), StringComparison.Ordinal);
        Assert.Contains("Kept (already there): " + mine, export.Out, StringComparison.Ordinal);
        Assert.True(File.Exists(folder.Combine("data", "templates", "de", "gentle.liquid")));
    }

    [Fact]
    public async Task CheckRefusesAnUnknownVariableNamingTheFileTheLineAndTheVariable()
    {
        using var folder = new TempFolder("dunning-templates-cli");
        var file = Write(folder, "data/templates/de/gentle.liquid",
            "{% capture subject %}Erinnerung: {{ invoice_number }}{% endcapture %}\n{% capture opening %}Hallo {{ nope }}.{% endcapture %}\n{% capture closing %}Danke.{% endcapture %}\n");

        var check = await ConsoleCapture.CliAsync("--data", folder.Combine("data"), "templates", "check");
        var cases = await ConsoleCapture.CliAsync("--data", folder.Combine("data"), "cases");

        Assert.Equal(1, check.Exit);
        Assert.Contains($"{file}:2: unknown variable 'nope'", check.Err, StringComparison.Ordinal);
        Assert.Equal(1, cases.Exit);
        Assert.Contains($"{file}:2: unknown variable 'nope'", cases.Err, StringComparison.Ordinal);
        Assert.False(File.Exists(folder.Combine("data", "dunning.db")), "nothing ran");
    }

    [Fact]
    public async Task CheckRefusesATemplateThatDoesNotParseWithItsLine()
    {
        using var folder = new TempFolder("dunning-templates-cli");
        var file = Write(folder, "data/templates/fr/firm.liquid", "{% capture subject %}Relance{% endcapture %}\n{% if %}\n");

        var check = await ConsoleCapture.CliAsync("--data", folder.Combine("data"), "templates", "check");

        Assert.Equal(1, check.Exit);
        Assert.Contains(file + ":2: does not parse", check.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABusinessTemplateInTheDataFolderChangesTheEmailTheRunnerWrites()
    {
        using var folder = new TempFolder("dunning-templates-cli");
        var data = folder.Combine("data");
        var customers = folder.Write("customers.csv", Sample.Customers(Sample.HarborBakery));
        var invoices = folder.Write("invoices.csv", Sample.Invoices(Sample.Invoice("INV-1", "C1", new DateOnly(2026, 3, 2), 1_200m)));
        Write(folder, "data/templates/en/courtesy.liquid", """
            {% capture subject %}Heads up from {{ business_name }}: invoice {{ invoice_number }} is due {{ due_date }}{% endcapture %}
            {% capture opening %}
            Just a note from the bakery that invoice {{ invoice_number }} comes due on {{ due_date }}.
            {% endcapture %}
            {% capture closing %}Thanks, as always!{% endcapture %}
            """);
        string[][] steps =
        [
            Sample.Init(data),
            ["--data", data, "import", "--customers", customers, "--invoices", invoices],
            ["--data", data, "run", "--until", "2026-02-28"],
        ];
        foreach (var args in steps)
        {
            var (exit, output, err) = await ConsoleCapture.CliAsync(args);
            Assert.True(exit == 0, $"{string.Join(' ', args)}: {err}{output}");
        }

        var eml = Assert.Single(Directory.EnumerateFiles(Path.Combine(data, "outbox"), "*.eml"));
        using var message = await MimeMessage.LoadAsync(eml);
        Assert.Equal("Heads up from Sunrise Bakery Supplies: invoice H-1 is due 2 March 2026", message.Subject);
        Assert.Contains("Just a note from the bakery that invoice H-1 comes due on 2 March 2026.", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("Thanks, as always!", message.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("$1,200.00", message.TextBody, StringComparison.Ordinal);
    }
}
