namespace Dunning.Webhooks;

/// <summary>Why a delivery was refused before anything about it was recorded.</summary>
public enum WebhookRejection
{
    /// <summary>No signature header, or one without a signature of the expected scheme. HTTP 401.</summary>
    MissingSignature,

    /// <summary>A signature that does not match (wrong secret, or the body was changed), or an unreadable header. HTTP 401.</summary>
    BadSignature,

    /// <summary>Correctly signed, but the signed timestamp is outside the tolerance (a replay, or a badly wrong clock). HTTP 401.</summary>
    StaleTimestamp,

    /// <summary>Correctly signed and fresh, but not an event this system can read. HTTP 400.</summary>
    Malformed,
}

/// <summary>
/// What verifying and reading one webhook delivery concluded. Hosts answer:
/// <list type="bullet">
/// <item><see cref="Accepted"/>: hand the notice on (200 when applied or a duplicate, 202 when kept for review).</item>
/// <item><see cref="Ignored"/>: 200, so the provider does not retry an event type we do not act on.</item>
/// <item><see cref="Rejected"/> for <see cref="WebhookRejection.MissingSignature"/>, <see cref="WebhookRejection.BadSignature"/>
/// or <see cref="WebhookRejection.StaleTimestamp"/>: 401, and nothing is recorded.</item>
/// <item><see cref="Rejected"/> for <see cref="WebhookRejection.Malformed"/>: 400 (the sender is authentic but its body is not
/// understood; 422 is equally right), and nothing is recorded.</item>
/// </list>
/// Verification never throws on what a sender controls: any body and any header give a verdict.
/// </summary>
public abstract record WebhookVerdict
{
    private WebhookVerdict()
    {
    }

    public sealed record Accepted(PaymentNotice Notice) : WebhookVerdict;

    /// <summary>A verified event of a type (or with content) this system does not act on, e.g. <c>customer.created</c>.</summary>
    public sealed record Ignored(string EventId, string Reason) : WebhookVerdict;

    public sealed record Rejected(WebhookRejection Reason, string Detail) : WebhookVerdict
    {
        /// <summary>True when the sender could not be authenticated (answer 401), false when it was but the body is bad (400).</summary>
        public bool Unauthenticated => Reason != WebhookRejection.Malformed;
    }
}
