using Azure;
using Azure.Data.Tables;
using Dunning.Common;
using Dunning.Ports;

namespace Dunning.Functions.Storage;

/// <summary>
/// <see cref="IWebhookInbox"/> on Azure Tables. A delivery is recorded by inserting the row
/// (provider, event id): Tables refuses a second insert with 409, which is the dedupe. Deliveries kept for review
/// are rows with the receipt as DunningJson (split over properties when long) and the reason.
/// </summary>
public sealed class TableWebhookInbox(DunningTables tables) : IWebhookInbox
{
    private const string ReviewPartition = "review";

    public async Task<bool> TryRecordAsync(WebhookReceipt receipt, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        var table = await tables.GetAsync(DunningTables.Webhooks, ct);
        try
        {
            await table.AddEntityAsync(
                new TableEntity(TableKeys.Escape(receipt.Provider), TableKeys.Escape(receipt.EventId))
                {
                    ["ReceivedAt"] = receipt.ReceivedAt,
                    ["InvoiceId"] = receipt.InvoiceId,
                },
                ct);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    public async Task<bool> SeenAsync(string provider, string eventId, CancellationToken ct)
    {
        var table = await tables.GetAsync(DunningTables.Webhooks, ct);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(TableKeys.Escape(provider), TableKeys.Escape(eventId), cancellationToken: ct);
        return row.HasValue;
    }

    public async Task StoreForReviewAsync(WebhookReceipt receipt, string reason, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        var table = await tables.GetAsync(DunningTables.Review, ct);
        var entity = new TableEntity(ReviewPartition, ReviewKey(receipt.Provider, receipt.EventId))
        {
            ["Provider"] = receipt.Provider,
            ["ReceivedAt"] = receipt.ReceivedAt,
            ["Reason"] = reason,
        };
        TableKeys.WriteChunked(entity, "Receipt", DunningJson.Serialize(receipt));
        try
        {
            await table.AddEntityAsync(entity, ct);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Kept before: the first copy stands.
        }
    }

    public async Task<IReadOnlyList<WebhookReceipt>> ForReviewAsync(CancellationToken ct)
    {
        var table = await tables.GetAsync(DunningTables.Review, ct);
        var result = new List<WebhookReceipt>();
        await foreach (var entity in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {ReviewPartition}"), cancellationToken: ct))
        {
            result.Add(DunningJson.Deserialize<WebhookReceipt>(TableKeys.ReadChunked(entity, "Receipt")));
        }

        return [.. result.OrderBy(r => r.ReceivedAt)];
    }

    /// <summary>Provider and event id in one row key, unambiguously: the escaped provider is length-prefixed.</summary>
    private static string ReviewKey(string provider, string eventId)
    {
        var p = TableKeys.Escape(provider);
        return $"{p.Length}:{p}:{TableKeys.Escape(eventId)}";
    }
}
