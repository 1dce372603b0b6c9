using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Json;
using Dunning.Common;
using Dunning.Customers;
using Dunning.Invoices;
using Dunning.Ports;
using Microsoft.Data.Sqlite;
using SQLitePCL;

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
        await using var upsert = new Upsert(db);
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
    public Task<ILedgerUpsert> BeginUpsertAsync(CancellationToken ct) => Task.FromResult<ILedgerUpsert>(new Upsert(db));

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
    /// The write lock is taken at the first row written, not before, so an import refused on its first rows never blocks
    /// the runner; from then on it is held until the commit or the rollback (disposing uncommitted).
    /// </summary>
    /// <remarks>
    /// <para>
    /// Rows are handed over in batches of <see cref="Batch"/> to a writer thread, which turns them into JSON and SQLite
    /// rows while the caller reads and checks the next ones: the two halves took about the same time, one after the
    /// other, on one core. At most <see cref="BatchesAhead"/> batches wait, so memory stays flat. A smaller upsert is
    /// written at the commit, without the thread.
    /// </para>
    /// <para>
    /// A bulk load (at least <see cref="BulkRows"/> invoices, and at least a quarter of those already there) drops the
    /// invoices' secondary indexes inside its transaction and builds them again just before the commit: one sorted
    /// pass instead of a million scattered index inserts, which spill the page cache and read it back (about half the
    /// import's time at a million rows, docs/performance.md). Being inside the transaction, a rollback restores them.
    /// How many rows will come is not known (the file is read once), so the indexes are dropped when the row that makes
    /// the load a bulk one comes: the rows before it were indexed as they came, which costs little at that size.
    /// </para>
    /// </remarks>
    private sealed class Upsert(Database db) : ILedgerUpsert
    {
        private const int BulkRows = 10_000;

        /// <summary>
        /// Small, and few ahead: rows waiting in the queue outlive a young-generation collection and are promoted, so
        /// 512 rows and 4 batches ahead held 40 MB more at a million invoices than 128 and 2, for the same time.
        /// </summary>
        private const int Batch = 128;

        private const int BatchesAhead = 2;

        private readonly List<string> rebuild = [];
        private List<object> pending = new(Batch);
        private BlockingCollection<List<object>>? batches;
        private Task? writing;
        private SqliteConnection? connection;
        private SqliteTransaction? transaction;
        private sqlite3_stmt? customer;
        private sqlite3_stmt? invoice;
        private ArrayBufferWriter<byte>? json;
        private Utf8JsonWriter? writer;
        private bool committed;

        /// <summary>Invoices written so far, and the count at which the load becomes a bulk one (set at the first).</summary>
        private long invoicesWritten;

        private long bulkFrom;

        public Task AddAsync(Customer customer, CancellationToken ct) => HandOverAsync(customer, ct);

        public Task AddAsync(Invoice invoice, CancellationToken ct) => HandOverAsync(invoice, ct);

        public async Task CommitAsync(CancellationToken ct)
        {
            ObjectDisposedException.ThrowIf(committed, this);
            if (batches is null)
            {
                WriteAll(pending);
            }
            else
            {
                await SendAsync(ct);
                batches.CompleteAdding();
                await writing!;
            }

            Commit();
        }

        private Task HandOverAsync(object row, CancellationToken ct)
        {
            ObjectDisposedException.ThrowIf(committed, this);
            pending.Add(row);
            return pending.Count < Batch ? Task.CompletedTask : SendAsync(ct);
        }

        private Task SendAsync(CancellationToken ct)
        {
            var batch = pending;
            pending = new List<object>(Batch);
            if (batches is null)
            {
                batches = new BlockingCollection<List<object>>(BatchesAhead);
                writing = Task.Factory.StartNew(WriteBatches, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            }

            try
            {
                batches.Add(batch, ct);
            }
            catch (InvalidOperationException)
            {
                // Only the writer closes the queue before the commit, on an error of its own: that is the one to report.
                return writing!;
            }

            return Task.CompletedTask;
        }

        private void WriteBatches()
        {
            try
            {
                foreach (var batch in batches!.GetConsumingEnumerable())
                {
                    WriteAll(batch);
                }
            }
            catch (Exception)
            {
                batches!.CompleteAdding();
                throw;
            }
        }

        private void WriteAll(List<object> rows)
        {
            foreach (var row in rows)
            {
                if (row is Invoice i)
                {
                    Add(i);
                }
                else
                {
                    Add((Customer)row);
                }
            }
        }

        /// <summary>
        /// Both statements are SQLite's own, bound and stepped directly, with the JSON written as UTF-8 into one reused
        /// buffer: through <see cref="SqliteCommand"/> each row paid for a data reader, parameter objects and a UTF-16
        /// JSON string transcoded again, a quarter of a million-invoice import's CPU.
        /// </summary>
        public void Add(Customer row)
        {
            if (customer is null)
            {
                Begin();
                customer = Prepare("INSERT INTO customers (id, json) VALUES (?1, ?2) ON CONFLICT (id) DO UPDATE SET json = excluded.json");
            }

            CustomerJson.Write(Json(), row);
            writer!.Flush();
            Check(raw.sqlite3_bind_text16(customer, 1, row.Id.Value));
            Check(raw.sqlite3_bind_text(customer, 2, json!.WrittenSpan));
            Step(customer);
        }

        public void Add(Invoice row)
        {
            if (invoice is null)
            {
                Begin();
                bulkFrom = BulkFrom();
                invoice = Prepare("""
                    INSERT INTO invoices (id, customer_id, due_date, outstanding, pending, json)
                    VALUES (?1, ?2, ?3, ?4, 1, ?5)
                    ON CONFLICT (id) DO UPDATE SET customer_id = excluded.customer_id, due_date = excluded.due_date,
                        outstanding = excluded.outstanding, json = excluded.json
                    """);
            }

            if (++invoicesWritten == bulkFrom)
            {
                DropIndexes();
            }

            InvoiceJson.Write(Json(), row);
            writer!.Flush();
            Span<byte> due = stackalloc byte[10];

            Check(raw.sqlite3_bind_text16(invoice, 1, row.Id.Value));
            Check(raw.sqlite3_bind_text16(invoice, 2, row.CustomerId.Value));
            Check(raw.sqlite3_bind_text(invoice, 3, InvoiceJson.IsoDate(row.DueDate, due)));
            Check(raw.sqlite3_bind_int(invoice, 4, row.Outstanding.IsPositive ? 1 : 0));
            Check(raw.sqlite3_bind_text(invoice, 5, json!.WrittenSpan));
            Step(invoice);
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

        public async ValueTask DisposeAsync()
        {
            // An upsert abandoned (a bad row found, an error) lets its writer finish what it was given, then rolls back.
            if (batches is not null)
            {
                batches.CompleteAdding();
                await writing!.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                batches.Dispose();
            }

            customer?.Dispose();
            invoice?.Dispose();
            writer?.Dispose();

            // Disposing an uncommitted transaction rolls it back: nothing added is kept, dropped indexes included.
            transaction?.Dispose();
            connection?.Dispose();
        }

        /// <summary>The number of invoices that makes this load a bulk one.</summary>
        private long BulkFrom()
        {
            // max(rowid) is a cheap upper bound of the rows already there (count(*) would read the whole table).
            var existing = Sql.Scalar<long?>(connection!, transaction, "SELECT max(rowid) FROM invoices") ?? 0;
            return Math.Max(BulkRows, existing / 4);
        }

        /// <summary>The indexes are read from the schema itself, so one added later is rebuilt too.</summary>
        private void DropIndexes()
        {
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

        /// <summary>Any answer but OK is an error, reported as <see cref="SqliteCommand"/> would.</summary>
        private void Check(int result)
        {
            if (result != raw.SQLITE_OK)
            {
                throw new SqliteException(raw.sqlite3_errmsg(connection!.Handle).utf8_to_string(), result);
            }
        }

        private sqlite3_stmt Prepare(string sql)
        {
            Check(raw.sqlite3_prepare_v2(connection!.Handle, sql, out var statement));
            return statement;
        }

        /// <summary>The one reused buffer, emptied, and its writer.</summary>
        private Utf8JsonWriter Json()
        {
            json ??= new ArrayBufferWriter<byte>(1024);
            writer ??= new Utf8JsonWriter(json, InvoiceJson.WriterOptions);
            json.ResetWrittenCount();
            writer.Reset(json);
            return writer;
        }

        private void Step(sqlite3_stmt statement)
        {
            var done = raw.sqlite3_step(statement);
            if (done != raw.SQLITE_DONE)
            {
                var failure = new SqliteException(raw.sqlite3_errmsg(connection!.Handle).utf8_to_string(), done);
                raw.sqlite3_reset(statement);
                throw failure;
            }

            raw.sqlite3_reset(statement);
        }
    }

    private static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
