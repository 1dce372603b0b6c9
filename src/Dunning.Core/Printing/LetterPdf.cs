using System.Globalization;
using Dunning.Common;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Dunning.Printing;

/// <summary>
/// Lays a <see cref="PrintedLetter"/> out on paper for a window envelope: sender block top right, return line and
/// recipient in the window, date, subject, body, signature and the owner's note in a hand-written style (italic, ink
/// blue, slightly tilted) so it reads as a personal word rather than a computer bill.
/// </summary>
public static class LetterPdf
{
    private const double BodyLeftMm = 25;
    private const double BodyRightMm = 20;
    private const double BottomMarginMm = 20;

    private static readonly XColor Ink = XColor.FromArgb(0x1A, 0x3A, 0x8C);

    public static byte[] Render(PrintedLetter letter, Stationery paper)
    {
        ArgumentNullException.ThrowIfNull(letter);
        ArgumentNullException.ThrowIfNull(paper);
        if (letter.Recipient.Count == 0)
        {
            throw new ArgumentException("A posted letter needs a recipient address; the customer has none.", nameof(letter));
        }

        LetterFonts.Register();
        using var document = new PdfDocument();
        document.Info.Title = letter.Subject;
        var sheet = new Sheet(document, paper);
        sheet.Letterhead(letter);
        sheet.Body(letter);
        if (letter.Invoice is { } invoice)
        {
            sheet.InvoicePage(letter, invoice);
        }

        foreach (var enclosure in letter.Enclosures)
        {
            sheet.EnclosurePage(enclosure);
        }

        using var output = new MemoryStream();
        sheet.Dispose();
        document.Save(output, false);
        return output.ToArray();
    }

    /// <summary>
    /// A statement of account on the same paper as the letters: business top right, debtor in the window (so it can
    /// be posted), then every entry with its date, amount and the running balance, and the amount due.
    /// </summary>
    public static byte[] Render(StatementOfAccount statement, Stationery paper)
    {
        ArgumentNullException.ThrowIfNull(statement);
        ArgumentNullException.ThrowIfNull(paper);
        LetterFonts.Register();
        using var document = new PdfDocument();
        document.Info.Title = $"Statement of account, invoice {statement.InvoiceNumber}";
        var sheet = new Sheet(document, paper);
        sheet.Letterhead(statement.Business, statement.Debtor, statement.AsOf, PrintedWords.English);
        sheet.Statement(statement);
        using var output = new MemoryStream();
        sheet.Dispose();
        document.Save(output, false);
        return output.ToArray();
    }

    private static double Pt(double mm) => XUnit.FromMillimeter(mm).Point;

    /// <summary>
    /// An address with more lines than the window holds keeps the name and its last lines (street, town, postcode:
    /// what the post reads) and joins the lines in between onto one, which is shortened if it is still too wide;
    /// a line below the window would be hidden by the envelope.
    /// </summary>
    private static IReadOnlyList<string> WindowLines(IReadOnlyList<string> lines, int room)
    {
        if (lines.Count <= room || room < 3)
        {
            return lines;
        }

        var joined = lines.Count - room + 1;
        return [lines[0], string.Join(", ", lines.Skip(1).Take(joined)), .. lines.Skip(1 + joined)];
    }

    /// <summary>The page being drawn; starts a new page when the body runs past the bottom margin.</summary>
    private sealed class Sheet(PdfDocument document, Stationery paper) : IDisposable
    {
        private readonly XFont body = new(LetterFonts.Family, 11);
        private readonly XFont bold = new(LetterFonts.Family, 11, XFontStyleEx.Bold);
        private readonly XFont small = new(LetterFonts.Family, 7);
        private readonly XFont hand = new(LetterFonts.Family, 13, XFontStyleEx.Italic);
        private XGraphics? gfx;
        private double y;

        private XGraphics G => gfx ?? NewPage();

        public void Letterhead(PrintedLetter letter) => Letterhead(letter.Sender, letter.Recipient, letter.Date, letter.Words);

