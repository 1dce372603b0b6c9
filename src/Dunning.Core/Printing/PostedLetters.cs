using Dunning.Cases;
using Dunning.Common;
using Dunning.Messages;

namespace Dunning.Printing;

/// <summary>
/// Turns the letter a case composed into the PDF that goes into the envelope. The wording is the composed message's
/// plain text as it is today (blank-line separated paragraphs, the last one the sign-off); only the placing is done
/// here, so a new text source only has to keep that shape.
/// </summary>
public static class PostedLetters
{
    /// <summary>The PDF of a letter contact; the "invoice-copy" template sends the invoice copy as a second page.</summary>
    public static byte[] Render(CaseState state, CaseAction.Contact contact, DateOnly date)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(contact);
        var letter = Layout(state, contact.Recipient, contact.Message, date);
        if (contact.Template == "invoice-copy")
        {
            letter = letter with { Invoice = Copy(state, letter.Recipient) };
        }

        return LetterPdf.Render(letter, For(state.Customer.Jurisdiction.Country));
    }

    /// <summary>The invoice as billed, then what happened since, down to the balance due.</summary>
    internal static InvoiceCopy Copy(CaseState state, IReadOnlyList<string> billTo)
    {
        var zero = Money.Zero(state.Currency);
        var adjustments = new List<(string, string)>();
        if (state.TotalPaid > zero)
        {
            adjustments.Add(("Paid", "-" + Currencies.Format(state.TotalPaid)));
        }

        if (state.Credited > zero)
        {
            adjustments.Add(("Credited", "-" + Currencies.Format(state.Credited)));
        }

        if (state.ChargesTotal > zero)
        {
            adjustments.Add(("Late payment charges", Currencies.Format(state.ChargesTotal)));
        }

        var invoice = state.Invoice;
        return new InvoiceCopy(
            invoice.Number,
            invoice.IssueDate,
            invoice.DueDate,
            billTo,
            [($"Invoice {invoice.Number}", Currencies.Format(invoice.Amount))],
            Currencies.Format(invoice.Amount),
            adjustments,
            Currencies.Format(state.Balance.Max(zero)));
    }

    /// <summary>North American customers get US Letter for a #10 envelope; everyone else A4 for a DIN/ISO window envelope.</summary>
    public static Stationery For(string country) => country is "US" or "CA" ? Stationery.UsNo10 : Stationery.Din5008;

    internal static PrintedLetter Layout(CaseState state, Recipient recipient, Message message, DateOnly date)
    {
        var business = state.Policy.Business;
        var blocks = message.Text.Replace("\r\n", "\n", StringComparison.Ordinal)
            .Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .ToList();
        var signature = blocks.Count > 1 ? blocks[^1] : business.OwnerName;
        var body = blocks.Count > 1 ? blocks[..^1] : blocks;
        var note = business.OwnerNote?.Trim();
        var hasNote = !string.IsNullOrEmpty(note) && body.Remove(note);
        return new PrintedLetter(
            [business.Name, .. AddressLines(business.Address), business.Email],
            [recipient.Name, .. AddressLines(recipient.Address)],
            date,
            message.Subject,
            body,
            signature,
            hasNote ? note : null);
    }

    /// <summary>Addresses are stored as one field; lines are split at line breaks or commas.</summary>
    private static IEnumerable<string> AddressLines(string? address) =>
        (address ?? "").Split(['\n', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
