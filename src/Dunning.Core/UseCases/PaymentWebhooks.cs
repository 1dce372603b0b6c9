using System.Diagnostics;
using Dunning.Cases;
using Dunning.Common;
using Dunning.Invoices;
using Dunning.Ports;
using Dunning.Webhooks;

namespace Dunning.UseCases;

/// <summary>How a host answers a webhook delivery.</summary>
public enum WebhookAnswer
{
    /// <summary>200: applied to a case or the ledger.</summary>
    Applied,

    /// <summary>200: this event id was seen before; nothing new is recorded.</summary>
    Duplicate,

    /// <summary>200: verified, but an event type this system does not act on.</summary>
    Ignored,

    /// <summary>202: verified, but it matches no invoice (or not its currency): kept for a person to review.</summary>
    ForReview,

    /// <summary>401: missing or bad signature, or a stale timestamp. Nothing is recorded.</summary>
    Unauthorized,

    /// <summary>400: signed correctly but not a payment this system understands. Nothing is recorded.</summary>
    Malformed,
}

public sealed record WebhookResult(WebhookAnswer Answer, string Detail);

/// <summary>
/// A verified payment judged against its case as it stands (<see cref="PaymentWebhooks.Deliver"/>): the signal it is,
/// what the case did with it, the answer, and the reason to keep it for review when the case refused it.
/// </summary>
public sealed record CaseDelivery(CaseEvent Signal, Reception Reception, WebhookResult Result, string? ReviewReason);

/// <summary>Payments and refunds from providers: verified by the caller, deduplicated by event id here.</summary>
public sealed class PaymentWebhooks(IWebhookInbox inbox, ICaseStore cases, ILedger ledger, IWorkflows workflows)
{
    public async Task<WebhookResult> HandleAsync(string provider, WebhookVerdict verdict, string payload, DateTimeOffset now, CancellationToken ct)
    {
        switch (verdict)
        {
            case WebhookVerdict.Rejected { Reason: WebhookRejection.Malformed } malformed:
                return new(WebhookAnswer.Malformed, malformed.Detail);
            case WebhookVerdict.Rejected rejected:
                return new(WebhookAnswer.Unauthorized, rejected.Detail);
            case WebhookVerdict.Ignored ignored:
                return new(WebhookAnswer.Ignored, ignored.Reason);
        }

        // A delivery seen before is a duplicate. Otherwise it is acted on first and its event id recorded after:
        // every way of acting is idempotent (a case and the ledger count a payment's key once, the
        // review list an event once), so a host that dies in between answers nothing, the provider retries, and
        // nothing is lost. Recording first would turn that retry into a "duplicate" and lose the payment.
        var notice = ((WebhookVerdict.Accepted)verdict).Notice;
        if (await inbox.SeenAsync(provider, notice.EventId, ct))
        {
            return new(WebhookAnswer.Duplicate, $"Event {notice.EventId} was already received.");
        }

        var receipt = Receipt(provider, notice, payload, now);
        var result = await ApplyAsync(notice, receipt, ct);
        return await inbox.TryRecordAsync(receipt, ct)
            ? result
            : new(WebhookAnswer.Duplicate, $"Event {notice.EventId} was already received.");
    }

    public static WebhookReceipt Receipt(string provider, PaymentNotice notice, string payload, DateTimeOffset now) =>
        new(provider, notice.EventId, now, payload, notice.InvoiceId?.Value ?? notice.RawInvoiceId);

    /// <summary>
    /// Acts on a verified delivery, without looking at its event id: a signal to its case, a payment on the ledger,
    /// or the review list. For a host that records deliveries first and applies them later (the local host's runner):
    /// every way of acting is idempotent, so applying one again after a crash changes nothing.
    /// </summary>
    public async Task<WebhookResult> ApplyAsync(PaymentNotice notice, WebhookReceipt receipt, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(notice);
        ArgumentNullException.ThrowIfNull(receipt);
        return notice.InvoiceId is { } id && await cases.GetAsync(id, ct) is { } record
            ? await ApplyToCaseAsync(receipt.Provider, notice, receipt, record.State, ct)
            : await ApplyToLedgerAsync(notice, receipt, ct);
    }

