using Dunning.Cases;
using Dunning.Common;
using Dunning.Customers;
using Dunning.Invoices;
using Dunning.Messages;
using Dunning.Policies;
using Dunning.Printing;
using Dunning.Tests.Resolution;
using UglyToad.PdfPig;

namespace Dunning.Tests.Printing;

public class PostedLettersTests
{
    private const double PointsPerMm = 72 / 25.4;
    private static readonly DateOnly Today = new(2026, 1, 31);

    private static (CaseState State, CaseAction.Contact Contact, Message Letter) InvoiceCopy(string jurisdiction)
    {
        var state = CaseBuilder.Case(jurisdiction: jurisdiction, amount: 1234.5m, address: "4 Mill Lane, Leeds LS1 4AP").Paid(200m, new DateOnly(2026, 1, 20));
        var to = new Recipient("Pat Payables", "4 Mill Lane, Leeds LS1 4AP");
        var letter = Letters.Compose(state, new MessageRequest("invoice-copy", Tone.Firm, Channel.Letter, ContactPurpose.Ladder, to, Today));
        return (state, new CaseAction.Contact("letter", ContactPurpose.Ladder, "letter", Channel.Letter, ContactRole.Manager, Tone.Firm, "invoice-copy", to, letter), letter);
    }

    [Theory]
    [InlineData("GB-ENG", 210)]
    [InlineData("US-NY", 215.9)]
    public void The_composed_letter_is_posted_on_the_customers_paper_with_the_address_in_the_window(string jurisdiction, double widthMm)
    {
        var (state, contact, letter) = InvoiceCopy(jurisdiction);
        using var pdf = PdfDocument.Open(PostedLetters.Render(state, contact, Today));
        var page = pdf.GetPage(1);
        var window = PostedLetters.For(state.Customer.Jurisdiction.Country).Window;

        Assert.Equal(widthMm, page.Width / PointsPerMm, 0.5);
        var inWindow = page.GetWords()
            .Where(w => w.BoundingBox.Left >= window.Left * PointsPerMm && w.BoundingBox.Right <= window.Right * PointsPerMm
                && w.BoundingBox.Top <= page.Height - (window.Top * PointsPerMm) && w.BoundingBox.Bottom >= page.Height - (window.Bottom * PointsPerMm))
            .Select(w => w.Text)
            .ToList();
        Assert.Equal(["Pat", "Payables", "4", "Mill", "Lane", "Leeds", "LS1", "4AP"], inWindow.Where(w => !w.Contains("Street", StringComparison.Ordinal)).SkipWhile(w => w != "Pat"));
    }

    [Fact]
    public void The_owners_note_is_written_by_hand_and_the_body_keeps_the_amount_and_the_sign_off()
    {
        var (state, contact, letter) = InvoiceCopy("GB-ENG");
        using var pdf = PdfDocument.Open(PostedLetters.Render(state, contact, Today));
        var words = string.Join(" ", pdf.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text));
        var italic = string.Concat(pdf.GetPages().SelectMany(p => p.Letters).Where(l => l.FontName?.Contains("Italic", StringComparison.Ordinal) == true).Select(l => l.Value));

