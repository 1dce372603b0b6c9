using Azure;
using Azure.Data.Tables;
using Dunning.Cases;
using Dunning.Common;
using Dunning.Ports;

namespace Dunning.Functions.Storage;

/// <summary>
/// <see cref="ICaseStore"/> on Azure Tables: one row per case with its status columns (for filtering and the
/// portal), the <see cref="CaseStatus"/> and the <see cref="CaseState"/> as DunningJson (split over properties when
/// long), the balance as minor units + currency. Call tasks are rows added once by key.
/// </summary>
/// <remarks>
/// The projection has one writer, the case's orchestration, but activities run at least once: a save delayed or
/// retried after a later one must not bring an older picture back. A save therefore replaces the row only when it is
/// not older (more events in the case's history, or as many and a later status time), conditionally on the ETag read.
/// </remarks>
public sealed class TableCaseStore(DunningTables tables) : ICaseStore
{
    private const string CasePartition = "case";
    private const string TaskPartition = "calltask";

    public async Task SaveAsync(CaseRecord record, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(record);
        var table = await tables.GetAsync(DunningTables.Cases, ct);
        var entity = ToEntity(record);
        for (var attempt = 0; ; attempt++)
        {
            var existing = await TableLedger.GetAsync(table, CasePartition, record.State.InvoiceId.Value, ct);
            try
            {
                if (existing is null)
                {
                    await table.AddEntityAsync(entity, ct);
                    return;
                }

                if (IsNewer(existing, record))
                {
                    return;
                }

                await table.UpdateEntityAsync(entity, existing.ETag, TableUpdateMode.Replace, ct);
                return;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 && attempt < 10)
            {
                // Someone wrote between the read and the write: read again.
            }
        }
    }

    public async Task<CaseRecord?> GetAsync(InvoiceId id, CancellationToken ct)
    {
        var table = await tables.GetAsync(DunningTables.Cases, ct);
        return await TableLedger.GetAsync(table, CasePartition, id.Value, ct) is { } entity ? FromEntity(entity) : null;
    }

