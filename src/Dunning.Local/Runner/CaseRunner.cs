using System.Diagnostics;
using System.Text.Json;
using Dunning.Api;
using Dunning.Cases;
using Dunning.Common;
using Dunning.Local.Storage;
using Dunning.UseCases;
using Microsoft.Data.Sqlite;

namespace Dunning.Local.Runner;

/// <summary>What one run of the runner did.</summary>
public sealed record RunStats(int Cases, int Transitions, int Effects, int Signals, int Failed)
{
    public static readonly RunStats None = new(0, 0, 0, 0, 0);

    public static RunStats operator +(RunStats a, RunStats b) =>
        new(a.Cases + b.Cases, a.Transitions + b.Transitions, a.Effects + b.Effects, a.Signals + b.Signals, a.Failed + b.Failed);
}

/// <summary>
/// The embedded, crash-safe driver of the core's decider. Per case it folds the inbox of signals in
/// order, then asks <see cref="CaseDecider.Decide"/> what to do at <c>now</c> and does it:
/// <list type="bullet">
/// <item>Apply: evolve and save, in one transaction.</item>
/// <item>Perform: one transaction writes the outbox row (keyed by <see cref="CaseEffects.IdempotencyKey"/>) and marks
/// the case as performing; the effect runs through <see cref="CaseEffects"/> (idempotent adapters); a second
/// transaction folds its result event in and marks the outbox row done. A process killed in between finishes
/// the same effect, with the same time, before anything else happens to the case.</item>
/// <item>Wait: save the wake-up time (or none) and move on; Ended: save and move on.</item>
/// </list>
/// Every save is conditional on the version read, so two runners on one data folder never lose a transition.
/// Catch-up after downtime is the decider's: it is simply asked at the current time.
/// </summary>
public sealed class CaseRunner(Database db, CaseEffects effects, CustomerCap customerCap, ILogger<CaseRunner> logger)
{
    /// <summary>More transitions than this in one visit is a decider loop, not a busy case.</summary>
    public const int MaxTransitionsPerVisit = 1_000;

    private const int Batch = 256;

    private readonly SemaphoreSlim poked = new(0, 1);

    /// <summary>Tells a waiting <see cref="WaitAsync"/> that a case was started or signalled.</summary>
    public void Poke()
    {
        try
        {
            if (poked.CurrentCount == 0)
            {
                poked.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Already poked: one wake-up is enough.
        }
    }

    /// <summary>Waits for a poke or the timeout, whichever comes first.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken ct)
    {
        if (timeout > TimeSpan.Zero)
        {
            await poked.WaitAsync(timeout, ct);
        }
    }

    /// <summary>The earliest wake-up of any case, or null when every case waits for a signal or has ended.</summary>
    public DateTimeOffset? NextWakeAt() =>
        db.Read(c => Sql.Scalar<long?>(c, null, "SELECT min(wake_at) FROM cases WHERE wake_at IS NOT NULL")) is { } millis
            ? Sql.Instant(millis)
            : null;

    /// <summary>Whether any case has an unfinished effect or an unprocessed signal.</summary>
    public bool HasPendingWork() =>
        db.Read(c => Sql.Scalar<long>(c, null,
            "SELECT EXISTS (SELECT 1 FROM cases WHERE performing IS NOT NULL) OR EXISTS (SELECT 1 FROM inbox WHERE processed = 0)")) == 1;

    /// <summary>
    /// Runs every case that is due at <paramref name="now"/> (its wake-up time has come, it has signals, or an
    /// effect was left unfinished) until none is. A case that fails is logged and left for the next run.
    /// </summary>
    public async Task<RunStats> RunDueAsync(DateTimeOffset now, CancellationToken ct)
    {
        var total = RunStats.None;
        var skipped = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var due = DueCases(now, skipped);
            if (due.Count == 0)
            {
                break;
            }

            foreach (var id in due)
            {
                var stats = await VisitAsync(id, now, ct);
                if (stats.Failed > 0)
                {
                    skipped.Add(id);
                }

                total += stats;
            }
        }

        if (total.Transitions > 0)
        {
            logger.RunnerRan(total.Cases, total.Transitions, total.Effects, total.Signals);
        }

        return total;
    }