        public void Letterhead(IReadOnlyList<string> sender, IReadOnlyList<string> recipient, DateOnly date, PrintedWords words)
        {
            var g = NewPage();
            var right = Pt(paper.WidthMm - BodyRightMm);
            var top = Pt(20);
            for (var i = 0; i < sender.Count; i++)
            {
                g.DrawString(sender[i], i == 0 ? bold : body, XBrushes.Black, new XPoint(right, top + (i * 14)), XStringFormats.BaseLineRight);
            }

            var window = paper.Window;
            g.DrawString(Fit(g, PrintedLetter.ReturnLineOf(sender), small, Pt(window.Width - 5)), small, XBrushes.DimGray, new XPoint(Pt(window.Left + 5), Pt(window.Top + 4)), XStringFormats.BaseLineLeft);
            g.DrawLine(new XPen(XColors.DimGray, 0.3), Pt(window.Left + 5), Pt(window.Top + 5), Pt(window.Right - 5), Pt(window.Top + 5));
            var line = Pt(window.Top + paper.ReturnZoneMm) + 10;
            // Room for whole lines, descenders included, above the window's lower edge.
            var room = (int)Math.Floor((Pt(window.Bottom) - 2.5 - line) / 13) + 1;
            foreach (var address in WindowLines(recipient, room))
            {
                g.DrawString(Fit(g, address, body, Pt(window.Width - 10)), body, XBrushes.Black, new XPoint(Pt(window.Left + 5), line), XStringFormats.BaseLineLeft);
                line += 13;
            }

            foreach (var mark in paper.FoldMarksMm)
            {
                g.DrawLine(new XPen(XColors.Gray, 0.3), Pt(3), Pt(mark), Pt(8), Pt(mark));
            }

            y = Pt(window.Bottom + 8);
            g.DrawString(words.Date(date), body, XBrushes.Black, new XPoint(right, y), XStringFormats.BaseLineRight);
            y += 24;
        }

        public void Body(PrintedLetter letter)
        {
            Lines(letter.Subject, bold, XBrushes.Black);
            y += 10;
            foreach (var paragraph in letter.Paragraphs)
            {
                foreach (var part in paragraph.Split('\n'))
                {
                    Lines(part, body, XBrushes.Black);
                }

                y += 7;
            }

            if (letter.Note is { } note)
            {
                Note(note);
            }

            y += 7;
            foreach (var line in letter.Signature.Split('\n'))
            {
                Lines(line, body, XBrushes.Black);
            }
        }

        public void InvoicePage(PrintedLetter letter, InvoiceCopy invoice)
        {
            var words = letter.Words;
            var g = NewPage();
            var left = Pt(BodyLeftMm);
            var right = Pt(paper.WidthMm - BodyRightMm);
            var title = new XFont(LetterFonts.Family, 18, XFontStyleEx.Bold);
            g.DrawString($"{words.Invoice} {invoice.Number}", title, XBrushes.Black, new XPoint(left, Pt(25)), XStringFormats.BaseLineLeft);
            g.DrawString(words.Copy, title, XBrushes.Gray, new XPoint(right, Pt(25)), XStringFormats.BaseLineRight);
            y = Pt(35);
            for (var i = 0; i < letter.Sender.Count; i++)
            {
                g.DrawString(letter.Sender[i], i == 0 ? bold : body, XBrushes.Black, new XPoint(right, y + (i * 14)), XStringFormats.BaseLineRight);
            }

            g.DrawString(words.BillTo, bold, XBrushes.Black, new XPoint(left, y), XStringFormats.BaseLineLeft);
            for (var i = 0; i < invoice.BillTo.Count; i++)
            {
                g.DrawString(invoice.BillTo[i], body, XBrushes.Black, new XPoint(left, y + ((i + 1) * 14)), XStringFormats.BaseLineLeft);
            }

            y += (Math.Max(letter.Sender.Count, invoice.BillTo.Count + 1) * 14) + 20;
            Row(words.InvoiceNumber, invoice.Number, body);
            Row(words.InvoiceDate, words.Date(invoice.IssueDate), body);
            Row(words.DueDate, words.Date(invoice.DueDate), body);
            y += 20;
            LineRow(new InvoiceCopyLine(words.Description, words.Quantity, words.UnitPrice, words.Amount), bold);
            G.DrawLine(XPens.Black, left, y + 4, right, y + 4);
            y += 4;
            // A long invoice runs on to further pages (the rows use G and Room, never a page captured above).
            foreach (var line in invoice.Lines)
            {
                LineRow(line, body);
            }

            G.DrawLine(XPens.Black, left, y + 4, right, y + 4);
            y += 4;
            Row(words.Total, invoice.Total, bold);
            y += 6;
            foreach (var (description, amount) in invoice.Adjustments)
            {
                Row(description, amount, body);
            }

            Room(60);
            y += 20;
            var due = new XFont(LetterFonts.Family, 14, XFontStyleEx.Bold);
            Row(words.AmountDue, invoice.AmountDue, due);
            // Circled by hand, as the owner would with a pen: an ink ellipse around the amount due.
            var width = G.MeasureString(invoice.AmountDue, due).Width;
            G.DrawEllipse(new XPen(Ink, 1.6), right - width - 20, y - 24, width + 40, 34);
        }

