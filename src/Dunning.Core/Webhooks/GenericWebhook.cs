using System.Text.Json;
using Dunning.Common;
using Dunning.Import;

namespace Dunning.Webhooks;

/// <summary>
/// The documented scheme for any other payment provider (or a bank-feed bridge the business writes itself).
/// Headers: <c>X-Dunning-Timestamp: &lt;unix seconds&gt;</c> and
/// <c>X-Dunning-Signature: sha256=&lt;hex of HMAC-SHA256(secret, timestamp + "." + raw body)&gt;</c>
/// (several comma-separated <c>sha256=</c> entries are allowed while a secret is being rolled).
/// Body: <c>{ "eventId", "invoiceId", "amount", "currency", "paidAt", "reference", "kind"?, "stripePaymentId"? }</c>, where
/// amount is a JSON number or a decimal string with '.', paidAt is ISO 8601 with an offset, and kind is "payment" (the
/// default) or "refund".
/// </summary>
/// <remarks>
/// A payment is identified by its <c>eventId</c>, never by its free-text <c>reference</c> (bank feeds reuse the invoice
/// number there). A bridge that also forwards a payment Stripe reports names Stripe's id in <c>stripePaymentId</c>
/// (the payment intent id, or the Stripe invoice id for a Stripe invoice): the payment then counts once, whichever
/// webhook reports it first.
/// </remarks>
public static class GenericWebhook
{
    public const string Provider = "generic";

    public const string TimestampHeaderName = "X-Dunning-Timestamp";

    public const string SignatureHeaderName = "X-Dunning-Signature";

    private const string Scheme = "sha256=";

    public static WebhookVerdict Verify(
        string payload,
        string? timestampHeader,
        string? signatureHeader,
        string secret,
        DateTimeOffset now,
        TimeSpan? tolerance = null)
    {
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentException.ThrowIfNullOrEmpty(secret);
        var window = WebhookSigning.Tolerance(tolerance);

        if (string.IsNullOrWhiteSpace(signatureHeader))
        {
            return Reject(WebhookRejection.MissingSignature, $"no {SignatureHeaderName} header");
        }

        if (string.IsNullOrWhiteSpace(timestampHeader))
        {
            return Reject(WebhookRejection.MissingSignature, $"no {TimestampHeaderName} header");
        }

        var timestamp = timestampHeader.Trim();
        if (!WebhookSigning.TryParseUnixSeconds(timestamp, out var signedAt))
        {
            return Reject(WebhookRejection.BadSignature, $"{TimestampHeaderName} must be unix seconds (digits only)");
        }

        var signatures = signatureHeader
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(s => s.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
            .Select(s => s[Scheme.Length..].Trim())
            .ToList();
        if (signatures.Count == 0)
        {
            return Reject(WebhookRejection.BadSignature, $"{SignatureHeaderName} must be sha256=<hex HMAC-SHA256>");
        }

        if (!WebhookSigning.AnyMatches(WebhookSigning.Mac(secret, timestamp, payload), signatures))
        {
            return Reject(
                WebhookRejection.BadSignature,
                "the signature does not match: sign timestamp + \".\" + the raw body with this endpoint's secret");
        }

        if (WebhookSigning.TimestampProblem(signedAt, now, window) is { } stale)
        {
            return Reject(WebhookRejection.StaleTimestamp, stale);
        }

        return JsonFields.Read(payload, root => Read(root, now, window));
    }

    /// <summary>The <c>X-Dunning-Signature</c> value for <paramref name="payload"/> sent with <c>X-Dunning-Timestamp: <paramref name="timestamp"/></c>.</summary>
    public static string SignatureHeader(string payload, string secret, string timestamp)
    {
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentException.ThrowIfNullOrEmpty(secret);
        ArgumentException.ThrowIfNullOrWhiteSpace(timestamp);
        return Scheme + WebhookSigning.MacHex(secret, timestamp.Trim(), payload);
    }

    /// <summary>Both headers, as a provider sending <paramref name="payload"/> at <paramref name="at"/> would set them.</summary>
    public static (string Timestamp, string Signature) Headers(string payload, string secret, DateTimeOffset at)
    {
        var timestamp = WebhookSigning.UnixSeconds(at);
        return (timestamp, SignatureHeader(payload, secret, timestamp));
    }

    private static WebhookVerdict Read(JsonElement root, DateTimeOffset now, TimeSpan tolerance)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return Reject(WebhookRejection.Malformed, "body: must be a JSON object");
        }

