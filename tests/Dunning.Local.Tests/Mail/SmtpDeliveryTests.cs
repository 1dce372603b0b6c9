using Dunning.Cases;
using Dunning.Common;
using Dunning.Local.Mail;
using Dunning.Local.Runner;
using Dunning.Local.Tests.Support;

namespace Dunning.Local.Tests.Mail;

/// <summary>
/// Issue 10.1: email leaves the machine through a real SMTP server (aiosmtpd on 127.0.0.1), with the SMTP queue in the
/// data folder as the durable outbox: each message delivered once, retried after a refusal or an outage, across restarts,
/// and a bounce reaches the case, which writes to the next contact instead.
/// </summary>
public sealed class SmtpDeliveryTests
{
    /// <summary>Friday 27 February 2026, 10:00 in San Francisco: the courtesy nudge's day for an invoice due on Monday 2 March.</summary>
    private static readonly DateTimeOffset Start = new(2026, 2, 27, 18, 0, 0, TimeSpan.Zero);

    private static readonly DateOnly Due = new(2026, 3, 2);

    [SmtpFact]
    public async Task TheFirstReminderReachesTheServerOnceWithTheMessageIdOfItsKey()
    {
        using var folder = new TempFolder("dunning-smtp");
        using var sink = new SmtpSink(folder);
        var clock = new SimulatedClock(Start);
        var app = await OpenWithCasesAsync(folder.Path, clock, sink.Port, Sample.HarborBakery);

        var first = await app.Delivery!.DeliverDueAsync(default);
        var again = await app.Delivery.DeliverDueAsync(default);

        Assert.Equal((1, 0, 0), (first.Sent, first.Retrying, first.Parked));
        Assert.Equal(DeliveryStats.None, again);
        var message = Assert.Single(sink.Received());
        Assert.Equal("ap@harbor.example", Assert.Single(message.To.Mailboxes).Address);
        Assert.Equal(MimeMail.MessageId("INV-1/step-courtesy", "example.com"), message.MessageId);
        Assert.Equal("INV-1/step-courtesy", message.Headers[MimeMail.KeyHeader]);
        Assert.Equal(Start, message.Date);
        Assert.Contains("Invoice H-1", message.Subject, StringComparison.Ordinal);
        Assert.False(Directory.Exists(app.OutboxFolder) && Directory.EnumerateFiles(app.OutboxFolder, "*.eml").Any(), "with SMTP configured no .eml file is written");
        var row = Assert.Single(SmtpDelivery.List(app.Database));
        Assert.Equal(("sent", 0), (row.Status, row.Attempts));
    }

    [SmtpFact]
    public async Task AMessageTheServerRefusesForNowIsSentAgainAfterItsBackOff()
    {
        using var folder = new TempFolder("dunning-smtp");
        using var sink = new SmtpSink(folder);
        var clock = new SimulatedClock(Start);
        var app = await OpenWithCasesAsync(folder.Path, clock, sink.Port, Sample.HarborBakery);
        sink.RefuseNext(1);

        var refused = await app.Delivery!.DeliverDueAsync(default);
        Assert.Equal((0, 1, 0), (refused.Sent, refused.Retrying, refused.Parked));
        var queued = Assert.Single(SmtpDelivery.List(app.Database));
        Assert.Equal("queued", queued.Status);
        Assert.Contains("451", queued.Reason, StringComparison.Ordinal);
        Assert.Equal(Start + SmtpDelivery.Backoff[0], queued.NextAttemptAt);

        Assert.Equal(DeliveryStats.None, await app.Delivery.DeliverDueAsync(default));
        clock.Now += SmtpDelivery.Backoff[0];
        var retried = await app.Delivery.DeliverDueAsync(default);

        Assert.Equal(1, retried.Sent);
        Assert.Single(sink.Received());
    }