        public void Statement(StatementOfAccount statement)
        {
            Lines("Statement of account", new XFont(LetterFonts.Family, 16, XFontStyleEx.Bold), XBrushes.Black);
            y += 6;
            Lines(string.Create(CultureInfo.InvariantCulture, $"Invoice {statement.InvoiceNumber}, issued {statement.IssueDate:d MMMM yyyy}, due {statement.DueDate:d MMMM yyyy}. As at {statement.AsOf:d MMMM yyyy}."), body, XBrushes.Black);
            y += 10;
            StatementRow("Date", "Description", "Amount", "Balance", bold);
            G.DrawLine(XPens.Black, Pt(BodyLeftMm), y + 4, Pt(paper.WidthMm - BodyRightMm), y + 4);
            y += 4;
            foreach (var entry in statement.Entries)
            {
                StatementRow(
                    entry.Date?.ToString("d MMM yyyy", CultureInfo.InvariantCulture) ?? "",
                    entry.Description,
                    Currencies.Format(entry.Amount),
                    Currencies.Format(entry.Balance),
                    body);
            }

            G.DrawLine(XPens.Black, Pt(BodyLeftMm), y + 4, Pt(paper.WidthMm - BodyRightMm), y + 4);
            y += 10;
            Room(30);
            var due = new XFont(LetterFonts.Family, 14, XFontStyleEx.Bold);
            y += 18;
            G.DrawString("Amount due", due, XBrushes.Black, new XPoint(Pt(BodyLeftMm), y), XStringFormats.BaseLineLeft);
            G.DrawString(Currencies.Format(statement.AmountDue), due, XBrushes.Black, new XPoint(Pt(paper.WidthMm - BodyRightMm), y), XStringFormats.BaseLineRight);
        }

        /// <summary>
        /// A statement entry: date on the left, the description wrapping in its column, amount and running balance
        /// right-aligned; an entry that would not fit starts a new page, so no row is split across pages.
        /// </summary>
        private void StatementRow(string date, string description, string amount, string balance, XFont font)
        {
            var left = Pt(BodyLeftMm);
            var balanceStop = Pt(paper.WidthMm - BodyRightMm);
            var amountStop = balanceStop - Pt(30);
            var descriptionLeft = left + Pt(25);
            var lines = Wrap(G, description, font, amountStop - Pt(28) - descriptionLeft);
            Room((lines.Count * 14) + 8);
            y += 16;
            var g = G;
            g.DrawString(date, font, XBrushes.Black, new XPoint(left, y), XStringFormats.BaseLineLeft);
            g.DrawString(lines[0], font, XBrushes.Black, new XPoint(descriptionLeft, y), XStringFormats.BaseLineLeft);
            g.DrawString(amount, font, XBrushes.Black, new XPoint(amountStop, y), XStringFormats.BaseLineRight);
            g.DrawString(balance, font, XBrushes.Black, new XPoint(balanceStop, y), XStringFormats.BaseLineRight);
            foreach (var more in lines.Skip(1))
            {
                y += 14;
                g.DrawString(more, font, XBrushes.Black, new XPoint(descriptionLeft, y), XStringFormats.BaseLineLeft);
            }
        }

        public void EnclosurePage(Enclosure enclosure)
        {
            NewPage();
            y = Pt(20);
            Lines(enclosure.Title, new XFont(LetterFonts.Family, 16, XFontStyleEx.Bold), XBrushes.Black);
            y += 12;
            foreach (var paragraph in enclosure.Paragraphs)
            {
                foreach (var part in paragraph.Split('\n'))
                {
                    Lines(part, body, XBrushes.Black);
                }

                y += 7;
            }
        }

        public void Dispose() => gfx?.Dispose();

