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
