using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Dunning.Local.Storage;

/// <summary>
/// The SQLite file of a data folder: one short-lived connection per operation (pooled by the provider),
/// WAL so readers never wait for the runner, and writes in IMMEDIATE transactions so two processes on
/// the same folder queue instead of deadlocking.
/// </summary>
public sealed class Database
{
    public const string FileName = "dunning.db";

    /// <summary>Bumped when a table or a stored JSON shape changes; <see cref="Migrate"/> upgrades older files.</summary>
    public const int SchemaVersion = 3;

    /// <summary>Writes in one grouped transaction at most: a bound on how long the write lock is held.</summary>
    private const int MaxGroup = 256;

    private readonly string connectionString;

    private readonly ConcurrentQueue<GroupedWrite> groupQueue = new();

    private readonly SemaphoreSlim groupTurn = new(1, 1);

    private static readonly object Configured = new();

    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<SQLitePCL.sqlite3, object> configured = [];

    private GroupedWriter? groupWriter;

    /// <summary>Grouped commits between two checkpoints of the WAL: about SQLite's own 1,000 pages at a few pages a delivery.</summary>
    private const int CommitsPerCheckpoint = 256;

    private int commitsSinceCheckpoint;

    private int checkpointing;

    private Database(string path)
    {
        Path = path;
        connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string Path { get; }

    public static Database Open(string path)
    {
        var database = new Database(path);
        database.Migrate();
        return database;
    }

    public SqliteConnection Connect() => Connect(connectionString);

    /// <summary>
    /// A connection of its own, never handed out again by the pool: for a caller that changes a connection's settings
    /// (the pool keeps the pragmas of <see cref="Connect()"/>, set once per native connection).
    /// </summary>
    public SqliteConnection ConnectUnpooled() => Connect(new SqliteConnectionStringBuilder(connectionString) { Pooling = false }.ToString());

    private SqliteConnection Connect(string connectionString)
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();

        // Pragmas stay with the native connection the pool hands out again: set them once per native connection, not at
        // every open (four statements parsed and run before each read, such as the runner's per-payment case read).
        if (configured.TryGetValue(connection.Handle!, out _))
        {
            return connection;
        }

        // NORMAL is crash-safe in WAL mode: a killed process loses nothing committed; only a power cut may
        // roll back the last transactions, which the outbox and idempotent effects absorb. Memory-mapped reads
        // (up to 256 MB) spare a copy of every page the runner reads back after its own writes: about a quarter
        // of the runner's time in tests/Dunning.Benchmarks. A busy database is waited for by SQLite itself, which
        // wakes as soon as the lock is free; the provider's own retry sleeps ~150 ms a time. Statement journals (each
        // statement of a longer transaction, such as an insert into cases with its triggers, saves the pages it changes
        // so it can be undone alone) are kept in memory: in temporary files they were 5 of every 6 bytes the daily scan
        // wrote (690 MB for 10,000 new cases at 100k invoices, 130 MB without), docs/performance.md.
        using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA synchronous = NORMAL; PRAGMA mmap_size = 268435456; PRAGMA busy_timeout = 30000; PRAGMA temp_store = MEMORY;";
        pragma.ExecuteNonQuery();
        configured.AddOrUpdate(connection.Handle!, Configured);
        return connection;
    }

    /// <summary>Runs <paramref name="work"/> in one IMMEDIATE transaction and commits it.</summary>
    public T Write<T>(Func<SqliteConnection, SqliteTransaction, T> work)
    {
        using var connection = Connect();
        using var transaction = connection.BeginTransaction(deferred: false);
        var result = work(connection, transaction);
        transaction.Commit();
        return result;
    }

    /// <summary>
    /// Runs <paramref name="work"/> in a transaction shared with the other grouped writes waiting at the same time,
    /// and completes only once that transaction is committed: many small concurrent writes (webhook deliveries) cost
    /// one commit and one turn of the write lock between them, instead of queueing on SQLite's busy handler one by one.
    /// The first caller to find no batch running becomes the leader and commits everything queued; each work runs in
    /// its own savepoint, so one that throws is undone alone and its caller gets the exception. Everything inside the
    /// batch holds the write lock, so a work should only run its statements: build its JSON before calling.
    /// </summary>
    public async Task<T> WriteGroupedAsync<T>(Func<GroupedWriter, T> work)
    {
        var write = new GroupedWrite(w => work(w));
        groupQueue.Enqueue(write);

        // Not cancellable: a queued write is committed by whichever leader comes next, so its caller waits to hear which way it went.
        await groupTurn.WaitAsync();
        try
        {
            if (!write.Done.Task.IsCompleted)
            {
                // Requests already queued on the thread pool get to add their writes to this batch first.
                await Task.Yield();
                CommitGroup();
            }
        }
        finally
        {
            groupTurn.Release();
        }

        return (T)(await write.Done.Task)!;
    }

