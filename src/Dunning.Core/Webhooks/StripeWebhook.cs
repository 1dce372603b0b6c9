using System.Text.Json;
using Dunning.Common;
using Dunning.Import;

namespace Dunning.Webhooks;

/// <summary>
/// Stripe's webhook scheme: header <c>Stripe-Signature: t=&lt;unix&gt;,v1=&lt;hex&gt;[,v1=...][,v0=...]</c>, where each v1 is
/// hex(HMAC-SHA256(endpoint secret, t + "." + raw body)). Several v1 entries appear while a secret is being rolled;
/// any one matching is enough. v0 (test-mode legacy) is never trusted.
/// </summary>
/// <remarks>
/// Pass the raw request body exactly as received: a body that was parsed and serialised again has different
/// bytes and will not verify. The events acted on are <c>payment_intent.succeeded</c>, <c>invoice.paid</c> and
/// <c>charge.refunded</c>; each finds its invoice through <c>data.object.metadata.invoice_id</c>.
/// </remarks>
public static class StripeWebhook
{
    public const string Provider = "stripe";

    public const string HeaderName = "Stripe-Signature";

    public static WebhookVerdict Verify(string payload, string? signatureHeader, string secret, DateTimeOffset now, TimeSpan? tolerance = null)
    {
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentException.ThrowIfNullOrEmpty(secret);
        var window = WebhookSigning.Tolerance(tolerance);

        if (string.IsNullOrWhiteSpace(signatureHeader))
        {
            return Reject(WebhookRejection.MissingSignature, $"no {HeaderName} header");
        }

        string? timestamp = null;
        var timestamps = 0;
        var signatures = new List<string>();
        foreach (var part in signatureHeader.Split(','))
        {
            var equals = part.IndexOf('=');
            if (equals <= 0)
            {
                continue;
            }

            var key = part[..equals].Trim();
            var value = part[(equals + 1)..].Trim();
            if (key == "t")
            {
                timestamp = value;
                timestamps++;
            }
            else if (key == "v1")
            {
                signatures.Add(value);
            }
        }

        if (signatures.Count == 0)
        {
            return Reject(WebhookRejection.MissingSignature, $"the {HeaderName} header has no v1 signature");
        }

        if (timestamps != 1 || !WebhookSigning.TryParseUnixSeconds(timestamp, out var signedAt))
        {
            return Reject(WebhookRejection.BadSignature, $"the {HeaderName} header needs exactly one timestamp t=<unix seconds>");
        }

        if (!WebhookSigning.AnyMatches(WebhookSigning.Mac(secret, timestamp!, payload), signatures))
        {
            return Reject(
                WebhookRejection.BadSignature,
                "no v1 signature matches: the signing secret is not this endpoint's, or the body is not the raw body Stripe sent");
        }

        if (WebhookSigning.TimestampProblem(signedAt, now, window) is { } stale)
        {
            return Reject(WebhookRejection.StaleTimestamp, stale);
        }

        return JsonFields.Read(payload, Read);
    }

    /// <summary>A valid <c>Stripe-Signature</c> header for <paramref name="payload"/>, as Stripe would send it at <paramref name="timestamp"/>.</summary>
    public static string SignatureHeader(string payload, string secret, DateTimeOffset timestamp)
    {
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentException.ThrowIfNullOrEmpty(secret);
        var t = WebhookSigning.UnixSeconds(timestamp);
        return $"t={t},v1={WebhookSigning.MacHex(secret, t, payload)}";
    }

    /// <summary>
    /// Stripe's exponent for an amount in minor units. It follows ISO 4217 except where Stripe documents otherwise:
    /// ISK, HUF and TWD are two-decimal in the API (100 = 1 króna), UGX is zero-decimal, and BHD, JOD, KWD, OMR and
    /// TND are three-decimal. Dividing by the ledger's own minor unit instead would misread ISK by a factor of 100.
    /// </summary>
    internal static int MinorUnitExponent(string currency) => currency switch
    {
        "BIF" or "CLP" or "DJF" or "GNF" or "JPY" or "KMF" or "KRW" or "MGA" or "PYG" or "RWF" or "UGX" or "VND" or "VUV"
            or "XAF" or "XOF" or "XPF" => 0,
        "BHD" or "JOD" or "KWD" or "OMR" or "TND" => 3,
        _ => 2,
    };

    internal static Money FromMinorUnits(long minor, string currency) =>
        new(MinorUnitExponent(currency) switch
        {
            0 => minor,
            3 => minor / 1000m,
            _ => minor / 100m,
        }, currency);

