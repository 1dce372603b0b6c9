using Dunning.Cases;
using Dunning.Charges;
using Dunning.Common;
using Dunning.Customers;

namespace Dunning.Api;

/// <summary>One line of a case's timeline: what happened, in words, with the event itself.</summary>
public sealed record TimelineEntry(DateTimeOffset At, string What, CaseEvent Event);

/// <summary>A signal the case received and what became of it (a refused one is not in the timeline).</summary>
public sealed record SignalEntry(DateTimeOffset ReceivedAt, string Outcome, string What, string? Note);

/// <summary>
/// GET /api/cases/{invoiceId} on both hosts, and <c>dunning case ID</c>: everything a person needs to see about one
/// case. <see cref="Signals"/> is the local runner's inbox; the Azure host has none to show (Durable Functions keeps it).
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
            s.History.Select(e => new TimelineEntry(e.At, CaseStatus.Describe(e), e)).ToValueList(),
            signals?.ToValueList());
    }
}