    public async Task<IReadOnlyList<CaseStatus>> ListAsync(string? status, CancellationToken ct)
    {
        var table = await tables.GetAsync(DunningTables.Cases, ct);
        var filter = status is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {CasePartition}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {CasePartition} and Status eq {status}");
        var result = new List<CaseStatus>();
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, select: ["StatusJson"], cancellationToken: ct))
        {
            result.Add(DunningJson.Deserialize<CaseStatus>(entity.GetString("StatusJson")));
        }

        return [.. result.OrderBy(s => s.InvoiceId.Value, StringComparer.Ordinal)];
    }

    /// <summary>
    /// One page of the table's own paging (RowKey order, which is invoice-id order: ids hold no character that
    /// escapes); the position is its continuation token. A page may hold fewer than the limit and still have a next.
    /// </summary>
    public async Task<CasePage> PageAsync(CaseQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        var table = await tables.GetAsync(DunningTables.Cases, ct);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {CasePartition}");
        if (query.Status is { } status)
        {
            filter += " and " + TableClient.CreateQueryFilter($"Status eq {status}");
        }

        if (query.Customer is { } customer)
        {
            filter += " and " + TableClient.CreateQueryFilter($"CustomerId eq {customer.Value}");
        }

        if (query.Currency is { } currency)
        {
            filter += " and " + TableClient.CreateQueryFilter($"Currency eq {currency}");
        }

        await foreach (var page in table.QueryAsync<TableEntity>(filter, maxPerPage: query.Limit, select: ["StatusJson"], cancellationToken: ct)
            .AsPages(query.After, query.Limit))
        {
            return new CasePage([.. page.Values.Select(e => DunningJson.Deserialize<CaseStatus>(e.GetString("StatusJson")))], page.ContinuationToken);
        }

        return new CasePage([], null);
    }

    public async Task<IReadOnlyList<CaseRecord>> AllAsync(CancellationToken ct)
    {
        var table = await tables.GetAsync(DunningTables.Cases, ct);
        var result = new List<CaseRecord>();
        await foreach (var entity in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {CasePartition}"), cancellationToken: ct))
        {
            result.Add(FromEntity(entity));
        }

        return [.. result.OrderBy(r => r.State.InvoiceId.Value, StringComparer.Ordinal)];
    }

    public async Task<IReadOnlyList<CaseState>> CasesOfAsync(CustomerId customer, CancellationToken ct)
    {
        var table = await tables.GetAsync(DunningTables.Cases, ct);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {CasePartition} and CustomerId eq {customer.Value}");
        var result = new List<CaseState>();
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, cancellationToken: ct))
        {
            result.Add(FromEntity(entity).State);
        }

        return [.. result.OrderBy(s => s.InvoiceId.Value, StringComparer.Ordinal)];
    }

    public async Task<IReadOnlyList<InvoiceId>> OpenCasesOfAsync(CustomerId customer, CancellationToken ct)
    {
        var table = await tables.GetAsync(DunningTables.Cases, ct);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {CasePartition} and CustomerId eq {customer.Value}");
        var result = new List<InvoiceId>();
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, select: ["StatusJson"], cancellationToken: ct))
        {
            var status = DunningJson.Deserialize<CaseStatus>(entity.GetString("StatusJson"));
            if (!CaseStatus.Ended.Contains(status.Status))
            {
                result.Add(status.InvoiceId);
            }
        }

        return [.. result.OrderBy(i => i.Value, StringComparer.Ordinal)];
    }

    public async Task AddCallTaskAsync(CallTask task, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(task);
        var table = await tables.GetAsync(DunningTables.CallTasks, ct);
        try
        {
            await table.AddEntityAsync(
                new TableEntity(TaskPartition, TableKeys.Escape(task.Key))
                {
                    ["InvoiceId"] = task.InvoiceId.Value,
                    ["CreatedAt"] = task.CreatedAt,
                    ["Json"] = DunningJson.Serialize(task),
                },
                ct);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Added before (a retried activity): the first one stands.
        }
    }

    public async Task<IReadOnlyList<CallTask>> CallTasksAsync(CancellationToken ct)
    {
        var table = await tables.GetAsync(DunningTables.CallTasks, ct);
        var result = new List<CallTask>();
        await foreach (var entity in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {TaskPartition}"), cancellationToken: ct))
        {
            result.Add(DunningJson.Deserialize<CallTask>(entity.GetString("Json")));
        }

        return [.. result.OrderBy(t => t.CreatedAt).ThenBy(t => t.Key, StringComparer.Ordinal)];
    }

    public async Task<CallTask?> CallTaskAsync(string key, CancellationToken ct)
    {
        var table = await tables.GetAsync(DunningTables.CallTasks, ct);
        var entity = await table.GetEntityIfExistsAsync<TableEntity>(TaskPartition, TableKeys.Escape(key), cancellationToken: ct);
        return entity.HasValue ? DunningJson.Deserialize<CallTask>(entity.Value!.GetString("Json")) : null;
    }

    public async Task<bool> LogCallAsync(string key, CallLog log, CancellationToken ct)
    {
        var table = await tables.GetAsync(DunningTables.CallTasks, ct);
        for (var attempt = 1; ; attempt++)
        {
            var found = await table.GetEntityIfExistsAsync<TableEntity>(TaskPartition, TableKeys.Escape(key), cancellationToken: ct);
            if (!found.HasValue || DunningJson.Deserialize<CallTask>(found.Value!.GetString("Json")) is not { Logged: null } task)
            {
                return false;
            }

            var entity = found.Value!;
            entity["Json"] = DunningJson.Serialize(task with { Logged = log });
            try
            {
                // The ETag makes two people logging the same call at once a race the first one wins.
                await table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, ct);
                return true;
            }
            catch (RequestFailedException e) when (e.Status == 412 && attempt < 10)
            {
                // The task changed between the read and the write: read it again (a logged call ends the loop).
            }
        }
    }

    private static bool IsNewer(TableEntity existing, CaseRecord incoming)
    {
        var events = existing.GetInt32("Events") ?? 0;
        var updatedAt = existing.GetDateTimeOffset("UpdatedAt") ?? DateTimeOffset.MinValue;
        return events > incoming.State.History.Count
            || (events == incoming.State.History.Count && updatedAt > incoming.Status.UpdatedAt);
    }

    private static TableEntity ToEntity(CaseRecord record)
    {
        var status = record.Status;
        var entity = new TableEntity(CasePartition, TableKeys.Escape(record.State.InvoiceId.Value))
        {
            ["Status"] = status.Status,
            ["Stage"] = status.Stage,
            ["CustomerId"] = status.CustomerId.Value,
            ["BalanceMinor"] = status.Balance.ToMinorUnits(),
            ["Currency"] = status.Balance.Currency,
            ["NextActionAt"] = status.NextActionAt,
            ["UpdatedAt"] = status.UpdatedAt,
            ["Events"] = record.State.History.Count,
            ["StatusJson"] = DunningJson.Serialize(status),
        };
        TableKeys.WriteChunked(entity, "State", DunningJson.Serialize(record.State));
        return entity;
    }

    private static CaseRecord FromEntity(TableEntity entity) => new(
        DunningJson.Deserialize<CaseState>(TableKeys.ReadChunked(entity, "State")),
        DunningJson.Deserialize<CaseStatus>(entity.GetString("StatusJson")));
}