    /// <summary>Runs one case now, whether or not it is due (after a staff command, so the answer shows its effect).</summary>
    public Task<RunStats> RunCaseAsync(InvoiceId id, DateTimeOffset now, CancellationToken ct) => VisitAsync(id.Value, now, ct);

    /// <summary>The signals a case received, with what became of each (applied, unchanged, refused), oldest first.</summary>
    public IReadOnlyList<SignalNote> Signals(InvoiceId id) =>
        db.Read(c => Sql.Query(c, null,
            "SELECT seq, signal_json, received_at, processed, outcome, note FROM inbox WHERE invoice_id = $id ORDER BY seq",
            r => new SignalNote(
                r.GetInt64(0),
                DunningJson.Deserialize<CaseEvent>(r.GetString(1)),
                Sql.Instant(r.GetInt64(2)),
                r.GetInt64(3) == 1 ? r.IsDBNull(4) ? "applied" : r.GetString(4) : "pending",
                r.IsDBNull(5) ? null : r.GetString(5)),
            ("$id", id.Value)));

    private List<string> DueCases(DateTimeOffset now, HashSet<string> skipped) =>
        db.Read(c => Sql.Query(c, null, """
            SELECT invoice_id FROM (
                SELECT invoice_id FROM cases WHERE performing IS NOT NULL
                UNION SELECT invoice_id FROM cases WHERE wake_at <= $now
                UNION SELECT invoice_id FROM inbox WHERE processed = 0)
            WHERE invoice_id NOT IN (SELECT value FROM json_each($skipped))
            ORDER BY invoice_id LIMIT $batch
            """,
            r => r.GetString(0),
            ("$now", Sql.Millis(now)), ("$skipped", JsonSerializer.Serialize(skipped)), ("$batch", Batch)));

