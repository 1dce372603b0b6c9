using Dunning.Cases;
using Dunning.Charges;
using Dunning.Common;
using Dunning.Customers;

namespace Dunning.Api;

/// <summary>One line of a case's timeline: what happened, in words, with the event itself.</summary>
/// <param name="At">When it happened (for a refusal, when the signal was received).</param>
/// <param name="What">What happened, in words.</param>
/// <param name="Event">The event, or the refused signal.</param>
/// <param name="Refused">Set when the case refused this signal (after answering 202): why. The event did not happen.</param>
public sealed record TimelineEntry(DateTimeOffset At, string What, CaseEvent Event, string? Refused = null);

/// <summary>A signal the case received and what became of it; a refused one is in the timeline too, with why.</summary>
public sealed record SignalEntry(DateTimeOffset ReceivedAt, string Outcome, string What, string? Note)
{
    /// <summary>The signal itself, so a refusal can stand in the timeline where it happened.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public CaseEvent? Signal { get; init; }
}

/// <summary>
/// GET /api/cases/{invoiceId} on both hosts, and <c>dunning case ID</c>: everything a person needs to see about one
/// case. <see cref="Signals"/> is what became of the signals the case received (<see cref="SignalNote"/>): the local
/// runner's inbox (every signal), or on the Azure host the signals the case refused (<see cref="Ports.ISignalNotes"/>).
/// </summary>
public sealed record CaseView(
    CaseStatus Status,
    string InvoiceNumber,
    DateOnly DueDate,
    Money Amount,
    Money Principal,
    Money Paid,
    Money Credited,
    ValueList<ChargeLine> Charges,
    string Jurisdiction,
    CustomerKind CustomerKind,
    ActivePlan? Plan,
    OpenDispute? Dispute,
    StaffPause? Pause,
    bool Ceased,
    ValueList<Channel> CeasedChannels,
    Outcome? Outcome,
    ValueList<TimelineEntry> Timeline,
    ValueList<SignalEntry>? Signals = null)
{
    public static CaseView Of(CaseRecord record, IEnumerable<SignalEntry>? signals = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        var s = record.State;
        return new CaseView(
            record.Status,
            s.Invoice.Number,
            s.Invoice.DueDate,
            s.Invoice.Amount,
            s.PrincipalBalance,
            s.TotalPaid,
            s.Credited,
            s.Charges,
            s.Customer.Jurisdiction.Code,
            s.Customer.Kind,
            s.Plan,
            s.Dispute,
            s.Pause,
            s.Ceased,
            s.CeasedChannels,
            s.Outcome,
            TimelineOf(s, signals),
            signals?.ToValueList());
    }

    /// <summary>What happened, and what staff asked for that the case refused, in order of time.</summary>
    private static ValueList<TimelineEntry> TimelineOf(CaseState s, IEnumerable<SignalEntry>? signals)
    {
        var happened = s.History.Select(e => new TimelineEntry(e.At, CaseStatus.Describe(e), e));
        var refused = (signals ?? [])
            .Where(n => n.Outcome == SignalNote.Refused && n.Signal is not null)
            .Select(n => new TimelineEntry(n.ReceivedAt, $"Refused: {n.What}. {n.Note}".TrimEnd(), n.Signal!, n.Note ?? SignalNote.Refused));
        return happened.Concat(refused).OrderBy(e => e.At).ToValueList();
    }
}
