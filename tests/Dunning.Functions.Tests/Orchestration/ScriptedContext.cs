using Dunning.Functions.Orchestration;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dunning.Functions.Tests.Orchestration;

/// <summary>
/// A <see cref="TaskOrchestrationContext"/> (the real abstract class of Microsoft.DurableTask) that plays a script:
/// activities run at once through a handler, durable timers and the "signal" waiter stay pending until
/// <see cref="RunAsync"/> fires the earliest timer or delivers the next scripted signal, whichever is due first, moving
/// the orchestration clock to that time. Events that arrive with no waiter are buffered, as Durable Functions does, and
/// survive ContinueAsNew. Everything runs on one thread, so a run is deterministic.
/// </summary>
internal sealed class ScriptedContext(DateTime start, Func<string, string?, Task<string?>> activities) : TaskOrchestrationContext
{
    private readonly List<(DateTime At, string Payload)> script = [];
    private readonly List<(DateTime FireAt, TaskCompletionSource Source)> timers = [];
    private readonly Queue<string> buffered = new();
    private TaskCompletionSource<string>? waiter;

    public DateTime Clock { get; private set; } = start;

    public List<(string Name, string? Input, DateTime At)> ActivityCalls { get; } = [];

    public List<DateTime> TimersCreated { get; } = [];

    public int TimersCancelled { get; private set; }

    public int Generations { get; private set; } = 1;

    public List<string> GenerationInputs { get; } = [];

    public object? LastCustomStatus { get; private set; }

    public override TaskName Name => new(CaseOrchestration.Name);

    public override string InstanceId => "case-test";

    public override ParentOrchestrationInstance? Parent => null;

    public override DateTime CurrentUtcDateTime => Clock;

    public override bool IsReplaying => false;

    protected override ILoggerFactory LoggerFactory => NullLoggerFactory.Instance;

    private (object? Input, bool Preserve)? ContinuedAsNew { get; set; }

    /// <summary>Adds a signal (a CaseEvent as DunningJson, or anything else) raised at <paramref name="at"/>.</summary>
    public ScriptedContext Signal(DateTime at, string payload)
    {
        script.Add((at, payload));
        script.Sort((a, b) => a.At.CompareTo(b.At));
        return this;
    }

    /// <summary>Raises a signal now, e.g. from inside an activity: it completes the open waiter or is buffered.</summary>
    public void Raise(string payload)
    {
        if (waiter is { } open)
        {
            waiter = null;
            open.SetResult(payload);
        }
        else
        {
            buffered.Enqueue(payload);
        }
    }

    /// <summary>Runs the orchestration (and the generations it continues as) to its end; returns its output.</summary>
    public Task<string> RunAsync(string input, int maxSteps = 100_000) => Task.Run(async () =>
    {
        // Signals raised before the orchestration first runs are already waiting for it.
        while (script.Count > 0 && script[0].At <= Clock)
        {
            buffered.Enqueue(script[0].Payload);
            script.RemoveAt(0);
        }

        for (var generationInput = input; ; Generations++)
        {
            GenerationInputs.Add(generationInput);
            (ContinuedAsNew, waiter) = (null, null);
            var run = CaseOrchestration.DriveAsync(this, generationInput);
            for (var steps = 0; !run.IsCompleted; steps++)
            {
                if (steps > maxSteps || !Step())
                {
                    throw new InvalidOperationException($"The orchestration is stuck at {Clock:O}: nothing is due and it has not finished.");
                }
            }

            var output = await run;
            if (ContinuedAsNew is not { } next)
            {
                return output;
            }

            Assert.True(next.Preserve, "ContinueAsNew must preserve unprocessed events.");
            foreach (var timer in timers)
            {
                timer.Source.TrySetCanceled(); // outstanding timers are discarded with the old generation
            }

            timers.Clear();
            generationInput = (string)next.Input!;
        }
    });

    public override T GetInput<T>() => throw new NotSupportedException("The orchestrator takes its input as a parameter.");

    public override async Task<TResult> CallActivityAsync<TResult>(TaskName name, object? input = null, TaskOptions? options = null)
    {
        Assert.NotNull(options?.Retry); // every activity is called with a retry policy
        ActivityCalls.Add((name.Name, input as string, Clock));
        string? output;
        try
        {
            output = await activities(name.Name, input as string);
        }
        catch (Exception e) when (e is not TaskFailedException)
        {
            throw new TaskFailedException(name.Name, ActivityCalls.Count, TaskFailureDetails.FromException(e));
        }

        return (TResult)(object?)output!;
    }

    public override Task<TResult> CallSubOrchestratorAsync<TResult>(TaskName orchestratorName, object? input = null, TaskOptions? options = null) =>
        throw new NotSupportedException("The case orchestration has no sub-orchestrations.");

    public override Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken)
    {
        Assert.Equal(DateTimeKind.Utc, fireAt.Kind);
        var source = new TaskCompletionSource();
        TimersCreated.Add(fireAt);
        timers.Add((fireAt, source));
        cancellationToken.Register(() =>
        {
            if (source.TrySetCanceled())
            {
                TimersCancelled++;
            }
        });
        return source.Task;
    }

    public override Task<T> WaitForExternalEvent<T>(string eventName, CancellationToken cancellationToken = default)
    {
        Assert.Equal(CaseOrchestration.SignalEvent, eventName);
        Assert.Null(waiter); // one waiter at a time: the orchestrator never opens a second one
        Assert.False(cancellationToken.CanBeCanceled, "the signal waiter is never cancelled");
        var source = new TaskCompletionSource<string>();
        if (buffered.TryDequeue(out var payload))
        {
            source.SetResult(payload);
        }
        else
        {
            waiter = source;
        }

        return (Task<T>)(object)source.Task;
    }

    public override void SendEvent(string instanceId, string eventName, object payload) => throw new NotSupportedException();

    public override void SetCustomStatus(object? customStatus) => LastCustomStatus = customStatus;

    public override void ContinueAsNew(object? newInput = null, bool preserveUnprocessedEvents = true)
    {
        ContinuedAsNew = (newInput, preserveUnprocessedEvents);
        waiter = null; // an open waiter would be lost; the orchestrator only continues as new without one
    }

    public override Guid NewGuid() => throw new NotSupportedException("The case orchestration needs no GUIDs.");

    /// <summary>Fires whatever is due first: the next scripted signal or the earliest pending timer. False when nothing is pending.</summary>
    private bool Step()
    {
        var timer = timers.Where(t => !t.Source.Task.IsCompleted).OrderBy(t => t.FireAt).Cast<(DateTime FireAt, TaskCompletionSource Source)?>().FirstOrDefault();
        if (script.Count > 0 && (timer is null || script[0].At <= timer.Value.FireAt))
        {
            var (at, payload) = script[0];
            script.RemoveAt(0);
            Clock = at > Clock ? at : Clock;
            if (waiter is { } open)
            {
                waiter = null;
                open.SetResult(payload);
            }
            else
            {
                buffered.Enqueue(payload);
            }

            return true;
        }

        if (timer is not { } due)
        {
            return false;
        }

        timers.Remove(due);
        Clock = due.FireAt > Clock ? due.FireAt : Clock;
        due.Source.SetResult();
        return true;
    }
}
