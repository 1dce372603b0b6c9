namespace Dunning.Printing;

/// <summary>
/// A posted letter as its parts, independent of where the wording comes from (today Messages/Letters, later the
/// per-language templates): the layout only places these parts on paper. <see cref="Signature"/> is the sign-off
/// as written ("Kind regards,", a name, a contact line), one line per line break.
/// </summary>
public sealed record PrintedLetter(
    IReadOnlyList<string> Sender,
    IReadOnlyList<string> Recipient,
    DateOnly Date,
    string Subject,
    IReadOnlyList<string> Paragraphs,
    string Signature,
    string? Note = null,
    InvoiceCopy? Invoice = null)
{
    /// <summary>The page's own words (the date, the invoice copy's labels) in the letter's language; English unless set.</summary>
    public PrintedWords Words { get; init; } = PrintedWords.English;

    /// <summary>Enclosures printed after the letter, each on its own page (the Letter of Claim's annexes).</summary>
    public IReadOnlyList<Enclosure> Enclosures { get; init; } = [];

    /// <summary>
    /// The one-line return address printed above the recipient inside the window, so the post can send it back:
    /// the postal lines of the sender block only (an email address is no use to the post).
    /// </summary>
    public string ReturnLine => ReturnLineOf(Sender);

    /// <summary>The return line of a sender block (its postal lines, joined).</summary>
    public static string ReturnLineOf(IReadOnlyList<string> sender) =>
        string.Join(" · ", sender.Where(line => !line.Contains('@', StringComparison.Ordinal)));
}

/// <summary>An enclosure page: a title and its paragraphs (a line starting with "[ ]" is a tick box or a line to fill in).</summary>
public sealed record Enclosure(string Title, IReadOnlyList<string> Paragraphs);

/// <summary>
/// The copy of the unpaid invoice sent with a letter, as its own page: what was billed (<see cref="Lines"/>, the
/// invoice's line items as imported, or the invoice as one line when it has none), what has happened since (<see cref="Adjustments"/>: payments, credits,
/// charges) and the amount due, which is circled by hand so it catches the eye.
/// </summary>
public sealed record InvoiceCopy(
    string Number,
    DateOnly IssueDate,
    DateOnly DueDate,
    IReadOnlyList<string> BillTo,
    IReadOnlyList<InvoiceCopyLine> Lines,
    string Total,
    IReadOnlyList<(string Description, string Amount)> Adjustments,
    string AmountDue);

/// <summary>A billed line as printed: quantity and amounts already formatted in the invoice's currency.</summary>
public sealed record InvoiceCopyLine(string Description, string Quantity, string UnitPrice, string Amount);

/// <summary>
/// Paper and envelope window, in millimetres from the top-left corner of the sheet. The recipient address must sit
/// inside <see cref="Window"/> below the return line zone, or the envelope shows the wrong text.
/// </summary>
public sealed record Stationery(string Name, double WidthMm, double HeightMm, RectangleMm Window, double ReturnZoneMm, IReadOnlyList<double> FoldMarksMm)
{
    /// <summary>A4 per DIN 5008 form B for C5/6 and DL window envelopes: window 20 mm from the left, 45 mm from the top, 85 × 45 mm.</summary>
    public static readonly Stationery Din5008 = new("DIN 5008 form B (A4, C5/6 or DL window)", 210, 297, new(20, 45, 85, 45), 17.7, [105, 210]);

    /// <summary>US Letter folded in three for a #10 window envelope: window 7/8 in from the left, 2 in from the top, 4 × 1 1/8 in.</summary>
    public static readonly Stationery UsNo10 = new("US Letter, #10 window envelope", 215.9, 279.4, new(22.2, 50.8, 101.6, 28.6), 5, [93.1, 186.2]);
}

/// <summary>A rectangle on the sheet in millimetres.</summary>
public readonly record struct RectangleMm(double Left, double Top, double Width, double Height)
{
    public double Right => Left + Width;

    public double Bottom => Top + Height;
}