        var fields = new JsonFields();
        var eventId = fields.String(root, "eventId", "eventId", maxLength: 255);
        var rawInvoiceId = fields.String(root, "invoiceId", "invoiceId", required: false);
        var currency = Currency(fields, root);
        var amount = Amount(fields, root, currency);
        var paidAt = PaidAt(fields, root, now, tolerance);
        var reference = fields.String(root, "reference", "reference", required: false) ?? eventId;
        var kind = Kind(fields, root);
        var stripePaymentId = fields.String(root, "stripePaymentId", "stripePaymentId", required: false, maxLength: 255);
        if (stripePaymentId is not null && kind == PaymentNoticeKind.Refund)
        {
            fields.Add("stripePaymentId", "names the Stripe payment a payment mirrors; a refund is identified by its eventId");
        }

        if (fields.Any)
        {
            return Reject(WebhookRejection.Malformed, fields.Detail);
        }

        return new WebhookVerdict.Accepted(new PaymentNotice(
            Provider,
            eventId!,
            InvoiceId.TryParse(rawInvoiceId, out var invoiceId) ? invoiceId : null,
            rawInvoiceId,
            new Money(amount!.Value, currency!),
            paidAt!.Value,
            reference!,
            kind,
            PaymentId: stripePaymentId,
            PaymentProvider: stripePaymentId is null ? null : StripeWebhook.Provider));
    }

    private static string? Currency(JsonFields fields, JsonElement root)
    {
        if (fields.String(root, "currency", "currency", maxLength: 16) is not { } text)
        {
            return null;
        }

        var code = Fields.Currency(text);
        if (code is null)
        {
            fields.Add("currency", Fields.CurrencyProblem(text));
        }

        return code;
    }

    private static decimal? Amount(JsonFields fields, JsonElement root, string? currency)
    {
        if (!JsonFields.TryGet(root, "amount", out var value))
        {
            fields.Add("amount", "is required");
            return null;
        }

        string? problem;
        var amount = value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetDecimal(out var number) => Fields.Amount(number, allowZero: false, currency, out problem),
            JsonValueKind.Number => Fail("is not a number this system can hold", out problem),
            JsonValueKind.String => Fields.Amount(value.GetString()!, allowZero: false, currency, out problem),
            _ => Fail("must be a number or a decimal string", out problem),
        };

        if (problem is not null)
        {
            fields.Add("amount", problem);
        }

        return amount;
    }

    private static DateTimeOffset? PaidAt(JsonFields fields, JsonElement root, DateTimeOffset now, TimeSpan tolerance)
    {
        if (fields.String(root, "paidAt", "paidAt", maxLength: 64) is not { } text)
        {
            return null;
        }

        var paidAt = Fields.Instant(text, out var problem);
        if (problem is not null)
        {
            fields.Add("paidAt", problem);
            return null;
        }

        if (paidAt > now + tolerance)
        {
            fields.Add("paidAt", $"'{text}' is in the future");
            return null;
        }

        return paidAt;
    }

    private static PaymentNoticeKind Kind(JsonFields fields, JsonElement root)
    {
        var text = fields.String(root, "kind", "kind", required: false, maxLength: 16);
        switch (text?.ToUpperInvariant())
        {
            case null or "PAYMENT":
                return PaymentNoticeKind.Payment;
            case "REFUND":
                return PaymentNoticeKind.Refund;
            default:
                fields.Add("kind", $"'{Fields.Shorten(text)}' must be \"payment\" or \"refund\"");
                return PaymentNoticeKind.Payment;
        }
    }

    private static decimal? Fail(string reason, out string? problem)
    {
        problem = reason;
        return null;
    }

    private static WebhookVerdict.Rejected Reject(WebhookRejection reason, string detail) => new(reason, detail);
}
