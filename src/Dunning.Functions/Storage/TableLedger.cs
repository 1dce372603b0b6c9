using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Dunning.Common;
using Dunning.Customers;
using Dunning.Invoices;
using Dunning.Ports;

namespace Dunning.Functions.Storage;

/// <summary>
/// <see cref="ILedger"/> on Azure Tables. Customers are DunningJson in one partition. Invoices are columns, money as
/// <b>minor units in a long</b> (<see cref="Money.ToMinorUnits"/>) plus the ISO currency: Tables has no decimal.
/// Invoices without a case are also listed in a small "Pending" table keyed by id with their due date, so the daily
/// scan reads what is not started yet, not the whole ledger.
/// </summary>
/// <remarks>
/// Writes go in entity-group transactions of up to 100 rows (one partition each): an upsert of up to 100 customers and
/// 100 invoices is all-or-nothing per table; a bigger one is written in chunks, and repeating it (upsert by id) completes it.
/// </remarks>
public sealed class TableLedger(DunningTables tables) : ILedger
{
    private const string CustomerPartition = "customer";
    private const string InvoicePartition = "invoice";
    private const string PendingPartition = "pending";

    /// <summary>How many applied payment keys an invoice row remembers: far more than a provider retries.</summary>
    private const int MaxPaymentKeys = 50;
    private const string DateFormat = "yyyy-MM-dd";

    public async Task UpsertAsync(IReadOnlyList<Customer> customers, IReadOnlyList<Invoice> invoices, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(customers);
        ArgumentNullException.ThrowIfNull(invoices);
        if (customers.Count > 0)
        {
            var table = await tables.GetAsync(DunningTables.Customers, ct);
            await SubmitAsync(table, Last(customers, c => c.Id.Value).Select(c => new TableEntity(CustomerPartition, Key(c.Id.Value))
            {
                ["Json"] = DunningJson.Serialize(c),
            }), ct);
        }

        if (invoices.Count > 0)
        {
            var table = await tables.GetAsync(DunningTables.Invoices, ct);
            var pending = await tables.GetAsync(DunningTables.PendingInvoices, ct);
            var rows = new List<TableEntity>();
            var index = new List<TableEntity>();
            var latest = Last(invoices, i => i.Id.Value).ToList();
            var existing = await GetManyAsync(table, InvoicePartition, latest.Select(i => i.Id.Value), ct);
            foreach (var invoice in latest)
            {
                var started = existing.TryGetValue(invoice.Id.Value, out var row) && (row.GetBoolean("Started") ?? false);
                rows.Add(ToEntity(invoice, started));
                if (!started)
                {
                    index.Add(new TableEntity(PendingPartition, Key(invoice.Id.Value)) { ["DueDate"] = Date(invoice.DueDate) });
                }
            }

            // The index first: a pending row whose invoice is missing is skipped; an invoice missing from the index would never start.
            await SubmitAsync(pending, index, ct);
            await SubmitAsync(table, rows, ct);
        }
    }

    public async Task<Customer?> GetCustomerAsync(CustomerId id, CancellationToken ct)
    {
        var table = await tables.GetAsync(DunningTables.Customers, ct);
        return await GetAsync(table, CustomerPartition, id.Value, ct) is { } entity
            ? DunningJson.Deserialize<Customer>(entity.GetString("Json"))
            : null;
    }

    public async Task<Invoice?> GetInvoiceAsync(InvoiceId id, CancellationToken ct)
    {
        var table = await tables.GetAsync(DunningTables.Invoices, ct);
        return await GetAsync(table, InvoicePartition, id.Value, ct) is { } entity ? FromEntity(entity) : null;
    }

    public async Task<IReadOnlySet<CustomerId>> ExistingCustomersAsync(IEnumerable<CustomerId> ids, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var table = await tables.GetAsync(DunningTables.Customers, ct);
        var found = await GetManyAsync(table, CustomerPartition, ids.Select(i => i.Value), ct);
        return found.Keys.Select(id => new CustomerId(id)).ToHashSet();
    }

    public async Task<IReadOnlyList<Invoice>> PendingAsync(DateOnly dueOnOrBefore, CancellationToken ct)
    {
        var pending = await tables.GetAsync(DunningTables.PendingInvoices, ct);
        var table = await tables.GetAsync(DunningTables.Invoices, ct);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {PendingPartition} and DueDate le {Date(dueOnOrBefore)}");
        var ids = new List<string>();
        await foreach (var row in pending.QueryAsync<TableEntity>(filter, cancellationToken: ct))
        {
            ids.Add(Unescape(row));
        }

        var result = (await GetManyAsync(table, InvoicePartition, ids, ct)).Values
            .Where(entity => !(entity.GetBoolean("Started") ?? false))
            .Select(FromEntity);
        return [.. result.OrderBy(i => i.DueDate).ThenBy(i => i.Id.Value, StringComparer.Ordinal)];
    }

    public async Task MarkStartedAsync(InvoiceId id, CancellationToken ct)
    {
        var table = await tables.GetAsync(DunningTables.Invoices, ct);
        await UpdateAsync(table, id, entity => entity["Started"] = true, ct, mustExist: false);
        var pending = await tables.GetAsync(DunningTables.PendingInvoices, ct);
        await pending.DeleteEntityAsync(PendingPartition, Key(id.Value), ETag.All, ct); // a missing row answers 404 without throwing
    }

