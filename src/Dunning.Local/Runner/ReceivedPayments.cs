using Dunning.Local.Storage;
using Dunning.UseCases;

namespace Dunning.Local.Runner;

/// <summary>
/// Applies the payment webhooks <c>serve</c> accepted (recorded and answered at once, see
/// <see cref="SqliteWebhookInbox.AcceptAsync"/>) for invoices without a case: each becomes a payment on the ledger or an
/// item for review, exactly as if it had been applied in the request (and, should a case have appeared meanwhile, a
/// signal to it). Those for a case are the runner's round's (<see cref="CaseRunner"/>), folded in with the case's other
/// signals. A delivery leaves the queue only once applied; one applied again after a crash changes nothing (a case and
/// the ledger count a payment's key once).
/// </summary>
public sealed class ReceivedPayments(SqliteWebhookInbox inbox, PaymentWebhooks webhooks, ILogger<ReceivedPayments> logger)
{
    private const int Batch = 256;

    /// <summary>Applies every accepted delivery; returns how many. One that fails stays queued for the next call.</summary>
    public async Task<int> ApplyAsync(CancellationToken ct)
    {
        var applied = 0;
        while (inbox.PendingWithoutCase(Batch) is { Count: > 0 } batch)
        {
            // Deliveries for different invoices are applied side by side, so their signals share grouped commits;
            // those for one invoice in the order they arrived (a refund after its payment).
            var done = await Task.WhenAll(batch.GroupBy(d => d.Receipt.InvoiceId ?? string.Empty).Select(async invoice =>
            {
                var ok = new List<PendingDelivery>();
                foreach (var delivery in invoice)
                {
                    try
                    {
                        var result = await webhooks.ApplyAsync(delivery.Notice, delivery.Receipt, ct);
                        logger.Webhook(delivery.Receipt.Provider, result.Answer.ToString(), result.Detail);
                        ok.Add(delivery);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        logger.WebhookNotApplied(delivery.Receipt.Provider, delivery.Receipt.EventId, e);
                        break;
                    }
                }

                return ok;
            }));
            var appliedNow = done.SelectMany(d => d).ToList();
            inbox.MarkApplied(appliedNow);
            applied += appliedNow.Count;
            if (appliedNow.Count < batch.Count)
            {
                return applied;
            }
        }

        return applied;
    }
}
