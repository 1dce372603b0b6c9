using System.Globalization;
using Dunning.Cases;
using Dunning.Common;

namespace Dunning.Printing;

/// <summary>
/// A statement of account for one invoice: who is owed by whom, then every entry that changed what is owed (the
/// invoice, charges, credits, payments, refunds), each with its date and the balance after it, down to the amount
/// due. The evidence bundle writes it as text and as a PDF from this one list, so the two can never disagree.
/// </summary>
public sealed record StatementOfAccount(
    IReadOnlyList<string> Business,
    IReadOnlyList<string> Debtor,
    DateOnly AsOf,
    string InvoiceNumber,
    DateOnly IssueDate,
    DateOnly DueDate,
    IReadOnlyList<StatementEntry> Entries,
    Money AmountDue)
{
    public static StatementOfAccount Of(CaseState state, DateOnly asOf)
    {
        ArgumentNullException.ThrowIfNull(state);
        var business = state.Policy.Business;
        var invoice = state.Invoice;
        var entries = new List<StatementEntry>();
        var balance = Money.Zero(state.Currency);
        void Add(DateOnly? date, string description, Money amount)
        {
            balance += amount;
            entries.Add(new StatementEntry(date, description, amount, balance));
        }

        Add(invoice.IssueDate, string.Create(CultureInfo.InvariantCulture, $"Invoice {invoice.Number} (due {invoice.DueDate:yyyy-MM-dd})"), invoice.Amount);
        if (state.PaidAtOpen.IsPositive)
        {
            Add(null, "Paid before collection began", -state.PaidAtOpen);
        }

        foreach (var e in state.History)
        {
            var day = DateOnly.FromDateTime(e.At.DateTime);
            switch (e)
            {
                case CaseEvent.PaymentReceived p:
                    Add(day, $"Payment {p.Reference} ({p.Source})", -p.Amount);
                    break;
                case CaseEvent.PaymentRefunded r:
                    Add(day, $"Refund {r.Reference}", r.Amount);
                    break;
                case CaseEvent.CreditIssued c:
                    Add(day, $"Credit {c.Reference}", -c.Amount);
                    break;
                case CaseEvent.DisputeResolved { Credit: { } credit }:
                    Add(day, "Credit after dispute", -credit);
                    break;
                case CaseEvent.ChargeApplied c:
                    Add(day, c.Charge.Description, c.Charge.Amount);
                    break;
            }
        }

        // Payments the ledger knows of that never reached the case (recorded in the books directly).
        var receivedHere = state.PaidAtOpen + state.PaidHere + state.Refunded;
        if (invoice.AmountPaid > receivedHere)
        {
            Add(null, "Further payments recorded in the ledger", -(invoice.AmountPaid - receivedHere));
        }

        return new StatementOfAccount(
            [business.Name, .. PostedLetters.AddressLines(business.Address), business.Email],
            [state.Customer.Name, .. PostedLetters.AddressLines(state.Customer.Address)],
            asOf,
            invoice.Number,
            invoice.IssueDate,
            invoice.DueDate,
            entries,
            state.Balance);
    }
}

/// <summary>One entry of a statement: the amount it adds (negative: it reduces what is owed) and the balance after it.
/// <see cref="Date"/> is null for an amount with no date of its own (paid before collection, recorded in the ledger).</summary>
public sealed record StatementEntry(DateOnly? Date, string Description, Money Amount, Money Balance);