        Assert.Equal(DefaultPolicy.Value.Business.OwnerNote!.Replace(" ", "", StringComparison.Ordinal), italic.Replace(" ", "", StringComparison.Ordinal));
        Assert.Contains(letter.Subject, words, StringComparison.Ordinal);
        Assert.Contains("Amount owed:", words, StringComparison.Ordinal);
        Assert.Contains("31 January 2026", words, StringComparison.Ordinal);
        Assert.Contains("Kind regards,", words, StringComparison.Ordinal);
    }

    [Fact]
    public void The_invoice_copy_is_its_own_page_with_the_amount_due_circled()
    {
        var (state, contact, _) = InvoiceCopy("GB-ENG");
        var bytes = PostedLetters.Render(state, contact, Today);
        using var pdf = PdfDocument.Open(bytes);

        Assert.Equal(2, pdf.NumberOfPages);
        var page = pdf.GetPage(2);
        var words = string.Join(" ", page.GetWords().Select(w => w.Text));
        Assert.Contains("Invoice 1001", words, StringComparison.Ordinal);
        Assert.Contains("Due date 1 January 2026", words, StringComparison.Ordinal);
        Assert.Contains("Description Qty Unit price Amount Invoice 1001 1 $1,234.50 $1,234.50 Total $1,234.50", words, StringComparison.Ordinal);
        Assert.Contains("Paid -$200.00", words, StringComparison.Ordinal);
        Assert.Contains("Amount due $1,034.50", words, StringComparison.Ordinal);

        // The circle is a closed curve drawn around the amount due: its bounds hold the amount's words.
        var amount = page.GetWords().Last(w => w.Text == "$1,034.50").BoundingBox;
        var circle = Assert.Single(page.Paths, p => p.IsStroked && p.GetBoundingRectangle() is { } r && r.Width > amount.Width && r.Height > 10 && r.Height < 40).GetBoundingRectangle()!.Value;
        Assert.True(circle.Left < amount.Left && circle.Right > amount.Right && circle.Bottom < amount.Bottom && circle.Top > amount.Top, "the ellipse surrounds the amount due");
    }

    [Fact]
    public void The_invoice_copy_lists_the_imported_line_items_with_quantity_unit_price_and_line_total()
    {
        var (state, contact, _) = InvoiceCopy("GB-ENG");
        state = state with
        {
            Invoice = state.Invoice with
            {
                Lines = ValueList.Of(
                    new InvoiceLine("Sourdough loaves", 40m, 25m),
                    new InvoiceLine("Wedding cake, three tiers, delivered and assembled at the venue on the morning of the day", 1m, 234.5m)),
            },
        };
        using var pdf = PdfDocument.Open(PostedLetters.Render(state, contact, Today));

        var words = string.Join(" ", pdf.GetPage(2).GetWords().Select(w => w.Text));
        Assert.Contains("Sourdough loaves 40 $25.00 $1,000.00", words, StringComparison.Ordinal);
        Assert.Contains("Wedding cake, three tiers, delivered", words, StringComparison.Ordinal);
        Assert.Contains("1 $234.50 $234.50", words, StringComparison.Ordinal);
        Assert.Contains("Total $1,234.50", words, StringComparison.Ordinal);
        Assert.DoesNotContain("Invoice 1001 1 $1,234.50", words, StringComparison.Ordinal);
        Assert.Contains("Amount due $1,034.50", words, StringComparison.Ordinal);
    }

    [Fact]
    public void A_long_invoice_copy_runs_on_to_further_pages_and_nothing_is_printed_below_the_margin()
    {
        var (state, contact, _) = InvoiceCopy("GB-ENG");
        var lines = Enumerable.Range(1, 60).Select(i => new InvoiceLine($"Item {i}", 1m, i == 60 ? 54.5m : 20m)).ToList();
        state = state with { Invoice = state.Invoice with { Lines = lines.ToValueList() } };
        Assert.Equal(1234.5m, lines.Sum(l => l.Total));
        using var pdf = PdfDocument.Open(PostedLetters.Render(state, contact, Today));

        Assert.True(pdf.NumberOfPages >= 3, $"the copy runs on to a further page ({pdf.NumberOfPages} pages)");
        var copy = pdf.GetPages().Skip(1).SelectMany(p => p.GetWords().Select(w => w.Text)).ToList();
        Assert.All(Enumerable.Range(1, 60), i => Assert.Contains(copy.Select((w, n) => n + 1 < copy.Count ? $"{w} {copy[n + 1]}" : w), pair => pair == $"Item {i}"));
        Assert.Contains("$1,034.50", copy);
        var bottomMargin = 20 * PointsPerMm;
        Assert.All(pdf.GetPages(), page => Assert.DoesNotContain(page.GetWords(), w => w.BoundingBox.Bottom < bottomMargin - 3));
    }

    [Theory]
    [InlineData("GB-ENG", "12 High St, Leeds, LS1 4AB", new[] { "12 High St", "Leeds", "LS1 4AB" })]
    [InlineData("GB-ENG", "Flat 2\n12 High St,Leeds\nLS1 4AB", new[] { "Flat 2", "12 High St", "Leeds", "LS1 4AB" })]
    [InlineData("US-NY", "350 Fifth Avenue, New York, NY 10118", new[] { "350 Fifth Avenue", "New York, NY 10118" })]
    [InlineData("CA-ON", "100 Queen St W, Toronto, ON M5H 2N2", new[] { "100 Queen St W", "Toronto, ON M5H 2N2" })]
    public void An_address_written_on_one_line_with_commas_is_printed_one_part_per_line_in_the_window(string jurisdiction, string address, string[] expected)
    {
        Assert.Equal(["Pat Payables", .. expected], WindowLines(jurisdiction, address));
    }

    [Fact]
    public void An_address_longer_than_the_window_keeps_the_town_and_postcode_on_their_own_lines_inside_it()
    {
        var lines = WindowLines("US-NY", "Attn Accounts Payable, Suite 400, Building 7, Harbor Park, 350 Fifth Avenue, New York, NY 10118");

        Assert.Equal("Pat Payables", lines[0]);
        Assert.StartsWith("Attn Accounts Payable, Suite 400", lines[1], StringComparison.Ordinal);
        Assert.Equal(["Harbor Park", "350 Fifth Avenue", "New York, NY 10118"], lines[^3..]);
        Assert.Equal(5, lines.Count);
    }

    /// <summary>The words inside the envelope window grouped by baseline, top to bottom: one entry per printed line.</summary>
    private static List<string> WindowLines(string jurisdiction, string address, CustomerKind kind = CustomerKind.Consumer)
    {
        var state = CaseBuilder.Case(jurisdiction: jurisdiction, amount: 1234.5m, kind: kind, address: address);
        var to = new Recipient("Pat Payables", address);
        var letter = Letters.Compose(state, new MessageRequest("invoice-copy", Tone.Firm, Channel.Letter, ContactPurpose.Ladder, to, Today));
        var contact = new CaseAction.Contact("letter", ContactPurpose.Ladder, "letter", Channel.Letter, ContactRole.Manager, Tone.Firm, "invoice-copy", to, letter);
        using var pdf = PdfDocument.Open(PostedLetters.Render(state, contact, Today));
        var page = pdf.GetPage(1);
        var window = PostedLetters.For(state.Customer.Jurisdiction.Country).Window;
        return page.GetWords()
            .Where(w => w.BoundingBox.Left >= window.Left * PointsPerMm && w.BoundingBox.Right <= window.Right * PointsPerMm
                && w.BoundingBox.Top <= page.Height - (window.Top * PointsPerMm) && w.BoundingBox.Bottom >= page.Height - (window.Bottom * PointsPerMm))
            .GroupBy(w => Math.Round(w.BoundingBox.Bottom))
            .OrderByDescending(g => g.Key)
            .Select(g => string.Join(" ", g.OrderBy(w => w.BoundingBox.Left).Select(w => w.Text)))
            .SkipWhile(line => line != "Pat Payables" && line != state.Customer.Name)
            .ToList();
    }

    [Fact]
    public void A_business_is_written_to_by_its_name_for_the_attention_of_the_contact_and_a_person_by_name()
    {
        var business = WindowLines("GB-ENG", "12 High St, Leeds, LS1 4AB", CustomerKind.Business);
        var person = WindowLines("GB-ENG", "12 High St, Leeds, LS1 4AB", CustomerKind.Consumer);

        Assert.Equal([CaseBuilder.Case(kind: CustomerKind.Business).Customer.Name, "Attn: Pat Payables", "12 High St", "Leeds", "LS1 4AB"], business);
        Assert.Equal(["Pat Payables", "12 High St", "Leeds", "LS1 4AB"], person);
    }

    [Fact]
    public void The_letter_of_claim_encloses_the_pre_action_protocol_pages()
    {
        var state = CaseBuilder.Case(jurisdiction: "GB-ENG", amount: 1234.5m, kind: CustomerKind.Consumer, address: "4 Mill Lane, Leeds LS1 4AP")
            .Paid(200m, new DateOnly(2026, 1, 20), "BACS 0042");
        var to = new Recipient("Pat Payables", "4 Mill Lane, Leeds LS1 4AP");
        var letter = Letters.Compose(state, new MessageRequest("letter-of-claim", Tone.Final, Channel.Letter, ContactPurpose.PreActionLetter, to, Today, Today.AddDays(30)));
        var contact = new CaseAction.Contact("pre-action-letter", ContactPurpose.PreActionLetter, "pre-action-letter", Channel.Letter, ContactRole.Owner, Tone.Final, "letter-of-claim", to, letter);
        using var pdf = PdfDocument.Open(PostedLetters.Render(state, contact, Today));

        var titles = pdf.GetPages().Skip(1).Select(p => string.Join(" ", p.GetWords().Select(w => w.Text))).ToList();
        Assert.Equal(5, titles.Count);
        Assert.StartsWith("Statement of account", titles[0], StringComparison.Ordinal);
        Assert.Contains("2 Dec 2025: Invoice 1001 (due 2026-01-01): $1,234.50 (balance $1,234.50)", titles[0], StringComparison.Ordinal);
        Assert.Contains("20 Jan 2026: Payment BACS 0042 (test): -$200.00 (balance $1,034.50)", titles[0], StringComparison.Ordinal);
        Assert.Contains("Balance due: $1,034.50", titles[0], StringComparison.Ordinal);
        Assert.StartsWith("Interest and charges", titles[1], StringComparison.Ordinal);
        Assert.StartsWith("Information Sheet (Annex 1", titles[2], StringComparison.Ordinal);
        Assert.StartsWith("Reply Form (Annex 1", titles[3], StringComparison.Ordinal);
        Assert.Contains("Box D: I dispute the debt", titles[3], StringComparison.Ordinal);
        Assert.StartsWith("Financial Statement (Annex 1", titles[4], StringComparison.Ordinal);
    }
    [Fact]
    public void A_german_customers_letter_has_its_date_invoice_page_and_amounts_in_german()
    {
        var opened = CaseBuilder.Case(jurisdiction: "DE", amount: 1234.5m, currency: "EUR", address: "Mühlenweg 3, 10115 Berlin").Paid(200m, new DateOnly(2026, 1, 20));
        var state = opened with { Customer = opened.Customer with { Language = "de-DE" } };
        var to = new Recipient("Petra Berg", "Mühlenweg 3, 10115 Berlin");
        var letter = Letters.Compose(state, new MessageRequest("invoice-copy", Tone.Firm, Channel.Letter, ContactPurpose.Ladder, to, Today));
        var contact = new CaseAction.Contact("letter", ContactPurpose.Ladder, "letter", Channel.Letter, ContactRole.Manager, Tone.Firm, "invoice-copy", to, letter);

        using var pdf = PdfDocument.Open(PostedLetters.Render(state, contact, Today));
        var first = string.Join(" ", pdf.GetPage(1).GetWords().Select(w => w.Text));
        var copy = string.Join(" ", pdf.GetPage(2).GetWords().Select(w => w.Text)).Replace('\u00A0', ' ');

        Assert.Contains("31. Januar 2026", first, StringComparison.Ordinal);
        Assert.Contains("z. Hd. Petra Berg", first, StringComparison.Ordinal);
        Assert.StartsWith("Rechnung " + state.Invoice.Number + " KOPIE", copy, StringComparison.Ordinal);
        Assert.Contains("Rechnungsempfänger", copy, StringComparison.Ordinal);
        Assert.Contains("Bezahlt -200,00 €", copy, StringComparison.Ordinal);
        Assert.Contains("Offener Betrag 1.034,50 €", copy, StringComparison.Ordinal);
        Assert.DoesNotContain("Amount due", copy, StringComparison.Ordinal);
    }
}