    private async Task<WebhookResult> ApplyToLedgerAsync(PaymentNotice notice, WebhookReceipt receipt, CancellationToken ct)
    {
        if (notice.InvoiceId is not { } id)
        {
            return await ReviewAsync(receipt, notice.RawInvoiceId is null ? "no invoice id in the event" : $"'{notice.RawInvoiceId}' is not a valid invoice id", ct);
        }

        if (await ledger.GetInvoiceAsync(id, ct) is not { } invoice)
        {
            return await ReviewAsync(receipt, $"no invoice '{id}' in the ledger", ct);
        }

        if (invoice.Amount.Currency != notice.Amount.Currency)
        {
            return await ReviewAsync(receipt, $"invoice {id} is in {invoice.Amount.Currency}, the payment in {notice.Amount.Currency}", ct);
        }

        await ledger.ApplyPaymentAsync(id, new LedgerPayment(notice.Key, notice.Amount, notice.Kind == PaymentNoticeKind.Refund, notice.RefundedToDate), ct);
        return new(WebhookAnswer.Applied, $"Applied to invoice {id}, which has no collection case.");
    }

    /// <summary>
    /// What a verified payment does to its case, judged against <paramref name="state"/> and folded in when the case
    /// takes it (<see cref="CaseDecider.Receive"/>): the rules of <see cref="ApplyAsync"/>, for a host that applies
    /// deliveries where it already holds the case's state (the local runner's round) and records the signal, the
    /// review item or nothing itself, with the case's save.
    /// </summary>
    public static CaseDelivery Deliver(string provider, PaymentNotice notice, CaseState state)
    {
        ArgumentNullException.ThrowIfNull(notice);
        ArgumentNullException.ThrowIfNull(state);
        var signal = SignalOf(provider, notice);
        var reception = CaseDecider.Receive(state, signal);
        var (result, review) = Judge(reception is Reception.NotApplied refused ? refused.Reason : new CommandResult.Accepted(signal), signal, state.InvoiceId);
        return new CaseDelivery(signal, reception, result, review);
    }

    /// <summary>A case counts a payment once by its key (<see cref="PaymentNotice.Key"/>): telling it again is harmless.</summary>
    private async Task<WebhookResult> ApplyToCaseAsync(string provider, PaymentNotice notice, WebhookReceipt receipt, CaseState state, CancellationToken ct)
    {
        var signal = SignalOf(provider, notice);
        var check = CaseRules.Check(state, signal);
        if (check is CommandResult.Accepted)
        {
            await workflows.SignalAsync(state.InvoiceId, signal, ct);
        }

        var (result, review) = Judge(check, signal, state.InvoiceId);
        if (review is not null)
        {
            await inbox.StoreForReviewAsync(receipt, review, ct);
        }

        return result;
    }

    private static CaseEvent SignalOf(string provider, PaymentNotice notice) => notice.Kind == PaymentNoticeKind.Refund
        ? new CaseEvent.PaymentRefunded(notice.PaidAt, notice.Amount, notice.Reference, notice.Key, notice.RefundedToDate)
        : new CaseEvent.PaymentReceived(notice.PaidAt, notice.Amount, notice.Reference, provider, notice.Key);

    /// <summary>The answer to a delivery the case accepted or refused; a refusal that is not a repeat goes to a person, with why.</summary>
    private static (WebhookResult Result, string? Review) Judge(CommandResult check, CaseEvent signal, InvoiceId id) => check switch
    {
        CommandResult.Accepted => (new(WebhookAnswer.Applied, $"{CaseStatus.Describe(signal)} applied to the case for invoice {id}."), null),
        CommandResult.Unchanged unchanged => (new(WebhookAnswer.Duplicate, unchanged.Detail), null),
        _ => (new(WebhookAnswer.ForReview, $"Stored for review: {Describe(check)}."), Describe(check)),
    };

    private async Task<WebhookResult> ReviewAsync(WebhookReceipt receipt, string reason, CancellationToken ct)
    {
        await inbox.StoreForReviewAsync(receipt, reason, ct);
        return new(WebhookAnswer.ForReview, $"Stored for review: {reason}.");
    }

    private static string Describe(CommandResult result) => result switch
    {
        CommandResult.Invalid invalid => string.Join(" ", invalid.Problems),
        CommandResult.Conflict conflict => conflict.Detail,
        CommandResult.NotFound notFound => notFound.Detail,
        CommandResult.Unchanged unchanged => unchanged.Detail,
        CommandResult.Accepted accepted => CaseStatus.Describe(accepted.Signal),
        _ => throw new UnreachableException(),
    };
}
