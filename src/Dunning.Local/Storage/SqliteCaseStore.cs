using Dunning.Cases;
using Dunning.Common;
using Dunning.Ports;

namespace Dunning.Local.Storage;

/// <summary>
/// The readable projection of every case (the runner's own rows: state, status, next wake-up) and the
/// call tasks waiting for a person.
/// </summary>
public sealed class SqliteCaseStore(Database db) : ICaseStore
{
    public Task SaveAsync(CaseRecord record, CancellationToken ct)
    {
        db.Write((c, t) => Sql.Execute(c, t, """
            INSERT INTO cases (invoice_id, customer_id, status, state_json, status_json, wake_at, performing, version, updated_at)
            VALUES ($id, $customer, $status, $state, $statusJson, $wake, NULL, 1, $now)
            ON CONFLICT (invoice_id) DO UPDATE SET customer_id = excluded.customer_id, status = excluded.status,
                state_json = excluded.state_json, status_json = excluded.status_json, wake_at = excluded.wake_at,
                version = version + 1, updated_at = excluded.updated_at
            """,
            ("$id", record.State.InvoiceId.Value), ("$customer", record.State.Customer.Id.Value), ("$status", record.Status.Status),
            ("$state", DunningJson.Serialize(record.State)), ("$statusJson", DunningJson.Serialize(record.Status)),
            ("$wake", record.Status.NextActionAt is { } at ? Sql.Millis(at) : null), ("$now", Sql.Millis(record.Status.UpdatedAt))));
        return Task.CompletedTask;
    }

    public Task<IReadOnlySet<InvoiceId>> WithCasesAsync(IReadOnlyCollection<InvoiceId> ids, CancellationToken ct)
    {
        var found = new HashSet<InvoiceId>();
        db.Read(c =>
        {
            foreach (var chunk in ids.Chunk(10_000))
            {
                found.UnionWith(Sql.Query(c, null, "SELECT invoice_id FROM cases WHERE invoice_id IN (SELECT value FROM json_each($ids))",
                    r => new InvoiceId(r.GetString(0)), ("$ids", System.Text.Json.JsonSerializer.Serialize(chunk.Select(i => i.Value)))));
            }

            return found.Count;
        });
        return Task.FromResult<IReadOnlySet<InvoiceId>>(found);
    }

    public Task<CaseRecord?> GetAsync(InvoiceId id, CancellationToken ct) =>
        Task.FromResult(db.Read(c => Sql.Query(c, null, "SELECT state_json, status_json FROM cases WHERE invoice_id = $id",
            r => new CaseRecord(DunningJson.Deserialize<CaseState>(r.GetString(0)), DunningJson.Deserialize<CaseStatus>(r.GetString(1))),
            ("$id", id.Value)).FirstOrDefault()));

    public Task<IReadOnlyList<CaseStatus>> ListAsync(string? status, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<CaseStatus>>(db.Read(c => status is null
            ? Sql.Query(c, null, "SELECT status_json FROM cases ORDER BY invoice_id", Status)
            : Sql.Query(c, null, "SELECT status_json FROM cases WHERE status = $status ORDER BY invoice_id", Status, ("$status", status))));

    public Task<IReadOnlyList<CaseRecord>> AllAsync(CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<CaseRecord>>(db.Read(c => Sql.Query(c, null,
            "SELECT state_json, status_json FROM cases ORDER BY invoice_id",
            r => new CaseRecord(DunningJson.Deserialize<CaseState>(r.GetString(0)), DunningJson.Deserialize<CaseStatus>(r.GetString(1))))));

    public Task<IReadOnlyList<CaseState>> CasesOfAsync(CustomerId customer, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<CaseState>>(db.Read(c => Sql.Query(c, null,
            "SELECT state_json FROM cases WHERE customer_id = $customer ORDER BY invoice_id",
            r => DunningJson.Deserialize<CaseState>(r.GetString(0)),
            ("$customer", customer.Value))));

    public Task<IReadOnlyList<InvoiceId>> OpenCasesOfAsync(CustomerId customer, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<InvoiceId>>(db.Read(c => Sql.Query(c, null,
            "SELECT invoice_id FROM cases WHERE customer_id = $customer AND status NOT IN (SELECT value FROM json_each($ended)) ORDER BY invoice_id",
            r => new InvoiceId(r.GetString(0)),
            ("$customer", customer.Value), ("$ended", System.Text.Json.JsonSerializer.Serialize(CaseStatus.Ended)))));

    public Task AddCallTaskAsync(CallTask task, CancellationToken ct)
    {
        db.Write((c, t) => Sql.Execute(c, t,
            "INSERT INTO call_tasks (key, invoice_id, created_at, json) VALUES ($key, $invoice, $at, $json) ON CONFLICT (key) DO NOTHING",
            ("$key", task.Key), ("$invoice", task.InvoiceId.Value), ("$at", Sql.Millis(task.CreatedAt)), ("$json", DunningJson.Serialize(task))));
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<CallTask>> CallTasksAsync(CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<CallTask>>(db.Read(c => Sql.Query(c, null,
            "SELECT json FROM call_tasks ORDER BY created_at, key", r => DunningJson.Deserialize<CallTask>(r.GetString(0)))));

    private static CaseStatus Status(Microsoft.Data.Sqlite.SqliteDataReader r) => DunningJson.Deserialize<CaseStatus>(r.GetString(0));
}
