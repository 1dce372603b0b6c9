using Dunning.Common;
using Dunning.Ports;
using Dunning.Webhooks;

namespace Dunning.Local.Storage;

/// <summary>A webhook delivery kept for a person, with why it matched nothing.</summary>
public sealed record ReviewItem(WebhookReceipt Receipt, string Reason);

/// <summary>A delivery serve accepted (recorded and answered) that the runner has yet to apply.</summary>
public sealed record PendingDelivery(long Seq, WebhookReceipt Receipt, PaymentNotice Notice);

/// <summary>Webhook deliveries by (provider, event id): the primary key is the deduplication.</summary>
public sealed class SqliteWebhookInbox(Database db) : IWebhookInbox
{
    /// <summary>A grouped write (<see cref="Database.WriteGroupedAsync"/>): concurrent deliveries share one commit, each answered after it.</summary>
    public Task<bool> TryRecordAsync(WebhookReceipt receipt, CancellationToken ct)
    {
        var json = DunningJson.Serialize(receipt);
        return db.WriteGroupedAsync(w => RecordEvent(w, receipt, json));
    }

    /// <summary>
    /// Records a verified delivery and queues it for the runner to apply, in one grouped write (so concurrent deliveries
    /// share a commit); false when this provider's event id was recorded before. Once this returns true, the delivery
    /// survives a crash and will be applied.
    /// </summary>
    public Task<bool> AcceptAsync(WebhookReceipt receipt, PaymentNotice notice)
    {
        // Serialised before the batch: inside it the write lock is held, and every delivery waits for the slowest.
        var (receiptJson, noticeJson) = (DunningJson.Serialize(receipt), DunningJson.Serialize(notice));
        return db.WriteGroupedAsync(w =>
        {
            var added = RecordEvent(w, receipt, receiptJson);
            if (added)
            {
                w.Execute("INSERT INTO webhook_pending (provider, event_id, notice_json) VALUES ($provider, $event, $notice) ON CONFLICT DO NOTHING",
                    ("$provider", receipt.Provider), ("$event", receipt.EventId), ("$notice", noticeJson));
            }

            return added;
        });
    }

    /// <summary>
    /// The oldest deliveries accepted and not yet applied whose invoice has no case, at most <paramref name="limit"/>:
    /// a case's own are applied by the runner's round, where its state is read anyway.
    /// </summary>
    public IReadOnlyList<PendingDelivery> PendingWithoutCase(int limit) =>
        db.Read(c => Sql.Query(c, null, """
            SELECT p.seq, e.json, p.notice_json FROM webhook_pending p
            JOIN webhook_events e ON e.provider = p.provider AND e.event_id = p.event_id
            WHERE NOT EXISTS (SELECT 1 FROM cases c WHERE c.invoice_id = e.invoice_id)
            ORDER BY p.seq LIMIT $limit
            """,
            r => new PendingDelivery(r.GetInt64(0), DunningJson.Deserialize<WebhookReceipt>(r.GetString(1)), DunningJson.Deserialize<PaymentNotice>(r.GetString(2))),
            ("$limit", limit)));

    /// <summary>Takes applied deliveries off the queue, in one transaction and one statement.</summary>
    public void MarkApplied(IEnumerable<PendingDelivery> applied)
    {
        var seqs = System.Text.Json.JsonSerializer.Serialize(applied.Select(d => d.Seq));
        db.Write((c, t) => Sql.Execute(c, t, "DELETE FROM webhook_pending WHERE seq IN (SELECT value FROM json_each($seqs))", ("$seqs", seqs)));
    }

    public Task<bool> SeenAsync(string provider, string eventId, CancellationToken ct) =>
        Task.FromResult(db.Read(c => Sql.Scalar<long>(c, null, "SELECT count(*) FROM webhook_events WHERE provider = $provider AND event_id = $event",
            ("$provider", provider), ("$event", eventId)) > 0));

    public Task StoreForReviewAsync(WebhookReceipt receipt, string reason, CancellationToken ct)
    {
        var json = DunningJson.Serialize(receipt);
        return db.WriteGroupedAsync(w => w.Execute("""
            INSERT INTO review (provider, event_id, received_at, reason, json)
            VALUES ($provider, $event, $at, $reason, $json) ON CONFLICT (provider, event_id) DO NOTHING
            """,
            ("$provider", receipt.Provider), ("$event", receipt.EventId), ("$at", Sql.Millis(receipt.ReceivedAt)), ("$reason", reason), ("$json", json)));
    }

    public async Task<IReadOnlyList<WebhookReceipt>> ForReviewAsync(CancellationToken ct) =>
        [.. (await ReviewAsync(ct)).Select(r => r.Receipt)];

    public Task<IReadOnlyList<ReviewItem>> ReviewAsync(CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<ReviewItem>>(db.Read(c => Sql.Query(c, null,
            "SELECT json, reason FROM review ORDER BY received_at, provider, event_id",
            r => new ReviewItem(DunningJson.Deserialize<WebhookReceipt>(r.GetString(0)), r.GetString(1)))));

    private static bool RecordEvent(GroupedWriter w, WebhookReceipt receipt, string json) =>
        w.Execute("""
            INSERT INTO webhook_events (provider, event_id, received_at, invoice_id, json)
            VALUES ($provider, $event, $at, $invoice, $json) ON CONFLICT (provider, event_id) DO NOTHING
            """,
            ("$provider", receipt.Provider), ("$event", receipt.EventId), ("$at", Sql.Millis(receipt.ReceivedAt)), ("$invoice", receipt.InvoiceId), ("$json", json)) == 1;

    /// <summary>How many deliveries were recorded (tests check that a rejected one adds none).</summary>
    public long CountEvents() => db.Read(c => Sql.Scalar<long>(c, null, "SELECT count(*) FROM webhook_events"));
}
