using Dunning.Cases;
using Dunning.Common;

namespace Dunning.Customers;

/// <summary>One invoice on a consolidated statement: the case, the step it is at, and that step as the ledger records it.</summary>
public sealed record StatementLine(CaseState Case, CaseAction.Contact Contact, DateOnly Today)
{
    public CarriedStep Step => new(Case.InvoiceId, Contact.Key);

    public Money Owed => Case.StillOwed;

    public int DaysOverdue => Case.Invoice.DaysOverdue(Today);
}

/// <summary>
/// Which of the customer's other invoices a ladder contact carries (policy <c>consolidate</c>): those whose own next
/// decision, asked of the core's <see cref="CaseDecider.Decide"/> over their stored state, is a ladder contact on the
/// same channel due within the cap's window from now. Each keeps its own ladder; the statement only brings its step
/// forward, so the customer hears about all of them once instead of in a run of separate messages.
/// </summary>
public static class Consolidation
{
    /// <summary>How many decisions ahead a sibling is followed (a skipped step, a charge, a wait for its window or its own cap).</summary>
    private const int Lookahead = 8;

    public static IReadOnlyList<StatementLine> Lines(CaseState state, CaseAction.Contact contact, IEnumerable<CaseState> siblings, DateTimeOffset now)
    {
        if (!state.Policy.Consolidate || contact.Purpose != ContactPurpose.Ladder)
        {
            return [];
        }

        var horizon = now + TimeSpan.FromDays(state.Policy.Cap.Days);
        var lines = new List<StatementLine>();
        foreach (var sibling in siblings.Where(s => s.InvoiceId != state.InvoiceId && s.Outcome is null && s.PrincipalBalance.IsPositive))
        {
            if (NextContact(sibling, now, horizon) is { } due && due.Channel == contact.Channel && due.Purpose == ContactPurpose.Ladder)
            {
                lines.Add(new StatementLine(sibling, due, CaseClock.LocalDate(sibling, now)));
            }
        }

        return [.. lines.OrderBy(l => l.Case.Invoice.DueDate).ThenBy(l => l.Case.InvoiceId.Value, StringComparer.Ordinal)];
    }

    private static CaseAction.Contact? NextContact(CaseState sibling, DateTimeOffset now, DateTimeOffset horizon)
    {
        var (state, at) = (sibling, now);
        for (var i = 0; i < Lookahead; i++)
        {
            switch (CaseDecider.Decide(state, at))
            {
                case Decision.Perform { Action: CaseAction.Contact contact }:
                    return contact;
                case Decision.Apply apply:
                    // A courtesy step skipped, a charge: what the sibling will do on its own before its contact.
                    state = CaseDecider.Evolve(state, apply.Event);
                    continue;
                case Decision.Wait { Until: { } until } when until > at && until <= horizon:
                    at = until;
                    continue;
                default:
                    return null;
            }
        }

        return null;
    }
}
