using Dunning.Cases;
using System.Text.Json;
using Dunning.Common;
using Dunning.Ports;

namespace Dunning.Functions.Orchestration;

/// <summary>
/// What the orchestrator hands an effect activity: which case, the action the decider chose and the orchestration's
/// (replay-safe) time, which becomes the time of the resulting event. Not the case itself: the activity reads it from
/// <see cref="ICaseStore"/>, where the orchestration saved it (SaveProjection) right before deciding on this effect.
/// </summary>
/// <remarks>
/// <para>Every durable payload of this host (orchestration input and output, activity input and output,
/// external events) is a <see cref="string"/> holding <see cref="DunningJson"/>, not an object left to the
/// worker's serializer. The worker's serializer (WorkerOptions.Serializer) is shared with every binding and
/// does not know the core's rules ("$type" discriminators, kebab-case enums, id converters, nullable
/// annotations); a string passes through any JSON serializer unchanged, so the shape that crosses the
/// durable boundary is exactly the one the core's snapshot tests pin.</para>
/// <para>Inputs written before this shape carried the whole <see cref="CaseState"/> ({"state", "action", "at"}, 5 to
/// 16 KB each, in every effect's history events); <see cref="Read"/> still takes them, for orchestrations in flight
/// during an upgrade, and then hands back the state they carry.</para>
/// </remarks>
public sealed record EffectInput(InvoiceId InvoiceId, CustomerId CustomerId, CaseAction Action, DateTimeOffset At)
{
    public static EffectInput Of(CaseState state, CaseAction action, DateTimeOffset at) =>
        new(state.InvoiceId, state.Customer.Id, action, at);

    public string ToJson() => DunningJson.Serialize(this);

    public static EffectInput FromJson(string json) => Read(json).Input;

    /// <summary>The input, and the case an input of the old shape carries (null for today's shape).</summary>
    public static (EffectInput Input, CaseState? Carried) Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        if (!document.RootElement.TryGetProperty("state", out _))
        {
            return (DunningJson.Deserialize<EffectInput>(json), null);
        }

        var old = DunningJson.Deserialize<CarryingInput>(json);
        return (Of(old.State, old.Action, old.At), old.State);
    }

    /// <summary>The shape effect inputs had until the case moved out of them.</summary>
    private sealed record CarryingInput(CaseState State, CaseAction Action, DateTimeOffset At);
}

/// <summary>
/// What the orchestration hands <c>SaveProjection</c>: the events the case gained since the projection it saved last
/// (<see cref="Since"/> = how many events that one held) and the status to show, not the whole case. The activity folds
/// the events into the stored case with <see cref="CaseDecider.Evolve"/> and saves the result only when its
/// <see cref="Fingerprint"/> matches the orchestration's case; otherwise (nothing stored yet, or a stored case that
/// differs) it answers <see cref="Stale"/> and the orchestration sends the whole case in <see cref="State"/>, as it
/// does for its first save in every generation.
/// </summary>
/// <remarks>Inputs written before this shape were a whole <see cref="CaseRecord"/>; <see cref="Read"/> still takes them,
/// for orchestrations in flight during an upgrade.</remarks>
public sealed record ProjectionInput(
    InvoiceId InvoiceId,
    int Since,
    ValueList<CaseEvent> Events,
    string Fingerprint,
    CaseStatus Status,
    CaseState? State = null)
{
    public const string Saved = "saved";
    public const string Stale = "stale";

    /// <summary>The whole case: the first save of a generation, or the answer to <see cref="Stale"/>.</summary>
    public static ProjectionInput Whole(CaseState state, CaseStatus status) =>
        new(state.InvoiceId, state.History.Count, ValueList<CaseEvent>.Empty, FingerprintOf(state), status, state);

    /// <summary>The events <paramref name="state"/> gained after the first <paramref name="since"/> of its history.</summary>
    public static ProjectionInput Delta(CaseState state, int since, CaseStatus status) =>
        new(state.InvoiceId, since, state.History.Skip(since).ToValueList(), FingerprintOf(state), status);

    /// <summary>A digest of the case's canonical JSON: equal cases, equal fingerprints. Deterministic, so replay-safe.</summary>
    public static string FingerprintOf(CaseState state) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(DunningJson.Serialize(state))), 0, 16);

    public string ToJson() => DunningJson.Serialize(this);

    /// <summary>The input; an input of the old shape (a whole <see cref="CaseRecord"/>) is read as <see cref="Whole"/>.</summary>
    public static ProjectionInput Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        if (document.RootElement.TryGetProperty("since", out _))
        {
            return DunningJson.Deserialize<ProjectionInput>(json);
        }

        var record = DunningJson.Deserialize<CaseRecord>(json);
        return Whole(record.State, record.Status);
    }
}

/// <summary>What the orchestrator hands <see cref="CaseActivities.NoteSignal"/>: the case and the note of a signal it refused.</summary>
public sealed record SignalNoteInput(InvoiceId InvoiceId, SignalNote Note)
{
    public string ToJson() => DunningJson.Serialize(this);

    public static SignalNoteInput FromJson(string json) => DunningJson.Deserialize<SignalNoteInput>(json);
}

/// <summary>The orchestration's custom status: what the Azure portal and the durable status API show of a case.</summary>
public sealed record PortalStatus(
    string InvoiceId,
    string Status,
    string Stage,
    string Balance,
    DateTimeOffset? NextActionAt,
    string? LastAction,
    string Waiting)
{
    public static PortalStatus Of(CaseStatus status) => new(
        status.InvoiceId.Value,
        status.Status,
        status.Stage,
        status.Balance.ToString(),
        status.NextActionAt,
        status.LastAction,
        status.Waiting);
}
