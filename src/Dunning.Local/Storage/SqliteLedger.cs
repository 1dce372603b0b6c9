using System.Text.Json;
using Dunning.Common;
using Dunning.Customers;
using Dunning.Invoices;
using Dunning.Ports;
using Microsoft.Data.Sqlite;

namespace Dunning.Local.Storage;

/// <summary>
/// Customers and invoices. An invoice stays <c>pending</c> until its case starts (or it needs none), and
/// a partial index keeps pending ones apart, so the daily scan reads what is newly overdue only.
/// </summary>
public sealed class SqliteLedger(Database db) : ILedger
{
    /// <summary>One transaction, each statement prepared once: a ledger of a million rows is parsed SQL twice, not a million times.</summary>
    public async Task UpsertAsync(IReadOnlyList<Customer> customers, IReadOnlyList<Invoice> invoices, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(customers);
        ArgumentNullException.ThrowIfNull(invoices);
        await using var upsert = new Upsert(db, invoices.Count);
        foreach (var customer in customers)
        {
            upsert.Add(customer);
        }

        foreach (var invoice in invoices)
        {
            upsert.Add(invoice);
        }

        upsert.Commit();
    }

    /// <summary>Each row written as it comes, in one IMMEDIATE transaction taken at the first row and committed once.</summary>
    public Task<ILedgerUpsert> BeginUpsertAsync(int invoices, CancellationToken ct) => Task.FromResult<ILedgerUpsert>(new Upsert(db, invoices));

    public Task<Customer?> GetCustomerAsync(CustomerId id, CancellationToken ct) =>
        Task.FromResult(db.Read(c => Sql.Scalar<string?>(c, null, "SELECT json FROM customers WHERE id = $id", ("$id", id.Value))) is { } json
            ? DunningJson.Deserialize<Customer>(json)
            : null);

    public Task<Invoice?> GetInvoiceAsync(InvoiceId id, CancellationToken ct) =>
        Task.FromResult(db.Read(c => Sql.Scalar<string?>(c, null, "SELECT json FROM invoices WHERE id = $id", ("$id", id.Value))) is { } json
            ? DunningJson.Deserialize<Invoice>(json)
            : null);

    public Task<IReadOnlySet<CustomerId>> ExistingCustomersAsync(IEnumerable<CustomerId> ids, CancellationToken ct)
    {
        var wanted = JsonSerializer.Serialize(ids.Select(i => i.Value).Distinct().ToArray());
        var found = db.Read(c => Sql.Query(c, null, "SELECT id FROM customers WHERE id IN (SELECT value FROM json_each($ids))", r => new CustomerId(r.GetString(0)), ("$ids", wanted)));
        return Task.FromResult<IReadOnlySet<CustomerId>>(found.ToHashSet());
    }

