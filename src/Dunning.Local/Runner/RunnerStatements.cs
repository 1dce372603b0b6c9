using Dunning.Cases;
using Dunning.Common;
using Dunning.Local.Storage;
using Dunning.Webhooks;
using Microsoft.Data.Sqlite;

namespace Dunning.Local.Runner;

/// <summary>A payment serve accepted for a case, waiting in <c>webhook_pending</c> for the runner's round.</summary>
internal sealed record QueuedPayment(long Seq, string Provider, string EventId, DateTimeOffset ReceivedAt, string ReceiptJson, PaymentNotice Notice);

/// <summary>
/// The runner's own connection and its statements, each prepared once and reused with new values: the runner
/// repeats a handful of statements millions of times, and parsing them again each time costs more than running them.
/// </summary>
internal sealed class RunnerStatements : IDisposable
{
    private readonly List<SqliteCommand> all = [];
    private readonly SqliteCommand load;
    private readonly SqliteCommand customerOf;
    private readonly SqliteCommand signals;
    private readonly SqliteCommand outbox;
    private readonly SqliteCommand dueCases;
    private readonly SqliteCommand save;
    private readonly SqliteCommand insertOutbox;
    private readonly SqliteCommand outboxDone;
    private readonly SqliteCommand markSignal;
    private readonly SqliteCommand discardOrphans;
    private readonly SqliteCommand deliveries;
    private readonly SqliteCommand appliedSignal;
    private readonly SqliteCommand review;
    private readonly SqliteCommand deliveryDone;

    public RunnerStatements(SqliteConnection connection)
    {
        Connection = connection;
        load = Prepare("SELECT state_json, version, performing, wake_at, updated_at FROM cases WHERE invoice_id = $id", "$id");
        customerOf = Prepare("SELECT customer_id FROM cases WHERE invoice_id = $id", "$id");
        signals = Prepare("SELECT seq, signal_json, received_at FROM inbox WHERE invoice_id = $id AND processed = 0 ORDER BY seq", "$id");
        outbox = Prepare("SELECT action_json, performed_at FROM outbox WHERE key = $key", "$key");
        dueCases = Prepare("""
            SELECT d.invoice_id, c.customer_id FROM (
                SELECT invoice_id FROM cases WHERE performing IS NOT NULL
                UNION SELECT invoice_id FROM cases WHERE wake_at <= $now
                UNION SELECT invoice_id FROM inbox WHERE processed = 0
                UNION SELECT e.invoice_id FROM webhook_pending p
                    JOIN webhook_events e ON e.provider = p.provider AND e.event_id = p.event_id
                    JOIN cases k ON k.invoice_id = e.invoice_id) d
            LEFT JOIN cases c ON c.invoice_id = d.invoice_id
            WHERE d.invoice_id NOT IN (SELECT value FROM json_each($skipped))
            ORDER BY c.performing IS NULL, d.invoice_id LIMIT $batch
            """, "$now", "$skipped", "$batch");
        save = Prepare("""
            UPDATE cases SET status = $status, state_json = $state, status_json = $statusJson, wake_at = $wake,
                performing = $performing, version = version + 1, updated_at = $now
            WHERE invoice_id = $id AND version = $version
            """, "$id", "$version", "$status", "$state", "$statusJson", "$wake", "$performing", "$now");
        // A contact the customer's ledger deferred is performed again later under the same key: the row then takes the
        // new time, so a restart finishes it as of the attempt that was running, not the deferred one.
        insertOutbox = Prepare("""
            INSERT INTO outbox (key, invoice_id, action_json, performed_at, status)
            VALUES ($key, $id, $action, $at, 'pending')
            ON CONFLICT (key) DO UPDATE SET action_json = excluded.action_json, performed_at = excluded.performed_at, status = 'pending'
            """, "$key", "$id", "$action", "$at");
        outboxDone = Prepare("UPDATE outbox SET status = 'done', done_at = $now WHERE key = $key", "$key", "$now");
        markSignal = Prepare("UPDATE inbox SET processed = 1, processed_at = $now, outcome = $outcome, note = $note WHERE seq = $seq",
            "$seq", "$now", "$outcome", "$note");
        discardOrphans = Prepare(
            "UPDATE inbox SET processed = 1, processed_at = $now, outcome = 'refused', note = 'no such case' WHERE invoice_id = $id AND processed = 0",
            "$id", "$now");

        // Payments serve accepted for these cases (those for invoices without a case are ReceivedPayments'), oldest
        // first. The queue holds only what awaits the runner, so it is walked (CROSS JOIN keeps that order) and each
        // delivery's event found by its key: webhook_events grows with every delivery, and an index on its invoice id
        // cost each grouped commit of deliveries a page more.
        deliveries = Prepare("""
            SELECT p.seq, e.invoice_id, e.provider, e.event_id, e.received_at, e.json, p.notice_json FROM webhook_pending p
            CROSS JOIN webhook_events e ON e.provider = p.provider AND e.event_id = p.event_id
            WHERE e.invoice_id IN (SELECT value FROM json_each($ids)) ORDER BY p.seq
            """, "$ids");
        appliedSignal = Prepare("""
            INSERT INTO inbox (invoice_id, signal_json, received_at, processed, processed_at)
            VALUES ($id, $signal, $received, 1, $now)
            """, "$id", "$signal", "$received", "$now");
        review = Prepare("""
            INSERT INTO review (provider, event_id, received_at, reason, json)
            VALUES ($provider, $event, $at, $reason, $json) ON CONFLICT (provider, event_id) DO NOTHING
            """, "$provider", "$event", "$at", "$reason", "$json");
        deliveryDone = Prepare("DELETE FROM webhook_pending WHERE seq = $seq", "$seq");
    }