    private static WebhookVerdict Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return Reject(WebhookRejection.Malformed, "body: must be a JSON object (a Stripe event)");
        }

        var fields = new JsonFields();
        var eventId = fields.String(root, "id", "id", maxLength: 255);
        var type = fields.String(root, "type", "type", maxLength: 255);
        if (fields.Any)
        {
            return Reject(WebhookRejection.Malformed, fields.Detail);
        }

        return type switch
        {
            "payment_intent.succeeded" => Notice(eventId!, root, "amount_received", PaymentNoticeKind.Payment),
            "invoice.paid" => Notice(eventId!, root, "amount_paid", PaymentNoticeKind.Payment),
            "charge.refunded" => Notice(eventId!, root, "amount_refunded", PaymentNoticeKind.Refund),
            _ => new WebhookVerdict.Ignored(eventId!, $"event type '{type}' is not acted on"),
        };
    }

    private static WebhookVerdict Notice(string eventId, JsonElement root, string amountField, PaymentNoticeKind kind)
    {
        var fields = new JsonFields();
        if (fields.Object(root, "data", "data") is not { } data || fields.Object(data, "object", "data.object") is not { } item)
        {
            return Reject(WebhookRejection.Malformed, fields.Detail);
        }

        var reference = fields.String(item, "id", "data.object.id", maxLength: 255);
        var currencyText = fields.String(item, "currency", "data.object.currency", maxLength: 16);
        var currency = currencyText is null ? null : Fields.Currency(currencyText);
        if (currencyText is not null && currency is null)
        {
            fields.Add("data.object.currency", Fields.CurrencyProblem(currencyText));
        }

        var amount = fields.Integer(item, amountField, "data.object." + amountField);
        if (amount < 0)
        {
            fields.Add("data.object." + amountField, "must not be negative");
        }

        if (amount > Fields.MaxMinorUnits)
        {
            fields.Add("data.object." + amountField, "is larger than any invoice this system holds");
        }

        // charge.refunded carries the charge's running total; the previous total says what this refund added.
        long? previouslyRefunded = null;
        if (kind == PaymentNoticeKind.Refund
            && JsonFields.TryGet(data, "previous_attributes", out var previous)
            && JsonFields.TryGet(previous, "amount_refunded", out _))
        {
            previouslyRefunded = fields.Integer(previous, "amount_refunded", "data.previous_attributes.amount_refunded");
        }

        var paidAt = PaidAt(fields, root, item, kind);
        var (invoiceId, rawInvoiceId) = InvoiceReference(fields, item);

        if (fields.Any)
        {
            return Reject(WebhookRejection.Malformed, fields.Detail);
        }

        if (kind == PaymentNoticeKind.Payment
            && amountField == "amount_received"
            && JsonFields.TryGet(item, "invoice", out var stripeInvoice)
            && stripeInvoice.ValueKind == JsonValueKind.String
            && stripeInvoice.GetString() is { Length: > 0 } stripeInvoiceId)
        {
            return new WebhookVerdict.Ignored(
                eventId,
                $"the payment intent pays Stripe invoice {stripeInvoiceId}; it is counted from that invoice's invoice.paid event, not twice");
        }

        if (amount == 0)
        {
            return new WebhookVerdict.Ignored(eventId, $"data.object.{amountField} is 0: no money moved");
        }

        // charge.refunded reports the charge's running total: the case and the ledger add what it exceeds the totals
        // they already applied for that charge, so a second partial refund counts and a repeated one does not.
        // The difference from previous_attributes is only this refund's own figure, for people to read.
        var minor = amount!.Value - Math.Clamp(previouslyRefunded ?? 0, 0, amount.Value);
        return new WebhookVerdict.Accepted(new PaymentNotice(
            Provider,
            eventId,
            invoiceId,
            rawInvoiceId,
            FromMinorUnits(minor > 0 ? minor : amount.Value, currency!),
            paidAt!.Value,
            reference!,
            kind,
            PaymentId: reference,
            RefundedToDate: kind == PaymentNoticeKind.Refund ? FromMinorUnits(amount.Value, currency!) : null));
    }

    /// <summary>
    /// When the money moved: for an invoice its <c>status_transitions.paid_at</c>; otherwise the event's own
    /// <c>created</c> (when the payment succeeded or the refund happened), falling back to the object's
    /// <c>created</c>, which for a charge being refunded is when it was first charged.
    /// </summary>
    private static DateTimeOffset? PaidAt(JsonFields fields, JsonElement root, JsonElement item, PaymentNoticeKind kind)
    {
        var candidates = new List<(JsonElement Parent, string Name, string Path)>();
        if (kind == PaymentNoticeKind.Payment && JsonFields.TryGet(item, "status_transitions", out var transitions))
        {
            candidates.Add((transitions, "paid_at", "data.object.status_transitions.paid_at"));
        }

        candidates.Add((root, "created", "created"));
        candidates.Add((item, "created", "data.object.created"));

        foreach (var (parent, name, path) in candidates)
        {
            if (!JsonFields.TryGet(parent, name, out _))
            {
                continue;
            }

            if (fields.Integer(parent, name, path) is not { } seconds)
            {
                return null;
            }

            if (!WebhookSigning.TryUnixSeconds(seconds, out var at))
            {
                fields.Add(path, "is not a unix time");
                return null;
            }

            return at;
        }

        fields.Add("created", "is required (or data.object.created)");
        return null;
    }

    private static (InvoiceId? Id, string? Raw) InvoiceReference(JsonFields fields, JsonElement item)
    {
        if (!JsonFields.TryGet(item, "metadata", out var metadata))
        {
            return (null, null);
        }

        if (metadata.ValueKind != JsonValueKind.Object)
        {
            fields.Add("data.object.metadata", "must be an object");
            return (null, null);
        }

        var raw = fields.String(metadata, "invoice_id", "data.object.metadata.invoice_id", required: false);
        return raw is null ? (null, null) : (InvoiceId.TryParse(raw, out var id) ? id : null, raw);
    }

    private static WebhookVerdict.Rejected Reject(WebhookRejection reason, string detail) => new(reason, detail);
}
