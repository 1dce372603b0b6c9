using System.Collections.Concurrent;
using Dunning.Cases;
using Dunning.Common;
using Dunning.Functions.Orchestration;
using Dunning.Tests.Ports;
using Dunning.Tests.Scenarios;
using Dunning.UseCases;
using Microsoft.ApplicationInsights;
using Microsoft.ApplicationInsights.Extensibility;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;

namespace Dunning.Functions.Tests.Engine;

/// <summary>
/// The case orchestration on a real Durable Task engine (Microsoft.DurableTask.InProcessTestHost: a gRPC sidecar on
/// loopback over an in-memory backend, and a real worker): <see cref="CaseOrchestration.DriveAsync"/> registered under
/// its name, the real <see cref="CaseActivities"/> on in-memory ports, and <see cref="DurableWorkflows"/> on the host's
/// client for starting, signalling and re-opening cases. Timers run on real time.
/// </summary>
public sealed class CaseEngine : IAsyncDisposable
{
    private readonly ConcurrentDictionary<(InvoiceId Invoice, string Key), List<Func<DateTimeOffset, CaseEvent>>> during = new();
    private DurableTaskTestHost? host;

    private CaseEngine()
    {
        Activities = new CaseActivities(new CaseEffects(Mailer, Documents, Cases, Contacts), Cases, Notes, new TelemetryClient(new TelemetryConfiguration()));
    }

    public InMemoryMailer Mailer { get; } = new();

    public InMemoryDocuments Documents { get; } = new();

    public InMemoryCaseStore Cases { get; } = new();

    /// <summary>The signals cases refused, with why (what the Azure host keeps in Tables).</summary>
    public InMemorySignalNotes Notes { get; } = new();

    /// <summary>The customers' contact ledger: the cap, cease and opt-outs every case of a customer shares.</summary>
    public InMemoryContactLedger Contacts { get; } = new();

    public CaseActivities Activities { get; }

    public DurableTaskClient Client => host?.Client ?? throw new InvalidOperationException("The engine is not started.");

    public DurableWorkflows Workflows => new(Client, Cases, Notes, TimeProvider.System);

    /// <summary>Activity calls per case and the bytes of their inputs and outputs (what the task hub's history holds).</summary>
    public ConcurrentDictionary<InvoiceId, Traffic> Activity { get; } = new();

    /// <summary>Projection saves answered "stale" (the events sent did not lead to the orchestration's case), per case.</summary>
    public ConcurrentDictionary<InvoiceId, int> StaleProjections { get; } = new();

    /// <summary>Every effect activity run, by idempotency key (a retried activity counts twice).</summary>
    public ConcurrentDictionary<string, int> Performed { get; } = new();

    /// <summary>A USD case paused by staff without an end, so it waits for signals only and nothing runs on its own.</summary>
    public static CaseState PausedCase(string name)
    {
        var open = HostScenarios.All(DateTimeOffset.UtcNow).Single(s => s.Name == "payment during a wait").Initial;
        var id = new InvoiceId("INV-" + name);
        var state = open with { Invoice = open.Invoice with { Id = id } };
        return CaseDecider.Evolve(state, new CaseEvent.Paused(state.OpenedAt, "waiting for the customer's accountant"));
    }

    public static async Task<CaseEngine> StartAsync()
    {
        var engine = new CaseEngine();
        engine.host = await DurableTaskTestHost.StartAsync(registry => registry
            .AddOrchestratorFunc<string, string>(CaseOrchestration.Name, (context, input) => CaseOrchestration.DriveAsync(context, input))
            .AddActivityFunc<string, string>(nameof(CaseActivities.PerformContact), (_, input) => engine.PerformContactAsync(input))
            .AddActivityFunc<string, string>(nameof(CaseActivities.FileEvidence), (_, input) => engine.FileEvidenceAsync(input))
            .AddActivityFunc<string, string>(nameof(CaseActivities.SaveProjection), (_, input) => engine.SaveProjectionAsync(input))
            .AddActivityFunc<string>(nameof(CaseActivities.NoteSignal), (_, input) => engine.NoteSignalAsync(input)));
        return engine;
    }

    /// <summary>Sends <paramref name="signal"/> to the case from inside the effect <paramref name="key"/>, before that effect completes.</summary>
    public void During(InvoiceId invoice, string key, Func<DateTimeOffset, CaseEvent> signal) =>
        during.GetOrAdd((invoice, key), _ => []).Add(signal);