    private async Task<RunStats> VisitAsync(string id, DateTimeOffset now, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await DriveAsync(id, now, ct);
            }
            catch (ConcurrentSaveException) when (attempt < 5)
            {
                logger.Concurrent(id);
            }
            catch (EffectFailedException e)
            {
                logger.EffectFailed(id, e.Key, e.InnerException!);
                return RunStats.None with { Cases = 1, Failed = 1 };
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.CaseFailed(id, e);
                return RunStats.None with { Cases = 1, Failed = 1 };
            }
        }
    }

    private async Task<RunStats> DriveAsync(string id, DateTimeOffset now, CancellationToken ct)
    {
        if (Load(id) is not { } row)
        {
            DiscardOrphanSignals(id, now);
            return RunStats.None;
        }

        var (state, version, storedWake) = (row.State, row.Version, row.WakeAt);
        int transitions = 0, performed = 0, signals = 0;
        Decision? next = null;

        if (row.Performing is { } unfinished)
        {
            logger.Recovering(id, unfinished);
            var pending = LoadOutbox(unfinished);
            (state, version, next) = await FinishEffectAsync(id, state, version, unfinished, pending.Action, pending.PerformedAt, now, ct);
            (transitions, performed, storedWake) = (transitions + 1, performed + 1, Wake(next, now));
        }

        while (true)
        {
            if (transitions > MaxTransitionsPerVisit)
            {
                throw new InvalidOperationException($"Case {id} made more than {MaxTransitionsPerVisit} transitions at {now:O}: a decider loop.");
            }

            var inbox = LoadSignals(id);
            if (inbox.Count > 0)
            {
                var notes = new List<(long Seq, string? Outcome, string? Note)>();
                foreach (var (seq, signal) in inbox)
                {
                    var check = CaseRules.Check(state, signal);
                    if (check is CommandResult.Accepted)
                    {
                        state = CaseDecider.Evolve(state, signal);
                        notes.Add((seq, null, null));
                    }
                    else
                    {
                        var (outcome, detail) = Describe(check);
                        logger.SignalRefused(id, seq, outcome, detail);
                        notes.Add((seq, outcome, detail));
                    }
                }

                next = CaseDecider.Decide(state, now);
                version = Save(id, state, next, now, version, notes);
                (signals, storedWake) = (signals + inbox.Count, Wake(next, now));
            }

            var decision = next ?? CaseDecider.Decide(state, now);
            next = null;
            switch (decision)
            {
                case Decision.Apply apply:
                    state = CaseDecider.Evolve(state, apply.Event);
                    next = CaseDecider.Decide(state, now);
                    version = Save(id, state, next, now, version);
                    (transitions, storedWake) = (transitions + 1, Wake(next, now));
                    continue;

                case Decision.Perform perform:
                    var key = CaseEffects.IdempotencyKey(state, perform.Action);
                    version = BeginEffect(id, version, key, perform.Action, now);
                    (state, version, next) = await FinishEffectAsync(id, state, version, key, perform.Action, now, now, ct);
                    (transitions, performed, storedWake) = (transitions + 1, performed + 1, Wake(next, now));
                    continue;

                case Decision.Wait wait when wait.Until is { } until && until <= now:
                    logger.WaitNotInFuture(id, until, now);
                    return new RunStats(1, transitions, performed, signals, 1);

                case Decision.Wait or Decision.Ended:
                    if (Wake(decision, now) != storedWake)
                    {
                        Save(id, state, decision, now, version);
                    }

                    logger.CaseRan(id, transitions, now);
                    return new RunStats(1, transitions, performed, signals, 0);
            }
        }
    }

    private async Task<(CaseState State, long Version, Decision Next)> FinishEffectAsync(
        string id, CaseState state, long version, string key, CaseAction action, DateTimeOffset performedAt, DateTimeOffset now, CancellationToken ct)
    {
        CaseEvent done;
        try
        {
            done = await effects.PerformAsync(state, action, performedAt, ct);
            if (action is CaseAction.Contact contact)
            {
                // Before the contact is recorded: a crash here repeats the telling, which the other cases ignore.
                await customerCap.TellOtherCasesAsync(state, contact, performedAt, ct);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new EffectFailedException(key, e);
        }

        state = CaseDecider.Evolve(state, done);
        var next = CaseDecider.Decide(state, now);
        version = db.Write((c, t) =>
        {
            var saved = SaveIn(c, t, id, state, next, now, version, performing: null);
            Sql.Execute(c, t, "UPDATE outbox SET status = 'done', done_at = $now WHERE key = $key", ("$key", key), ("$now", Sql.Millis(now)));
            return saved;
        });
        return (state, version, next);
    }

    private long BeginEffect(string id, long version, string key, CaseAction action, DateTimeOffset now) =>
        db.Write((c, t) =>
        {
            Sql.Execute(c, t, """
                INSERT INTO outbox (key, invoice_id, action_json, performed_at, status)
                VALUES ($key, $id, $action, $at, 'pending') ON CONFLICT (key) DO NOTHING
                """,
                ("$key", key), ("$id", id), ("$action", DunningJson.Serialize(action)), ("$at", Sql.Millis(now)));
            var changed = Sql.Execute(c, t, "UPDATE cases SET performing = $key, version = version + 1 WHERE invoice_id = $id AND version = $version",
                ("$key", key), ("$id", id), ("$version", version));
            return changed == 1 ? version + 1 : throw new ConcurrentSaveException();
        });

    private long Save(string id, CaseState state, Decision next, DateTimeOffset now, long version, List<(long Seq, string? Outcome, string? Note)>? processed = null) =>
        db.Write((c, t) =>
        {
            var saved = SaveIn(c, t, id, state, next, now, version, performing: null);
            foreach (var (seq, outcome, note) in processed ?? [])
            {
                Sql.Execute(c, t, "UPDATE inbox SET processed = 1, processed_at = $now, outcome = $outcome, note = $note WHERE seq = $seq",
                    ("$seq", seq), ("$now", Sql.Millis(now)), ("$outcome", outcome), ("$note", note));
            }

            return saved;
        });

    private static long SaveIn(SqliteConnection c, SqliteTransaction t, string id, CaseState state, Decision next, DateTimeOffset now, long version, string? performing)
    {
        var status = CaseStatus.Of(state, next, now);
        var changed = Sql.Execute(c, t, """
            UPDATE cases SET status = $status, state_json = $state, status_json = $statusJson, wake_at = $wake,
                performing = $performing, version = version + 1, updated_at = $now
            WHERE invoice_id = $id AND version = $version
            """,
            ("$id", id), ("$version", version), ("$status", status.Status), ("$state", DunningJson.Serialize(state)),
            ("$statusJson", DunningJson.Serialize(status)), ("$wake", Wake(next, now) is { } wake ? Sql.Millis(wake) : null),
            ("$performing", performing), ("$now", Sql.Millis(now)));
        return changed == 1 ? version + 1 : throw new ConcurrentSaveException();
    }

    /// <summary>When the runner must look at the case again: now for work to do, the wait's end, or never (signals only).</summary>
    private static DateTimeOffset? Wake(Decision decision, DateTimeOffset now) => decision switch
    {
        Decision.Apply or Decision.Perform => now,
        Decision.Wait wait => wait.Until,
        Decision.Ended => null,
        _ => throw new UnreachableException(),
    };

    private static (string Outcome, string Detail) Describe(CommandResult result) => result switch
    {
        CommandResult.Unchanged u => ("unchanged", u.Detail),
        CommandResult.Conflict c => ("refused", c.Detail),
        CommandResult.Invalid i => ("refused", string.Join(" ", i.Problems)),
        CommandResult.NotFound n => ("refused", n.Detail),
        CommandResult.Accepted a => ("applied", CaseStatus.Describe(a.Signal)),
        _ => throw new UnreachableException(),
    };

    private CaseRow? Load(string id) =>
        db.Read(c => Sql.Query(c, null, "SELECT state_json, version, performing, wake_at FROM cases WHERE invoice_id = $id",
            r => new CaseRow(DunningJson.Deserialize<CaseState>(r.GetString(0)), r.GetInt64(1), r.IsDBNull(2) ? null : r.GetString(2), Sql.Instant(r, 3)),
            ("$id", id)).FirstOrDefault());

    private (CaseAction Action, DateTimeOffset PerformedAt) LoadOutbox(string key) =>
        db.Read(c => Sql.Query(c, null, "SELECT action_json, performed_at FROM outbox WHERE key = $key",
            r => (DunningJson.Deserialize<CaseAction>(r.GetString(0)), Sql.Instant(r.GetInt64(1))),
            ("$key", key)).Single());

    private List<(long Seq, CaseEvent Signal)> LoadSignals(string id) =>
        db.Read(c => Sql.Query(c, null, "SELECT seq, signal_json FROM inbox WHERE invoice_id = $id AND processed = 0 ORDER BY seq",
            r => (r.GetInt64(0), DunningJson.Deserialize<CaseEvent>(r.GetString(1))),
            ("$id", id)));

    private void DiscardOrphanSignals(string id, DateTimeOffset now) =>
        db.Write((c, t) => Sql.Execute(c, t,
            "UPDATE inbox SET processed = 1, processed_at = $now, outcome = 'refused', note = 'no such case' WHERE invoice_id = $id AND processed = 0",
            ("$id", id), ("$now", Sql.Millis(now))));

    private sealed record CaseRow(CaseState State, long Version, string? Performing, DateTimeOffset? WakeAt);

    private sealed class ConcurrentSaveException : Exception;

    private sealed class EffectFailedException(string key, Exception inner) : Exception($"The effect {key} failed.", inner)
    {
        public string Key { get; } = key;
    }
}

/// <summary>A signal as the case received it, and what became of it: applied, unchanged (a repeat), refused (with why), or pending.</summary>
public sealed record SignalNote(long Seq, CaseEvent Signal, DateTimeOffset ReceivedAt, string Outcome, string? Note)
{
    public SignalEntry ToEntry() => new(ReceivedAt, Outcome, CaseStatus.Describe(Signal), Note) { Signal = Signal };
}
