using System.Diagnostics;
using Dunning.Cases;
using Dunning.Common;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace Dunning.Functions.Orchestration;

/// <summary>
/// One durable orchestration per case (instance id <see cref="InvoiceId.CaseInstanceId"/>): the IO around the core's
/// <see cref="CaseDecider.Step"/>. At the orchestration's time it takes the case's step (which applies what the rules
/// decide on their own) and does what the step asks: <c>Perform</c> runs an effect activity and evolves with the event
/// it returns; <c>Wait</c> races a durable timer against the next signal; <c>Ended</c> returns. It decides nothing.
/// </summary>
/// <remarks>
/// <para>Signals: one waiter for the <see cref="SignalEvent"/> event is open before every decision and kept until a
/// signal arrives; it is never cancelled. Every signal already delivered is applied before <see cref="CaseDecider.Decide"/>
/// runs, whatever the orchestration was doing: a signal that arrived while an effect ran completes the open waiter, or,
/// delivered while none was open, is buffered by the worker and taken at once when the next waiter opens; either way
/// it is applied before the next effect (the local runner reads its inbox before every decision too). When the timer
/// wins, the waiter stays open. (A cancelled waiter can still swallow the next event of the same name in
/// Microsoft.DurableTask.Worker before microsoft/durabletask-dotnet PR #801; a long-lived waiter avoids that whatever
/// the version.) Each signal goes through <see cref="CaseDecider.Receive"/>, as in the local runner: the case may have
/// moved on since the command was accepted. A signal it refuses is noted beside the case at the orchestration's time
/// (<see cref="CaseActivities.NoteSignal"/>), so the case's timeline shows the refusal and why, as the local host's does.</para>
/// <para>History: after <see cref="EventsPerGeneration"/> events the orchestration continues as new with its state,
/// but only right after a signal was applied, before the next waiter is opened. Continuing as new while a waiter is
/// open would lose a signal delivered in the same work item (it completes the waiter instead of being buffered and
/// carried over), so a case that receives no signals keeps one generation: its history then grows only by timers and
/// effects (a few hundred events over a case's life).</para>
/// <para>Projection: after every step that changed the case the case's <see cref="CaseRecord"/> is saved through the
/// <see cref="CaseActivities.SaveProjection"/> activity (what the HTTP API reads) and the custom status is set; the
/// activity gets the events since the last save, not the case (<see cref="ProjectionInput"/>). It is
/// saved before the effect the decision asks for: the effect activity gets only the case's id and reads the case from
/// there (<see cref="EffectInput"/>), which keeps the case out of every effect's history events.</para>
/// </remarks>
public static class CaseOrchestration
{
    public const string Name = nameof(CaseOrchestration);

    /// <summary>The external event every signal (a <see cref="CaseEvent"/> as <see cref="DunningJson"/>) is raised as.</summary>
    public const string SignalEvent = "signal";

    public const int EventsPerGeneration = 50;

    /// <summary>More steps than this without a wait (each performs an effect or takes a signal) is a decider loop, not a busy case (the local runner's limit too).</summary>
    public const int MaxTransitionsWithoutWait = 1_000;

    /// <summary>How long a case waits (for a signal, or this long) before deciding again after an effect failed all its retries.</summary>
    public static readonly TimeSpan EffectRetryDelay = TimeSpan.FromHours(1);