    private void CommitGroup()
    {
        var batch = new List<GroupedWrite>();
        while (batch.Count < MaxGroup && groupQueue.TryDequeue(out var next))
        {
            batch.Add(next);
        }

        var results = new object?[batch.Count];
        var failures = new Exception?[batch.Count];
        try
        {
            // Only the leader (holding groupTurn) uses the grouped connection: kept open, its statements prepared once.
            var writer = groupWriter ??= new GroupedWriter(ConnectForGroups());
            using var transaction = writer.Begin();
            for (var i = 0; i < batch.Count; i++)
            {
                writer.Execute("SAVEPOINT grouped");
                try
                {
                    results[i] = batch[i].Work(writer);
                    writer.Execute("RELEASE grouped");
                }
                catch (Exception e) when (e is not SqliteException { SqliteErrorCode: 5 or 6 or 10 or 13 })
                {
                    // Busy, locked, I/O or full: the whole batch fails below. Anything else is this write's own fault.
                    writer.Execute("ROLLBACK TO grouped");
                    writer.Execute("RELEASE grouped");
                    failures[i] = e;
                }
            }

            transaction.Commit();
        }
        catch (Exception e)
        {
            // A connection that failed mid-batch is not trusted with the next one.
            groupWriter?.Dispose();
            groupWriter = null;
            foreach (var write in batch)
            {
                write.Done.TrySetException(e);
            }

            return;
        }

        for (var i = 0; i < batch.Count; i++)
        {
            if (failures[i] is { } failure)
            {
                batch[i].Done.TrySetException(failure);
            }
            else
            {
                batch[i].Done.TrySetResult(results[i]);
            }
        }

        if (++commitsSinceCheckpoint >= CommitsPerCheckpoint && Interlocked.CompareExchange(ref checkpointing, 1, 0) == 0)
        {
            commitsSinceCheckpoint = 0;
            _ = Task.Run(Checkpoint);
        }
    }

    /// <summary>
    /// The grouped connection does not checkpoint the WAL in its own commits: SQLite does that inside the commit that
    /// crosses 1,000 pages, so the deliveries of that batch (and every batch queued behind it) waited for the copy and
    /// its fsyncs, tens of milliseconds. <see cref="Checkpoint"/> does it beside the batches instead.
    /// </summary>
    private SqliteConnection ConnectForGroups()
    {
        var connection = ConnectUnpooled();
        Sql.Execute(connection, null, "PRAGMA wal_autocheckpoint = 0");
        return connection;
    }

    /// <summary>A passive checkpoint on a connection of its own: it copies what it can without waiting for or blocking writers.</summary>
    private void Checkpoint()
    {
        try
        {
            using var connection = Connect();
            Sql.Execute(connection, null, "PRAGMA wal_checkpoint(PASSIVE)");
        }
        catch (SqliteException)
        {
            // Left for the next one (or any other connection's own automatic checkpoint).
        }
        finally
        {
            Volatile.Write(ref checkpointing, 0);
        }
    }

    public void Write(Action<SqliteConnection, SqliteTransaction> work) =>
        Write((c, t) =>
        {
            work(c, t);
            return 0;
        });

    public T Read<T>(Func<SqliteConnection, T> work)
    {
        using var connection = Connect();
        return work(connection);
    }

    public string? GetMeta(string key) =>
        Read(c => Sql.Scalar<string?>(c, null, "SELECT value FROM meta WHERE key = $key", ("$key", key)));

    public void SetMeta(string key, string value) =>
        Write((c, t) => SetMeta(c, t, key, value));

    public static void SetMeta(SqliteConnection connection, SqliteTransaction transaction, string key, string value) =>
        Sql.Execute(connection, transaction, "INSERT INTO meta (key, value) VALUES ($key, $value) ON CONFLICT (key) DO UPDATE SET value = excluded.value", ("$key", key), ("$value", value));

