using Dunning.Cases;
using Dunning.Charges;
using Dunning.Common;
using Dunning.Customers;

namespace Dunning.Functions.Http;

/// <summary>One line of a case's timeline: what happened, in words, with the event itself.</summary>
public sealed record TimelineEntry(DateTimeOffset At, string What, CaseEvent Event);

/// <summary>GET /api/cases/{invoiceId}: the same fields as the local host's view, less its signal inbox (Durable Functions keeps that).</summary>
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
    ValueList<TimelineEntry> Timeline)
{
    public static CaseView Of(CaseRecord record)
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
            s.History.Select(e => new TimelineEntry(e.At, CaseStatus.Describe(e), e)).ToValueList());
    }
}
