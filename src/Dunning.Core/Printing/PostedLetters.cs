using Dunning.Cases;
using Dunning.Messages;

namespace Dunning.Printing;

/// <summary>
/// Turns the letter a case composed into the PDF that goes into the envelope. The wording is the composed message's
/// plain text as it is today (blank-line separated paragraphs, the last one the sign-off); only the placing is done
/// here, so a new text source only has to keep that shape.
/// </summary>
public static class PostedLetters
{
    public static byte[] Render(CaseState state, Recipient recipient, Message message, DateOnly date)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(recipient);
        ArgumentNullException.ThrowIfNull(message);
        return LetterPdf.Render(Layout(state, recipient, message, date), For(state.Customer.Jurisdiction.Country));
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
