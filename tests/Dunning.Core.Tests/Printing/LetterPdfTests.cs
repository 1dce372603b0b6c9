using Dunning.Printing;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;

namespace Dunning.Tests.Printing;

public class LetterPdfTests
{
    private const double PointsPerMm = 72 / 25.4;

    public static readonly PrintedLetter Letter = new(
        ["Harbor Bakery", "12 Quay Street", "Portsmouth PO1 2AB", "accounts@harbor.example"],
        ["Pat Payables", "Slow Payers Ltd", "4 Mill Lane", "Leeds LS1 4AP"],
        new DateOnly(2026, 1, 31),
        "Invoice INV-1001: 1,034.50 GBP is 30 days overdue",
        [
            "Our invoice INV-1001 of 1 December 2025 was due on 31 December 2025 and is now 30 days overdue.",
            "Amount owed: 1,034.50 GBP. Please pay by 14 February 2026.",
            "How to pay:\n  - Bank transfer to Harbor Bakery, sort code 12-34-56, account 12345678, reference INV-1001",
        ],
        "Kind regards,\nSam Baker, Harbor Bakery",
        "Pat, could you look at this one for me? Thanks! Sam");

    public static TheoryData<string> Papers => new() { nameof(Stationery.Din5008), nameof(Stationery.UsNo10) };

    private static Stationery Paper(string name) => name == nameof(Stationery.Din5008) ? Stationery.Din5008 : Stationery.UsNo10;

    [Theory]
    [MemberData(nameof(Papers))]
    public void The_recipient_address_and_return_line_show_through_the_envelope_window(string paperName)
    {
        var paper = Paper(paperName);
        using var pdf = PdfDocument.Open(LetterPdf.Render(Letter, paper));
        var page = pdf.GetPage(1);
        Assert.Equal(paper.WidthMm, page.Width / PointsPerMm, 0.5);

        foreach (var word in new[] { "Pat", "Payables", "Mill", "LS1", "4AP", "Quay" })
        {
            var found = WordsIn(page, paper.Window).Select(w => w.Text).ToList();
            Assert.Contains(word, found);
        }

        // The body does not show through the window.
        Assert.DoesNotContain("overdue.", WordsIn(page, paper.Window).Select(w => w.Text));
    }

    [Fact]
    public void The_letter_carries_date_subject_body_signature_and_the_owners_note()
    {
        using var pdf = PdfDocument.Open(LetterPdf.Render(Letter, Stationery.Din5008));
        var text = string.Join(" ", pdf.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text));
        Assert.Contains("31 January 2026", text, StringComparison.Ordinal);
        Assert.Contains("Invoice INV-1001: 1,034.50 GBP is 30 days overdue", text, StringComparison.Ordinal);
        Assert.Contains("sort code 12-34-56", text, StringComparison.Ordinal);
        Assert.Contains("Sam Baker, Harbor Bakery", text, StringComparison.Ordinal);
        // The note is tilted, so it is read letter by letter (word grouping assumes level lines).
        var note = string.Concat(pdf.GetPage(1).Letters.Where(l => l.FontName?.Contains("Italic", StringComparison.Ordinal) == true).Select(l => l.Value));
        Assert.Equal("Pat,couldyoulookatthisoneforme?Thanks!Sam", note.Replace(" ", "", StringComparison.Ordinal));
    }

    [Fact]
    public void A_long_letter_flows_onto_a_second_page_instead_of_running_off_the_paper()
    {
        var paragraphs = Enumerable.Range(1, 40).Select(i => $"Paragraph {i} explains one more thing about the invoice and how to pay it.").ToList();
        using var pdf = PdfDocument.Open(LetterPdf.Render(Letter with { Paragraphs = paragraphs }, Stationery.Din5008));
        Assert.True(pdf.NumberOfPages >= 2);
        var bottom = 20 * PointsPerMm;
        Assert.All(pdf.GetPages().SelectMany(p => p.GetWords()), w => Assert.True(w.BoundingBox.Bottom >= bottom - 1, $"'{w.Text}' is inside the bottom margin"));
        Assert.Contains("Paragraph 40", string.Join(" ", pdf.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text)), StringComparison.Ordinal);
    }

    [Fact]
    public void A_letter_without_a_recipient_address_is_refused_with_a_clear_reason()
    {
        var error = Assert.Throws<ArgumentException>(() => LetterPdf.Render(Letter with { Recipient = [] }, Stationery.Din5008));
        Assert.Contains("recipient address", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Words whose whole box lies inside the window (PDF y runs up from the bottom of the page).</summary>
    private static IEnumerable<Word> WordsIn(Page page, RectangleMm window)
    {
        var left = window.Left * PointsPerMm;
        var right = window.Right * PointsPerMm;
        var top = page.Height - (window.Top * PointsPerMm);
        var bottom = page.Height - (window.Bottom * PointsPerMm);
        return page.GetWords().Where(w => w.BoundingBox.Left >= left && w.BoundingBox.Right <= right && w.BoundingBox.Top <= top && w.BoundingBox.Bottom >= bottom);
    }
}
