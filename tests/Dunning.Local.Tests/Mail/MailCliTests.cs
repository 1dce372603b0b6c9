using System.Globalization;
using Dunning.Local.Mail;
using Dunning.Local.Tests.Support;

namespace Dunning.Local.Tests.Mail;

/// <summary><c>dunning mail setup</c>, <c>mail test</c> and <c>mail status</c>, and what a bad <c>mail.json</c> says.</summary>
[Collection(nameof(ConsoleCollection))]
public sealed class MailCliTests
{
    [SmtpFact]
    public async Task MailSetupThenMailTestDeliversOneMessageToTheServer()
    {
        using var folder = new TempFolder("dunning-mail-cli");
        using var sink = new SmtpSink(folder);
        var port = sink.Port.ToString(CultureInfo.InvariantCulture);

        var setup = await ConsoleCapture.CliAsync("--data", folder.Path, "mail", "setup", "--host", "127.0.0.1", "--port", port, "--security", "none");
        Assert.True(setup.Exit == 0, setup.Err + setup.Out);
        var test = await ConsoleCapture.CliAsync("--data", folder.Path, "mail", "test", "--to", "owner@bakery.example");
        Assert.True(test.Exit == 0, test.Err + test.Out);

        var message = Assert.Single(sink.Received());
        Assert.Equal("owner@bakery.example", Assert.Single(message.To.Mailboxes).Address);
        Assert.Contains("Test message", message.Subject, StringComparison.Ordinal);
        Assert.Contains(message.MessageId!, test.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("password", await File.ReadAllTextAsync(folder.Combine(MailSettings.FileName)), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task MailTestToAServerThatIsDownSaysSoAndFails()
    {
        using var folder = new TempFolder("dunning-mail-cli");
        var port = SmtpSink.FreePort().ToString(CultureInfo.InvariantCulture);
        await ConsoleCapture.CliAsync("--data", folder.Path, "mail", "setup", "--host", "127.0.0.1", "--port", port, "--security", "none");

        var test = await ConsoleCapture.CliAsync("--data", folder.Path, "mail", "test", "--to", "owner@bakery.example");

        Assert.Equal(1, test.Exit);
        Assert.Contains("not sent through smtp 127.0.0.1:" + port, test.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABadMailFileNamesEveryProblemAndNothingRuns()
    {
        using var folder = new TempFolder("dunning-mail-cli");
        folder.Write(MailSettings.FileName, """{"smtp":{"host":"smtp.example.net","port":99999,"security":"none","user":"me","passwordEnv":"DUNNING_TEST_NO_SUCH_VARIABLE"},"from":"not-an-address"}""");

        var status = await ConsoleCapture.CliAsync("--data", folder.Path, "mail", "status");

        Assert.Equal(1, status.Exit);
        Assert.Contains("smtp.port: 99999", status.Err, StringComparison.Ordinal);
        Assert.Contains("only for a relay on this machine", status.Err, StringComparison.Ordinal);
        Assert.Contains("DUNNING_TEST_NO_SUCH_VARIABLE is empty", status.Err, StringComparison.Ordinal);
        Assert.Contains("from: 'not-an-address'", status.Err, StringComparison.Ordinal);
        Assert.False(File.Exists(folder.Combine("dunning.db")), "nothing ran");
    }

    [Fact]
    public async Task WithoutAMailFileTheTestMessageIsAnEmlInTheOutbox()
    {
        using var folder = new TempFolder("dunning-mail-cli");

        var test = await ConsoleCapture.CliAsync("--data", folder.Path, "mail", "test", "--to", "owner@bakery.example");

        Assert.True(test.Exit == 0, test.Err + test.Out);
        Assert.Single(Directory.EnumerateFiles(folder.Combine("outbox"), "*.eml"));
        Assert.Contains("dunning mail setup", test.Out, StringComparison.Ordinal);
    }

    [SmtpFact]
    public async Task InitImportAndRunDeliverTheFirstReminderWithItsPayLinkToTheSmtpServer()
    {
        using var folder = new TempFolder("dunning-mail-cli");
        using var sink = new SmtpSink(folder);
        var data = folder.Combine("data");
        var customers = folder.Write("customers.csv", Sample.Customers(Sample.HarborBakery));
        var invoices = folder.Write("invoices.csv", Sample.Invoices(Sample.Invoice("INV-1", "C1", new DateOnly(2026, 3, 2), 1_200m)));
        await Sample.SetUpWithMailAsync(data, sink.Port, customers, invoices);
        var run = await ConsoleCapture.CliAsync("--data", data, "run", "--until", "2026-02-28");
        Assert.True(run.Exit == 0, run.Err + run.Out);

        var reminder = Assert.Single(sink.Received());
        Assert.Equal("ap@harbor.example", Assert.Single(reminder.To.Mailboxes).Address);
        Assert.Equal("accounts@sunrise.example", Assert.Single(reminder.From.Mailboxes).Address);
        Assert.Contains("href=\"https://pay.sunrise.example/i/H-1\"", reminder.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("https://pay.sunrise.example/i/H-1", reminder.TextBody, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(data, "outbox")) && Directory.EnumerateFiles(Path.Combine(data, "outbox"), "*.eml").Any());
    }

    [SmtpFact]
    public async Task AGermanCustomersFirstReminderArrivesInGermanWithAGermanDateAndAmountAndTheEuroPayLink()
    {
        using var folder = new TempFolder("dunning-mail-cli");
        using var sink = new SmtpSink(folder);
        var data = folder.Combine("data");
        await Sample.SetUpGermanCustomerWithMailAsync(folder, data, sink.Port);
        var run = await ConsoleCapture.CliAsync("--data", data, "run", "--until", "2026-02-28");
        Assert.True(run.Exit == 0, run.Err + run.Out);

        // The customer's language: German wording, a German date and a German amount.
        var reminder = Assert.Single(sink.Received());
        Assert.Equal("buchhaltung@berg.example", Assert.Single(reminder.To.Mailboxes).Address);
        Assert.Equal("Rechnung H-1 wird am 2. März 2026 fällig", reminder.Subject);
        Assert.StartsWith("Guten Tag Bäckerei Berg GmbH,", reminder.TextBody, StringComparison.Ordinal);
        Assert.Contains("<p>Guten Tag B", reminder.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("1.234,50 €", (reminder.TextBody ?? string.Empty).Replace('\u00A0', ' '), StringComparison.Ordinal);
        Assert.Contains("1.234,50 €", (reminder.HtmlBody ?? string.Empty).Replace("&#160;", " ", StringComparison.Ordinal).Replace('\u00A0', ' '), StringComparison.Ordinal);
        Assert.Contains("href=\"https://pay.sunrise.example/eur/H-1\"", reminder.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("https://pay.sunrise.example/eur/H-1", reminder.TextBody, StringComparison.Ordinal);
    }
}