    /// <summary>Effects are retried with back-off: mail throttling (429) and storage hiccups pass; a real fault surfaces after about 8 minutes.</summary>
    public static readonly TaskOptions EffectRetry = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 5,
        firstRetryInterval: TimeSpan.FromSeconds(30),
        backoffCoefficient: 2.0,
        maxRetryInterval: TimeSpan.FromMinutes(5)));

    /// <summary>Saving the projection only touches Tables: retried more often, and faster.</summary>
    public static readonly TaskOptions SaveRetry = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 8,
        firstRetryInterval: TimeSpan.FromSeconds(5),
        backoffCoefficient: 2.0,
        maxRetryInterval: TimeSpan.FromMinutes(2)));

    /// <summary>Input: the case's <see cref="CaseState"/> as DunningJson. Output: the final state, as DunningJson.</summary>
    [Function(Name)]
    public static Task<string> Run([OrchestrationTrigger] TaskOrchestrationContext context, string stateJson) =>
        DriveAsync(context, stateJson);

    public static async Task<string> DriveAsync(TaskOrchestrationContext context, string stateJson)
    {
        ArgumentNullException.ThrowIfNull(context);
        var log = context.CreateReplaySafeLogger(Name);
        var state = DunningJson.Deserialize<CaseState>(stateJson);
        var events = 0;
        var transitions = 0;
        var dirty = true;
        int? saved = null;
        Task<string>? signal = null;

        while (true)
        {
            if (signal is { IsCompleted: true })
            {
                var received = await signal;
                signal = null;
                var (next, refused) = Receive(state, received, Now(context), log);
                if (next is not null)
                {
                    (state, events, dirty) = (next, events + 1, true);
                }
                else if (refused is not null)
                {
                    // The sender was told "queued" (202): the refusal goes where the answer said to look, the case's timeline.
                    await context.CallActivityAsync(nameof(CaseActivities.NoteSignal), new SignalNoteInput(state.InvoiceId, refused).ToJson(), SaveRetry);
                    events++;
                }
            }

            if (events >= EventsPerGeneration && signal is null)
            {
                log.LogInformation("Case {InstanceId} continues as new after {Events} events.", context.InstanceId, events);
                context.ContinueAsNew(DunningJson.Serialize(state), preserveUnprocessedEvents: true);
                return DunningJson.Serialize(state);
            }

            // Every signal already delivered is applied before the next decision, whatever the case was doing (a
            // payment that arrived while an effect ran stops the next effect): a signal delivered while no waiter was
            // open is buffered, and opening the waiter takes it at once.
            signal ??= context.WaitForExternalEvent<string>(SignalEvent);
            if (signal.IsCompleted)
            {
                continue;
            }

            var now = Now(context);
            if (++transitions > MaxTransitionsWithoutWait)
            {
                throw new InvalidOperationException($"Case {context.InstanceId} made more than {MaxTransitionsWithoutWait} transitions at {now:O} without waiting: a decider loop.");
            }

            // The core's step applies what the rules decide on their own (skips, charges, misses, a close) and stops at
            // the one thing this host must do: an effect, a wait or the end.
            var step = CaseDecider.Step(state, now);
            if (step.Applied.Count > 0)
            {
                (state, events, dirty) = (step.State, events + step.Applied.Count, true);
            }

            var decision = step.Next;
            if (dirty)
            {
                saved = await SaveAsync(context, state, saved, decision, now);
                dirty = false;

                // A signal delivered while the projection was saved is applied before the effect this decision asks for.
                if (signal.IsCompleted)
                {
                    continue;
                }
            }

            switch (decision)
            {
                case Decision.Perform perform:
                    CaseEvent done;
                    try
                    {
                        done = await PerformAsync(context, state, perform.Action, now);
                    }
                    catch (TaskFailedException e)
                    {
                        log.LogError("Case {InstanceId}: effect {Key} failed after retries ({Error}); deciding again in {Delay}.",
                            context.InstanceId, perform.Action.Key, e.FailureDetails.ErrorMessage, EffectRetryDelay);
                        context.SetCustomStatus(PortalStatus.Of(CaseStatus.Of(state, decision, now)) with { Waiting = $"effect {perform.Action.Key} failed: retrying" });
                        signal = await WaitAsync(context, now + EffectRetryDelay, signal);
                        transitions = 0;
                        continue;
                    }

                    (state, events, dirty) = (CaseDecider.Evolve(state, done), events + 1, true);
                    continue;

                case Decision.Wait wait:
                    if (wait.Until is { } until && until <= now)
                    {
                        throw new InvalidOperationException($"Case {context.InstanceId}: the decider asked to wait until {until:O}, which is not after {now:O}.");
                    }

                    signal = await WaitAsync(context, wait.Until, signal);
                    transitions = 0;
                    continue;

                case Decision.Ended ended:
                    log.LogInformation("Case {InstanceId} ended: {Outcome}.", context.InstanceId, Names.Of(ended.Outcome.Kind));
                    return DunningJson.Serialize(state);

                default:
                    throw new UnreachableException();
            }
        }
    }

    /// <summary>The orchestration's replay-safe time as the decider takes it.</summary>
    public static DateTimeOffset Now(TaskOrchestrationContext context) =>
        new(DateTime.SpecifyKind(context.CurrentUtcDateTime, DateTimeKind.Utc), TimeSpan.Zero);

    /// <summary>The activity that performs an action: a contact (email, letter, call task) or filing the evidence.</summary>
    public static string ActivityFor(CaseAction action) => action switch
    {
        CaseAction.Contact => nameof(CaseActivities.PerformContact),
        CaseAction.FileEvidence => nameof(CaseActivities.FileEvidence),
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "Unknown case action."),
    };

    private static async Task<CaseEvent> PerformAsync(TaskOrchestrationContext context, CaseState state, CaseAction action, DateTimeOffset now)
    {
        var json = await context.CallActivityAsync<string>(ActivityFor(action), EffectInput.Of(state, action, now).ToJson(), EffectRetry);
        return DunningJson.Deserialize<CaseEvent>(json);
    }

    /// <summary>
    /// Saves the projection: the events since the last save (<paramref name="saved"/> events ago), or the whole case the
    /// first time in a generation and whenever the activity finds the stored case is not the one those events extend.
    /// Returns how many events the saved case holds.
    /// </summary>
    private static async Task<int> SaveAsync(TaskOrchestrationContext context, CaseState state, int? saved, Decision next, DateTimeOffset now)
    {
        var status = CaseStatus.Of(state, next, now);
        context.SetCustomStatus(PortalStatus.Of(status));
        var input = saved is { } since ? ProjectionInput.Delta(state, since, status) : ProjectionInput.Whole(state, status);
        if (await context.CallActivityAsync<string>(nameof(CaseActivities.SaveProjection), input.ToJson(), SaveRetry) == ProjectionInput.Stale)
        {
            await context.CallActivityAsync<string>(nameof(CaseActivities.SaveProjection), ProjectionInput.Whole(state, status).ToJson(), SaveRetry);
        }

        return state.History.Count;
    }

    /// <summary>
    /// Waits until <paramref name="until"/> (null: for a signal only) or the next signal, whichever comes first.
    /// Returns the signal waiter: completed when a signal won, still open when the timer won.
    /// </summary>
    private static async Task<Task<string>> WaitAsync(TaskOrchestrationContext context, DateTimeOffset? until, Task<string>? signal)
    {
        signal ??= context.WaitForExternalEvent<string>(SignalEvent);
        if (until is not { } at)
        {
            await signal;
            return signal;
        }

        using var timerCancellation = new CancellationTokenSource();
        var timer = context.CreateTimer(at.UtcDateTime, timerCancellation.Token);
        if (await Task.WhenAny(timer, signal) == signal)
        {
            // The signal won: cancel the durable timer, or the instance would stay Running until it fires.
            timerCancellation.Cancel();
        }

        return signal;
    }

    /// <summary>
    /// The case after a signal received at <paramref name="now"/>, or null when it is unreadable or not applied (logged);
    /// for a refusal, also the note the case's timeline shows. A repeat (unchanged) is only logged.
    /// </summary>
    private static (CaseState? Next, SignalNote? Refused) Receive(CaseState state, string json, DateTimeOffset now, ILogger log)
    {
        CaseEvent signal;
        try
        {
            signal = DunningJson.Deserialize<CaseEvent>(json);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or ArgumentException or NotSupportedException)
        {
            log.LogWarning("Case {InvoiceId}: ignored an unreadable signal: {Error}", state.InvoiceId, e.Message);
            return (null, null);
        }

        var reception = CaseDecider.Receive(state, signal);
        switch (reception)
        {
            case Reception.Applied applied:
                return (applied.State, null);
            case Reception.NotApplied notApplied:
                var (outcome, detail) = SignalNote.Describe(notApplied.Reason);
                log.LogInformation("Case {InvoiceId}: signal {Signal} not applied ({Outcome}): {Note}", state.InvoiceId, CaseStatus.Describe(signal), outcome, detail);
                return (null, SignalNote.RefusalOf(signal, now, reception));
            default:
                throw new UnreachableException();
        }
    }
}
