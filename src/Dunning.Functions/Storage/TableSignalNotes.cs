using Azure;
using Azure.Data.Tables;
using Dunning.Cases;
using Dunning.Common;
using Dunning.Ports;

namespace Dunning.Functions.Storage;

/// <summary>
/// <see cref="ISignalNotes"/> on Azure Tables: one row per note, partition the escaped invoice id (a case's notes are
/// read in one query), row key the escaped <see cref="SignalNote.Id"/>, the note as DunningJson (row format
/// <see cref="Format"/>). A note is only ever inserted: Tables refuses a second insert of the key with 409, so an
/// activity retried after a crash, or two writers at once, leave one row and never overwrite it.
/// </summary>
public sealed class TableSignalNotes(DunningTables tables) : ISignalNotes
{
    /// <summary>The row format: the note as DunningJson in "Json…" (split over properties when long).</summary>
    public const int Format = 1;

    public async Task AddAsync(InvoiceId id, SignalNote note, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(note);
        var table = await tables.GetAsync(DunningTables.SignalNotes, ct);
        var entity = new TableEntity(TableKeys.Escape(id.Value), TableKeys.Escape(note.Id))
        {
            ["Format"] = Format,
            ["ReceivedAt"] = note.ReceivedAt,
            ["Outcome"] = note.Outcome,
        };
        TableKeys.WriteChunked(entity, "Json", DunningJson.Serialize(note));
        try
        {
            await table.AddEntityAsync(entity, ct);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Noted before (a retried activity, a replay): the first one stands.
        }
    }

    public async Task<IReadOnlyList<SignalNote>> OfAsync(InvoiceId id, CancellationToken ct)
    {
        var table = await tables.GetAsync(DunningTables.SignalNotes, ct);
        var result = new List<SignalNote>();
        await foreach (var entity in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {TableKeys.Escape(id.Value)}"), cancellationToken: ct))
        {
            result.Add(DunningJson.Deserialize<SignalNote>(TableKeys.ReadChunked(entity, "Json")));
        }

        return [.. result.OrderBy(n => n.ReceivedAt).ThenBy(n => n.Id, StringComparer.Ordinal)];
    }
}