    /// <summary>Runs a scenario to its end: starts the case, sends its signals at their cues, re-opens it after its end.</summary>
    public async Task<ScenarioResult> RunAsync(HostScenario scenario, CancellationToken ct)
    {
        var id = scenario.Initial.InvoiceId;
        foreach (var signal in scenario.Signals.Where(s => s.Cue == Cue.During))
        {
            During(id, signal.AfterKey!, signal.Make);
        }

        Assert.True(await Workflows.StartAsync(scenario.Initial, ct));
        foreach (var signal in scenario.Signals.Where(s => s.Cue == Cue.Start))
        {
            var sent = signal.Make(DateTimeOffset.UtcNow);
            await Workflows.SignalAsync(id, sent, ct);
            if (scenario.OneAtATime)
            {
                await UntilAsync(async () => (await Cases.GetAsync(id, ct))?.State.History.Contains(sent) == true, ct);
            }
        }

        var final = await CompletionAsync(id, ct);
        foreach (var signal in scenario.Signals.Where(s => s.Cue == Cue.AfterEnd))
        {
            await Workflows.SignalAsync(id, signal.Make(DateTimeOffset.UtcNow), ct);
            final = await CompletionAsync(id, ct);
        }

        return new ScenarioResult(final, SentBy(id));
    }

    /// <summary>What was sent for the case: action keys, and "evidence" when its bundle was filed.</summary>
    public IReadOnlyList<string> SentBy(InvoiceId id)
    {
        var prefix = id.Value + "/";
        var keys = Mailer.Sent.Keys.Concat(Documents.Letters.Keys).Concat(Cases.CallTasksAsync(default).Result.Select(t => t.Key))
            .Where(k => k.StartsWith(prefix, StringComparison.Ordinal))
            .Select(k => k[prefix.Length..]);
        return [.. keys.Concat(Documents.Evidence.ContainsKey(id) ? ["evidence"] : []).Order(StringComparer.Ordinal)];
    }

    /// <summary>Waits for the case's orchestration to finish and returns its final state (its output).</summary>
    public async Task<CaseState> CompletionAsync(InvoiceId id, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        var done = await Client.WaitForInstanceCompletionAsync(id.CaseInstanceId, getInputsAndOutputs: true, timeout.Token);
        Assert.True(done.RuntimeStatus == OrchestrationRuntimeStatus.Completed, $"{id}: {done.RuntimeStatus} {done.FailureDetails?.ErrorMessage}");
        return DunningJson.Deserialize<CaseState>(done.ReadOutputAs<string>()!);
    }

    public static async Task UntilAsync(Func<Task<bool>> condition, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            await Task.Delay(20, timeout.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (host is not null)
        {
            await host.DisposeAsync();
        }
    }

    private async Task<string> PerformContactAsync(string input)
    {
        var effect = EffectInput.FromJson(input);
        var output = await Activities.PerformContactAsync(input, default);
        Count(effect.InvoiceId, input, output);
        await AfterEffectAsync(effect);
        return output;
    }

    private async Task<string> FileEvidenceAsync(string input)
    {
        var effect = EffectInput.FromJson(input);
        var output = await Activities.FileEvidenceAsync(input, default);
        Count(effect.InvoiceId, input, output);
        await AfterEffectAsync(effect);
        return output;
    }

    private async Task<string> SaveProjectionAsync(string input)
    {
        var output = await Activities.SaveProjectionAsync(input, default);
        var id = ProjectionInput.Read(input).InvoiceId;
        Count(id, input, output);
        if (output == ProjectionInput.Stale)
        {
            StaleProjections.AddOrUpdate(id, 1, (_, n) => n + 1);
        }

        return output;
    }

    private async Task NoteSignalAsync(string input)
    {
        await Activities.NoteSignalAsync(input, default);
        Count(SignalNoteInput.FromJson(input).InvoiceId, input, string.Empty);
    }

    private void Count(InvoiceId id, string input, string output)
    {
        var bytes = System.Text.Encoding.UTF8.GetByteCount(input) + System.Text.Encoding.UTF8.GetByteCount(output);
        Activity.AddOrUpdate(id, new Traffic(1, bytes, bytes), (_, t) => new Traffic(t.Calls + 1, t.Bytes + bytes, Math.Max(t.Largest, bytes)));
    }

    /// <summary>The effect is done but its activity has not completed: the signals cued on it arrive now, as a webhook would.</summary>
    private async Task AfterEffectAsync(EffectInput effect)
    {
        var id = effect.InvoiceId;
        var state = (await Cases.GetAsync(id, default))!.State;
        Performed.AddOrUpdate(CaseEffects.IdempotencyKey(state, effect.Action), 1, (_, n) => n + 1);
        if (during.TryRemove((id, effect.Action.Key), out var signals))
        {
            foreach (var signal in signals)
            {
                await Workflows.SignalAsync(id, signal(DateTimeOffset.UtcNow), default);
            }
        }
    }
}

/// <summary>Activity calls and the bytes of their inputs plus outputs: in total and the largest call.</summary>
public sealed record Traffic(int Calls, long Bytes, long Largest);
