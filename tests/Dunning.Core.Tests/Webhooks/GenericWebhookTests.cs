using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Dunning.Common;
using Dunning.Webhooks;

namespace Dunning.Tests.Webhooks;

public class GenericWebhookTests
{
    private const string Secret = "generic-secret";
    private static readonly DateTimeOffset Now = new(2026, 2, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly string Timestamp = Now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    private const string Valid = """
        {"eventId":"pay-981","invoiceId":"INV-1","amount":"200.50","currency":"usd","paidAt":"2026-02-01T11:00:00+01:00","reference":"BANK-REF-1"}
        """;

    /// <summary>The documented signature, computed without the code under test.</summary>
    private static string Sign(string payload, string timestamp, string secret = Secret)
    {
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(secret));
        return "sha256=" + BitConverter.ToString(hmac.ComputeHash(Encoding.UTF8.GetBytes(timestamp + "." + payload))).Replace("-", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
    }

    private static WebhookVerdict Verify(string payload, string? timestamp = null, string? signature = null) =>
        GenericWebhook.Verify(payload, timestamp ?? Timestamp, signature ?? Sign(payload, timestamp ?? Timestamp), Secret, Now);

    private static WebhookVerdict.Rejected Rejected(WebhookVerdict verdict, WebhookRejection reason)
    {
        var rejected = Assert.IsType<WebhookVerdict.Rejected>(verdict);
        Assert.Equal(reason, rejected.Reason);
        return rejected;
    }

    [Fact]
    public void GivenAValidSignedPayment_WhenVerified_ThenAccepted()
    {
        var notice = Assert.IsType<WebhookVerdict.Accepted>(Verify(Valid)).Notice;

        Assert.Equal(
            new PaymentNotice("generic", "pay-981", new InvoiceId("INV-1"), "INV-1", new Money(200.50m, "USD"), new DateTimeOffset(2026, 2, 1, 10, 0, 0, TimeSpan.Zero), "BANK-REF-1", PaymentNoticeKind.Payment),
            notice);
    }

    [Fact]
    public void GivenTheSigningHelpers_WhenTheirHeadersAreVerified_ThenAccepted()
    {
        Assert.Equal(Sign(Valid, Timestamp), GenericWebhook.SignatureHeader(Valid, Secret, Timestamp));

        var (timestamp, signature) = GenericWebhook.Headers(Valid, Secret, Now.AddSeconds(-10));

        Assert.IsType<WebhookVerdict.Accepted>(GenericWebhook.Verify(Valid, timestamp, signature, Secret, Now));
    }

    [Fact]
    public void GivenANumericAmountAndARefund_WhenVerified_ThenARefundOfThatAmount()
    {
        const string body = """{"eventId":"r-1","invoiceId":"INV-1","amount":75,"currency":"EUR","paidAt":"2026-01-31T09:30:00Z","reference":"R","kind":"refund"}""";

        var notice = Assert.IsType<WebhookVerdict.Accepted>(Verify(body)).Notice;

        Assert.Equal(PaymentNoticeKind.Refund, notice.Kind);
        Assert.Equal(new Money(75m, "EUR"), notice.Amount);
    }

    [Fact]
    public void GivenNoInvoiceIdOrReference_WhenVerified_ThenAcceptedForReviewWithTheEventIdAsReference()
    {
        const string body = """{"eventId":"p-2","amount":10,"currency":"GBP","paidAt":"2026-01-31T09:30:00.123Z"}""";

        var notice = Assert.IsType<WebhookVerdict.Accepted>(Verify(body)).Notice;

        Assert.Null(notice.InvoiceId);
        Assert.Null(notice.RawInvoiceId);
        Assert.Equal("p-2", notice.Reference);
    }

    [Fact]
    public void GivenAnInvalidInvoiceId_WhenVerified_ThenTheRawTextIsKept()
    {
        const string body = """{"eventId":"p-3","invoiceId":"INV #4","amount":10,"currency":"GBP","paidAt":"2026-01-31T09:30:00Z"}""";

        var notice = Assert.IsType<WebhookVerdict.Accepted>(Verify(body)).Notice;

        Assert.Null(notice.InvoiceId);
        Assert.Equal("INV #4", notice.RawInvoiceId);
    }

    [Fact]
    public void GivenEveryFieldWrongAtOnce_WhenVerified_ThenEveryProblemIsListed()
    {
        const string body = """{"eventId":"","invoiceId":42,"amount":"1,000.00","currency":"US","paidAt":"yesterday","reference":{},"kind":"chargeback"}""";

        var detail = Rejected(Verify(body), WebhookRejection.Malformed).Detail;

        Assert.Contains("eventId: must not be empty", detail, StringComparison.Ordinal);
        Assert.Contains("invoiceId: must be a string", detail, StringComparison.Ordinal);
        Assert.Contains("amount: '1,000.00' is not a decimal", detail, StringComparison.Ordinal);
        Assert.Contains("currency: 'US' is not an ISO 4217 code", detail, StringComparison.Ordinal);
        Assert.Contains("paidAt: 'yesterday' is not an ISO 8601", detail, StringComparison.Ordinal);
        Assert.Contains("reference: must be a string", detail, StringComparison.Ordinal);
        Assert.Contains("kind: 'chargeback' must be \"payment\" or \"refund\"", detail, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenAnEmptyObject_WhenVerified_ThenEveryRequiredFieldIsNamed()
    {
        var detail = Rejected(Verify("{}"), WebhookRejection.Malformed).Detail;

        Assert.Equal("eventId: is required; currency: is required; amount: is required; paidAt: is required", detail);
    }

    [Theory]
    [InlineData("0", "amount: must be greater than 0")]
    [InlineData("\"0.00\"", "amount: must be greater than 0")]
    [InlineData("-5", "amount: must be greater than 0")]
    [InlineData("\"-5\"", "amount: must be greater than 0")]
    [InlineData("\"12,50\"", "amount: '12,50' is not a decimal")]
    [InlineData("\"1e3\"", "amount: '1e3' is not a decimal")]
    [InlineData("\"NaN\"", "amount: 'NaN' is not a decimal")]
    [InlineData("1e400", "amount: is not a number this system can hold")]
    [InlineData("10.001", "amount: 10.001 has more decimal places than USD has (2)")]
    [InlineData("true", "amount: must be a number or a decimal string")]
    [InlineData("\"99999999999999999999\"", "amount: must be at most")]
    public void GivenABadAmount_WhenVerified_ThenTheProblemIsNamed(string amount, string expected)
    {
        var body = $$"""{"eventId":"e","invoiceId":"INV-1","amount":{{amount}},"currency":"USD","paidAt":"2026-01-31T09:30:00Z"}""";

        Assert.StartsWith(expected, Rejected(Verify(body), WebhookRejection.Malformed).Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-01-31T09:30:00")]
    [InlineData("31/01/2026 09:30")]
    [InlineData("2026-02-01T12:30:00Z")]
    public void GivenAPaidAtWithoutOffsetOrInTheFuture_WhenVerified_ThenTheProblemIsNamed(string paidAt)
    {
        var body = $$"""{"eventId":"e","amount":1,"currency":"USD","paidAt":"{{paidAt}}"}""";

        Assert.StartsWith("paidAt:", Rejected(Verify(body), WebhookRejection.Malformed).Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-01-31T09:30Z")]
    [InlineData("2026-01-31T09:30:00.5-05:00")]
    [InlineData("2026-01-31T09:30:00z")]
    [InlineData("2026-01-31")] // a date alone, as bank feeds give it, and as staff may write it: midnight UTC
    public void GivenIso8601Variants_WhenVerified_ThenAccepted(string paidAt)
    {
        var body = $$"""{"eventId":"e","amount":1,"currency":"USD","paidAt":"{{paidAt}}"}""";

        Assert.IsType<WebhookVerdict.Accepted>(Verify(body));
    }

    [Fact]
    public void GivenNoSignatureOrNoTimestamp_WhenVerified_ThenMissingSignature()
    {
        Rejected(GenericWebhook.Verify(Valid, Timestamp, null, Secret, Now), WebhookRejection.MissingSignature);
        Rejected(GenericWebhook.Verify(Valid, null, Sign(Valid, Timestamp), Secret, Now), WebhookRejection.MissingSignature);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("1769947200.5")]
    [InlineData("-1769947200")]
    public void GivenATimestampThatIsNotUnixSeconds_WhenVerified_ThenBadSignature(string timestamp) =>
        Rejected(Verify(Valid, timestamp), WebhookRejection.BadSignature);

    [Fact]
    public void GivenTheWrongSecretOrATamperedBodyOrAnotherScheme_WhenVerified_ThenBadSignature()
    {
        Rejected(Verify(Valid, signature: Sign(Valid, Timestamp, "other")), WebhookRejection.BadSignature);
        Rejected(Verify(Valid.Replace("200.50", "2000.50", StringComparison.Ordinal), signature: Sign(Valid, Timestamp)), WebhookRejection.BadSignature);
        Rejected(Verify(Valid, signature: Sign(Valid, Timestamp)["sha256=".Length..]), WebhookRejection.BadSignature);
        Rejected(Verify(Valid, signature: "md5=" + Sign(Valid, Timestamp)["sha256=".Length..]), WebhookRejection.BadSignature);
    }

    [Fact]
    public void GivenASignatureSignedForAnotherTimestamp_WhenVerified_ThenBadSignature()
    {
        var other = (Now.ToUnixTimeSeconds() - 1).ToString(CultureInfo.InvariantCulture);

        Rejected(Verify(Valid, Timestamp, Sign(Valid, other)), WebhookRejection.BadSignature);
    }

    [Fact]
    public void GivenSeveralSignatures_WhenOneMatches_ThenAccepted() =>
        Assert.IsType<WebhookVerdict.Accepted>(Verify(Valid, signature: "sha256=" + new string('a', 64) + ", " + Sign(Valid, Timestamp)));

    [Fact]
    public void GivenAStaleOrFutureTimestamp_WhenVerified_ThenStaleTimestamp()
    {
        var old = (Now.ToUnixTimeSeconds() - 360).ToString(CultureInfo.InvariantCulture);
        var future = (Now.ToUnixTimeSeconds() + 360).ToString(CultureInfo.InvariantCulture);

        Rejected(Verify(Valid, old), WebhookRejection.StaleTimestamp);
        Rejected(Verify(Valid, future), WebhookRejection.StaleTimestamp);
    }
}
