using Dunning.Local.Cli;
using Dunning.Local.Tests.Support;
using Dunning.Policies;

namespace Dunning.Local.Tests;

/// <summary>Issue 10.2: nobody is contacted from "Your Business Ltd"; <c>dunning init</c> writes the real profile.</summary>
[Collection(nameof(ConsoleCollection))]
public sealed class ProfileTests
{
    private static readonly DateOnly Due = new(2026, 3, 2);

    [Theory]
    [InlineData("import")]
    [InlineData("run")]
    [InlineData("serve")]
    public async Task WithThePlaceholderProfileImportRunAndServeRefuseAndNameTheFields(string command)
    {
        using var folder = new TempFolder("dunning-profile");
        var data = folder.Combine("data");
        var customers = folder.Write("customers.csv", Sample.Customers(Sample.HarborBakery));
        string[] args = command switch
        {
            "import" => ["--data", data, "import", "--customers", customers],
            "run" => ["--data", data, "run", "--from", "2026-03-01", "--until", "2026-03-10"],
            _ => ["--data", data, "serve", "--urls", "http://127.0.0.1:0"],
        };

        var (exit, _, err) = await ConsoleCapture.CliAsync(args);

        Assert.Equal(CommandLine.BadInput, exit);
        Assert.Contains("dunning init", err, StringComparison.Ordinal);
        Assert.Contains("business.name: still the placeholder", err, StringComparison.Ordinal);
        Assert.Contains("business.bankTransfer: still the placeholder", err, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(data, "dunning.db")), "nothing ran");
    }

    [Fact]
    public async Task InitWritesTheProfileWithPerCurrencyPaymentsAndKeepsTheRestOfThePolicy()
    {
        using var folder = new TempFolder("dunning-profile");
        var data = folder.Combine("data");
        Directory.CreateDirectory(data);
        File.WriteAllText(Path.Combine(data, "policy.json"), """{ "graceDays": 5 }""");

        var init = await ConsoleCapture.CliAsync([.. Sample.Init(data), "--reply-to", "credit@sunrise.example",
            "--bank-transfer", "Account 00000000, routing 000000000, reference {invoiceNumber}",
            "--bank-transfer-for", "EUR=IBAN DE00 0000 0000 0000 0000 00, reference {invoiceNumber}",
            "--payment-link-for", "EUR=https://pay.sunrise.example/eur/{invoiceNumber}"]);

        Assert.True(init.Exit == CommandLine.Ok, init.Err);
        var policy = PolicyJson.Load(Path.Combine(data, "policy.json"));
        Assert.Equal(5, policy.GraceDays);
        Assert.Equal(("Sunrise Bakery Supplies", "accounts@sunrise.example", "credit@sunrise.example", "Ana Baker"),
            (policy.Business.Name, policy.Business.Email, policy.Business.ReplyTo, policy.Business.OwnerName));
        Assert.Null(policy.Business.ChequePayableTo);
        var eur = policy.Business.PaymentFor("EUR");
        Assert.Equal("https://pay.sunrise.example/eur/{invoiceNumber}", eur.PaymentLinkTemplate);
        Assert.Equal("IBAN DE00 0000 0000 0000 0000 00, reference {invoiceNumber}", eur.BankTransfer);
        Assert.Empty(DefaultPolicy.PlaceholdersIn(policy.Business));

        var customers = folder.Write("customers.csv", Sample.Customers(Sample.HarborBakery));
        var invoices = folder.Write("invoices.csv", Sample.Invoices(Sample.Invoice("INV-1", "C1", Due, 1_200m)));
        var import = await ConsoleCapture.CliAsync("--data", data, "import", "--customers", customers, "--invoices", invoices);
        Assert.True(import.Exit == CommandLine.Ok, import.Err);
        var run = await ConsoleCapture.CliAsync("--data", data, "run", "--until", "2026-03-06");
        Assert.True(run.Exit == CommandLine.Ok, run.Err);
        var emails = Directory.EnumerateFiles(Path.Combine(data, "outbox"), "*.eml").ToList();
        Assert.NotEmpty(emails);
        var email = File.ReadAllText(emails[0]);
        Assert.Contains("From: Sunrise Bakery Supplies <accounts@sunrise.example>", email, StringComparison.Ordinal);
        Assert.Contains("Reply-To: Sunrise Bakery Supplies <credit@sunrise.example>", email, StringComparison.Ordinal);
        Assert.DoesNotContain("Your Business", email, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InitWithoutTheRequiredFieldsNamesThemAndWritesNothing()
    {
        using var folder = new TempFolder("dunning-profile");
        var data = folder.Combine("data");

        var (exit, _, err) = await ConsoleCapture.CliAsync("--data", data, "init", "--name", "Sunrise Bakery Supplies", "--payment-link", "https://pay.sunrise.example/i/{invoiceNumber}");

        Assert.Equal(CommandLine.BadInput, exit);
        Assert.Contains("--email: required", err, StringComparison.Ordinal);
        Assert.Contains("--owner: required", err, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(data, "policy.json")));
    }

    [Fact]
    public async Task InitWritesTheBusinessLanguageAndRefusesAnUnsupportedOne()
    {
        using var folder = new TempFolder("dunning-profile");
        var data = folder.Combine("data");
        string[] profile = ["--data", data, "init", "--name", "Bäckerei Berg", "--email", "konto@berg.example", "--owner", "Anna Berg", "--bank-transfer", "IBAN DE00 0000 0000 0000 0000 00, Referenz {invoiceNumber}"];

        var (refused, _, err) = await ConsoleCapture.CliAsync([.. profile, "--language", "it"]);
        Assert.Equal(CommandLine.BadInput, refused);
        Assert.Contains("business.language: 'it' is not a supported language", err, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(data, "policy.json")));

        var (exit, _, _) = await ConsoleCapture.CliAsync([.. profile, "--language", "de-DE"]);
        Assert.Equal(CommandLine.Ok, exit);
        Assert.Equal("de-DE", PolicyJson.Load(Path.Combine(data, "policy.json")).Business.Language);
    }

    [Fact]
    public async Task InitRefusesToWriteTheSamplePlaceholdersBack()
    {
        using var folder = new TempFolder("dunning-profile");
        var data = folder.Combine("data");
        var p = DefaultPolicy.Placeholder;

        var (exit, _, err) = await ConsoleCapture.CliAsync("--data", data, "init", "--name", p.Name, "--email", "me@sunrise.example", "--owner", "Ana Baker", "--bank-transfer", p.BankTransfer!);

        Assert.Equal(CommandLine.BadInput, exit);
        Assert.Contains("business.name", err, StringComparison.Ordinal);
        Assert.Contains("business.bankTransfer", err, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(data, "policy.json")));
    }
}
