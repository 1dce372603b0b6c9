using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
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
/// The embedded, crash-safe driver of the core's decider, committing like a database: work goes in rounds, and each
/// round is one IMMEDIATE transaction over many cases followed by the effects it asked for.
/// <list type="bullet">
/// <item>In the transaction, per case: fold the result of the effect performed in the previous round (and mark its
/// outbox row done), fold the inbox of signals in order, then the payments serve accepted for it (each taken off serve's
/// queue in the same savepoint, so applied once: one read of the case for all of them), and take the core's step (<see cref="CaseDecider.Step"/>:
/// every Apply folded in), which stops at the next Perform, Wait or Ended. A Perform writes its outbox row (keyed by
/// <see cref="CaseEffects.IdempotencyKey"/>) and marks the case as performing; all of it is committed before any
/// effect runs, so nothing is sent that is not recorded.</item>
/// <item>After the commit, the effects run through <see cref="CaseEffects"/> (idempotent adapters). A process killed
/// before the next commit finishes the same effect, with the same time, before anything else happens to the case.</item>
/// </list>
/// A round takes at most one case per customer, so each case sees the contacts its siblings made before it (the
/// frequency cap), exactly as if the cases ran one after the other. Every save is conditional on the version read,
/// so two runners on one data folder never lose a transition. The runner keeps one connection with its statements
/// prepared once. Catch-up after downtime is the decider's: it is simply asked at the current time.
/// </summary>
public sealed class CaseRunner(Database db, CaseEffects effects, ILogger<CaseRunner> logger) : IDisposable
{
    /// <summary>More transitions than this in one visit is a decider loop, not a busy case.</summary>
    public const int MaxTransitionsPerVisit = 1_000;

    /// <summary>Cases per round: one commit for this many, and at most this many effects between two commits.</summary>
    private const int Batch = 256;

    /// <summary>Effects of one round performed at once (files and mail are waits on the disk more than work).</summary>
    private const int EffectsInParallel = 8;

    private readonly SemaphoreSlim poked = new(0, 1);

    // One round at a time on the one connection: the background runner and a staff command's run take turns.
    private readonly SemaphoreSlim turn = new(1, 1);

    private RunnerStatements? statements;

    /// <summary>Payment webhooks serve accepted, turned into signals (or ledger payments, or review items) before each run's rounds.</summary>
    public ReceivedPayments? Payments { get; set; }

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

    /// <summary>Whether any case has an unfinished effect or an unprocessed signal, or a payment serve accepted waits to be applied.</summary>
    public bool HasPendingWork() =>
        db.Read(c => Sql.Scalar<long>(c, null,
            "SELECT EXISTS (SELECT 1 FROM cases WHERE performing IS NOT NULL) OR EXISTS (SELECT 1 FROM inbox WHERE processed = 0) OR EXISTS (SELECT 1 FROM webhook_pending)")) == 1;

    /// <summary>
    /// Runs every case that is due at <paramref name="now"/> (its wake-up time has come, it has signals, or an
    /// effect was left unfinished) until none is. A case that fails is logged and left for the next run.
    /// </summary>
    public async Task<RunStats> RunDueAsync(DateTimeOffset now, CancellationToken ct)
    {
        if (Payments is { } payments)
        {
            await payments.ApplyAsync(ct);
        }

        var total = await RunAsync(now, only: null, ct);
        if (total.Transitions > 0)
        {
            logger.RunnerRan(total.Cases, total.Transitions, total.Effects, total.Signals);
        }

        return total;
    }

    /// <summary>Runs one case now, whether or not it is due (after a staff command, so the answer shows its effect).</summary>
    public Task<RunStats> RunCaseAsync(InvoiceId id, DateTimeOffset now, CancellationToken ct) => RunAsync(now, id.Value, ct);

    /// <summary>The signals a case received, with what became of each (applied, unchanged, refused), oldest first.</summary>
    public IReadOnlyList<SignalNote> Signals(InvoiceId id) =>
        db.Read(c => Sql.Query(c, null,
            "SELECT seq, signal_json, received_at, processed, outcome, note FROM inbox WHERE invoice_id = $id ORDER BY seq",
            r => new SignalNote(
                r.GetInt64(0).ToString(CultureInfo.InvariantCulture),
                DunningJson.Deserialize<CaseEvent>(r.GetString(1)),
                Sql.Instant(r.GetInt64(2)),
                r.GetInt64(3) == 1 ? r.IsDBNull(4) ? SignalNote.Applied : r.GetString(4) : SignalNote.Pending,
                r.IsDBNull(5) ? null : r.GetString(5)),
            ("$id", id.Value)));

