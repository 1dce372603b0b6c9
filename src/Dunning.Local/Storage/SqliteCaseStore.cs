using System.Globalization;
using Dunning.Cases;
using Dunning.Common;
using Dunning.Local.Api;
using Dunning.Ports;

namespace Dunning.Local.Storage;

/// <summary>Money per currency and how many cases have each status and stage: the dashboard's figures.</summary>
public sealed record CaseFigures(IReadOnlyList<CurrencyTotals> Totals, IReadOnlyDictionary<string, int> Statuses, IReadOnlyDictionary<string, int> Stages);

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
                // The ids drive the query, each looked up by the key: written as IN (SELECT ...), SQLite first copied them into
                // a temporary index, which cost an import of a million invoices with no case 0.35 s instead of 0.1 s.
                found.UnionWith(Sql.Query(c, null, "SELECT cases.invoice_id FROM json_each($ids) AS j CROSS JOIN cases ON cases.invoice_id = j.value",
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

    /// <summary>
    /// Keyset paging on invoice_id (the position is the last id served), so a page costs its size, not its offset; read
    /// from case_views (the statuses apart from the large states, see <see cref="Database"/>).
    /// </summary>
    public Task<CasePage> PageAsync(CaseQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        // Only the filters given, so SQLite walks one of case_views' (filter, invoice_id) indexes from the position.
        var where = new List<string> { "invoice_id > $after" };
        if (query.Status is not null)
        {
            where.Add("status = $status");
        }

        if (query.Customer is not null)
        {
            where.Add("customer_id = $customer");
        }

        if (query.Currency is not null)
        {
            where.Add("currency = $currency");
        }

        var rows = db.Read(c => Sql.Query(c, null,
            $"SELECT status_json FROM case_views WHERE {string.Join(" AND ", where)} ORDER BY invoice_id LIMIT $take",
            Status,
            ("$after", query.After ?? string.Empty), ("$status", query.Status), ("$customer", query.Customer?.Value), ("$currency", query.Currency),
            ("$take", query.Limit + 1)));
        return Task.FromResult(rows.Count > query.Limit
            ? new CasePage(rows[..query.Limit], rows[query.Limit - 1].InvoiceId.Value)
            : new CasePage(rows, null));
    }

    /// <summary>These cases whole, in the order given (those that exist).</summary>
    public IReadOnlyList<CaseRecord> Records(IEnumerable<InvoiceId> ids)
    {
        var wanted = ids.Select(i => i.Value).ToList();
        var found = db.Read(c => Sql.Query(c, null,
            "SELECT invoice_id, state_json, status_json FROM cases WHERE invoice_id IN (SELECT value FROM json_each($ids))",
            r => (Id: r.GetString(0), Record: new CaseRecord(DunningJson.Deserialize<CaseState>(r.GetString(1)), DunningJson.Deserialize<CaseStatus>(r.GetString(2)))),
            ("$ids", System.Text.Json.JsonSerializer.Serialize(wanted)))).ToDictionary(x => x.Id, x => x.Record, StringComparer.Ordinal);
        return [.. wanted.Where(found.ContainsKey).Select(id => found[id])];
    }

    /// <summary>
    /// What the dashboard's table shows of these cases, in the order given: the status from case_views and the few
    /// facts of the state it needs (due date, amount, the customer's time zone) read by SQLite's JSON functions, so no
    /// 10 KB state is deserialised for a row of the table.
    /// </summary>
    public IReadOnlyList<CaseRow> Rows(IEnumerable<InvoiceId> ids)
    {
        var wanted = ids.Select(i => i.Value).ToList();
        var found = db.Read(c => Sql.Query(c, null, """
            SELECT v.status_json, c.state_json ->> '$.invoice.dueDate', c.state_json -> '$.invoice.amount.amount',
                c.state_json ->> '$.invoice.amount.currency', c.state_json ->> '$.customer.timeZone', v.recovered_cents
            FROM case_views v JOIN cases c ON c.invoice_id = v.invoice_id
            WHERE v.invoice_id IN (SELECT value FROM json_each($ids))
            """,
            r => new CaseRow(
                Status(r),
                DateOnly.ParseExact(r.GetString(1), "yyyy-MM-dd", CultureInfo.InvariantCulture),
                new Money(decimal.Parse(r.GetString(2), NumberStyles.Float, CultureInfo.InvariantCulture), r.GetString(3)),
                r.GetString(4),
                Hundredths(r.GetInt64(5), r.GetString(3))),
            ("$ids", System.Text.Json.JsonSerializer.Serialize(wanted)))).ToDictionary(x => x.Status.InvoiceId.Value, StringComparer.Ordinal);
        return [.. wanted.Where(found.ContainsKey).Select(id => found[id])];
    }

    /// <summary>
    /// The dashboard's totals per currency and its counts by status and stage: the running sums of case_figures (kept by
    /// triggers, see <see cref="Database"/>), folded here (a few dozen groups, whatever the number of cases).
    /// </summary>
    public CaseFigures Figures()
    {
        var groups = db.Read(c => Sql.Query(c, null, """
            SELECT currency, status, stage, cases, owed_cents, recovered_cents FROM case_figures WHERE cases > 0
            """,
            r => (Currency: r.GetString(0), Status: r.GetString(1), Stage: r.GetString(2), Count: r.GetInt32(3), Owed: r.GetInt64(4), Recovered: r.GetInt64(5))));
        var totals = groups.GroupBy(g => g.Currency).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new CurrencyTotals(
            g.Key,
            g.Sum(x => x.Count),
            Hundredths(g.Where(x => !CaseStatus.Ended.Contains(x.Status)).Sum(x => x.Owed), g.Key),
            Hundredths(g.Sum(x => x.Recovered), g.Key),
            Hundredths(g.Where(x => x.Status == "flagged").Sum(x => x.Owed), g.Key))).ToList();
        return new CaseFigures(
            totals,
            groups.GroupBy(g => g.Status).ToDictionary(g => g.Key, g => g.Sum(x => x.Count), StringComparer.Ordinal),
            groups.GroupBy(g => g.Stage).ToDictionary(g => g.Key, g => g.Sum(x => x.Count), StringComparer.Ordinal));
    }

    private static Money Hundredths(long hundredths, string currency) => new(hundredths / 100m, currency);

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

    public Task<CallTask?> CallTaskAsync(string key, CancellationToken ct) =>
        Task.FromResult(db.Read(c => Sql.Query(c, null, "SELECT json FROM call_tasks WHERE key = $key",
            r => DunningJson.Deserialize<CallTask>(r.GetString(0)), ("$key", key))).FirstOrDefault());

    public Task<bool> LogCallAsync(string key, CallLog log, CancellationToken ct) =>
        Task.FromResult(db.Write((c, t) =>
        {
            var task = Sql.Query(c, t, "SELECT json FROM call_tasks WHERE key = $key", r => DunningJson.Deserialize<CallTask>(r.GetString(0)), ("$key", key)).FirstOrDefault();
            if (task is null || task.Logged is not null)
            {
                return false;
            }

            Sql.Execute(c, t, "UPDATE call_tasks SET json = $json WHERE key = $key", ("$key", key), ("$json", DunningJson.Serialize(task with { Logged = log })));
            return true;
        }));

    private static CaseStatus Status(Microsoft.Data.Sqlite.SqliteDataReader r) => DunningJson.Deserialize<CaseStatus>(r.GetString(0));
}

/// <summary>A case as a table row shows it: its status, due date, amount, customer's time zone and what was recovered.</summary>
public sealed record CaseRow(CaseStatus Status, DateOnly DueDate, Money Amount, string TimeZone, Money Recovered);
