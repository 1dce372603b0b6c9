using Dunning.Cases;
using Dunning.Customers;
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

    private static (CaseState State, Recipient To, Message Letter) InvoiceCopy(string jurisdiction)
    {
        var state = CaseBuilder.Case(jurisdiction: jurisdiction, amount: 1234.5m, address: "4 Mill Lane, Leeds LS1 4AP");
        var to = new Recipient("Pat Payables", "4 Mill Lane, Leeds LS1 4AP");
        return (state, to, Letters.Compose(state, new MessageRequest("invoice-copy", Tone.Firm, Channel.Letter, ContactPurpose.Ladder, to, Today)));
    }

    [Theory]
    [InlineData("GB-ENG", 210)]
    [InlineData("US-NY", 215.9)]
    public void The_composed_letter_is_posted_on_the_customers_paper_with_the_address_in_the_window(string jurisdiction, double widthMm)
    {
        var (state, to, letter) = InvoiceCopy(jurisdiction);
        using var pdf = PdfDocument.Open(PostedLetters.Render(state, to, letter, Today));
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
        var (state, to, letter) = InvoiceCopy("GB-ENG");
        using var pdf = PdfDocument.Open(PostedLetters.Render(state, to, letter, Today));
        var words = string.Join(" ", pdf.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text));
        var italic = string.Concat(pdf.GetPages().SelectMany(p => p.Letters).Where(l => l.FontName?.Contains("Italic", StringComparison.Ordinal) == true).Select(l => l.Value));

        Assert.Equal(DefaultPolicy.Value.Business.OwnerNote!.Replace(" ", "", StringComparison.Ordinal), italic.Replace(" ", "", StringComparison.Ordinal));
        Assert.Contains(letter.Subject, words, StringComparison.Ordinal);
        Assert.Contains("Amount owed:", words, StringComparison.Ordinal);
        Assert.Contains("31 January 2026", words, StringComparison.Ordinal);
        Assert.Contains("Kind regards,", words, StringComparison.Ordinal);
    }
}
