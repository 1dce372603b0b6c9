using System.Globalization;
using System.Text.RegularExpressions;
using Dunning.Cases;
using Dunning.Common;
using Dunning.Customers;
using Dunning.Messages;

namespace Dunning.Printing;

/// <summary>
/// Turns the letter a case composed into the PDF that goes into the envelope. The wording is the composed message's
/// plain text as it is today (blank-line separated paragraphs, the last one the sign-off); only the placing is done
/// here, so a new text source only has to keep that shape.
/// </summary>
public static partial class PostedLetters
{
    /// <summary>The PDF of a letter contact; the "invoice-copy" template sends the invoice copy as a second page.</summary>
    public static byte[] Render(CaseState state, CaseAction.Contact contact, DateOnly date)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(contact);
        var words = PrintedWords.For(state, contact.Template);
        var letter = Layout(state, contact.Recipient, contact.Message, date, words);
        if (contact.Template == "invoice-copy")
        {
            letter = letter with { Invoice = Copy(state, letter.Recipient, words) };
        }

        if (contact.Template == "letter-of-claim")
        {
            letter = letter with { Enclosures = PreActionEnclosures(state, date) };
        }

        return LetterPdf.Render(letter, For(state.Customer.Jurisdiction.Country));
    }

    /// <summary>
    /// What the Pre-Action Protocol for Debt Claims (England and Wales, para 3.1 and Annex 1) says a Letter of Claim to
    /// an individual or sole trader encloses: an up-to-date statement of account (the evidence bundle's entries, each
    /// dated with the balance after it), whether interest or charges continue,
    /// the Information Sheet, the Reply Form and a financial statement. These pages carry the structure and the facts
    /// of the case only; the protocol's own wording is not reproduced here and must be taken from the official
    /// protocol page (docs/local-host.md says so).
    /// </summary>
    internal static IReadOnlyList<Enclosure> PreActionEnclosures(CaseState state, DateOnly date)
    {
        var copy = Copy(state, []);
        var interest = state.Policy.LateCharges.ContractualAnnualInterestPercent;
        var on = date.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);
        return
        [
            new("Statement of account", [
                $"Statement of account as at {on}.",
                .. StatementOfAccount.Of(state, date).Entries.Select(e =>
                    $"{(e.Date is { } day ? day.ToString("d MMM yyyy", CultureInfo.InvariantCulture) + ": " : "")}{e.Description}: {Currencies.Format(e.Amount)} (balance {Currencies.Format(e.Balance)})"),
                $"Balance due: {copy.AmountDue}"]),
            new("Interest and charges", [
                interest > 0
                    ? $"Interest continues to be added at {interest.ToString("0.##", CultureInfo.InvariantCulture)}% a year under our terms of business until the debt is paid."
                    : "No further interest or charges are being added to this debt.",
                state.ChargesTotal > Money.Zero(state.Currency) ? $"Charges added so far: {Currencies.Format(state.ChargesTotal)} (included in the statement of account)." : "No charges have been added so far."]),
            new("Information Sheet (Annex 1, Pre-Action Protocol for Debt Claims)", [
                "Enclose here the Information Sheet from Annex 1 of the Pre-Action Protocol for Debt Claims, in its official wording:",
                "https://www.justice.gov.uk/courts/procedure-rules/civil/protocol/pre-action-protocol-for-debt-claims",
                $"You should reply within 30 days of the date of this letter ({on}). Send the Reply Form to {state.Policy.Business.Name}, {state.Policy.Business.Address ?? state.Policy.Business.Email}."]),
            new("Reply Form (Annex 1, Pre-Action Protocol for Debt Claims)", [
                $"Debt: invoice {copy.Number}, balance {copy.AmountDue}. Return this form to {state.Policy.Business.Name}, {state.Policy.Business.Address ?? state.Policy.Business.Email}.",
                "[ ] Box A: I admit the debt",
                "[ ] Box B: I admit part of the debt",
                "[ ] Box C: I do not know / I need documents or advice",
                "[ ] Box D: I dispute the debt",
                "Use the official Reply Form wording from Annex 1 of the protocol (link on the Information Sheet page).",
                "Name: ____________________   Signed: ____________________   Date: __________"]),
            new("Financial Statement (Annex 1, Pre-Action Protocol for Debt Claims)", [
                "Use the official financial statement form named in Annex 1 of the protocol (link on the Information Sheet page).",
                "Income each month: ____________________",
                "Outgoings each month: ____________________",
                "Other debts: ____________________",
                "What I can pay each month: ____________________"]),
        ];
    }

    /// <summary>
    /// The invoice as billed (its line items, or the invoice as one line when the import gave none), then what
    /// happened since, down to the balance due.
    /// </summary>
    internal static InvoiceCopy Copy(CaseState state, IReadOnlyList<string> billTo, PrintedWords? words = null)
    {
        words ??= PrintedWords.English;
        var zero = Money.Zero(state.Currency);
        var adjustments = new List<(string, string)>();
        if (state.TotalPaid > zero)
        {
            adjustments.Add((words.Paid, "-" + words.Money(state.TotalPaid)));
        }

        if (state.Credited > zero)
        {
            adjustments.Add((words.Credited, "-" + words.Money(state.Credited)));
        }

        if (state.ChargesTotal > zero)
        {
            adjustments.Add((words.LateCharges, words.Money(state.ChargesTotal)));
        }

        var invoice = state.Invoice;
        string Price(decimal amount) => words.Money(new Money(amount, invoice.Amount.Currency));
        IReadOnlyList<InvoiceCopyLine> lines = invoice.Lines is { Count: > 0 } billed
            ? [.. billed.Select(l => new InvoiceCopyLine(l.Description, l.Quantity.ToString("0.####", words.Culture), Price(l.UnitPrice), Price(l.Total)))]
            : [new InvoiceCopyLine($"{words.Invoice} {invoice.Number}", "1", words.Money(invoice.Amount), words.Money(invoice.Amount))];
        return new InvoiceCopy(
            invoice.Number,
            invoice.IssueDate,
            invoice.DueDate,
            billTo,
            lines,
            words.Money(invoice.Amount),
            adjustments,
            words.Money(state.Balance.Max(zero)));
    }

    /// <summary>North American customers get US Letter for a #10 envelope; everyone else A4 for a DIN/ISO window envelope.</summary>
    public static Stationery For(string country) => country is "US" or "CA" ? Stationery.UsNo10 : Stationery.Din5008;

    internal static PrintedLetter Layout(CaseState state, Recipient recipient, Message message, DateOnly date, PrintedWords? words = null)
    {
        words ??= PrintedWords.English;
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
            [.. Addressee(state, recipient, words), .. AddressLines(recipient.Address)],
            date,
            message.Subject,
            body,
            signature,
            hasNote ? note : null)
        {
            Words = words,
        };
    }

    /// <summary>
    /// Who the window names: a person (a consumer, a sole trader) by name; a business by its name, for the attention of
    /// the contact the step writes to ("Office Manager" alone on an envelope reaches no one at Rocky Mountain Rentals).
    /// </summary>
    internal static IReadOnlyList<string> Addressee(CaseState state, Recipient recipient, PrintedWords words)
    {
        var customer = state.Customer.Name;
        return state.Customer.Kind == CustomerKind.Business && !string.Equals(recipient.Name.Trim(), customer.Trim(), StringComparison.OrdinalIgnoreCase)
            ? [customer, $"{words.Attention} {recipient.Name}"]
            : [recipient.Name];
    }

    /// <summary>
    /// Addresses are stored as one field, often typed on one line: it is split at line breaks and commas, one part
    /// per line in the window. A North American state or province with its postal code stays on the town's line
    /// ("New York, NY 10118"), where the postal services expect the last line to read town, state and code.
    /// </summary>
    internal static IReadOnlyList<string> AddressLines(string? address)
    {
        var lines = new List<string>();
        foreach (var part in (address ?? "").Split(['\n', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (lines.Count > 0 && StateAndPostalCode().IsMatch(part))
            {
                lines[^1] = $"{lines[^1]}, {part}";
            }
            else
            {
                lines.Add(part);
            }
        }

        return lines;
    }

    /// <summary>"NY 10118", "NY 10118-0110", "ON M5H 2N2".</summary>
    [GeneratedRegex(@"^[A-Z]{2}\s+(\d{5}(-\d{4})?|[A-Z]\d[A-Z]\s?\d[A-Z]\d)$", RegexOptions.CultureInvariant)]
    private static partial Regex StateAndPostalCode();
}