    public async Task ApplyPaymentAsync(InvoiceId id, LedgerPayment payment, CancellationToken ct)
    {
        var table = await tables.GetAsync(DunningTables.Invoices, ct);
        await UpdateAsync(table, id, entity =>
        {
            // The keys applied live on the invoice's row, so checking and applying is one conditional write.
            var keys = JsonSerializer.Deserialize<List<string>>(entity.GetString("PaymentKeys") ?? "[]") ?? [];
            if (keys.Contains(payment.StoredKey, StringComparer.Ordinal))
            {
                return;
            }

            entity["PaymentKeys"] = JsonSerializer.Serialize(keys.Append(payment.StoredKey).TakeLast(MaxPaymentKeys));
            var invoice = payment.ApplyTo(FromEntity(entity), keys);
            entity["PaidMinor"] = invoice.AmountPaid.ToMinorUnits();
            entity["OutstandingMinor"] = invoice.Outstanding.ToMinorUnits();
        }, ct, mustExist: true);
    }

    public async Task<IReadOnlyList<Invoice>> OutstandingAsync(CancellationToken ct)
    {
        var table = await tables.GetAsync(DunningTables.Invoices, ct);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {InvoicePartition} and OutstandingMinor gt {0L}");
        var result = new List<Invoice>();
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, cancellationToken: ct))
        {
            result.Add(FromEntity(entity));
        }

        return [.. result.OrderBy(i => i.Id.Value, StringComparer.Ordinal)];
    }

    internal static string Key(string id) => TableKeys.Escape(id);

    private static string Unescape(TableEntity row) => TableKeys.Unescape(row.RowKey);

    private static string Date(DateOnly date) => date.ToString(DateFormat, CultureInfo.InvariantCulture);

    private static DateOnly ParseDate(string? text) => DateOnly.ParseExact(text ?? string.Empty, DateFormat, CultureInfo.InvariantCulture);

    private static TableEntity ToEntity(Invoice invoice, bool started)
    {
        var entity = new TableEntity(InvoicePartition, Key(invoice.Id.Value))
        {
            ["CustomerId"] = invoice.CustomerId.Value,
            ["Number"] = invoice.Number,
            ["IssueDate"] = Date(invoice.IssueDate),
            ["DueDate"] = Date(invoice.DueDate),
            ["Currency"] = invoice.Amount.Currency,
            ["AmountMinor"] = invoice.Amount.ToMinorUnits(),
            ["PaidMinor"] = invoice.AmountPaid.ToMinorUnits(),
            ["OutstandingMinor"] = invoice.Outstanding.ToMinorUnits(),
            ["Started"] = started,
        };
        if (invoice.Lines is { } lines)
        {
            // Line items (optional) as one JSON property; absent means the invoice has none.
            entity["Lines"] = DunningJson.Serialize(lines);
        }

        return entity;
    }

    private static Invoice FromEntity(TableEntity e)
    {
        var currency = e.GetString("Currency");
        return new Invoice(
            new InvoiceId(Unescape(e)),
            new CustomerId(e.GetString("CustomerId")),
            e.GetString("Number"),
            ParseDate(e.GetString("IssueDate")),
            ParseDate(e.GetString("DueDate")),
            Money.FromMinorUnits(e.GetInt64("AmountMinor") ?? 0, currency),
            Money.FromMinorUnits(e.GetInt64("PaidMinor") ?? 0, currency))
        {
            Lines = e.GetString("Lines") is { } lines ? DunningJson.Deserialize<ValueList<InvoiceLine>>(lines) : null,
        };
    }

    /// <summary>Read, change, write back conditionally on the ETag read (412: someone else wrote first; read again).</summary>
    private static async Task UpdateAsync(TableClient table, InvoiceId id, Action<TableEntity> change, CancellationToken ct, bool mustExist)
    {
        for (var attempt = 0; ; attempt++)
        {
            if (await GetAsync(table, InvoicePartition, id.Value, ct) is not { } entity)
            {
                if (mustExist)
                {
                    throw new KeyNotFoundException($"No invoice '{id}' in the ledger.");
                }

                return;
            }

            change(entity);
            try
            {
                await table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, ct);
                return;
            }
            catch (RequestFailedException e) when (e.Status == 412 && attempt < 10)
            {
            }
        }
    }

    internal static async Task<TableEntity?> GetAsync(TableClient table, string partition, string id, CancellationToken ct)
    {
        var response = await table.GetEntityIfExistsAsync<TableEntity>(partition, Key(id), cancellationToken: ct);
        return response.HasValue ? response.Value : null;
    }

    /// <summary>How many point reads run at once: an import or a scan of thousands of rows reads in seconds, not minutes.</summary>
    private const int ParallelReads = 16;

    /// <summary>The rows that exist among <paramref name="ids"/>, by id: point reads, <see cref="ParallelReads"/> at a time.</summary>
    internal static async Task<IReadOnlyDictionary<string, TableEntity>> GetManyAsync(TableClient table, string partition, IEnumerable<string> ids, CancellationToken ct)
    {
        var found = new System.Collections.Concurrent.ConcurrentDictionary<string, TableEntity>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(
            ids.Distinct(StringComparer.Ordinal),
            new ParallelOptions { MaxDegreeOfParallelism = ParallelReads, CancellationToken = ct },
            async (id, token) =>
            {
                if (await GetAsync(table, partition, id, token) is { } entity)
                {
                    found[id] = entity;
                }
            });
        return found;
    }

    internal static async Task SubmitAsync(TableClient table, IEnumerable<TableEntity> entities, CancellationToken ct)
    {
        foreach (var batch in entities.Chunk(100))
        {
            await table.SubmitTransactionAsync(batch.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)), ct);
        }
    }

    /// <summary>The last row for each id, in first-seen order (a transaction may name a row once).</summary>
    private static IEnumerable<T> Last<T>(IEnumerable<T> rows, Func<T, string> id) =>
        rows.GroupBy(id, StringComparer.Ordinal).Select(g => g.Last());
}
