using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Dunning.Api;
using Dunning.Common;

namespace Dunning.Cases;

/// <summary>
/// A signal as the case received it, and what became of it: <see cref="Applied"/>, <see cref="Unchanged"/> (a
/// repeat), <see cref="Refused"/> (with why) or <see cref="Pending"/>. A 202 only says a signal is queued; this is
/// where the caller sees what the case then did with it (the case's timeline shows a refusal where it happened).
/// Both hosts keep them in this shape: the local runner in its inbox (every signal), the Azure host beside the case
/// (<see cref="Ports.ISignalNotes"/>: the ones its orchestration did not apply).
/// </summary>
/// <param name="Id">Unique per case: the local inbox's sequence number, or <see cref="IdOf"/> where there is none.</param>
/// <param name="Signal">The signal as it was sent.</param>
/// <param name="ReceivedAt">When the case received it (for a refusal, when it was refused).</param>
/// <param name="Outcome">One of <see cref="Applied"/>, <see cref="Unchanged"/>, <see cref="Refused"/>, <see cref="Pending"/>.</param>
/// <param name="Note">Why, when it was not applied.</param>
public sealed record SignalNote(string Id, CaseEvent Signal, DateTimeOffset ReceivedAt, string Outcome, string? Note)
{
    public const string Applied = "applied";
    public const string Unchanged = "unchanged";
    public const string Refused = "refused";
    public const string Pending = "pending";

    /// <summary>What the case did with a signal it received at <paramref name="receivedAt"/>.</summary>
    public static SignalNote Of(string id, CaseEvent signal, DateTimeOffset receivedAt, Reception reception)
    {
        ArgumentNullException.ThrowIfNull(reception);
        (string Outcome, string? Note) described = reception switch
        {
            Reception.Applied => (Applied, null),
            Reception.NotApplied notApplied => Describe(notApplied.Reason),
            _ => throw new UnreachableException(),
        };
        return new SignalNote(id, signal, receivedAt, described.Outcome, described.Note);
    }

    /// <summary>
    /// The note a host without an inbox keeps of a signal (the Azure host): a refusal, with its <see cref="IdOf"/> id;
    /// null for one applied or a repeat (a sibling's contact, told to every case of the customer, needs no note).
    /// </summary>
    public static SignalNote? RefusalOf(CaseEvent signal, DateTimeOffset receivedAt, Reception reception) =>
        Of(IdOf(signal, receivedAt), signal, receivedAt, reception) is { Outcome: Refused } note ? note : null;

    /// <summary>A signal the case did not apply: <see cref="Unchanged"/> for a repeat, <see cref="Refused"/> otherwise, and why.</summary>
    public static (string Outcome, string Detail) Describe(CommandResult result) => result switch
    {
        CommandResult.Unchanged u => (Unchanged, u.Detail),
        CommandResult.Conflict c => (Refused, c.Detail),
        CommandResult.Invalid i => (Refused, string.Join(" ", i.Problems)),
        CommandResult.NotFound n => (Refused, n.Detail),
        CommandResult.Accepted a => (Applied, CaseStatus.Describe(a.Signal)),
        _ => throw new UnreachableException(),
    };

    /// <summary>
    /// An id for a host that numbers nothing (the Azure host): the receiving time, then a digest of the signal. The same
    /// signal received at the same instant has the same id, so writing its note again (a retried activity, a replay)
    /// adds nothing; ids sort by time.
    /// </summary>
    public static string IdOf(CaseEvent signal, DateTimeOffset receivedAt)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(DunningJson.Serialize(signal)));
        return receivedAt.UtcTicks.ToString("D19", CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(digest, 0, 8);
    }

    /// <summary>The note as the case's answer shows it (<see cref="CaseView.Signals"/>, and a refusal in its timeline).</summary>
    public SignalEntry ToEntry() => new(ReceivedAt, Outcome, CaseStatus.Describe(Signal), Note) { Signal = Signal };
}
