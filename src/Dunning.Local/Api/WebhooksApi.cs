using Dunning.Api;
using Dunning.Local.Storage;
using Dunning.UseCases;
using Dunning.Webhooks;
using Microsoft.Extensions.Options;

namespace Dunning.Local.Api;

/// <summary>
/// Payment webhooks, Stripe's and the generic signed one. The signature is checked over the raw body bytes
/// before anything is read or recorded; a bad signature or a stale timestamp gets 401 and leaves no trace.
/// </summary>
public static class WebhooksApi
{
    public static RouteGroupBuilder MapWebhooks(this IEndpointRouteBuilder routes)
    {
        var webhooks = routes.MapGroup("/api/webhooks").WithTags("Webhooks");

        webhooks.MapPost("/stripe", Stripe)
            .WithSummary("Stripe events (payment_intent.succeeded, invoice.paid, charge.refunded), verified with the Stripe-Signature header")
            .Accepts<object>("application/json")
            .Produces(200).Produces(202).ProducesProblem(400).ProducesProblem(401).ProducesProblem(503);
        webhooks.MapPost("/payments", Generic)
            .WithSummary("A generic provider: X-Dunning-Timestamp and X-Dunning-Signature: sha256=<hex HMAC-SHA256 of timestamp.body>")
            .Accepts<object>("application/json")
            .Produces(200).Produces(202).ProducesProblem(400).ProducesProblem(401).ProducesProblem(503);
        webhooks.MapGet("/review", async (LocalApp app, CancellationToken ct) => Http.Json(await app.Inbox.ReviewAsync(ct)))
            .WithSummary("Verified deliveries that matched no invoice, kept for a person to look at")
            .Produces<IReadOnlyList<ReviewItem>>();
        return webhooks;
    }

    private static Task<IResult> Stripe(HttpRequest request, LocalApp app, IOptions<LocalSettings> settings, ILoggerFactory logs, CancellationToken ct) =>
        HandleAsync(request, app, logs, StripeWebhook.Provider, settings.Value.Webhooks.StripeSecret, "Dunning__Webhooks__StripeSecret",
            (body, secret, now) => StripeWebhook.Verify(body, request.Headers[StripeWebhook.HeaderName].ToString(), secret, now), ct);

    private static Task<IResult> Generic(HttpRequest request, LocalApp app, IOptions<LocalSettings> settings, ILoggerFactory logs, CancellationToken ct) =>
        HandleAsync(request, app, logs, GenericWebhook.Provider, settings.Value.Webhooks.GenericSecret, "Dunning__Webhooks__GenericSecret",
            (body, secret, now) => GenericWebhook.Verify(
                body, request.Headers[GenericWebhook.TimestampHeaderName].ToString(), request.Headers[GenericWebhook.SignatureHeaderName].ToString(), secret, now),
            ct);

    private static async Task<IResult> HandleAsync(
        HttpRequest request, LocalApp app, ILoggerFactory logs, string provider, string? secret, string setting, Func<string, string, DateTimeOffset, WebhookVerdict> verify, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(secret))
        {
            return Http.Problem(503, "Webhook not configured", $"This host has no {provider} signing secret: set {setting}.");
        }

        var (body, tooLarge) = await Http.ReadBodyAsync(request, ct);
        if (tooLarge is not null)
        {
            return tooLarge;
        }

        var now = app.Clock.GetUtcNow();
        var verdict = verify(body!, secret, now);
        if (verdict is not WebhookVerdict.Accepted { Notice: var notice })
        {
            // Refused or not acted on: nothing is recorded, and the core's answer needs no storage.
            var result = await app.Webhooks.HandleAsync(provider, verdict, body!, now, ct);
            logs.CreateLogger(typeof(WebhooksApi)).Webhook(provider, result.Answer.ToString(), result.Detail);
            return Http.Answer(ApiAnswers.Of(result));
        }

        // Recorded and queued in a grouped commit, then answered; the runner applies it (poked now) as the request
        // used to: a signal to the case, a payment on the ledger, or the review list when it matches nothing.
        if (!await app.Inbox.AcceptAsync(PaymentWebhooks.Receipt(provider, notice, body!, now), notice))
        {
            return Http.Json(new { status = "duplicate", detail = $"Event {notice.EventId} was already received." });
        }

        app.Runner.Poke();
        return Http.Json(new { status = "received", detail = $"Event {notice.EventId} is recorded; the runner applies it to invoice {notice.InvoiceId?.Value ?? notice.RawInvoiceId ?? "(none)"} next." }, StatusCodes.Status202Accepted);
    }
}
