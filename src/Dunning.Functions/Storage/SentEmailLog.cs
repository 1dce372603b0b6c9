using Azure.Data.Tables;
using Dunning.Ports;

namespace Dunning.Functions.Storage;

/// <summary>Which email a delivery report is about: the report names the send's operation id, the case needs its key.</summary>
public interface ISentEmails
{
    /// <summary>The email's key ("{invoiceId}/{action key}") sent with this ACS operation id, or null when none was.</summary>
    Task<string?> KeyOfAsync(string operationId, CancellationToken ct);
}

/// <summary>
/// The SentEmails table: one row per email key, written by <see cref="AcsMailer"/> before and after it sends (its
/// idempotency), holding the operation id the send used, so a delivery report finds its email again.
/// </summary>
public sealed class SentEmailLog(DunningTables tables) : ISentEmails
{
    internal const string Partition = "email";

    public async Task<string?> KeyOfAsync(string operationId, CancellationToken ct)
    {
        var table = await tables.GetAsync(DunningTables.SentEmails, ct);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and OperationId eq {operationId}");
        await foreach (var row in table.QueryAsync<TableEntity>(filter, maxPerPage: 1, select: ["RowKey"], cancellationToken: ct))
        {
            return TableKeys.Unescape(row.RowKey);
        }

        return null;
    }

    internal static TableEntity Row(OutgoingEmail email, Guid operationId, string status) => new(Partition, TableKeys.Escape(email.Key))
    {
        ["Status"] = status,
        ["OperationId"] = operationId.ToString(),
        ["To"] = email.To,
        ["Subject"] = email.Subject,
    };
}
