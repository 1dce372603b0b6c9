using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Dunning.Local.Tests.Support;

namespace Dunning.Local.Tests.Mail;

/// <summary>
/// Issue 10's "done when", as an owner runs it: <c>init</c>, <c>mail setup</c>, <c>import</c>, then <c>serve</c> (a real
/// process) on a simulated clock moved through the HTTP API: the first reminder reaches a real SMTP server's mailbox, in
/// the customer's language, with the pay link for the invoice's currency.
/// </summary>
[Collection(nameof(ConsoleCollection))]
public sealed class ServeMailTests
{
    private const string AdminKey = "serve-mail-test-key";

    [SmtpFact]
    public async Task Serve_delivers_a_german_customers_first_reminder_in_german_with_the_euro_pay_link_to_the_smtp_server()
    {
        using var folder = new TempFolder("dunning-serve-mail");
        using var sink = new SmtpSink(folder);
        var data = folder.Combine("data");
        await Sample.SetUpGermanCustomerWithMailAsync(folder, data, sink.Port);

        var address = $"http://127.0.0.1:{SmtpSink.FreePort().ToString(CultureInfo.InvariantCulture)}";
        var info = DunningProcess.StartInfo("--data", data, "serve", "--urls", address, "--simulated-clock", "2026-02-20");
        info.Environment["Dunning__AdminKey"] = AdminKey;
        using var serve = Process.Start(info)!;
        var serveErr = serve.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await WaitForLineAsync(serve, "is serving", TimeSpan.FromSeconds(60));
            Assert.Empty(sink.Received()); // nothing is due on the 20th

            using var http = new HttpClient { BaseAddress = new Uri(address) };
            using var advance = new HttpRequestMessage(HttpMethod.Post, "/api/clock/advance") { Content = JsonContent.Create(new { to = "2026-02-28" }) };
            advance.Headers.Add("X-Admin-Key", AdminKey);
            using var answer = await http.SendAsync(advance, CancellationToken.None);
            Assert.True(answer.IsSuccessStatusCode, $"{(int)answer.StatusCode}: {await answer.Content.ReadAsStringAsync(CancellationToken.None)}");

            // The outbox is the queue: serve's mail service sends it in the background.
            var watch = Stopwatch.StartNew();
            while (sink.Received().Count == 0 && watch.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(100, CancellationToken.None);
            }

            var reminder = Assert.Single(sink.Received());
            Assert.Equal("buchhaltung@berg.example", Assert.Single(reminder.To.Mailboxes).Address);
            Assert.Equal("accounts@sunrise.example", Assert.Single(reminder.From.Mailboxes).Address);
            Assert.Equal("Rechnung H-1 wird am 2. März 2026 fällig", reminder.Subject);
            Assert.Contains("1.234,50 €", (reminder.TextBody ?? string.Empty).Replace('\u00A0', ' '), StringComparison.Ordinal);
            Assert.Contains("href=\"https://pay.sunrise.example/eur/H-1\"", reminder.HtmlBody, StringComparison.Ordinal);
            Assert.Contains("https://pay.sunrise.example/eur/H-1", reminder.TextBody, StringComparison.Ordinal);
        }
        finally
        {
            serve.Kill(entireProcessTree: true);
            await serve.WaitForExitAsync(CancellationToken.None);
        }

        Assert.DoesNotContain("Unhandled", await serveErr, StringComparison.Ordinal);
    }

    private static async Task WaitForLineAsync(Process process, string text, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        while (await process.StandardOutput.ReadLineAsync(cancel.Token) is { } line)
        {
            if (line.Contains(text, StringComparison.Ordinal))
            {
                _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
                return;
            }
        }

        Assert.Fail($"dunning exited before printing '{text}'");
    }
}
