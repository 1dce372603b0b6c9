using System.Diagnostics;
using Dunning.Common;

namespace Dunning.Cases;

/// <summary>
/// What a person (or the Azure portal's custom status) sees of a case: where it is, what it owes,
/// when it acts next and what it did last.
/// </summary>
public sealed record CaseStatus(
    InvoiceId InvoiceId,
    CustomerId CustomerId,
    string CustomerName,
    string InvoiceNumber,
    string Status,
    string Stage,
    Money Balance,
    DateTimeOffset? NextActionAt,
    string? LastAction,
    string Waiting,
    OutcomeKind? Outcome,
    DateTimeOffset UpdatedAt)
{
    /// <summary>The values <see cref="Status"/> takes, for filters: open, plan, dispute, paused, flagged, closed.</summary>
    public static readonly IReadOnlyList<string> Statuses = ["open", "plan", "dispute", "paused", "flagged", "closed"];

    /// <summary>The statuses of a case that has ended: nothing more is sent, and it is no longer "being worked".</summary>
    public static readonly IReadOnlyList<string> Ended = ["flagged", "closed"];

    /// <summary>Where a case is, as one of <see cref="Statuses"/>.</summary>
    public static string StatusOf(CaseState state) =>
        state.Outcome is { } outcome ? (outcome.IsFlag ? "flagged" : "closed")
        : state.Dispute is not null ? "dispute"
        : state.Pause is not null ? "paused"
        : state.Plan is not null ? "plan"
        : "open";

    public static CaseStatus Of(CaseState state, Decision next, DateTimeOffset now)
    {
        var status = StatusOf(state);
        var stage = state.Outcome is { } ended ? Names.Of(ended.Kind)
            : state.Dispute is not null ? "dispute"
            : state.Pause is not null ? "paused"
            : state.Plan is not null ? (state.Plan.Plan.IsPromise ? "promise" : "plan")
            : state.DoneSteps.Count > 0 ? state.DoneSteps[^1]
            : "opened";
        var (nextAt, waiting) = next switch
        {
            Decision.Wait w => (w.Until, w.Reason),
            Decision.Perform or Decision.Apply => ((DateTimeOffset?)now, "due now"),
            Decision.Ended => ((DateTimeOffset?)null, "nothing: the case has ended"),
            _ => throw new UnreachableException(),
        };
        return new CaseStatus(
            state.InvoiceId,
            state.Customer.Id,
            state.Customer.Name,
            state.Invoice.Number,
            status,
            stage,
            state.Balance,
            nextAt,
            state.History.Count == 0 ? null : Describe(state.History[^1]),
            waiting,
            state.Outcome?.Kind,
            now);
    }

    /// <summary>One line a person understands, for timelines and the "last action" column.</summary>
    public static string Describe(CaseEvent @event) => @event switch
    {
        CaseEvent.ContactMade c => $"{Names.Of(c.Channel)} '{c.StepId}' to {c.Recipient}",
        CaseEvent.StepSkipped s => $"skipped '{s.StepId}': {s.Reason}",
        CaseEvent.ChargeApplied c => $"charge {c.Charge.Amount}: {c.Charge.Description}",
        CaseEvent.PaymentReceived p => $"payment {p.Amount} ({p.Reference})",
        CaseEvent.PaymentRefunded r => $"refund {r.Amount} ({r.Reference})",
        CaseEvent.PlanAgreed p => $"{(p.Plan.IsPromise ? "promise to pay" : "plan")} of {p.Plan.Installments.Count} installment(s) agreed",
        CaseEvent.InstallmentMissed m => $"installment {m.Number} missed",
        CaseEvent.PlanBroken b => $"plan broken: {b.Reason}",
        CaseEvent.DisputeOpened d => $"dispute opened: {d.Reason}",
        CaseEvent.DisputeResolved d => $"dispute {Names.Of(d.Outcome)}",
        CaseEvent.CeaseRequested c => c.Channel is { } ch ? $"opted out of {Names.Of(ch)}" : "asked to cease contact",
        CaseEvent.Paused p => $"paused: {p.Reason}",
        CaseEvent.Resumed => "resumed",
        CaseEvent.InvoiceVoided v => $"invoice voided: {v.Reason}",
        CaseEvent.CreditIssued c => $"credit {c.Amount} ({c.Reference})",
        CaseEvent.InvoiceUpdated => "invoice updated from the ledger",
        CaseEvent.CaseFlagged f => $"flagged for {Names.Of(f.Recommendation.Kind)}",
        CaseEvent.CaseClosed c => $"closed: {Names.Of(c.Outcome)}",
        CaseEvent.ContactDeferred d => $"contact deferred until {d.Until:yyyy-MM-dd HH:mm} UTC: {d.Reason}",
        CaseEvent.ContactCovered c => $"'{c.StepId}' went out in statement {c.MessageId} on {c.SentAt:yyyy-MM-dd}, with the customer's other invoices",
        CaseEvent.CustomerContacted c => $"the customer was contacted by {Names.Of(c.Channel)} about another invoice ({c.Key.Split('/')[0]}): counts towards the frequency cap",
        CaseEvent.ContactBounced b => $"message '{b.Key}' to {b.Address} bounced: {b.Reason}",
        CaseEvent.CallLogged c => $"call '{c.Key.Split('/')[^1]}' made: {Names.Of(c.Outcome)}{(string.IsNullOrWhiteSpace(c.Note) ? string.Empty : " — " + c.Note)}",
        _ => throw new UnreachableException(),
    };
}

/// <summary>The one spelling of each enum value that people and URLs see (the same as in JSON).</summary>
public static class Names
{
    public static string Of(OutcomeKind kind) => kind switch
    {
        OutcomeKind.Paid => "paid",
        OutcomeKind.Settled => "settled",
        OutcomeKind.Credited => "credited",
        OutcomeKind.Voided => "voided",
        OutcomeKind.WrittenOff => "written-off",
        OutcomeKind.SmallClaims => "small-claims",
        OutcomeKind.CollectionAgency => "collection-agency",
    };

    public static string Of(Customers.Channel channel) => channel switch
    {
        Customers.Channel.Email => "email",
        Customers.Channel.Letter => "letter",
        Customers.Channel.Call => "call",
    };

    public static string Of(DisputeOutcome outcome) => outcome switch
    {
        DisputeOutcome.Upheld => "upheld",
        DisputeOutcome.Rejected => "rejected",
    };

    public static string Of(CallOutcome outcome) => outcome switch
    {
        CallOutcome.Reached => "reached",
        CallOutcome.Promise => "promise",
        CallOutcome.Dispute => "dispute",
        CallOutcome.NoAnswer => "no-answer",
    };
}

public sealed record CaseRecord(CaseState State, CaseStatus Status);
