using System.Collections.Concurrent;
using Azure.Data.Tables;

namespace Dunning.Functions.Storage;

/// <summary>
/// The tables of this host, named "{prefix}{Name}" (table names are 3–63 letters and digits), each created on
/// first use. Tests use a fresh prefix per test for an empty store.
/// </summary>
public sealed class DunningTables(TableServiceClient service, string prefix = "Dunning")
{
    public const string Customers = "Customers";
    public const string Invoices = "Invoices";
    public const string PendingInvoices = "Pending";
    public const string Cases = "Cases";
    public const string CallTasks = "CallTasks";
    public const string Webhooks = "Webhooks";
    public const string Review = "Review";
    public const string SentEmails = "SentEmails";
    public const string CustomerContacts = "CustomerContacts";
    public const string SignalNotes = "SignalNotes";

    private readonly ConcurrentDictionary<string, Lazy<Task<TableClient>>> tables = new(StringComparer.Ordinal);

    public Task<TableClient> GetAsync(string name, CancellationToken ct) =>
        tables.GetOrAdd(name, n => new Lazy<Task<TableClient>>(() => CreateAsync(prefix + n))).Value.WaitAsync(ct);

    private async Task<TableClient> CreateAsync(string tableName)
    {
        var table = service.GetTableClient(tableName);
        try
        {
            await table.CreateIfNotExistsAsync(CancellationToken.None);
        }
        catch
        {
            tables.TryRemove(tableName[prefix.Length..], out _);
            throw;
        }

        return table;
    }
}
