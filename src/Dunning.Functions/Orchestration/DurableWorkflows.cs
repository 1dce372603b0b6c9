using Dunning.Cases;
using Dunning.Common;
using Dunning.Ports;
using Grpc.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Dunning.Functions.Orchestration;

/// <summary>
/// <see cref="IWorkflows"/> on Durable Functions. Built per invocation from the <see cref="DurableTaskClient"/> a
/// [DurableClient] binding provides. The instance id is <see cref="InvoiceId.CaseInstanceId"/>, so a case starts once.
/// </summary>
public sealed class DurableWorkflows(DurableTaskClient client, ICaseStore cases, ISignalNotes notes, TimeProvider time) : IWorkflows
{
    /// <summary>Starts the case's orchestration, unless an instance with its id exists (in any state): then false.</summary>
    public async Task<bool> StartAsync(CaseState initial, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(initial);
        var instanceId = initial.InvoiceId.CaseInstanceId;
        if (await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, ct) is not null)
        {
            return false;
        }

        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(
                CaseOrchestration.Name,
                DunningJson.Serialize(initial),
                new StartOrchestrationOptions { InstanceId = instanceId },
                ct);
            return true;
        }
        catch (Exception e) when (IsAlreadyExists(e))
        {
            // Two scans raced past the check above: the other one started it.
            return false;
        }
    }

    /// <summary>
    /// Raises the signal on a running case. A case whose orchestration has finished (completed, failed or terminated)
    /// is re-opened when <see cref="CaseDecider.Receive"/> says the signal still applies: a new orchestration with the
    /// same id starts from its last state with the signal applied, and the decider takes it from there (a refund
    /// re-opens a paid case; a late payment settles a flagged one). A signal the ended case refuses is noted in
    /// <see cref="ISignalNotes"/> for its timeline.
    /// </summary>
    /// <remarks>
    /// Backends answer a raise on an instance that is no longer running differently: the Durable Functions extension
    /// checks the status and throws (an RpcException whose status depends on its version: FailedPrecondition,
    /// NotFound, or Unknown for an unmapped InvalidOperationException/ArgumentException), while the Durable Task
    /// backends' fast path and InProcessTestHost accept the event and silently drop it. So any refusal is answered
    /// by reading the instance again, and after a raise that was accepted, an instance found finished whose last
    /// state does not hold the signal is re-opened too. Only a missing instance is an error the caller sees.
    /// </remarks>
    public async Task SignalAsync(InvoiceId id, CaseEvent signal, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(signal);
        var instanceId = id.CaseInstanceId;
        var json = DunningJson.Serialize(signal);
        for (var attempt = 0; ; attempt++)
        {
            // Without inputs and outputs: a running case is only raised an event, and its state can be large.
            var instance = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, ct)
                ?? throw new KeyNotFoundException($"There is no case for invoice '{id}' to signal.");
            if (!IsFinished(instance))
            {
                try
                {
                    await client.RaiseEventAsync(instanceId, CaseOrchestration.SignalEvent, json, ct);
                }
                catch (RpcException e) when (attempt < 2 && e.StatusCode is not (StatusCode.Cancelled or StatusCode.DeadlineExceeded))
                {
                    // Refused: it finished (or went away) between the read and the raise. Read it again.
                    continue;
                }

                if (await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, ct) is not { } after || !IsFinished(after))
                {
                    return;
                }

                instance = after;
            }

            var last = await LastStateAsync(id, instance, ct);
            if (last.History.Contains(signal))
            {
                // Taken before it finished.
                return;
            }

            var reception = CaseDecider.Receive(last, signal);
            if (reception is not Reception.Applied reopened)
            {
                // Nothing the ended case acts on. A repeat or a sibling's contact is fine as it is; a refusal is noted for
                // the case's timeline, since the sender was told "queued" (unless the orchestration noted it before it ended).
                var now = time.GetUtcNow();
                if (SignalNote.RefusalOf(signal, now, reception) is { } note && !(await notes.OfAsync(id, ct)).Any(n => n.Signal == signal))
                {
                    await notes.AddAsync(id, note, ct);
                }

                return;
            }

            try
            {
                await client.ScheduleNewOrchestrationInstanceAsync(
                    CaseOrchestration.Name,
                    DunningJson.Serialize(reopened.State),
                    new StartOrchestrationOptions { InstanceId = instanceId },
                    ct);
                return;
            }
            catch (Exception e) when (IsAlreadyExists(e) && attempt < 2)
            {
                // Someone re-opened it first: raise the signal on that one.
            }
        }
    }

    /// <summary>Completed, failed or terminated: no orchestration will take an event any more. (Pending and suspended ones still will.)</summary>
    private static bool IsFinished(OrchestrationMetadata instance) => instance.RuntimeStatus is
        OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated;

    /// <summary>A completed orchestration's output is its final state; a failed or terminated one falls back to the projection.</summary>
    private async Task<CaseState> LastStateAsync(InvoiceId id, OrchestrationMetadata instance, CancellationToken ct)
    {
        if (instance.RuntimeStatus == OrchestrationRuntimeStatus.Completed
            && await client.GetInstanceAsync(instance.InstanceId, getInputsAndOutputs: true, ct) is { } finished
            && finished.ReadOutputAs<string>() is { Length: > 0 } output)
        {
            return DunningJson.Deserialize<CaseState>(output);
        }

        return (await cases.GetAsync(id, ct))?.State
            ?? throw new KeyNotFoundException($"The case for invoice '{id}' has finished and its state is not stored.");
    }

    private static bool IsAlreadyExists(Exception e) =>
        e is RpcException { StatusCode: StatusCode.AlreadyExists }
        || e.GetType().FullName == "DurableTask.Core.Exceptions.OrchestrationAlreadyExistsException";
}