    public SqliteConnection Connection { get; }

    public SqliteTransaction? Transaction { get; private set; }

    /// <summary>Every statement runs in <paramref name="transaction"/> until the next call.</summary>
    public void Use(SqliteTransaction transaction)
    {
        Transaction = transaction;
        foreach (var command in all)
        {
            command.Transaction = transaction;
        }
    }

    public (CaseState State, long Version, string? Performing, DateTimeOffset? WakeAt, DateTimeOffset UpdatedAt)? Load(string id)
    {
        using var reader = Bind(load, id).ExecuteReader();
        return reader.Read()
            ? (DunningJson.Deserialize<CaseState>(reader.GetString(0)), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetString(2), Sql.Instant(reader, 3),
                Sql.Instant(reader.GetInt64(4)))
            : null;
    }

    public string? CustomerOf(string id) => Bind(customerOf, id).ExecuteScalar() as string;

    public List<(long Seq, CaseEvent Signal, DateTimeOffset ReceivedAt)> LoadSignals(string id)
    {
        using var reader = Bind(signals, id).ExecuteReader();
        var rows = new List<(long, CaseEvent, DateTimeOffset)>();
        while (reader.Read())
        {
            rows.Add((reader.GetInt64(0), DunningJson.Deserialize<CaseEvent>(reader.GetString(1)), Sql.Instant(reader.GetInt64(2))));
        }

        return rows;
    }

    public (CaseAction Action, DateTimeOffset PerformedAt) LoadOutbox(string key)
    {
        using var reader = Bind(outbox, key).ExecuteReader();
        return reader.Read()
            ? (DunningJson.Deserialize<CaseAction>(reader.GetString(0)), Sql.Instant(reader.GetInt64(1)))
            : throw new InvalidOperationException($"The outbox has no row {key} for a case performing it.");
    }

