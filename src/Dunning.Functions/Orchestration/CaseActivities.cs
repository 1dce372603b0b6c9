using Dunning.Cases;
using Dunning.Common;
using Dunning.Ports;
using Dunning.UseCases;
using Microsoft.ApplicationInsights;
using Microsoft.Azure.Functions.Worker;

namespace Dunning.Functions.Orchestration;

/// <summary>
/// The orchestration's activities. Each is one call into the core: <see cref="CaseEffects"/> performs an action
/// (idempotently, keyed "{invoiceId}/{action key}", because activities run at least once) on the case as stored, and
/// returns the event that says it happened; <see cref="ICaseStore"/> keeps the readable projection and
/// <see cref="ISignalNotes"/> the signals the case refused. Inputs and outputs are
/// DunningJson strings (see <see cref="EffectInput"/>).
/// </summary>
public sealed class CaseActivities(CaseEffects effects, ICaseStore cases, ISignalNotes notes, TelemetryClient telemetry)
{
    /// <summary>
    /// Reserves the contact against the customer's contact ledger (Tables: the cap, cease and opt-outs are the
    /// customer's), then sends the email (ACS), stores the letter (Blob) or adds the call task (Tables), possibly as a
    /// consolidated statement; returns the event the reservation led to (ContactMade, ContactCovered, ContactDeferred or
    /// CeaseRequested). The reservation is idempotent by key, so a retried activity reuses it.
    /// </summary>
    [Function(nameof(PerformContact))]
    public Task<string> PerformContact([ActivityTrigger] string input, FunctionContext executionContext) =>
        PerformContactAsync(input, executionContext.CancellationToken);

    /// <summary>Builds the evidence bundle from the case (core Evidence) and stores it once (Blob); returns the CaseFlagged event.</summary>
    [Function(nameof(FileEvidence))]
    public Task<string> FileEvidence([ActivityTrigger] string input, FunctionContext executionContext) =>
        FileEvidenceAsync(input, executionContext.CancellationToken);

    /// <summary>
    /// Saves the case's <see cref="CaseRecord"/> (state and status) for the HTTP API and reports, and emits the custom
    /// events of what changed since the stored one (the Azure Monitor workbook's data). Its input is usually only the
    /// events since the last save (<see cref="ProjectionInput"/>); it answers <see cref="ProjectionInput.Stale"/> when
    /// those do not lead to the orchestration's case, which then sends the whole case.
    /// </summary>
    [Function(nameof(SaveProjection))]
    public Task<string> SaveProjection([ActivityTrigger] string input, FunctionContext executionContext) =>
        SaveProjectionAsync(input, executionContext.CancellationToken);

    /// <summary>
    /// Notes a signal the case refused (<see cref="SignalNoteInput"/>), with why and when it was received, for the case's
    /// timeline. Idempotent by the note's id, so a retried activity writes it once.
    /// </summary>
    [Function(nameof(NoteSignal))]
    public Task NoteSignal([ActivityTrigger] string input, FunctionContext executionContext) =>
        NoteSignalAsync(input, executionContext.CancellationToken);

    internal Task NoteSignalAsync(string input, CancellationToken cancellationToken)
    {
        var noted = SignalNoteInput.FromJson(input);
        return notes.AddAsync(noted.InvoiceId, noted.Note, cancellationToken);
    }

    internal async Task<string> PerformContactAsync(string input, CancellationToken cancellationToken)
    {
        var (effect, state) = await CaseOfAsync(input, cancellationToken);
        if (effect.Action is not CaseAction.Contact contact)
        {
            throw new ArgumentException($"{nameof(PerformContact)} performs contacts, not {effect.Action.GetType().Name}.", nameof(input));
        }

        return DunningJson.Serialize(await effects.PerformAsync(state, contact, effect.At, cancellationToken));
    }

    internal async Task<string> FileEvidenceAsync(string input, CancellationToken cancellationToken)
    {
        var (effect, state) = await CaseOfAsync(input, cancellationToken);
        if (effect.Action is not CaseAction.FileEvidence)
        {
            throw new ArgumentException($"{nameof(FileEvidence)} files evidence, not {effect.Action.GetType().Name}.", nameof(input));
        }

        return DunningJson.Serialize(await effects.PerformAsync(state, effect.Action, effect.At, cancellationToken));
    }

    /// <summary>
    /// The effect and the case it acts on. The orchestration saves the projection before every decision that follows a
    /// change, so the stored case is the one the decider chose this effect from; nothing else writes it while the
    /// orchestration waits on this activity, so a retry (after a worker crash, too) reads the same case and the effect's
    /// key ("{invoiceId}/{action key}") is the same. An input of the old shape brings its own case.
    /// </summary>
    private async Task<(EffectInput Effect, CaseState State)> CaseOfAsync(string input, CancellationToken cancellationToken)
    {
        var (effect, carried) = EffectInput.Read(input);
        if (carried is not null)
        {
            return (effect, carried);
        }

        var record = await cases.GetAsync(effect.InvoiceId, cancellationToken)
            ?? throw new InvalidOperationException($"There is no stored case for invoice '{effect.InvoiceId}' to perform {effect.Action.Key} on; the orchestration saves it before every effect.");
        if (record.State.Customer.Id != effect.CustomerId)
        {
            throw new InvalidOperationException($"The stored case for invoice '{effect.InvoiceId}' belongs to customer '{record.State.Customer.Id}', not '{effect.CustomerId}' as the effect {effect.Action.Key} says.");
        }

        return (effect, record.State);
    }

    internal async Task<string> SaveProjectionAsync(string input, CancellationToken cancellationToken)
    {
        var projection = ProjectionInput.Read(input);
        var before = await cases.GetAsync(projection.InvoiceId, cancellationToken);
        if (Projected(projection, before?.State) is not { } state)
        {
            return ProjectionInput.Stale;
        }

        var record = new CaseRecord(state, projection.Status);
        await cases.SaveAsync(record, cancellationToken);
        foreach (var e in CaseTelemetry.Between(before, record))
        {
            telemetry.TrackEvent(e.Name, e.Properties.ToDictionary(), e.Metrics.ToDictionary());
        }

        return ProjectionInput.Saved;
    }

    /// <summary>
    /// The case to save: the one the input carries, or the stored one with the new events folded in — when that is the
    /// orchestration's case (same fingerprint). A retry after a save that landed finds the events already there.
    /// </summary>
    private static CaseState? Projected(ProjectionInput projection, CaseState? stored)
    {
        if (projection.State is { } whole)
        {
            return whole;
        }

        if (stored is null)
        {
            return null;
        }

        var state = stored.History.Count == projection.Since
            ? projection.Events.Aggregate(stored, CaseDecider.Evolve)
            : stored;
        return ProjectionInput.FingerprintOf(state) == projection.Fingerprint ? state : null;
    }
}
