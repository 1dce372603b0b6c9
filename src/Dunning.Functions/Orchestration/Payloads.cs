using Dunning.Cases;
using Dunning.Common;

namespace Dunning.Functions.Orchestration;

/// <summary>
/// What the orchestrator hands an effect activity: the case, the action the decider chose and the
/// orchestration's (replay-safe) time, which becomes the time of the resulting event.
/// </summary>
/// <remarks>
/// Every durable payload of this host (orchestration input and output, activity input and output,
/// external events) is a <see cref="string"/> holding <see cref="DunningJson"/>, not an object left to the
/// worker's serializer. The worker's serializer (WorkerOptions.Serializer) is shared with every binding and
/// does not know the core's rules ("$type" discriminators, kebab-case enums, id converters, nullable
/// annotations); a string passes through any JSON serializer unchanged, so the shape that crosses the
/// durable boundary is exactly the one the core's snapshot tests pin.
/// </remarks>
public sealed record EffectInput(CaseState State, CaseAction Action, DateTimeOffset At)
{
    public string ToJson() => DunningJson.Serialize(this);

    public static EffectInput FromJson(string json) => DunningJson.Deserialize<EffectInput>(json);
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
