using Azure;
using Azure.Data.Tables;
using Dunning.Common;
using Dunning.Customers;
using Dunning.Ports;

namespace Dunning.Functions.Storage;

/// <summary>
/// <see cref="IContactLedger"/> on Azure Tables: one row per customer holding its <see cref="CustomerContacts"/> as
/// DunningJson (property "Json", chunked when long; "Format" versions the row). A change reads the row, applies the
/// core's rule and writes conditionally on the ETag it read (an add fails with 409 if another got there first, a
/// replace with 412): on either it reads again and re-applies, so two orchestrations reserving the customer's last
/// slot at once cannot both get it.
/// </summary>
/// <remarks>
/// Why not a Durable Entity per customer (the idiomatic serialisation point): the engine the tests run the orchestration
/// on, InProcessTestHost 0.2.3-preview.1, has no entity support, so an entity could not be tested end to end; a row with
/// optimistic concurrency is the same guarantee, tested here against Azurite. See docs/azure-host.md.
/// </remarks>
public sealed class TableContactLedger(DunningTables tables) : IContactLedger
{
    private const string Partition = "customer";
    private const int Format = 1;

    /// <summary>Far more than the cases of one customer that can race: each round, one of them wins.</summary>
    private const int MaxAttempts = 64;

    public async Task<CustomerContacts> GetAsync(CustomerId customer, CancellationToken ct)
    {
        var table = await tables.GetAsync(DunningTables.CustomerContacts, ct);
        return await TableLedger.GetAsync(table, Partition, customer.Value, ct) is { } entity ? Read(entity) : ContactLedger.Empty(customer);
    }

    public async Task<T> UpdateAsync<T>(CustomerId customer, Func<CustomerContacts, (CustomerContacts Record, T Answer)> change, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(change);
        var table = await tables.GetAsync(DunningTables.CustomerContacts, ct);
        for (var attempt = 1; ; attempt++)
        {
            var entity = await TableLedger.GetAsync(table, Partition, customer.Value, ct);
            var current = entity is null ? ContactLedger.Empty(customer) : Read(entity);
            var (next, answer) = change(current);
            if (ReferenceEquals(next, current))
            {
                return answer;
            }

            var row = new TableEntity(Partition, TableKeys.Escape(customer.Value)) { ["Format"] = Format };
            TableKeys.WriteChunked(row, "Json", DunningJson.Serialize(next));
            try
            {
                if (entity is null)
                {
                    await table.AddEntityAsync(row, ct);
                }
                else
                {
                    await table.UpdateEntityAsync(row, entity.ETag, TableUpdateMode.Replace, ct);
                }

                return answer;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 && attempt < MaxAttempts)
            {
                // Another case of the customer changed the record between our read and write: read it again.
            }
        }
    }

    private static CustomerContacts Read(TableEntity entity) =>
        entity.GetInt32("Format") is Format or null
            ? DunningJson.Deserialize<CustomerContacts>(TableKeys.ReadChunked(entity, "Json"))
            : throw new InvalidOperationException($"Customer contacts row {entity.RowKey} has format {entity.GetInt32("Format")}; this version reads {Format}.");
}
