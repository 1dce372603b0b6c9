using Dunning.Common;
using Dunning.Ports;

namespace Dunning.Local.Storage;

/// <summary>A webhook delivery kept for a person, with why it matched nothing.</summary>
public sealed record ReviewItem(WebhookReceipt Receipt, string Reason);

/// <summary>Webhook deliveries by (provider, event id): the primary key is the deduplication.</summary>
public sealed class SqliteWebhookInbox(Database db) : IWebhookInbox
{
    /// <summary>A grouped write (<see cref="Database.WriteGroupedAsync"/>): concurrent deliveries share one commit, each answered after it.</summary>
    public Task<bool> TryRecordAsync(WebhookReceipt receipt, CancellationToken ct) =>
        db.WriteGroupedAsync((c, t) => Sql.Execute(c, t, """
            INSERT INTO webhook_events (provider, event_id, received_at, invoice_id, json)
            VALUES ($provider, $event, $at, $invoice, $json) ON CONFLICT (provider, event_id) DO NOTHING
            """,
            ("$provider", receipt.Provider), ("$event", receipt.EventId), ("$at", Sql.Millis(receipt.ReceivedAt)),
            ("$invoice", receipt.InvoiceId), ("$json", DunningJson.Serialize(receipt))) == 1);

    public Task<bool> SeenAsync(string provider, string eventId, CancellationToken ct) =>
        Task.FromResult(db.Read(c => Sql.Scalar<long>(c, null, "SELECT count(*) FROM webhook_events WHERE provider = $provider AND event_id = $event",
            ("$provider", provider), ("$event", eventId)) > 0));

    public Task StoreForReviewAsync(WebhookReceipt receipt, string reason, CancellationToken ct) =>
        db.WriteGroupedAsync((c, t) => Sql.Execute(c, t, """
            INSERT INTO review (provider, event_id, received_at, reason, json)
            VALUES ($provider, $event, $at, $reason, $json) ON CONFLICT (provider, event_id) DO NOTHING
            """,
            ("$provider", receipt.Provider), ("$event", receipt.EventId), ("$at", Sql.Millis(receipt.ReceivedAt)),
            ("$reason", reason), ("$json", DunningJson.Serialize(receipt))));

    public async Task<IReadOnlyList<WebhookReceipt>> ForReviewAsync(CancellationToken ct) =>
        [.. (await ReviewAsync(ct)).Select(r => r.Receipt)];

    public Task<IReadOnlyList<ReviewItem>> ReviewAsync(CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<ReviewItem>>(db.Read(c => Sql.Query(c, null,
            "SELECT json, reason FROM review ORDER BY received_at, provider, event_id",
            r => new ReviewItem(DunningJson.Deserialize<WebhookReceipt>(r.GetString(0)), r.GetString(1)))));

    /// <summary>How many deliveries were recorded (tests check that a rejected one adds none).</summary>
    public long CountEvents() => db.Read(c => Sql.Scalar<long>(c, null, "SELECT count(*) FROM webhook_events"));
}