    public Task<IReadOnlyList<Invoice>> PendingAsync(DateOnly dueOnOrBefore, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<Invoice>>(db.Read(c => Sql.Query(c, null,
            "SELECT json FROM invoices WHERE pending = 1 AND due_date <= $due ORDER BY due_date, id",
            r => DunningJson.Deserialize<Invoice>(r.GetString(0)), ("$due", Day(dueOnOrBefore)))));

    public Task MarkStartedAsync(InvoiceId id, CancellationToken ct)
    {
        db.Write((c, t) => Sql.Execute(c, t, "UPDATE invoices SET pending = 0 WHERE id = $id AND pending = 1", ("$id", id.Value)));
        return Task.CompletedTask;
    }

    /// <summary>Every mark in one transaction, with one statement prepared once.</summary>
    public Task MarkAllStartedAsync(IReadOnlyList<InvoiceId> ids, CancellationToken ct)
    {
        db.Write((c, t) =>
        {
            using var mark = c.CreateCommand();
            mark.CommandText = "UPDATE invoices SET pending = 0 WHERE id = $id AND pending = 1";
            mark.Transaction = t;
            var id = mark.Parameters.Add("$id", SqliteType.Text);
            foreach (var invoice in ids)
            {
                id.Value = invoice.Value;
                mark.ExecuteNonQuery();
            }
        });
        return Task.CompletedTask;
    }

    public Task<IReadOnlyDictionary<CustomerId, Customer>> GetCustomersAsync(IEnumerable<CustomerId> ids, CancellationToken ct)
    {
        var wanted = JsonSerializer.Serialize(ids.Select(i => i.Value).Distinct().ToArray());
        var found = db.Read(c => Sql.Query(c, null, "SELECT json FROM customers WHERE id IN (SELECT value FROM json_each($ids))",
            r => DunningJson.Deserialize<Customer>(r.GetString(0)), ("$ids", wanted)));
        return Task.FromResult<IReadOnlyDictionary<CustomerId, Customer>>(found.ToDictionary(c => c.Id));
    }

    public Task ApplyPaymentAsync(InvoiceId id, LedgerPayment payment, CancellationToken ct)
    {
        db.Write((c, t) =>
        {
            var json = Sql.Scalar<string?>(c, t, "SELECT json FROM invoices WHERE id = $id", ("$id", id.Value))
                ?? throw new KeyNotFoundException($"No invoice '{id}' in the ledger.");
            if (Sql.Execute(c, t, "INSERT INTO ledger_payments (key, invoice_id) VALUES ($key, $id) ON CONFLICT (key) DO NOTHING",
                ("$key", payment.StoredKey), ("$id", id.Value)) == 0)
            {
                return;
            }

            // A running total's earlier figures share its prefix; '#' + 1 is '$', so the range is exactly that prefix.
            IReadOnlyList<string> earlier = payment.RunningTotalPrefix is { } prefix
                ? Sql.Query(c, t, "SELECT key FROM ledger_payments WHERE key >= $from AND key < $to",
                    r => r.GetString(0), ("$from", prefix), ("$to", prefix[..^1] + "$"))
                : [];
            var invoice = payment.ApplyTo(DunningJson.Deserialize<Invoice>(json), earlier);
            Sql.Execute(c, t, "UPDATE invoices SET json = $json, outstanding = $outstanding WHERE id = $id",
                ("$id", id.Value), ("$json", DunningJson.Serialize(invoice)), ("$outstanding", invoice.Outstanding.IsPositive ? 1 : 0));
        });
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<Invoice>> OutstandingAsync(CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<Invoice>>(db.Read(c => Sql.Query(c, null,
            "SELECT json FROM invoices WHERE outstanding = 1 ORDER BY id", r => DunningJson.Deserialize<Invoice>(r.GetString(0)))));

    /// <summary>How many customers and invoices the ledger holds (for summaries).</summary>
    public (long Customers, long Invoices) Count() =>
        db.Read(c => (Sql.Scalar<long>(c, null, "SELECT count(*) FROM customers"), Sql.Scalar<long>(c, null, "SELECT count(*) FROM invoices")));

    /// <summary>
    /// The write lock is taken at the first row, not before, so an import refused on its first rows never blocks the
    /// runner; from then on it is held until the commit or the rollback (disposing uncommitted).
    /// </summary>
    /// <remarks>
    /// A bulk load (at least <see cref="BulkRows"/> invoices, and at least a quarter of those already there) drops the
    /// invoices' secondary indexes inside its transaction and builds them again just before the commit: one sorted
    /// pass instead of a million scattered index inserts, which spill the page cache and read it back (about half the
    /// import's time at a million rows, docs/performance.md). Being inside the transaction, a rollback restores them.
    /// </remarks>
    private sealed class Upsert(Database db, int expectedInvoices) : ILedgerUpsert
    {
        private const int BulkRows = 10_000;

        private readonly List<string> rebuild = [];
        private SqliteConnection? connection;
        private SqliteTransaction? transaction;
        private SqliteCommand? customer;
        private SqliteCommand? invoice;
        private bool committed;

        public Task AddAsync(Customer customer, CancellationToken ct)
        {
            Add(customer);
            return Task.CompletedTask;
        }

        public Task AddAsync(Invoice invoice, CancellationToken ct)
        {
            Add(invoice);
            return Task.CompletedTask;
        }

        public Task CommitAsync(CancellationToken ct)
        {
            Commit();
            return Task.CompletedTask;
        }

        public void Add(Customer row)
        {
            customer ??= Prepare("INSERT INTO customers (id, json) VALUES ($id, $json) ON CONFLICT (id) DO UPDATE SET json = excluded.json",
                ("$id", SqliteType.Text), ("$json", SqliteType.Text));
            customer.Parameters[0].Value = row.Id.Value;
            customer.Parameters[1].Value = DunningJson.Serialize(row);
            customer.ExecuteNonQuery();
        }

        public void Add(Invoice row)
        {
            if (invoice is null)
            {
                Begin();
                DropIndexesForBulk();
                invoice = Prepare("""
                    INSERT INTO invoices (id, customer_id, due_date, outstanding, pending, json)
                    VALUES ($id, $customer, $due, $outstanding, 1, $json)
                    ON CONFLICT (id) DO UPDATE SET customer_id = excluded.customer_id, due_date = excluded.due_date,
                        outstanding = excluded.outstanding, json = excluded.json
                    """,
                    ("$id", SqliteType.Text), ("$customer", SqliteType.Text), ("$due", SqliteType.Text), ("$outstanding", SqliteType.Integer), ("$json", SqliteType.Text));
            }

            var p = invoice.Parameters;
            (p[0].Value, p[1].Value, p[2].Value) = (row.Id.Value, row.CustomerId.Value, Day(row.DueDate));
            (p[3].Value, p[4].Value) = (row.Outstanding.IsPositive ? 1 : 0, DunningJson.Serialize(row));
            invoice.ExecuteNonQuery();
        }

        public void Commit()
        {
            ObjectDisposedException.ThrowIf(committed, this);
            foreach (var sql in rebuild)
            {
                Sql.Execute(connection!, transaction, sql);
            }

            transaction?.Commit();
            committed = true;
        }

        public ValueTask DisposeAsync()
        {
            customer?.Dispose();
            invoice?.Dispose();

            // Disposing an uncommitted transaction rolls it back: nothing added is kept, dropped indexes included.
            transaction?.Dispose();
            connection?.Dispose();
            return ValueTask.CompletedTask;
        }

        /// <summary>The indexes are read from the schema itself, so one added later is rebuilt too.</summary>
        private void DropIndexesForBulk()
        {
            // max(rowid) is a cheap upper bound of the rows already there (count(*) would read the whole table).
            var existing = Sql.Scalar<long?>(connection!, transaction, "SELECT max(rowid) FROM invoices") ?? 0;
            if (expectedInvoices < BulkRows || expectedInvoices < existing / 4)
            {
                return;
            }

            var indexes = Sql.Query(connection!, transaction, "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'invoices' AND sql IS NOT NULL",
                r => (Name: r.GetString(0), Sql: r.GetString(1)));
            foreach (var (name, sql) in indexes)
            {
                Sql.Execute(connection!, transaction, $"DROP INDEX \"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"");
                rebuild.Add(sql);
            }
        }

        private void Begin()
        {
            ObjectDisposedException.ThrowIf(committed, this);
            if (transaction is null)
            {
                connection = db.ConnectUnpooled();

                // Rebuilding an index sorts every row: on disk, not in memory (the connection's default, see Database.Connect),
                // or a million-row load would hold the sort (216 MB peak instead of 170 at 1M invoices). A connection of its
                // own, so the setting does not go back to the pool with it.
                Sql.Execute(connection, null, "PRAGMA temp_store = FILE");
                transaction = connection.BeginTransaction(deferred: false);
            }
        }

        private SqliteCommand Prepare(string sql, params (string Name, SqliteType Type)[] parameters)
        {
            Begin();
            var command = connection!.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            foreach (var (name, type) in parameters)
            {
                command.Parameters.Add(name, type);
            }

            command.Prepare();
            return command;
        }
    }

    private static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
