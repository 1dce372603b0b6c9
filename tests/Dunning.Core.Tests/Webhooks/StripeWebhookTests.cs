using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Dunning.Common;
using Dunning.Webhooks;

namespace Dunning.Tests.Webhooks;

public class StripeWebhookTests
{
    internal const string Secret = "whsec_test_5ecret";

    // 2026-02-01T12:00:00Z
    internal static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_769_947_200);

    internal static string PaymentIntent(long amount = 12345, string currency = "usd", string? metadata = """{"invoice_id":"INV-1"}""", string extra = "") => $$"""
        {
          "id": "evt_3PaymentIntent",
          "object": "event",
          "api_version": "2024-06-20",
          "created": 1769947100,
          "type": "payment_intent.succeeded",
          "livemode": false,
          "data": {
            "object": {
              "id": "pi_3Abc",
              "object": "payment_intent",
              "amount": {{amount}},
              "amount_received": {{amount}},
              "currency": "{{currency}}",
              "created": 1769900000,
              {{extra}}
              "metadata": {{metadata ?? "{}"}},
              "status": "succeeded"
            }
          }
        }
        """;

    /// <summary>The signature exactly as Stripe documents it, computed without the code under test.</summary>
    internal static string StripeHeader(string payload, string secret, DateTimeOffset at, params string[] otherSignatures)
    {
        var t = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(secret));
        var mac = hmac.ComputeHash(Encoding.UTF8.GetBytes(t + "." + payload));
        var hex = BitConverter.ToString(mac).Replace("-", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
        return string.Join(",", [$"t={t}", .. otherSignatures.Select(s => "v1=" + s), $"v1={hex}"]);
    }

    private static WebhookVerdict Verify(string payload, string? header, DateTimeOffset? now = null, string secret = Secret) =>
        StripeWebhook.Verify(payload, header, secret, now ?? Now);

    private static PaymentNotice Accepted(WebhookVerdict verdict) =>
        Assert.IsType<WebhookVerdict.Accepted>(verdict).Notice;

    private static WebhookVerdict.Rejected Rejected(WebhookVerdict verdict, WebhookRejection reason)
    {
        var rejected = Assert.IsType<WebhookVerdict.Rejected>(verdict);
        Assert.Equal(reason, rejected.Reason);
        return rejected;
    }

    [Fact]
    public void GivenASignatureComputedAsStripeDocumentsIt_WhenVerified_ThenThePaymentIsAccepted()
    {
        var payload = PaymentIntent();

        var notice = Accepted(Verify(payload, StripeHeader(payload, Secret, Now)));

        Assert.Equal(
            new PaymentNotice("stripe", "evt_3PaymentIntent", new InvoiceId("INV-1"), "INV-1", new Money(123.45m, "USD"), DateTimeOffset.FromUnixTimeSeconds(1_769_947_100), "pi_3Abc", PaymentNoticeKind.Payment, PaymentId: "pi_3Abc"),
            notice);
    }

    [Fact]
    public void GivenAKnownAnswerVector_WhenVerified_ThenTheHeaderMatchesAndIsAccepted()
    {
        // hmac.new(b"whsec_test_5ecret", b'1769947200.{"id":"evt_1","type":"payment_intent.succeeded"}', sha256) in Python.
        const string payload = """{"id":"evt_1","type":"payment_intent.succeeded"}""";
        const string expected = "t=1769947200,v1=54692d3766f8df398e5b406919217b00df9edc870bff8f05af3cbdab85505c92";

        Assert.Equal(expected, StripeWebhook.SignatureHeader(payload, Secret, Now));

        // Signed correctly, but not a full event: the signature passes and the body is what is refused.
        var rejected = Rejected(Verify(payload, expected), WebhookRejection.Malformed);
        Assert.Contains("data", rejected.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenTheSigningHelper_WhenItsHeaderIsVerified_ThenAccepted()
    {
        var payload = PaymentIntent();

        Accepted(Verify(payload, StripeWebhook.SignatureHeader(payload, Secret, Now.AddSeconds(-30))));
    }

    [Fact]
    public void GivenATamperedBody_WhenVerified_ThenBadSignature()
    {
        var payload = PaymentIntent(amount: 100);
        var header = StripeHeader(payload, Secret, Now);

        Rejected(Verify(payload.Replace("100", "100000", StringComparison.Ordinal), header), WebhookRejection.BadSignature);
    }

    [Fact]
    public void GivenTheWrongSecret_WhenVerified_ThenBadSignature()
    {
        var payload = PaymentIntent();

        Rejected(Verify(payload, StripeHeader(payload, "whsec_someone_else", Now)), WebhookRejection.BadSignature);
    }

    [Fact]
    public void GivenASignatureSixMinutesOld_WhenVerified_ThenStaleTimestamp()
    {
        var payload = PaymentIntent();

        var rejected = Rejected(Verify(payload, StripeHeader(payload, Secret, Now.AddMinutes(-6))), WebhookRejection.StaleTimestamp);
        Assert.True(rejected.Unauthenticated);
        Assert.Contains("old", rejected.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-299, true)]
    [InlineData(-301, false)]
    [InlineData(299, true)]
    [InlineData(301, false)]
    public void GivenTheDefaultFiveMinuteTolerance_WhenTheTimestampIsNearItsEdge_ThenOnlyInsideIsAccepted(int offsetSeconds, bool accepted)
    {
        var payload = PaymentIntent();

        var verdict = Verify(payload, StripeHeader(payload, Secret, Now.AddSeconds(offsetSeconds)));

        Assert.Equal(accepted, verdict is WebhookVerdict.Accepted);
    }

    [Fact]
    public void GivenATimestampBeyondToleranceInTheFuture_WhenVerified_ThenStaleTimestamp()
    {
        var payload = PaymentIntent();

        var rejected = Rejected(Verify(payload, StripeHeader(payload, Secret, Now.AddMinutes(6))), WebhookRejection.StaleTimestamp);
        Assert.Contains("future", rejected.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenACustomTolerance_WhenVerified_ThenItIsUsed()
    {
        var payload = PaymentIntent();
        var header = StripeHeader(payload, Secret, Now.AddMinutes(-20));

        Accepted(StripeWebhook.Verify(payload, header, Secret, Now, TimeSpan.FromMinutes(30)));
        Rejected(StripeWebhook.Verify(payload, header, Secret, Now, TimeSpan.FromMinutes(10)), WebhookRejection.StaleTimestamp);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void GivenNoSignatureHeader_WhenVerified_ThenMissingSignature(string? header)
    {
        var rejected = Rejected(Verify(PaymentIntent(), header), WebhookRejection.MissingSignature);
        Assert.True(rejected.Unauthenticated);
    }

    [Theory]
    [InlineData("t=1769947200")]
    [InlineData("t=1769947200,v0=6ffbb59b2300aae63f272406069a9788598b792a944a07aba816edb039989a39")]
    [InlineData("garbage")]
    public void GivenAHeaderWithoutAV1Signature_WhenVerified_ThenMissingSignature(string header) =>
        Rejected(Verify(PaymentIntent(), header), WebhookRejection.MissingSignature);

    [Fact]
    public void GivenAV0SignatureThatWouldMatch_WhenVerified_ThenItIsNotTrusted()
    {
        var payload = PaymentIntent();
        var v0 = StripeHeader(payload, Secret, Now).Replace("v1=", "v0=", StringComparison.Ordinal);

        Rejected(Verify(payload, v0), WebhookRejection.MissingSignature);
    }

    [Theory]
    [InlineData("v1=abc")]
    [InlineData("t=,v1=abc")]
    [InlineData("t=soon,v1=abc")]
    [InlineData("t=-5,v1=abc")]
    [InlineData("t=99999999999999999999,v1=abc")]
    [InlineData("t=1769947200,t=1769947200,v1=abc")]
    public void GivenAHeaderWithoutOneUsableTimestamp_WhenVerified_ThenBadSignature(string header) =>
        Rejected(Verify(PaymentIntent(), header), WebhookRejection.BadSignature);

    [Fact]
    public void GivenSeveralV1Signatures_WhenOnlyTheSecondMatches_ThenAccepted()
    {
        var payload = PaymentIntent();
        var header = StripeHeader(payload, Secret, Now, otherSignatures: new string('0', 64));

        Assert.StartsWith("t=1769947200,v1=0000", header, StringComparison.Ordinal);
        Accepted(Verify(payload, header));
    }

    [Fact]
    public void GivenSpacesAndUpperCaseHex_WhenVerified_ThenStillAccepted()
    {
        var payload = PaymentIntent();
        var header = StripeHeader(payload, Secret, Now).Replace(",", " , ", StringComparison.Ordinal);
        var upper = header[..(header.IndexOf("v1=", StringComparison.Ordinal) + 3)] + header[(header.IndexOf("v1=", StringComparison.Ordinal) + 3)..].ToUpperInvariant();

        Accepted(Verify(payload, upper));
    }

    [Theory]
    [InlineData(5000, "jpy", "5000", "JPY")]
    [InlineData(12345, "usd", "123.45", "USD")]
    [InlineData(100, "eur", "1.00", "EUR")]
    [InlineData(1, "krw", "1", "KRW")]
    [InlineData(500000, "isk", "5000", "ISK")]
    [InlineData(12340, "kwd", "12.340", "KWD")]
    [InlineData(25000, "ugx", "25000", "UGX")]
    public void GivenAmountsInMinorUnits_WhenRead_ThenStripesExponentForTheCurrencyIsUsed(long minor, string currency, string expected, string code)
    {
        var payload = PaymentIntent(amount: minor, currency: currency);

        var notice = Accepted(Verify(payload, StripeHeader(payload, Secret, Now)));

        Assert.Equal(new Money(decimal.Parse(expected, CultureInfo.InvariantCulture), code), notice.Amount);
    }

    [Fact]
    public void GivenInvoicePaid_WhenRead_ThenPaidAtComesFromTheStatusTransition()
    {
        const string payload = """
            {"id":"evt_inv","type":"invoice.paid","created":1769947000,
             "data":{"object":{"id":"in_1","object":"invoice","amount_paid":50000,"currency":"gbp","created":1769000000,
               "status_transitions":{"finalized_at":1769000100,"paid_at":1769946000},
               "metadata":{"invoice_id":"INV-7"}}}}
            """;

        var notice = Accepted(Verify(payload, StripeHeader(payload, Secret, Now)));

        Assert.Equal(new Money(500m, "GBP"), notice.Amount);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_769_946_000), notice.PaidAt);
        Assert.Equal(new InvoiceId("INV-7"), notice.InvoiceId);
        Assert.Equal("in_1", notice.Reference);
    }

    [Fact]
    public void GivenInvoicePaidWithoutPaidAt_WhenRead_ThenTheEventTimeIsUsed()
    {
        const string payload = """
            {"id":"evt_inv","type":"invoice.paid","created":1769947000,
             "data":{"object":{"id":"in_1","amount_paid":50000,"currency":"gbp","created":1769000000,
               "status_transitions":{"paid_at":null},"metadata":{"invoice_id":"INV-7"}}}}
            """;

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_769_947_000), Accepted(Verify(payload, StripeHeader(payload, Secret, Now))).PaidAt);
    }

    [Fact]
    public void GivenChargeRefunded_WhenRead_ThenARefundOfWhatThisEventAdded()
    {
        const string payload = """
            {"id":"evt_ref","type":"charge.refunded","created":1769947100,
             "data":{"object":{"id":"ch_1","object":"charge","amount":10000,"amount_refunded":7500,"currency":"usd",
                               "created":1760000000,"refunded":false,"metadata":{"invoice_id":"INV-1"}},
                     "previous_attributes":{"amount_refunded":2500,"refunded":false}}}
            """;

        var notice = Accepted(Verify(payload, StripeHeader(payload, Secret, Now)));

        Assert.Equal(PaymentNoticeKind.Refund, notice.Kind);
        Assert.Equal(new Money(50m, "USD"), notice.Amount);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_769_947_100), notice.PaidAt);
        Assert.Equal("ch_1", notice.Reference);
    }

    [Fact]
    public void GivenChargeRefundedWithoutPreviousAttributes_WhenRead_ThenTheWholeRefundedAmount()
    {
        const string payload = """
            {"id":"evt_ref","type":"charge.refunded","created":1769947100,
             "data":{"object":{"id":"ch_1","amount_refunded":7500,"currency":"usd","created":1760000000,"metadata":{"invoice_id":"INV-1"}}}}
            """;

        Assert.Equal(new Money(75m, "USD"), Accepted(Verify(payload, StripeHeader(payload, Secret, Now))).Amount);
    }

    [Fact]
    public void GivenNoInvoiceIdInTheMetadata_WhenRead_ThenAcceptedWithoutAnInvoice()
    {
        foreach (var metadata in new[] { "{}", "null", """{"invoice_id":""}""", """{"order":"42"}""" })
        {
            var payload = PaymentIntent(metadata: metadata);

            var notice = Accepted(Verify(payload, StripeHeader(payload, Secret, Now)));

            Assert.Null(notice.InvoiceId);
            Assert.Null(notice.RawInvoiceId);
        }
    }

    [Fact]
    public void GivenAnInvoiceIdThatIsNotValid_WhenRead_ThenTheRawTextIsKeptForReview()
    {
        var payload = PaymentIntent(metadata: """{"invoice_id":"INV 1/2"}""");

        var notice = Accepted(Verify(payload, StripeHeader(payload, Secret, Now)));

        Assert.Null(notice.InvoiceId);
        Assert.Equal("INV 1/2", notice.RawInvoiceId);
    }

    [Fact]
    public void GivenAnEventTypeNotActedOn_WhenVerified_ThenIgnoredWithItsId()
    {
        const string payload = """{"id":"evt_cust","type":"customer.created","data":{"object":{"id":"cus_1"}}}""";

        var ignored = Assert.IsType<WebhookVerdict.Ignored>(Verify(payload, StripeHeader(payload, Secret, Now)));

        Assert.Equal("evt_cust", ignored.EventId);
        Assert.Contains("customer.created", ignored.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenAPaymentIntentThatPaysAStripeInvoice_WhenRead_ThenIgnoredSoInvoicePaidIsNotCountedTwice()
    {
        var payload = PaymentIntent(extra: "\"invoice\": \"in_1\",");

        var ignored = Assert.IsType<WebhookVerdict.Ignored>(Verify(payload, StripeHeader(payload, Secret, Now)));

        Assert.Contains("in_1", ignored.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenAZeroAmount_WhenRead_ThenIgnored() =>
        Assert.IsType<WebhookVerdict.Ignored>(Verify(PaymentIntent(amount: 0), StripeHeader(PaymentIntent(amount: 0), Secret, Now)));

    [Theory]
    [InlineData("", "body")]
    [InlineData("null", "body")]
    [InlineData("[]", "body")]
    [InlineData("42", "body")]
    [InlineData("{", "body")]
    [InlineData("{}", "id")]
    [InlineData("""{"id":7,"type":"payment_intent.succeeded"}""", "id")]
    [InlineData("""{"id":"evt","type":["payment_intent.succeeded"]}""", "type")]
    [InlineData("""{"id":"evt","type":"payment_intent.succeeded"}""", "data")]
    [InlineData("""{"id":"evt","type":"payment_intent.succeeded","data":null}""", "data")]
    [InlineData("""{"id":"evt","type":"payment_intent.succeeded","data":{"object":[]}}""", "data.object")]
    [InlineData("""{"id":"evt","type":"payment_intent.succeeded","created":1,"data":{"object":{"id":"pi","amount_received":"12345","currency":"usd"}}}""", "data.object.amount_received")]
    [InlineData("""{"id":"evt","type":"payment_intent.succeeded","created":1,"data":{"object":{"id":"pi","amount_received":NaN,"currency":"usd"}}}""", "body")]
    [InlineData("""{"id":"evt","type":"payment_intent.succeeded","created":1,"data":{"object":{"id":"pi","amount_received":1e400,"currency":"usd"}}}""", "data.object.amount_received")]
    [InlineData("""{"id":"evt","type":"payment_intent.succeeded","created":1,"data":{"object":{"id":"pi","amount_received":99999999999999999999999,"currency":"usd"}}}""", "data.object.amount_received")]
    [InlineData("""{"id":"evt","type":"payment_intent.succeeded","created":1,"data":{"object":{"id":"pi","amount_received":12.5,"currency":"usd"}}}""", "data.object.amount_received")]
    [InlineData("""{"id":"evt","type":"payment_intent.succeeded","created":1,"data":{"object":{"id":"pi","amount_received":-100,"currency":"usd"}}}""", "data.object.amount_received")]
    [InlineData("""{"id":"evt","type":"payment_intent.succeeded","created":1,"data":{"object":{"id":"pi","amount_received":9000000000000000000,"currency":"usd"}}}""", "data.object.amount_received")]
    [InlineData("""{"id":"evt","type":"payment_intent.succeeded","created":1,"data":{"object":{"id":"pi","amount_received":100,"currency":"zz"}}}""", "data.object.currency")]
    [InlineData("""{"id":"evt","type":"payment_intent.succeeded","created":1,"data":{"object":{"id":"pi","amount_received":100,"currency":840}}}""", "data.object.currency")]
    [InlineData("""{"id":"evt","type":"payment_intent.succeeded","created":"yesterday","data":{"object":{"id":"pi","amount_received":100,"currency":"usd"}}}""", "created")]
    [InlineData("""{"id":"evt","type":"payment_intent.succeeded","created":-1,"data":{"object":{"id":"pi","amount_received":100,"currency":"usd"}}}""", "created")]
    [InlineData("""{"id":"evt","type":"payment_intent.succeeded","data":{"object":{"id":"pi","amount_received":100,"currency":"usd"}}}""", "created")]
    [InlineData("""{"id":"evt","type":"payment_intent.succeeded","created":1,"data":{"object":{"id":"pi","amount_received":100,"currency":"usd","metadata":"INV-1"}}}""", "data.object.metadata")]
    [InlineData("""{"id":"evt","type":"payment_intent.succeeded","created":1,"data":{"object":{"id":"pi","amount_received":100,"currency":"usd","metadata":{"invoice_id":"\ud800"}}}}""", "body")]
    [InlineData("""{"id":"evt","\ud800":1,"type":"payment_intent.succeeded"}""", "body")]
    [InlineData("""{"id":"evt","type":"payment_intent.succeeded","created":1,"data":{"object":{"id":"pi","amount_received":100,"currency":"usd","metadata":{"invoice_id":17}}}}""", "data.object.metadata.invoice_id")]
    [InlineData("""{"id":"evt","type":"charge.refunded","created":1,"data":{"object":{"id":"ch","amount_refunded":100,"currency":"usd"},"previous_attributes":{"amount_refunded":"50"}}}""", "data.previous_attributes.amount_refunded")]
    public void GivenACorrectlySignedBodyThatIsNotAUsableEvent_WhenVerified_ThenMalformedNamingTheField(string payload, string field)
    {
        var rejected = Rejected(Verify(payload, StripeHeader(payload, Secret, Now)), WebhookRejection.Malformed);

        Assert.False(rejected.Unauthenticated);
        Assert.StartsWith(field + ":", rejected.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenDeeplyNestedJson_WhenVerified_ThenMalformedNotAnException()
    {
        var payload = new string('[', 100_000) + new string(']', 100_000);

        Rejected(Verify(payload, StripeHeader(payload, Secret, Now)), WebhookRejection.Malformed);
    }

    [Fact]
    public void GivenSeveralProblems_WhenVerified_ThenAllAreNamed()
    {
        const string payload = """{"id":"evt","type":"invoice.paid","data":{"object":{"amount_paid":"x","currency":"??"}}}""";

        var detail = Rejected(Verify(payload, StripeHeader(payload, Secret, Now)), WebhookRejection.Malformed).Detail;

        Assert.Contains("data.object.id: is required", detail, StringComparison.Ordinal);
        Assert.Contains("data.object.currency:", detail, StringComparison.Ordinal);
        Assert.Contains("data.object.amount_paid: must be a whole number", detail, StringComparison.Ordinal);
        Assert.Contains("created:", detail, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenAnEmptySecret_WhenVerifying_ThenThatIsAConfigurationErrorNotAVerdict() =>
        Assert.Throws<ArgumentException>(() => StripeWebhook.Verify("{}", "t=1,v1=00", string.Empty, Now));
}
