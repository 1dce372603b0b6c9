using System.Globalization;
using Dunning.Common;
using Dunning.Tests.Ports;
using Dunning.UseCases;
using Dunning.Webhooks;

namespace Dunning.Tests.UseCases;

/// <summary>
/// Every payment counted once and only once (issue 9, items 1 to 4), through the webhooks both hosts run, for an invoice
/// with a case and for one the ledger holds alone.
/// </summary>
public class MoneyTests
{
    private const string Secret = "whsec_test";
    private static readonly DateTimeOffset Now = new(2026, 2, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly InvoiceId Cased = new("INV-1");
    private static readonly InvoiceId Uncased = new("NO-CASE");

    private static async Task<UseCaseFixture> AppAsync(decimal paidBefore = 0m)
    {
        var app = new UseCaseFixture(Now);
        await app.Ledger.UpsertAsync(
            [PortSamples.Customer()],
            [PortSamples.Invoice("INV-1", amount: 1_000m, paid: paidBefore), PortSamples.Invoice("NO-CASE", dueDay: 28, amount: 1_000m, paid: paidBefore)],
            default);
        await app.Scan.RunAsync(new DateTimeOffset(2026, 1, 10, 6, 0, 0, TimeSpan.Zero), default);
        Assert.NotNull(await app.Cases.GetAsync(Cased, default));
        Assert.Null(await app.Cases.GetAsync(Uncased, default));
        return app;
    }

    private static string Generic(string eventId, InvoiceId invoice, decimal amount, string reference, string kind = "payment", string extra = "") =>
        $$"""{"eventId":"{{eventId}}","invoiceId":"{{invoice}}","amount":{{amount.ToString(CultureInfo.InvariantCulture)}},"currency":"USD","paidAt":"2026-02-01T11:00:00Z","reference":"{{reference}}","kind":"{{kind}}"{{extra}}}""";

    private static string StripeRefund(string eventId, InvoiceId invoice, long refundedToDate, string charge = "ch_X") =>
        $$$"""{"id":"{{{eventId}}}","type":"charge.refunded","created":1769943600,"data":{"object":{"id":"{{{charge}}}","amount":100000,"amount_refunded":{{{refundedToDate}}},"currency":"usd","metadata":{"invoice_id":"{{{invoice}}}"} } } }""";

    private static string StripePayment(string eventId, InvoiceId invoice, long minor, string paymentIntent) =>
        $$$"""{"id":"{{{eventId}}}","type":"payment_intent.succeeded","created":1769943600,"data":{"object":{"id":"{{{paymentIntent}}}","amount_received":{{{minor}}},"currency":"usd","metadata":{"invoice_id":"{{{invoice}}}"} } } }""";

    private static Task<WebhookResult> DeliverGeneric(UseCaseFixture app, string body)
    {
        var timestamp = Now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var verdict = GenericWebhook.Verify(body, timestamp, GenericWebhook.SignatureHeader(body, Secret, timestamp), Secret, Now);
        return app.Webhooks.HandleAsync(GenericWebhook.Provider, verdict, body, Now, default);
    }

    private static Task<WebhookResult> DeliverStripe(UseCaseFixture app, string body)
    {
        var verdict = StripeWebhook.Verify(body, StripeWebhook.SignatureHeader(body, Secret, Now), Secret, Now);
        return app.Webhooks.HandleAsync(StripeWebhook.Provider, verdict, body, Now, default);
    }

    /// <summary>What is paid and kept on the invoice, case or not.</summary>
    private static async Task<decimal> PaidAsync(UseCaseFixture app, InvoiceId id) =>
        await app.Cases.GetAsync(id, default) is { } record
            ? record.State.TotalPaid.Amount
            : (await app.Ledger.GetInvoiceAsync(id, default))!.AmountPaid.Amount;

    public static TheoryData<string> Invoices => new() { "INV-1", "NO-CASE" };

    [Theory]
    [MemberData(nameof(Invoices))]
    public async Task Item1_GenericPaymentsThatShareAReference_AreEachCounted(string invoice)
    {
        var app = await AppAsync();
        var id = new InvoiceId(invoice);

        var first = await DeliverGeneric(app, Generic("evtA1", id, 100m, "BW-0019"));
        var second = await DeliverGeneric(app, Generic("evtA2", id, 150m, "BW-0019"));
        var retried = await DeliverGeneric(app, Generic("evtA2", id, 150m, "BW-0019"));

        Assert.Equal(WebhookAnswer.Applied, first.Answer);
        Assert.Equal(WebhookAnswer.Applied, second.Answer);
        Assert.Equal(WebhookAnswer.Duplicate, retried.Answer);
        Assert.Equal(250m, await PaidAsync(app, id));
    }

    [Theory]
    [MemberData(nameof(Invoices))]
    public async Task Item2_ASecondPartialRefundOfTheSameCharge_AddsWhatTheRunningTotalGrew(string invoice)
    {
        var app = await AppAsync();
        var id = new InvoiceId(invoice);
        await DeliverStripe(app, StripePayment("evt_p", id, 80_000, "pi_X"));

        var first = await DeliverStripe(app, StripeRefund("evt_r1", id, 10_000));
        var second = await DeliverStripe(app, StripeRefund("evt_r2", id, 25_000));
        await DeliverStripe(app, StripeRefund("evt_r0", id, 10_000)); // an older total delivered late changes nothing

        Assert.Equal(WebhookAnswer.Applied, first.Answer);
        Assert.Equal(WebhookAnswer.Applied, second.Answer);
        Assert.Equal(800m - 250m, await PaidAsync(app, id));
    }

    [Theory]
    [MemberData(nameof(Invoices))]
    public async Task Item2_GenericRefundsThatShareAReference_AreEachCounted(string invoice)
    {
        var app = await AppAsync();
        var id = new InvoiceId(invoice);
        await DeliverGeneric(app, Generic("p1", id, 500m, "BW-1"));

        await DeliverGeneric(app, Generic("r1", id, 100m, "BW-1", "refund"));
        await DeliverGeneric(app, Generic("r2", id, 150m, "BW-1", "refund"));

        Assert.Equal(250m, await PaidAsync(app, id));
    }

    [Fact]
    public async Task Item3_ARefundLargerThanWhatWasPaid_IsKeptForReviewAndTheNextPaymentCounts()
    {
        var app = await AppAsync();
        await DeliverGeneric(app, Generic("p1", Cased, 480m, "BW-1"));

        var huge = await DeliverGeneric(app, Generic("r1", Cased, 99_999m, "BW-1", "refund"));
        var payment = await DeliverGeneric(app, Generic("p2", Cased, 100m, "BW-2"));

        Assert.Equal(WebhookAnswer.ForReview, huge.Answer);
        Assert.Contains("more than the", huge.Detail, StringComparison.Ordinal);
        Assert.Equal(WebhookAnswer.Applied, payment.Answer);
        Assert.Equal(580m, await PaidAsync(app, Cased));
        Assert.Equal(420m, (await app.Cases.GetAsync(Cased, default))!.State.Balance.Amount);
    }

    [Fact]
    public async Task Item3_ARefundLargerThanWhatWasPaid_NeverTakesTheLedgerBelowZero()
    {
        var app = await AppAsync();
        await DeliverGeneric(app, Generic("p1", Uncased, 480m, "BW-1"));

        await DeliverGeneric(app, Generic("r1", Uncased, 99_999m, "BW-1", "refund"));
        await DeliverGeneric(app, Generic("p2", Uncased, 1_000m, "BW-2"));

        Assert.Equal(1_000m, await PaidAsync(app, Uncased));
    }

    [Fact]
    public async Task Item3_RefundingMoneyPaidBeforeTheCaseOpened_RaisesTheBalanceAndTheNextPaymentCounts()
    {
        var app = await AppAsync(paidBefore: 300m);

        var refund = await DeliverGeneric(app, Generic("r1", Cased, 200m, "old-transfer", "refund"));
        var afterRefund = (await app.Cases.GetAsync(Cased, default))!.State.Balance.Amount;
        var payment = await DeliverGeneric(app, Generic("p1", Cased, 100m, "BW-3"));

        Assert.Equal(WebhookAnswer.Applied, refund.Answer);
        Assert.Equal(900m, afterRefund);
        Assert.Equal(WebhookAnswer.Applied, payment.Answer);
        Assert.Equal(800m, (await app.Cases.GetAsync(Cased, default))!.State.Balance.Amount);
    }

    [Theory]
    [MemberData(nameof(Invoices))]
    public async Task Item4_APaymentReportedByStripeAndMirroredByTheGenericWebhook_CountsOnce(string invoice)
    {
        var app = await AppAsync();
        var id = new InvoiceId(invoice);

        var stripe = await DeliverStripe(app, StripePayment("evt_s", id, 20_000, "pi_M"));
        var mirror = await DeliverGeneric(app, Generic("bridge-1", id, 200m, "pi_M", extra: ""","stripePaymentId":"pi_M" """));

        Assert.Equal(WebhookAnswer.Applied, stripe.Answer);
        Assert.NotEqual(WebhookAnswer.ForReview, mirror.Answer);
        Assert.Equal(200m, await PaidAsync(app, id));
    }

    [Fact]
    public async Task Item4_AMirrorThatArrivesFirst_MakesStripesOwnReportTheDuplicate()
    {
        var app = await AppAsync();

        await DeliverGeneric(app, Generic("bridge-1", Cased, 200m, "transfer", extra: ""","stripePaymentId":"pi_M" """));
        var stripe = await DeliverStripe(app, StripePayment("evt_s", Cased, 20_000, "pi_M"));

        Assert.Equal(WebhookAnswer.Duplicate, stripe.Answer);
        Assert.Equal(200m, await PaidAsync(app, Cased));
    }

    [Fact]
    public async Task StaffRecordingTwoTransfersWithOneReference_CountBoth_ButTheSameFormSentTwiceCountsOnce()
    {
        var app = await AppAsync();
        var paidAt = Now.AddHours(-1);

        await app.Commands.RecordPaymentAsync(Cased, 100m, "USD", paidAt, "BW-0019", default);
        await app.Commands.RecordPaymentAsync(Cased, 150m, "USD", paidAt, "BW-0019", default);
        var again = await app.Commands.RecordPaymentAsync(Cased, 150m, "USD", paidAt, "BW-0019", default);

        Assert.IsType<Dunning.Cases.CommandResult.Unchanged>(again);
        Assert.Equal(250m, await PaidAsync(app, Cased));
    }
}
