using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Dunning.Common;
using Dunning.Local.Tests.Support;
using Dunning.Webhooks;

namespace Dunning.Local.Tests;

/// <summary>
/// Payment webhooks over real HTTP: signatures made the way the providers document them are accepted, anything
/// else gets 401 and leaves no trace, a repeated event is recorded once, garbage never gets a 500. A verified payment
/// is recorded and answered 202 "received" at once; the runner applies it (to its case, the ledger, or the review list).
/// </summary>
public sealed class WebhookTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 10, 18, 0, 0, TimeSpan.Zero);

    private static readonly DateOnly Due = new(2026, 3, 2);

    [Fact]
    public async Task A_Stripe_event_signed_as_Stripe_documents_it_is_applied_once_however_often_it_is_delivered()
    {
        await using var host = await StartWithCaseAsync();
        var t = host.Clock.Now.ToUnixTimeSeconds();
        var body = StripePayment("evt_1001", "INV-1", 20_000, t);

        // Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" keyed with the endpoint secret>, built by hand.
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(LoopbackHost.StripeSecret), Encoding.UTF8.GetBytes($"{t}.{body}"));
        var header = $"t={t},v1={Convert.ToHexStringLower(mac)}";
        Assert.Equal(StripeWebhook.SignatureHeader(body, LoopbackHost.StripeSecret, host.Clock.Now), header);

        var first = await Stripe(host, body, header);
        Assert.True(first.Code == 202, first.ToString());
        Assert.Equal("received", first.Body["status"]!.GetValue<string>());
        Assert.Equal(1_200m, await host.PrincipalAsync("INV-1"));
        await host.RunnerTurnAsync();
        Assert.Equal(1_000m, await host.PrincipalAsync("INV-1"));
        Assert.Equal(1, host.App.Inbox.CountEvents());

        // The same event again (Stripe retries until it sees a 2xx), even signed a minute later: 200 and nothing new.
        foreach (var repeat in new[] { header, StripeWebhook.SignatureHeader(body, LoopbackHost.StripeSecret, host.Clock.Now.AddMinutes(1)) })
        {
            var again = await Stripe(host, body, repeat);
            Assert.True(again.Code == 200, again.ToString());
            Assert.Equal("duplicate", again.Body["status"]!.GetValue<string>());
        }

        await host.RunnerTurnAsync();
        Assert.Equal(1_000m, await host.PrincipalAsync("INV-1"));
        Assert.Equal(1, host.App.Inbox.CountEvents());
        var payments = (await host.CaseAsync("INV-1"))["timeline"]!.AsArray().Count(e => e!["what"]!.GetValue<string>().StartsWith("payment ", StringComparison.Ordinal));
        Assert.Equal(1, payments);

        // Several v1 entries (a secret being rolled): any one matching is enough; a signature 4 minutes old is inside the tolerance.
        var rolled = StripePayment("evt_1002", "INV-1", 5_000, t - 240);
        var rolledMac = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(LoopbackHost.StripeSecret), Encoding.UTF8.GetBytes($"{t - 240}.{rolled}")));
        var accepted = await Stripe(host, rolled, $"t={t - 240},v1={new string('0', 64)},v1={rolledMac}");
        Assert.True(accepted.Code == 202, accepted.ToString());
        await host.RunnerTurnAsync();
        Assert.Equal(950m, await host.PrincipalAsync("INV-1"));
    }

    [Fact]
    public async Task A_Stripe_event_with_a_tampered_body_a_wrong_secret_or_a_stale_timestamp_gets_401_and_records_nothing()
    {
        await using var host = await StartWithCaseAsync();
        var now = host.Clock.Now;
        var t = now.ToUnixTimeSeconds();
        var body = StripePayment("evt_2001", "INV-1", 20_000, t);
        var header = StripeWebhook.SignatureHeader(body, LoopbackHost.StripeSecret, now);
        var before = (await host.CaseAsync("INV-1")).ToJsonString();
        var signalsBefore = host.App.Runner.Signals(new InvoiceId("INV-1")).Count;

        (string What, string Body, string? Header)[] refused =
        [
            ("tampered amount", body.Replace("20000", "120000", StringComparison.Ordinal), header),
            ("tampered invoice", body.Replace("INV-1", "INV-2", StringComparison.Ordinal), header),
            ("one byte more", body + " ", header),
            ("wrong secret", body, StripeWebhook.SignatureHeader(body, "whsec_someone_else", now)),
            ("stale (6 minutes)", body, StripeWebhook.SignatureHeader(body, LoopbackHost.StripeSecret, now.AddMinutes(-6))),
            ("from the future (6 minutes)", body, StripeWebhook.SignatureHeader(body, LoopbackHost.StripeSecret, now.AddMinutes(6))),
            ("v0 only", body, header.Replace("v1=", "v0=", StringComparison.Ordinal)),
            ("two timestamps", body, $"t={t},{header}"),
            ("no header", body, null),
            ("empty header", body, string.Empty),
            ("garbage header", body, "Bearer let-me-in"),
            ("garbage body, no signature", "\u0001\u0002 not json", "t=1,v1=00"),
        ];

        foreach (var (what, payload, signature) in refused)
        {
            var answer = await Stripe(host, payload, signature);
            Assert.True(answer.Code == 401 && answer.IsProblem, $"{what}: {answer}");
        }

        await host.RunnerTurnAsync();
        Assert.Equal(0, host.App.Inbox.CountEvents());
        Assert.Empty(await host.App.Inbox.ReviewAsync(default));
        Assert.Equal(signalsBefore, host.App.Runner.Signals(new InvoiceId("INV-1")).Count);
        Assert.Equal(before, (await host.CaseAsync("INV-1")).ToJsonString());

        // The genuine delivery still goes through afterwards.
        var genuine = await Stripe(host, body, header);
        Assert.True(genuine.Code == 202, genuine.ToString());
    }

    [Fact]
    public async Task Verified_Stripe_events_that_are_garbage_unknown_or_not_acted_on_never_get_a_500()
    {
        await using var host = await StartWithCaseAsync();
        var t = host.Clock.Now.ToUnixTimeSeconds();

        (string What, string Body, int Status)[] cases =
        [
            ("not JSON", "this is not json", 400),
            ("an array", "[1,2,3]", 400),
            ("no id", """{"type":"payment_intent.succeeded"}""", 400),
            ("no data", """{"id":"evt_g1","type":"payment_intent.succeeded"}""", 400),
            ("amount a string", StripePayment("evt_g2", "INV-1", 100, t).Replace("\"amount_received\":100", "\"amount_received\":\"lots\"", StringComparison.Ordinal), 400),
            ("negative amount", StripePayment("evt_g3", "INV-1", -100, t), 400),
            ("huge amount", StripePayment("evt_g4", "INV-1", 100, t).Replace("\"amount_received\":100", "\"amount_received\":1e400", StringComparison.Ordinal), 400),
            ("bad currency", StripePayment("evt_g5", "INV-1", 100, t).Replace("\"usd\"", "\"dollars\"", StringComparison.Ordinal), 400),
            ("deep nesting", new string('[', 5_000) + new string(']', 5_000), 400),
            ("an event type not acted on", """{"id":"evt_g6","object":"event","type":"customer.created","data":{"object":{}}}""", 200),
            ("an invoice we do not know (202 received, then kept for review)", StripePayment("evt_g7", "INV-404", 100, t), 202),
            ("no invoice id at all", StripePayment("evt_g8", "INV-1", 100, t).Replace(",\"metadata\":{\"invoice_id\":\"INV-1\"}", string.Empty, StringComparison.Ordinal), 202),
            ("the wrong currency for the invoice", StripePayment("evt_g9", "INV-1", 100, t).Replace("\"usd\"", "\"eur\"", StringComparison.Ordinal), 202),
        ];

        foreach (var (what, body, status) in cases)
        {
            var answer = await Stripe(host, body, StripeWebhook.SignatureHeader(body, LoopbackHost.StripeSecret, host.Clock.Now));
            Assert.True(answer.Code == status, $"{what}: expected {status}, got {answer}");
            Assert.True(status < 400 || answer.IsProblem, $"{what}: {answer}");
        }

        // Whether a payment matches its invoice is the runner's to find out: it keeps the ones that do not for review.
        Assert.Empty((await host.GetAsync("/api/webhooks/review")).Body.AsArray());
        await host.RunnerTurnAsync();
        var review = await host.GetAsync("/api/webhooks/review");
        Assert.Equal(200, review.Code);
        var reviewed = review.Body.AsArray().Select(r => r!["receipt"]!["eventId"]!.GetValue<string>()).Order(StringComparer.Ordinal);
        Assert.Equal(["evt_g7", "evt_g8", "evt_g9"], reviewed);
        Assert.Equal(1_200m, await host.PrincipalAsync("INV-1"));
    }

    [Fact]
    public async Task The_generic_signed_webhook_is_verified_the_same_way_and_a_repeated_event_is_recorded_once()
    {
        await using var host = await StartWithCaseAsync();
        var now = host.Clock.Now;
        var timestamp = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var body = GenericPayment("bank-7001", "INV-1", "300.00", now.AddHours(-2));

        // X-Dunning-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">, built by hand.
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(LoopbackHost.GenericSecret), Encoding.UTF8.GetBytes($"{timestamp}.{body}"));
        var signature = "sha256=" + Convert.ToHexStringLower(mac);
        Assert.Equal(GenericWebhook.SignatureHeader(body, LoopbackHost.GenericSecret, timestamp), signature);

        var first = await Generic(host, body, timestamp, signature);
        Assert.True(first.Code == 202, first.ToString());
        Assert.Equal("received", first.Body["status"]!.GetValue<string>());
        var again = await Generic(host, body, timestamp, signature);
        Assert.True(again.Code == 200, again.ToString());
        Assert.Equal("duplicate", again.Body["status"]!.GetValue<string>());
        await host.RunnerTurnAsync();
        Assert.Equal(900m, await host.PrincipalAsync("INV-1"));
        Assert.Equal(1, host.App.Inbox.CountEvents());

        var other = GenericPayment("bank-7002", "INV-1", "100.00", now.AddHours(-1));
        var stale = (now.AddMinutes(-6).ToUnixTimeSeconds()).ToString(CultureInfo.InvariantCulture);
        (string What, string Body, string? Timestamp, string? Signature)[] refused =
        [
            ("tampered amount", other.Replace("100.00", "1000.00", StringComparison.Ordinal), timestamp, GenericWebhook.SignatureHeader(other, LoopbackHost.GenericSecret, timestamp)),
            ("wrong secret", other, timestamp, GenericWebhook.SignatureHeader(other, "not-the-secret", timestamp)),
            ("stale timestamp", other, stale, GenericWebhook.SignatureHeader(other, LoopbackHost.GenericSecret, stale)),
            ("timestamp changed after signing", other, stale, GenericWebhook.SignatureHeader(other, LoopbackHost.GenericSecret, timestamp)),
            ("no signature", other, timestamp, null),
            ("no timestamp", other, null, GenericWebhook.SignatureHeader(other, LoopbackHost.GenericSecret, timestamp)),
            ("timestamp not a number", other, "yesterday", GenericWebhook.SignatureHeader(other, LoopbackHost.GenericSecret, "yesterday")),
            ("another scheme", other, timestamp, GenericWebhook.SignatureHeader(other, LoopbackHost.GenericSecret, timestamp).Replace("sha256=", "md5=", StringComparison.Ordinal)),
        ];
        foreach (var (what, payload, ts, sig) in refused)
        {
            var answer = await Generic(host, payload, ts, sig);
            Assert.True(answer.Code == 401 && answer.IsProblem, $"{what}: {answer}");
        }

        (string What, string Body)[] garbage =
        [
            ("not JSON", "{{{"),
            ("no event id", """{"invoiceId":"INV-1","amount":"1.00","currency":"USD","paidAt":"2026-03-10T10:00:00Z"}"""),
            ("amount not a number", GenericPayment("bank-7003", "INV-1", "a lot", now)),
            ("paid in the future", GenericPayment("bank-7004", "INV-1", "1.00", now.AddDays(2))),
            ("kind unknown", GenericPayment("bank-7005", "INV-1", "1.00", now).Replace("}", ",\"kind\":\"gift\"}", StringComparison.Ordinal)),
        ];
        foreach (var (what, payload) in garbage)
        {
            var answer = await Generic(host, payload, timestamp, GenericWebhook.SignatureHeader(payload, LoopbackHost.GenericSecret, timestamp));
            Assert.True(answer.Code == 400 && answer.IsProblem, $"{what}: {answer}");
        }

        await host.RunnerTurnAsync();
        Assert.Equal(900m, await host.PrincipalAsync("INV-1"));
        Assert.Equal(1, host.App.Inbox.CountEvents());
        Assert.Empty(await host.App.Inbox.ReviewAsync(default));

        var unknown = GenericPayment("bank-7006", "INV-404", "10.00", now);
        var forReview = await Generic(host, unknown, timestamp, GenericWebhook.SignatureHeader(unknown, LoopbackHost.GenericSecret, timestamp));
        Assert.True(forReview.Code == 202, forReview.ToString());
        Assert.Equal("received", forReview.Body["status"]!.GetValue<string>());
        await host.RunnerTurnAsync();
        var kept = Assert.Single(await host.App.Inbox.ReviewAsync(default));
        Assert.Equal(("bank-7006", "no invoice 'INV-404' in the ledger"), (kept.Receipt.EventId, kept.Reason));
    }

    [Fact]
    public async Task A_host_without_webhook_secrets_refuses_deliveries_with_503_and_records_nothing()
    {
        await using var host = await LoopbackHost.StartAsync(Start, secrets: false);
        var body = StripePayment("evt_3001", "INV-1", 100, host.Clock.Now.ToUnixTimeSeconds());
        var stripe = await Stripe(host, body, StripeWebhook.SignatureHeader(body, LoopbackHost.StripeSecret, host.Clock.Now));
        Assert.True(stripe.Code == 503 && stripe.IsProblem, stripe.ToString());
        Assert.Contains("Dunning__Webhooks__StripeSecret", stripe.Body["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var generic = await host.PostAsync("/api/webhooks/payments", "{}");
        Assert.True(generic.Code == 503 && generic.IsProblem, generic.ToString());
        Assert.Equal(0, host.App.Inbox.CountEvents());
    }

    [Fact]
    public async Task In_a_served_host_the_background_runner_applies_a_webhook_payment_without_being_asked()
    {
        await using var host = await LoopbackHost.StartAsync(Start, background: true);
        await host.ImportAndScanAsync(Sample.InvoiceJson("INV-1", "C1", Due, 1_200m));
        var body = StripePayment("evt_4001", "INV-1", 120_000, host.Clock.Now.ToUnixTimeSeconds());

        var answer = await Stripe(host, body, StripeWebhook.SignatureHeader(body, LoopbackHost.StripeSecret, host.Clock.Now));
        Assert.True(answer.Code == 202, answer.ToString());

        var deadline = DateTime.UtcNow.AddSeconds(15);
        string status;
        while ((status = (await host.CaseAsync("INV-1"))["status"]!["status"]!.GetValue<string>()) != "closed" && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Equal("closed", status);
        Assert.Equal("paid", (await host.CaseAsync("INV-1"))["outcome"]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_delivery_whose_host_died_before_recording_the_event_id_counts_once_when_Stripe_retries()
    {
        await using var host = await StartWithCaseAsync();
        var body = StripePayment("evt_5001", "INV-1", 20_000, host.Clock.Now.ToUnixTimeSeconds());
        var first = await Stripe(host, body, StripeWebhook.SignatureHeader(body, LoopbackHost.StripeSecret, host.Clock.Now));
        Assert.True(first.Code == 202, first.ToString());
        await host.RunnerTurnAsync();

        // What the data folder holds when the process was killed after the case was told but before the event id was recorded.
        host.App.Database.Write((c, t) => Storage.Sql.Execute(c, t, "DELETE FROM webhook_events WHERE event_id = 'evt_5001'"));

        var retry = await Stripe(host, body, StripeWebhook.SignatureHeader(body, LoopbackHost.StripeSecret, host.Clock.Now));
        Assert.True(retry.Code == 202, retry.ToString());
        await host.RunnerTurnAsync();
        Assert.Equal(1_000m, await host.PrincipalAsync("INV-1"));
        Assert.Equal(1, host.App.Inbox.CountEvents());
    }

    [Fact]
    public async Task A_payment_answered_202_is_applied_by_a_runner_that_opens_the_data_folder_after_serve_stopped()
    {
        await using var host = await StartWithCaseAsync();
        var body = StripePayment("evt_6001", "INV-1", 20_000, host.Clock.Now.ToUnixTimeSeconds());
        var answer = await Stripe(host, body, StripeWebhook.SignatureHeader(body, LoopbackHost.StripeSecret, host.Clock.Now));
        Assert.True(answer.Code == 202, answer.ToString());

        // Another process on the same folder (dunning run after serve stopped before its runner's turn) applies it, once.
        var later = LocalApp.Open(host.App.DataFolder, clock: host.Clock);
        await later.Runner.RunDueAsync(host.Clock.Now, CancellationToken.None);
        await later.Runner.RunDueAsync(host.Clock.Now, CancellationToken.None);
        await host.RunnerTurnAsync();
        Assert.Equal(1_000m, await host.PrincipalAsync("INV-1"));
        Assert.Equal(0L, host.App.Database.Read(c => Storage.Sql.Scalar<long>(c, null, "SELECT count(*) FROM webhook_pending")));
    }

    [Fact]
    public async Task Payments_queued_for_one_case_are_applied_in_one_visit_in_the_order_they_came_each_judged_after_the_ones_before()
    {
        await using var host = await StartWithCaseAsync();
        var now = host.Clock.Now;
        var timestamp = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signalsBefore = host.App.Runner.Signals(new InvoiceId("INV-1")).Count;
        var version = CaseVersion(host, "INV-1");

        // 1,200 owed: a refund before any payment is refused, then 200, 300 and 100 paid, then a refund of 50 of them.
        var bodies = new[]
        {
            GenericPayment("bank-8000", "INV-1", "10.00", now.AddHours(-3)).Replace("}", ",\"kind\":\"refund\"}", StringComparison.Ordinal),
            GenericPayment("bank-8001", "INV-1", "200.00", now.AddHours(-3)),
            GenericPayment("bank-8002", "INV-1", "300.00", now.AddHours(-2)),
            GenericPayment("bank-8003", "INV-1", "100.00", now.AddHours(-1)),
            GenericPayment("bank-8004", "INV-1", "50.00", now.AddMinutes(-30)).Replace("}", ",\"kind\":\"refund\"}", StringComparison.Ordinal),
        };
        foreach (var body in bodies)
        {
            var answer = await Generic(host, body, timestamp, GenericWebhook.SignatureHeader(body, LoopbackHost.GenericSecret, timestamp));
            Assert.True(answer.Code == 202, answer.ToString());
        }

        await host.RunnerTurnAsync();
        Assert.Equal(650m, await host.PrincipalAsync("INV-1"));
        var kept = Assert.Single(await host.App.Inbox.ReviewAsync(default));
        Assert.Equal("bank-8000", kept.Receipt.EventId);
        var applied = host.App.Runner.Signals(new InvoiceId("INV-1")).Skip(signalsBefore).ToList();
        Assert.Equal(4, applied.Count);
        Assert.All(applied, note => Assert.Equal("applied", note.Outcome));
        Assert.Equal(0L, host.App.Database.Read(c => Storage.Sql.Scalar<long>(c, null, "SELECT count(*) FROM webhook_pending")));

        // One read and one save of the case for the four of them (its step after them may save once more).
        Assert.InRange(CaseVersion(host, "INV-1") - version, 1, 2);
    }

    private static long CaseVersion(LoopbackHost host, string invoiceId) =>
        host.App.Database.Read(c => Storage.Sql.Scalar<long>(c, null, "SELECT version FROM cases WHERE invoice_id = $id", ("$id", invoiceId)));

    private static async Task<LoopbackHost> StartWithCaseAsync()
    {
        var host = await LoopbackHost.StartAsync(Start);
        try
        {
            await host.ImportAndScanAsync(Sample.InvoiceJson("INV-1", "C1", Due, 1_200m), Sample.InvoiceJson("INV-2", "C1", Due, 700m));
            await host.RunnerTurnAsync();
            Assert.Equal(1_200m, await host.PrincipalAsync("INV-1"));
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    private static Task<Answer> Stripe(LoopbackHost host, string body, string? signature) =>
        host.PostAsync("/api/webhooks/stripe", body, headers: signature is null ? null : [new(StripeWebhook.HeaderName, signature)]);

    private static Task<Answer> Generic(LoopbackHost host, string body, string? timestamp, string? signature)
    {
        var headers = new List<KeyValuePair<string, string>>();
        if (timestamp is not null)
        {
            headers.Add(new(GenericWebhook.TimestampHeaderName, timestamp));
        }

        if (signature is not null)
        {
            headers.Add(new(GenericWebhook.SignatureHeaderName, signature));
        }

        return host.PostAsync("/api/webhooks/payments", body, headers: headers);
    }

    /// <summary>A payment_intent.succeeded event as Stripe sends it (amount in cents), pointing at our invoice through metadata.</summary>
    private static string StripePayment(string eventId, string invoiceId, long cents, long created) =>
        string.Create(CultureInfo.InvariantCulture,
            $$"""{"id":"{{eventId}}","object":"event","type":"payment_intent.succeeded","created":{{created}},"data":{"object":{"id":"pi_{{eventId}}","object":"payment_intent","amount_received":{{cents}},"currency":"usd","created":{{created}},"metadata":{"invoice_id":"{{invoiceId}}""") + "\"}}}}";

    private static string GenericPayment(string eventId, string invoiceId, string amount, DateTimeOffset paidAt) =>
        string.Create(CultureInfo.InvariantCulture,
            $$"""{"eventId":"{{eventId}}","invoiceId":"{{invoiceId}}","amount":"{{amount}}","currency":"USD","paidAt":"{{paidAt:yyyy-MM-ddTHH:mm:ssZ}}","reference":"transfer-{{eventId}}"}""");
}