    [SmtpFact]
    public async Task MessagesQueuedWhileTheServerWasDownAreEachDeliveredOnceAcrossRestarts()
    {
        using var folder = new TempFolder("dunning-smtp");
        var port = SmtpSink.FreePort();
        var clock = new SimulatedClock(Start);
        var down = await OpenWithCasesAsync(folder.Path, clock, port, Sample.HarborBakery, Sample.HarborBakery.Replace("C1,Harbor Bakery", "C2,Dock Cafe", StringComparison.Ordinal));

        var outage = await down.Delivery!.DeliverDueAsync(default);
        Assert.Equal((0, 2, 0), (outage.Sent, outage.Retrying, outage.Parked));
        Assert.All(SmtpDelivery.List(down.Database), m => Assert.Contains("attempt 1 failed", m.Reason, StringComparison.Ordinal));

        // The server comes up, refusing one message; the host is restarted twice while the queue drains.
        using var sink = new SmtpSink(folder, port);
        sink.RefuseNext(1);
        clock.Now += SmtpDelivery.Backoff[0];
        var restarted = LocalApp.Open(folder.Path, clock: clock, mail: Settings(port));
        var half = await restarted.Delivery!.DeliverDueAsync(default);
        Assert.Equal((1, 1, 0), (half.Sent, half.Retrying, half.Parked));

        clock.Now += SmtpDelivery.Backoff[1];
        var again = LocalApp.Open(folder.Path, clock: clock, mail: Settings(port));
        Assert.Equal(1, (await again.Delivery!.DeliverDueAsync(default)).Sent);
        clock.Now += TimeSpan.FromDays(2);
        Assert.Equal(DeliveryStats.None, await again.Delivery.DeliverDueAsync(default));

        var received = sink.Received();
        Assert.Equal(2, received.Count);
        Assert.Equal(
            [MimeMail.MessageId("INV-1/step-courtesy", "example.com"), MimeMail.MessageId("INV-2/step-courtesy", "example.com")],
            received.Select(m => m.MessageId).Order(StringComparer.Ordinal));
        Assert.All(SmtpDelivery.List(again.Database), m => Assert.Equal("sent", m.Status));
    }

    [SmtpFact]
    public async Task ARefusedAddressIsParkedWithTheServersAnswerAndTheCaseWritesToTheNextContact()
    {
        using var folder = new TempFolder("dunning-smtp");
        using var sink = new SmtpSink(folder);
        var clock = new SimulatedClock(Start);
        var app = await OpenWithCasesAsync(folder.Path, clock, sink.Port, Sample.HarborBakery.Replace("ap@harbor.example", "nobody@harbor.example", StringComparison.Ordinal));

        var bounced = await app.Delivery!.DeliverDueAsync(default);
        Assert.Equal((0, 0, 1), (bounced.Sent, bounced.Retrying, bounced.Parked));
        var parked = Assert.Single(SmtpDelivery.List(app.Database));
        Assert.Equal("parked", parked.Status);
        Assert.Contains("550", parked.Reason, StringComparison.Ordinal);
        Assert.Contains("no such user", parked.Reason, StringComparison.Ordinal);

        await app.Runner.RunDueAsync(clock.Now, default);
        await app.Delivery.DeliverDueAsync(default);

        var state = (await app.Cases.GetAsync(new InvoiceId("INV-1"), default))!.State;
        var bounce = Assert.Single(state.History.OfType<CaseEvent.ContactBounced>());
        Assert.Equal(("step-courtesy", "nobody@harbor.example"), (bounce.Key, bounce.Address));
        var delivered = Assert.Single(sink.Received());
        Assert.Equal("office@harbor.example", Assert.Single(delivered.To.Mailboxes).Address);
        Assert.Equal("INV-1/step-courtesy.2", delivered.Headers[MimeMail.KeyHeader]);
    }

    private static MailSettings Settings(int port) => new("127.0.0.1", port, SmtpSecurity.None, null, null, null, null);

    private static async Task<LocalApp> OpenWithCasesAsync(string folder, SimulatedClock clock, int port, params string[] customers)
    {
        var app = LocalApp.Open(folder, clock: clock, mail: Settings(port));
        var invoices = customers.Select((c, i) => Sample.Invoice($"INV-{i + 1}", c.Split(',')[0], Due, 1_200m)).ToArray();
        using (var customerCsv = new StringReader(Sample.Customers(customers)))
        using (var invoiceCsv = new StringReader(Sample.Invoices(invoices)))
        {
            var report = await app.Import.ImportCsvAsync("customers.csv", customerCsv, "invoices.csv", invoiceCsv, default);
            Assert.Empty(report.Errors);
        }

        var scan = await app.Driver!.AdvanceAsync(Start);
        Assert.Equal(customers.Length, scan.CasesStarted);
        return app;
    }
}
