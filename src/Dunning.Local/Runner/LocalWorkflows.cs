using Dunning.Cases;
using Dunning.Common;
using Dunning.Local.Storage;
using Dunning.Ports;
using Microsoft.Data.Sqlite;

namespace Dunning.Local.Runner;

/// <summary>
/// The workflow gateway on the local runner: starting a case inserts its row (once), signalling it appends to
/// its inbox. The runner does the rest, in order, at its next visit (which a poke makes immediate in <c>serve</c>).
/// </summary>
public sealed class LocalWorkflows(Database db, Action poke, TimeProvider clock) : IWorkflows
{
    public async Task<bool> StartAsync(CaseState initial, CancellationToken ct) => await StartAllAsync([initial], ct) == 1;

    /// <summary>
    /// Every case in one transaction, with one statement prepared once; the runner is poked once. The first decision and
    /// the JSON are made before the transaction: inside it the write lock is held, and payments wait behind it.
    /// </summary>
    public Task<int> StartAllAsync(IReadOnlyList<CaseState> initial, CancellationToken ct)
    {
        var rows = initial.Select(one =>
        {
            var at = one.OpenedAt;
            var opened = CaseStatus.Of(one, CaseDecider.Decide(one, at), at);
            return (Id: one.InvoiceId.Value, Customer: one.Customer.Id.Value, opened.Status, State: DunningJson.Serialize(one), StatusJson: DunningJson.Serialize(opened), At: Sql.Millis(at));
        }).ToList();
        var inserted = db.Write((c, t) =>
        {
            using var insert = c.CreateCommand();
            insert.Transaction = t;
            insert.CommandText = """
                INSERT INTO cases (invoice_id, customer_id, status, state_json, status_json, wake_at, performing, version, updated_at)
                VALUES ($id, $customer, $status, $state, $statusJson, $wake, NULL, 1, $now) ON CONFLICT (invoice_id) DO NOTHING
                """;
            var (id, customer, status, state, statusJson, wake, now) = (insert.Parameters.Add("$id", SqliteType.Text), insert.Parameters.Add("$customer", SqliteType.Text),
                insert.Parameters.Add("$status", SqliteType.Text), insert.Parameters.Add("$state", SqliteType.Text), insert.Parameters.Add("$statusJson", SqliteType.Text),
                insert.Parameters.Add("$wake", SqliteType.Integer), insert.Parameters.Add("$now", SqliteType.Integer));
            var count = 0;
            foreach (var row in rows)
            {
                (id.Value, customer.Value, status.Value) = (row.Id, row.Customer, row.Status);
                (state.Value, statusJson.Value) = (row.State, row.StatusJson);
                (wake.Value, now.Value) = (row.At, row.At);
                count += insert.ExecuteNonQuery();
            }

            return count;
        });
        if (inserted > 0)
        {
            poke();
        }

        return Task.FromResult(inserted);
    }

    /// <summary>Appends to the case's inbox, received now, and never before the case's last step (the runner applies it no earlier).</summary>
    /// <summary>A grouped write: payments arriving together share one commit.</summary>
    public async Task SignalAsync(InvoiceId id, CaseEvent signal, CancellationToken ct)
    {
        var json = DunningJson.Serialize(signal);
        var added = await db.WriteGroupedAsync(w => w.Execute("""
            INSERT INTO inbox (invoice_id, signal_json, received_at)
            SELECT $id, $signal, max($now, updated_at) FROM cases WHERE invoice_id = $id
            """,
            ("$id", id.Value), ("$signal", json), ("$now", Sql.Millis(clock.GetUtcNow()))));
        if (added == 0)
        {
            throw new KeyNotFoundException($"There is no case for invoice '{id}' to signal.");
        }

        poke();
    }
}