    public void Dispose()
    {
        statements?.Dispose();
        turn.Dispose();
        poked.Dispose();
    }

    private async Task<RunStats> RunAsync(DateTimeOffset now, string? only, CancellationToken ct)
    {
        var round = new Round(now, only);
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            await turn.WaitAsync(ct);
            try
            {
                var (planned, orphans) = Plan(round);
                var toPerform = Commit(round, planned, orphans);
                if (toPerform.Count == 0 && !round.Deferred)
                {
                    return round.Stats;
                }

                round.Carried = await PerformAsync(round, toPerform, ct);
            }
            finally
            {
                turn.Release();
            }
        }
    }

    /// <summary>
    /// One round: every case it takes up to its next effect, wait or end, committed once. The reading, deciding and
    /// serialising happen first, outside the write lock (one read snapshot); the write transaction (<see cref="Commit"/>)
    /// then only runs the rows already built, so payments and staff commands queue behind it for the writes alone, not the work.
    /// </summary>
    private (List<Planned> Planned, List<string> Orphans) Plan(Round round)
    {
        var sql = statements ??= new RunnerStatements(db.Connect());
        round.Deferred = false;
        var orphans = new List<string>();
        var planned = new List<Planned>();
        using (var read = sql.Connection.BeginTransaction(deferred: true))
        {
            sql.Use(read);
            var customers = round.Carried.Select(v => v.Customer).ToHashSet(StringComparer.Ordinal);
            var carried = round.Carried.Select(v => v.Id).ToHashSet(StringComparer.Ordinal);
            var candidates = Candidates(sql, round, carried);

            // The payments serve queued for this round's cases, in one pass over the queue.
            var queued = sql.LoadDeliveries(JsonSerializer.Serialize(carried.Concat(candidates.Select(c => c.Id))));
            foreach (var visit in round.Carried)
            {
                visit.Payments = queued.GetValueOrDefault(visit.Id) ?? [];
                Prepare(sql, round, visit, planned);
            }

            // A full batch may have left due cases out: another round takes them, rather than the next wake-up or poke.
            round.Deferred = candidates.Count == Batch;
            foreach (var (id, customer) in candidates)
            {
                if (customer is null)
                {
                    orphans.Add(id);
                    continue;
                }

                if (!customers.Add(customer))
                {
                    round.Deferred = true;
                    continue;
                }

                if (sql.Load(id) is not { } row)
                {
                    continue;
                }

                // A round that began before this case last moved (an advance of the simulated clock, a staff command's own
                // turn) must not record anything earlier than that: the case's history only goes forward.
                var visit = new Visit(id, customer, row.State, row.Version, row.WakeAt, Later(round.Now, row.UpdatedAt))
                {
                    UpdatedAt = row.UpdatedAt,
                    Payments = queued.GetValueOrDefault(id) ?? [],
                };
                if (row.Performing is { } unfinished)
                {
                    logger.Recovering(id, unfinished);
                    var (action, performedAt) = sql.LoadOutbox(unfinished);
                    visit.Effect = new Effect(unfinished, action, performedAt);
                    planned.Add(new Planned(visit, Outcome.Performing));
                    continue;
                }

                Prepare(sql, round, visit, planned);
            }

            read.Commit();
        }

        return (planned, orphans);
    }

    /// <summary>The round's write transaction: the rows <see cref="Plan"/> built, each case's in its own savepoint; the cases whose effect now runs.</summary>
    private List<Visit> Commit(Round round, List<Planned> planned, List<string> orphans)
    {
        var sql = statements!;
        var toPerform = new List<Visit>();
        using var transaction = sql.Connection.BeginTransaction(deferred: false);
        sql.Use(transaction);
        foreach (var id in orphans)
        {
            sql.DiscardOrphanSignals(id, round.Now);
        }

        foreach (var step in planned)
        {
            Write(sql, round, step, toPerform);
        }

        transaction.Commit();
        round.First = false;
        return toPerform;
    }

    private List<(string Id, string? Customer)> Candidates(RunnerStatements sql, Round round, HashSet<string> carried)
    {
        if (round.Only is { } only)
        {
            return round.First && !carried.Contains(only) ? [(only, sql.CustomerOf(only))] : [];
        }

        return sql.DueCases(round.Now, JsonSerializer.Serialize(round.Skipped.Concat(carried)), Batch);
    }

    /// <summary>One case's part of a round, decided from what was read: a case that fails has nothing to write.</summary>
    private void Prepare(RunnerStatements sql, Round round, Visit visit, List<Planned> planned)
    {
        var step = new Planned(visit, Outcome.Settled);
        try
        {
            step.Outcome = Advance(sql, visit, step.Writes);
            planned.Add(step);
        }
        catch (WaitNotInFutureException e)
        {
            (step.Outcome, step.WaitUntil) = (Outcome.WaitNotInFuture, e.Until);
            planned.Add(step);
        }
        catch (Exception e) when (e is not OperationCanceledException and not SqliteException)
        {
            logger.CaseFailed(visit.Id, e);
            round.Skipped.Add(visit.Id);
            round.Stats += RunStats.None with { Cases = 1, Failed = 1 };
        }
    }

    /// <summary>
    /// One case's writes, inside a savepoint of the round's transaction: when its save finds the case at another version
    /// than the one read, everything it wrote is undone and the case is left for the next round.
    /// </summary>
    private void Write(RunnerStatements sql, Round round, Planned step, List<Visit> toPerform)
    {
        var (transaction, visit) = (sql.Transaction!, step.Visit);
        transaction.Save("visit");
        if (!step.Writes.All(write => write(sql)))
        {
            // Another runner moved the case on: it is due again if anything remains, and read afresh then.
            transaction.Rollback("visit");
            transaction.Release("visit");
            logger.Concurrent(visit.Id);
            return;
        }

        transaction.Release("visit");
        switch (step.Outcome)
        {
            case Outcome.Performing:
                toPerform.Add(visit);
                break;
            case Outcome.Settled:
                logger.CaseRan(visit.Id, visit.Transitions, round.Now);
                round.Finish(visit, failed: false);
                break;
            case Outcome.WaitNotInFuture:
                logger.WaitNotInFuture(visit.Id, step.WaitUntil, round.Now);
                round.Skipped.Add(visit.Id);
                round.Finish(visit, failed: true);
                break;
            default:
                throw new UnreachableException();
        }
    }

    /// <summary>
    /// Folds the effect just performed and the case's signals, then takes the core's step up to the effect it asks for
    /// (recorded in the outbox), a wait or the end (saved when anything changed). Nothing is written here: each row is
    /// added to <paramref name="writes"/>, built and serialised, for the round's transaction; a write that returns false
    /// (the conditional save) undoes the case's others.
    /// </summary>
    private Outcome Advance(RunnerStatements sql, Visit visit, List<Func<RunnerStatements, bool>> writes)
    {
        var now = visit.Now;
        var changed = false;
        if (visit is { Effect: { } effect, Done: { } done })
        {
            visit.State = CaseDecider.Evolve(visit.State, done);
            var (key, doneAt) = (effect.Key, now);
            writes.Add(s => s.MarkOutboxDone(key, doneAt));
            (visit.Effect, visit.Done, changed) = (null, null, true);
            (visit.Transitions, visit.Performed) = (visit.Transitions + 1, visit.Performed + 1);
        }

        var inbox = sql.LoadSignals(visit.Id);
        if (inbox.Count > 0)
        {
            // A signal is applied no earlier than it was received: a payment that came in on 09-17 closes its case on
            // 09-17 even when this round began on 08-28 (and days-to-pay in the learning report stays right).
            now = visit.Now = Later(now, inbox.Max(s => s.ReceivedAt));
            var appliedAt = now;
            foreach (var (seq, signal, _) in inbox)
            {
                switch (CaseDecider.Receive(visit.State, signal))
                {
                    case Reception.Applied applied:
                        visit.State = applied.State;
                        writes.Add(s => s.MarkSignal(seq, appliedAt, null, null));
                        break;
                    case Reception.NotApplied notApplied:
                        var (outcome, detail) = SignalNote.Describe(notApplied.Reason);
                        logger.SignalRefused(visit.Id, seq, outcome, detail);
                        writes.Add(s => s.MarkSignal(seq, appliedAt, outcome, detail));
                        break;
                }
            }

            (visit.Signals, changed) = (visit.Signals + inbox.Count, true);
        }

        if (ApplyDeliveries(visit, writes))
        {
            (now, changed) = (visit.Now, true);
        }

        // The core's step applies what the rules decide on their own and stops at what this host must do.
        var step = CaseDecider.Step(visit.State, now, effects.Templates);
        if (step.Applied.Count > 0)
        {
            (visit.State, visit.Transitions, changed) = (step.State, visit.Transitions + step.Applied.Count, true);
        }

        if (visit.Transitions > MaxTransitionsPerVisit)
        {
            throw new InvalidOperationException($"Case {visit.Id} made more than {MaxTransitionsPerVisit} transitions at {now:O}: a decider loop.");
        }

        var decision = step.Next;
        switch (decision)
        {
            case Decision.Perform perform:
                var key = CaseEffects.IdempotencyKey(visit.State, perform.Action);
                var (id, actionJson, at) = (visit.Id, DunningJson.Serialize(perform.Action), now);
                writes.Add(s => s.InsertOutbox(key, id, actionJson, at));
                Save(visit, decision, now, performing: key, writes);
                visit.Effect = new Effect(key, perform.Action, now);
                return Outcome.Performing;

            case Decision.Wait wait when wait.Until is { } until && until <= now:
                if (changed)
                {
                    Save(visit, decision, now, performing: null, writes);
                }

                throw new WaitNotInFutureException(until);

            case Decision.Wait or Decision.Ended:
                if (changed || Wake(decision, now) != visit.StoredWake)
                {
                    Save(visit, decision, now, performing: null, writes);
                }

                return Outcome.Settled;

            default:
                throw new UnreachableException();
        }
    }

    /// <summary>
    /// Folds in the payments serve accepted for this case, in the order they came, each judged by the case as it now
    /// stands (<see cref="PaymentWebhooks.Deliver"/>): a signal applied, a repeat, or an item for review. They leave
    /// serve's queue in the case's own savepoint, with its conditional save: applied once, even across a crash or a
    /// second runner. Reading the case once for all its payments, here where it is read anyway, is the point: the
    /// case's state is the largest thing the runner reads.
    /// </summary>
    private bool ApplyDeliveries(Visit visit, List<Func<RunnerStatements, bool>> writes)
    {
        var deliveries = visit.Payments;
        if (deliveries.Count == 0)
        {
            return false;
        }

        // As a signal: applied no earlier than it was received, and recorded as received no earlier than the case last moved.
        var appliedAt = visit.Now = Later(visit.Now, deliveries.Max(d => d.ReceivedAt));
        foreach (var payment in deliveries)
        {
            var delivery = PaymentWebhooks.Deliver(payment.Provider, payment.Notice, visit.State);
            logger.Webhook(payment.Provider, delivery.Result.Answer.ToString(), delivery.Result.Detail);
            if (delivery.Reception is Reception.Applied applied)
            {
                visit.State = applied.State;
                visit.Signals++;
                var (id, signalJson, receivedAt) = (visit.Id, DunningJson.Serialize(delivery.Signal), Later(payment.ReceivedAt, visit.UpdatedAt));
                writes.Add(s => s.InsertAppliedSignal(id, signalJson, receivedAt, appliedAt));
            }
            else if (delivery.ReviewReason is { } reason)
            {
                writes.Add(s => s.StoreForReview(payment, reason));
            }

            var seq = payment.Seq;
            writes.Add(s => s.DeliveryApplied(seq));
        }

        return true;
    }

    /// <summary>
    /// The effects of a round, outside any transaction: each was recorded before it runs. They belong to different
    /// customers and are idempotent, so they run side by side: most of their time is the file system's.
    /// </summary>
    private async Task<List<Visit>> PerformAsync(Round round, List<Visit> toPerform, CancellationToken ct)
    {
        var failed = new bool[toPerform.Count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = EffectsInParallel, CancellationToken = ct };
        await Parallel.ForEachAsync(Enumerable.Range(0, toPerform.Count), parallel, async (i, token) =>
        {
            var visit = toPerform[i];
            var effect = visit.Effect!;
            try
            {
                // A contact is reserved against the customer's ledger first (idempotent by key: a restart reuses it).
                visit.Done = await effects.PerformAsync(visit.State, effect.Action, effect.PerformedAt, token);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.EffectFailed(visit.Id, effect.Key, e);
                failed[i] = true;
            }
        });

        var performed = new List<Visit>(toPerform.Count);
        for (var i = 0; i < toPerform.Count; i++)
        {
            if (failed[i])
            {
                round.Skipped.Add(toPerform[i].Id);
                round.Stats += RunStats.None with { Cases = 1, Failed = 1 };
            }
            else
            {
                performed.Add(toPerform[i]);
            }
        }

        return performed;
    }

    /// <summary>The conditional save, built now: it writes only if the case is still at the version this visit read.</summary>
    private static void Save(Visit visit, Decision next, DateTimeOffset now, string? performing, List<Func<RunnerStatements, bool>> writes)
    {
        var status = CaseStatus.Of(visit.State, next, now);
        var wake = Wake(next, now);
        var (id, version, stateJson, statusJson) = (visit.Id, visit.Version, DunningJson.Serialize(visit.State), DunningJson.Serialize(status));
        writes.Add(s => s.SaveCase(id, version, status.Status, stateJson, statusJson, wake, performing, now));
        (visit.Version, visit.StoredWake) = (visit.Version + 1, wake);
    }

    /// <summary>When the runner must look at the case again: now for work to do, the wait's end, or never (signals only).</summary>
    private static DateTimeOffset? Wake(Decision decision, DateTimeOffset now) => decision switch
    {
        Decision.Apply or Decision.Perform => now,
        Decision.Wait wait => wait.Until,
        Decision.Ended => null,
        _ => throw new UnreachableException(),
    };

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private enum Outcome
    {
        Performing,
        Settled,
        WaitNotInFuture,
    }

    /// <summary>A case's part of a round as decided outside the write lock: its rows, ready to write, and what then follows.</summary>
    private sealed class Planned(Visit visit, Outcome outcome)
    {
        public Visit Visit { get; } = visit;

        public Outcome Outcome { get; set; } = outcome;

        public DateTimeOffset? WaitUntil { get; set; }

        public List<Func<RunnerStatements, bool>> Writes { get; } = [];
    }

    /// <summary>One run's progress: the cases carried from one round to the next (their effect done, not yet folded).</summary>
    private sealed class Round(DateTimeOffset now, string? only)
    {
        public DateTimeOffset Now { get; } = now;

        public string? Only { get; } = only;

        public bool First { get; set; } = true;

        /// <summary>Whether the last round left a due case for the next because a sibling of its customer was in it.</summary>
        public bool Deferred { get; set; }

        public List<Visit> Carried { get; set; } = [];

        public HashSet<string> Skipped { get; } = new(StringComparer.Ordinal);

        public RunStats Stats { get; set; } = RunStats.None;

        public void Finish(Visit visit, bool failed) =>
            Stats += new RunStats(1, visit.Transitions, visit.Performed, visit.Signals, failed ? 1 : 0);
    }

    private sealed class Visit(string id, string customer, CaseState state, long version, DateTimeOffset? storedWake, DateTimeOffset now)
    {
        /// <summary>The time this visit records things at: never before the case last moved or a signal it folds was received.</summary>
        public DateTimeOffset Now { get; set; } = now;

        public string Id { get; } = id;

        public string Customer { get; } = customer;

        public CaseState State { get; set; } = state;

        public long Version { get; set; } = version;

        public DateTimeOffset? StoredWake { get; set; } = storedWake;

        public Effect? Effect { get; set; }

        public CaseEvent? Done { get; set; }

        /// <summary>When the case last moved, as read: a payment applied now is recorded as received no earlier.</summary>
        public DateTimeOffset UpdatedAt { get; set; }

        /// <summary>The payments serve queued for the case, read with the round's cases.</summary>
        public IReadOnlyList<QueuedPayment> Payments { get; set; } = [];

        public int Transitions { get; set; }

        public int Performed { get; set; }

        public int Signals { get; set; }
    }

    private sealed record Effect(string Key, CaseAction Action, DateTimeOffset PerformedAt);

    private sealed class WaitNotInFutureException(DateTimeOffset until) : Exception
    {
        public DateTimeOffset Until { get; } = until;
    }
}