        private void Row(string description, string amount, XFont font)
        {
            Room(22);
            y += 18;
            G.DrawString(description, font, XBrushes.Black, new XPoint(Pt(BodyLeftMm), y), XStringFormats.BaseLineLeft);
            G.DrawString(amount, font, XBrushes.Black, new XPoint(Pt(paper.WidthMm - BodyRightMm), y), XStringFormats.BaseLineRight);
        }

        /// <summary>
        /// A billed line: the description wraps in its column; quantity, unit price and amount are right-aligned at
        /// fixed stops so the figures line up down the page.
        /// </summary>
        private void LineRow(InvoiceCopyLine line, XFont font)
        {
            var left = Pt(BodyLeftMm);
            var amountStop = Pt(paper.WidthMm - BodyRightMm);
            var priceStop = amountStop - Pt(32);
            var quantityStop = priceStop - Pt(32);
            var description = Wrap(G, line.Description, font, quantityStop - Pt(16) - left);
            Room((description.Count * 14) + 8);
            y += 18;
            var g = G;
            g.DrawString(description[0], font, XBrushes.Black, new XPoint(left, y), XStringFormats.BaseLineLeft);
            g.DrawString(line.Quantity, font, XBrushes.Black, new XPoint(quantityStop, y), XStringFormats.BaseLineRight);
            g.DrawString(line.UnitPrice, font, XBrushes.Black, new XPoint(priceStop, y), XStringFormats.BaseLineRight);
            g.DrawString(line.Amount, font, XBrushes.Black, new XPoint(amountStop, y), XStringFormats.BaseLineRight);
            foreach (var more in description.Skip(1))
            {
                y += 14;
                g.DrawString(more, font, XBrushes.Black, new XPoint(left, y), XStringFormats.BaseLineLeft);
            }
        }

        private void Note(string note)
        {
            var width = Pt(paper.WidthMm - BodyLeftMm - BodyRightMm) * 0.8;
            var lines = Wrap(G, note, hand, width);
            Room(lines.Count * 17 + 10);
            y += 4;
            var g = G;
            var state = g.Save();
            // A hand-written note is rarely level: a small tilt makes it look added by a person, not printed.
            g.RotateAtTransform(-2, new XPoint(Pt(BodyLeftMm), y));
            var brush = new XSolidBrush(Ink);
            foreach (var text in lines)
            {
                y += 17;
                g.DrawString(text, hand, brush, new XPoint(Pt(BodyLeftMm + 8), y), XStringFormats.BaseLineLeft);
            }

            g.Restore(state);
            y += 10;
        }

        private void Lines(string text, XFont font, XBrush brush)
        {
            foreach (var line in Wrap(G, text, font, Pt(paper.WidthMm - BodyLeftMm - BodyRightMm)))
            {
                Room(15);
                y += 14;
                G.DrawString(line, font, brush, new XPoint(Pt(BodyLeftMm), y), XStringFormats.BaseLineLeft);
            }
        }

        private void Room(double needed)
        {
            if (y + needed > Pt(paper.HeightMm - BottomMarginMm))
            {
                NewPage();
                y = Pt(20);
            }
        }

        private XGraphics NewPage()
        {
            gfx?.Dispose();
            var page = document.AddPage();
            page.Width = XUnit.FromMillimeter(paper.WidthMm);
            page.Height = XUnit.FromMillimeter(paper.HeightMm);
            gfx = XGraphics.FromPdfPage(page);
            return gfx;
        }

        private static List<string> Wrap(XGraphics g, string text, XFont font, double width)
        {
            var lines = new List<string>();
            var current = "";
            foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = current.Length == 0 ? word : $"{current} {word}";
                if (current.Length > 0 && g.MeasureString(candidate, font).Width > width)
                {
                    lines.Add(current);
                    current = word;
                }
                else
                {
                    current = candidate;
                }
            }

            lines.Add(current);
            return lines;
        }

        /// <summary>Shortens a line that would leave the window; an address cut short is better than one hidden by the envelope.</summary>
        private static string Fit(XGraphics g, string text, XFont font, double width)
        {
            var fitted = text;
            while (fitted.Length > 1 && g.MeasureString(fitted, font).Width > width)
            {
                fitted = fitted[..^1];
            }

            return fitted.Length == text.Length ? text : fitted.TrimEnd() + "…";
        }
    }
}