    private void Migrate()
    {
        using var connection = Connect();
        using (var wal = connection.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            wal.ExecuteNonQuery();
        }

        var version = Convert.ToInt32(Sql.Scalar<long>(connection, null, "PRAGMA user_version"), CultureInfo.InvariantCulture);
        if (version > SchemaVersion)
        {
            throw new InvalidOperationException(
                $"{Path} was written by a newer version of dunning (schema {version}; this one knows {SchemaVersion}).");
        }

        if (version != SchemaVersion)
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            Sql.Execute(connection, transaction, Schema);
            Sql.Execute(connection, transaction, $"PRAGMA user_version = {SchemaVersion.ToString(CultureInfo.InvariantCulture)}");
            transaction.Commit();
        }

        Sql.Execute(connection, null, Indexes);
    }

    // What reads need, kept beside the stored shapes and derived from them: created on every open (a no-op once
    // there), so files of this schema version written before them get them too.
    //
    // case_views holds each case's status_json apart from the large state_json: a column stored after a 10 KB one
    // is only reached through its overflow pages, so listing 100 statuses read a megabyte. Triggers keep it in step
    // with every writer of cases (runner, start, store). The money columns are hundredths (exact for every currency
    // the core knows, none has more than two decimals) so totals are exact integer sums in SQL; recovered follows
    // CaseState.Recovered: the larger of the ledger's amount paid and paid-at-open + paid-here, less paid-at-open.
    //
    // webhook_pending holds the verified deliveries serve recorded (in webhook_events, same transaction) and answered
    // but the runner has not applied yet; a row is deleted once applied. Created here, not in Schema, so files of
    // schema 3 get it without a migration.
    private const string Indexes = """
        CREATE INDEX IF NOT EXISTS cases_customer ON cases (customer_id, invoice_id);

        CREATE TABLE IF NOT EXISTS webhook_pending (
            seq         INTEGER PRIMARY KEY AUTOINCREMENT,
            provider    TEXT NOT NULL,
            event_id    TEXT NOT NULL,
            notice_json TEXT NOT NULL,
            UNIQUE (provider, event_id));

        CREATE TABLE IF NOT EXISTS case_views (
            invoice_id      TEXT PRIMARY KEY,
            customer_id     TEXT NOT NULL,
            status          TEXT NOT NULL,
            stage           TEXT NOT NULL,
            currency        TEXT NOT NULL,
            balance_cents   INTEGER NOT NULL,
            recovered_cents INTEGER NOT NULL,
            status_json     TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS case_views_status ON case_views (status, invoice_id);
        CREATE INDEX IF NOT EXISTS case_views_customer ON case_views (customer_id, invoice_id);
        CREATE INDEX IF NOT EXISTS case_views_currency ON case_views (currency, invoice_id);
        -- Superseded by case_figures below; dropped so it costs no writes.
        DROP INDEX IF EXISTS case_views_figures;

        CREATE TRIGGER IF NOT EXISTS case_views_insert AFTER INSERT ON cases BEGIN
            INSERT INTO case_views VALUES (
                new.invoice_id, new.customer_id, new.status, new.status_json ->> '$.stage', new.status_json ->> '$.balance.currency',
                CAST(round((new.status_json ->> '$.balance.amount') * 100) AS INTEGER),
                CAST(round(max(0, max(new.state_json ->> '$.invoice.amountPaid.amount', (new.state_json ->> '$.paidAtOpen.amount') + (new.state_json ->> '$.paidHere.amount')) - (new.state_json ->> '$.paidAtOpen.amount')) * 100) AS INTEGER),
                new.status_json)
            ON CONFLICT (invoice_id) DO UPDATE SET customer_id = excluded.customer_id, status = excluded.status, stage = excluded.stage,
                currency = excluded.currency, balance_cents = excluded.balance_cents, recovered_cents = excluded.recovered_cents, status_json = excluded.status_json;
        END;
        CREATE TRIGGER IF NOT EXISTS case_views_update AFTER UPDATE OF status_json ON cases BEGIN
            UPDATE case_views SET customer_id = new.customer_id, status = new.status, stage = new.status_json ->> '$.stage',
                currency = new.status_json ->> '$.balance.currency',
                balance_cents = CAST(round((new.status_json ->> '$.balance.amount') * 100) AS INTEGER),
                recovered_cents = CAST(round(max(0, max(new.state_json ->> '$.invoice.amountPaid.amount', (new.state_json ->> '$.paidAtOpen.amount') + (new.state_json ->> '$.paidHere.amount')) - (new.state_json ->> '$.paidAtOpen.amount')) * 100) AS INTEGER),
                status_json = new.status_json
            WHERE invoice_id = new.invoice_id;
        END;
        CREATE TRIGGER IF NOT EXISTS case_views_delete AFTER DELETE ON cases BEGIN
            DELETE FROM case_views WHERE invoice_id = old.invoice_id;
        END;

        -- The dashboard's figures kept as running sums per (currency, status, stage), in step with case_views by
        -- triggers, so reading them costs a few dozen rows at any number of cases. Filled from case_views once, when
        -- the table is new; the cases added to case_views just below are counted by the triggers.
        CREATE TABLE IF NOT EXISTS case_figures (
            currency        TEXT NOT NULL,
            status          TEXT NOT NULL,
            stage           TEXT NOT NULL,
            cases           INTEGER NOT NULL,
            owed_cents      INTEGER NOT NULL,
            recovered_cents INTEGER NOT NULL,
            PRIMARY KEY (currency, status, stage));
        INSERT INTO case_figures
        SELECT currency, status, stage, count(*), sum(max(balance_cents, 0)), sum(recovered_cents) FROM case_views
        WHERE NOT EXISTS (SELECT 1 FROM case_figures) GROUP BY currency, status, stage;
        CREATE TRIGGER IF NOT EXISTS case_figures_insert AFTER INSERT ON case_views BEGIN
            INSERT INTO case_figures VALUES (new.currency, new.status, new.stage, 1, max(new.balance_cents, 0), new.recovered_cents)
            ON CONFLICT (currency, status, stage) DO UPDATE SET cases = cases + 1,
                owed_cents = owed_cents + excluded.owed_cents, recovered_cents = recovered_cents + excluded.recovered_cents;
        END;
        CREATE TRIGGER IF NOT EXISTS case_figures_update AFTER UPDATE ON case_views BEGIN
            UPDATE case_figures SET cases = cases - 1, owed_cents = owed_cents - max(old.balance_cents, 0), recovered_cents = recovered_cents - old.recovered_cents
            WHERE currency = old.currency AND status = old.status AND stage = old.stage;
            INSERT INTO case_figures VALUES (new.currency, new.status, new.stage, 1, max(new.balance_cents, 0), new.recovered_cents)
            ON CONFLICT (currency, status, stage) DO UPDATE SET cases = cases + 1,
                owed_cents = owed_cents + excluded.owed_cents, recovered_cents = recovered_cents + excluded.recovered_cents;
        END;
        CREATE TRIGGER IF NOT EXISTS case_figures_delete AFTER DELETE ON case_views BEGIN
            UPDATE case_figures SET cases = cases - 1, owed_cents = owed_cents - max(old.balance_cents, 0), recovered_cents = recovered_cents - old.recovered_cents
            WHERE currency = old.currency AND status = old.status AND stage = old.stage;
        END;

        INSERT INTO case_views
        SELECT invoice_id, customer_id, status, status_json ->> '$.stage', status_json ->> '$.balance.currency',
            CAST(round((status_json ->> '$.balance.amount') * 100) AS INTEGER),
            CAST(round(max(0, max(state_json ->> '$.invoice.amountPaid.amount', (state_json ->> '$.paidAtOpen.amount') + (state_json ->> '$.paidHere.amount')) - (state_json ->> '$.paidAtOpen.amount')) * 100) AS INTEGER),
            status_json
        FROM cases WHERE invoice_id NOT IN (SELECT invoice_id FROM case_views);
        """;

    // Instants are unix milliseconds (comparable, indexable); rows that cross the API are stored as the
    // same JSON the API serves (DunningJson), with the columns queries need beside them.
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS meta (
            key   TEXT PRIMARY KEY,
            value TEXT NOT NULL);

        CREATE TABLE IF NOT EXISTS customers (
            id   TEXT PRIMARY KEY,
            json TEXT NOT NULL);

        -- Since schema 2: payments applied to invoices without a case, once per provider event.
        CREATE TABLE IF NOT EXISTS ledger_payments (
            key        TEXT PRIMARY KEY,
            invoice_id TEXT NOT NULL);

        CREATE TABLE IF NOT EXISTS invoices (
            id          TEXT PRIMARY KEY,
            customer_id TEXT NOT NULL,
            due_date    TEXT NOT NULL,
            outstanding INTEGER NOT NULL,
            pending     INTEGER NOT NULL DEFAULT 1,
            json        TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS invoices_pending ON invoices (due_date) WHERE pending = 1;
        CREATE INDEX IF NOT EXISTS invoices_outstanding ON invoices (id) WHERE outstanding = 1;

        CREATE TABLE IF NOT EXISTS cases (
            invoice_id  TEXT PRIMARY KEY,
            customer_id TEXT NOT NULL,
            status      TEXT NOT NULL,
            state_json  TEXT NOT NULL,
            status_json TEXT NOT NULL,
            wake_at     INTEGER NULL,
            performing  TEXT NULL,
            version     INTEGER NOT NULL,
            updated_at  INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS cases_wake ON cases (wake_at) WHERE wake_at IS NOT NULL;
        CREATE INDEX IF NOT EXISTS cases_performing ON cases (invoice_id) WHERE performing IS NOT NULL;
        CREATE INDEX IF NOT EXISTS cases_status ON cases (status);
        -- Since schema 3: a customer's cases (the frequency cap, pace) without scanning every case.
        CREATE INDEX IF NOT EXISTS cases_customer ON cases (customer_id);

        CREATE TABLE IF NOT EXISTS inbox (
            seq          INTEGER PRIMARY KEY AUTOINCREMENT,
            invoice_id   TEXT NOT NULL,
            signal_json  TEXT NOT NULL,
            received_at  INTEGER NOT NULL,
            processed    INTEGER NOT NULL DEFAULT 0,
            processed_at INTEGER NULL,
            outcome      TEXT NULL,
            note         TEXT NULL);
        CREATE INDEX IF NOT EXISTS inbox_unprocessed ON inbox (invoice_id, seq) WHERE processed = 0;
        CREATE INDEX IF NOT EXISTS inbox_case ON inbox (invoice_id, seq);

        CREATE TABLE IF NOT EXISTS outbox (
            key          TEXT PRIMARY KEY,
            invoice_id   TEXT NOT NULL,
            action_json  TEXT NOT NULL,
            performed_at INTEGER NOT NULL,
            status       TEXT NOT NULL,
            done_at      INTEGER NULL);
        CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (invoice_id) WHERE status = 'pending';

        CREATE TABLE IF NOT EXISTS webhook_events (
            provider    TEXT NOT NULL,
            event_id    TEXT NOT NULL,
            received_at INTEGER NOT NULL,
            invoice_id  TEXT NULL,
            json        TEXT NOT NULL,
            PRIMARY KEY (provider, event_id));

        CREATE TABLE IF NOT EXISTS review (
            provider    TEXT NOT NULL,
            event_id    TEXT NOT NULL,
            received_at INTEGER NOT NULL,
            reason      TEXT NOT NULL,
            json        TEXT NOT NULL,
            PRIMARY KEY (provider, event_id));

        -- Since schema 3: email waiting for SMTP delivery (when mail.json configures it), one row per idempotency key.
        -- status: queued (next_attempt_at says when), sending, sent, parked (reason says why).
        CREATE TABLE IF NOT EXISTS mail_outbox (
            key             TEXT PRIMARY KEY,
            invoice_id      TEXT NULL,
            recipient       TEXT NOT NULL,
            subject         TEXT NOT NULL,
            mime            BLOB NOT NULL,
            status          TEXT NOT NULL,
            attempts        INTEGER NOT NULL DEFAULT 0,
            queued_at       INTEGER NOT NULL,
            next_attempt_at INTEGER NULL,
            sending_since   INTEGER NULL,
            sent_at         INTEGER NULL,
            reason          TEXT NULL);
        CREATE INDEX IF NOT EXISTS mail_outbox_due ON mail_outbox (next_attempt_at) WHERE status = 'queued';

        -- Since schema 3: each customer's contact ledger (CustomerContacts as JSON), across all their invoices.
        CREATE TABLE IF NOT EXISTS customer_contacts (
            customer_id TEXT PRIMARY KEY,
            json        TEXT NOT NULL);

        CREATE TABLE IF NOT EXISTS call_tasks (
            key        TEXT PRIMARY KEY,
            invoice_id TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            json       TEXT NOT NULL);
        """;

    private sealed record GroupedWrite(Func<GroupedWriter, object?> Work)
    {
        public TaskCompletionSource<object?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