    /// <summary>
    /// Cases due at <paramref name="now"/> with their customer (null: signals for no case), in id order after the ones
    /// with an unfinished effect: those go first, so a sibling never decides before a contact that already went out is told.
    /// </summary>
    public List<(string Id, string? Customer)> DueCases(DateTimeOffset now, string skippedJson, int batch)
    {
        using var reader = Bind(dueCases, Sql.Millis(now), skippedJson, batch).ExecuteReader();
        var rows = new List<(string, string?)>();
        while (reader.Read())
        {
            rows.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1)));
        }

        return rows;
    }

    /// <summary>Saves the case if it is still at <paramref name="version"/>; false when another runner saved it first.</summary>
    public bool SaveCase(string id, long version, string status, string stateJson, string statusJson, DateTimeOffset? wake, string? performing, DateTimeOffset now) =>
        Bind(save, id, version, status, stateJson, statusJson, wake is { } at ? Sql.Millis(at) : null, performing, Sql.Millis(now)).ExecuteNonQuery() == 1;

    // The writes of a case return true (done) so the runner can run them in a row with its conditional save (false: not saved).
    public bool InsertOutbox(string key, string id, string actionJson, DateTimeOffset at) =>
        Bind(insertOutbox, key, id, actionJson, Sql.Millis(at)).ExecuteNonQuery() >= 0;

    public bool MarkOutboxDone(string key, DateTimeOffset now) => Bind(outboxDone, key, Sql.Millis(now)).ExecuteNonQuery() >= 0;

    public bool MarkSignal(long seq, DateTimeOffset now, string? outcome, string? note) =>
        Bind(markSignal, seq, Sql.Millis(now), outcome, note).ExecuteNonQuery() >= 0;

    /// <summary>
    /// The payments serve accepted for these cases (a JSON array of ids) and no runner has applied yet, by case, oldest first. The receipt's JSON is
    /// kept as stored, for the review list should the case refuse the payment: its columns say the rest.
    /// </summary>
    public Dictionary<string, List<QueuedPayment>> LoadDeliveries(string idsJson)
    {
        using var reader = Bind(deliveries, idsJson).ExecuteReader();
        var byCase = new Dictionary<string, List<QueuedPayment>>(StringComparer.Ordinal);
        while (reader.Read())
        {
            var id = reader.GetString(1);
            if (!byCase.TryGetValue(id, out var payments))
            {
                byCase[id] = payments = [];
            }

            payments.Add(new QueuedPayment(reader.GetInt64(0), reader.GetString(2), reader.GetString(3), Sql.Instant(reader.GetInt64(4)), reader.GetString(5),
                DunningJson.Deserialize<PaymentNotice>(reader.GetString(6))));
        }

        return byCase;
    }

    /// <summary>A delivery the case took, kept in its inbox as a signal already applied (the case's signals list shows it).</summary>
    public bool InsertAppliedSignal(string id, string signalJson, DateTimeOffset receivedAt, DateTimeOffset now) =>
        Bind(appliedSignal, id, signalJson, Sql.Millis(receivedAt), Sql.Millis(now)).ExecuteNonQuery() == 1;

    public bool StoreForReview(QueuedPayment payment, string reason) =>
        Bind(review, payment.Provider, payment.EventId, Sql.Millis(payment.ReceivedAt), reason, payment.ReceiptJson).ExecuteNonQuery() >= 0;

    /// <summary>Takes an applied delivery off serve's queue; false when another runner took it first.</summary>
    public bool DeliveryApplied(long seq) => Bind(deliveryDone, seq).ExecuteNonQuery() == 1;

    public void DiscardOrphanSignals(string id, DateTimeOffset now) => Bind(discardOrphans, id, Sql.Millis(now)).ExecuteNonQuery();

    public void Dispose()
    {
        foreach (var command in all)
        {
            command.Dispose();
        }

        Connection.Dispose();
    }

    private SqliteCommand Prepare(string sql, params string[] names)
    {
        var command = Connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in names)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        command.Prepare();
        all.Add(command);
        return command;
    }

    private static SqliteCommand Bind(SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }

        return command;
    }
}
