using System.Globalization;
using Dunning.Cases;
using Dunning.Evidence;
using Dunning.Printing;
using Dunning.Tests.Cases;
using UglyToad.PdfPig;
using static Dunning.Cases.CaseEvent;
using static Dunning.Tests.Cases.Given;

namespace Dunning.Tests.Evidence;

/// <summary>"Keep clear and detailed records": what a court or an agency is handed.</summary>
public class EvidenceBundleTests
{
    private static EvidenceBundle Flagged(out CaseState state)
    {
        var run = Run.Start(Case(amount: 2_000m))
            .At(DueDay(10, hour: 12), at => new PaymentReceived(at.ToOffset(TimeSpan.FromHours(2)), Usd(500m), "pi_1, \"split\"", "stripe"))
            .At(DueDay(12, hour: 12), at => new CreditIssued(at, Usd(100m), "CN-7"))
            .At(DueDay(15, hour: 12), at => new DisputeOpened(at, "two items were damaged"))
            .At(DueDay(20, hour: 12), at => new DisputeResolved(at, DisputeOutcome.Rejected))
            .ToEnd();
        state = run.State;
        var file = Assert.IsType<Decision.Perform>(run.Decisions.Last(d => d.Decision is Decision.Perform { Action: CaseAction.FileEvidence }).Decision);
        return EvidenceBundle.Build(run.Decisions.Last(d => d.Decision == file).State, ((CaseAction.FileEvidence)file.Action).Recommendation, run.Now);
    }

    private static string File(EvidenceBundle bundle, string name) => Assert.IsType<EvidenceFile.Text>(Assert.Single(bundle.Files, f => f.Name == name)).Content;

    /// <summary>The PDF's text, page by page, one line per printed row (words joined in reading order).</summary>
    private static List<string> PdfRows(EvidenceFile file)
    {
        using var pdf = PdfDocument.Open(file.ToBytes());
        return [.. pdf.GetPages().SelectMany(page => page.GetWords()
            .GroupBy(w => Math.Round(w.BoundingBox.Bottom))
            .OrderByDescending(g => g.Key)
            .Select(g => string.Join(" ", g.OrderBy(w => w.BoundingBox.Left).Select(w => w.Text))))];
    }

    [Fact]
    public void The_bundle_holds_statement_invoice_copy_timeline_payments_plans_and_disputes_and_the_recommendation()
    {
        var bundle = Flagged(out _);

        Assert.Equal(
            ["recommendation.md", "statement-of-account.txt", "statement-of-account.pdf", "invoice-copy.html", "timeline.json", "timeline.csv", "payments.csv", "plans-and-disputes.json"],
            bundle.Files.Select(f => f.Name));
    }

    [Fact]
    public void The_statement_of_account_adds_up_to_the_balance_due()
    {
        var statement = File(Flagged(out var state), "statement-of-account.txt");

        Assert.Contains("$2,000.00", statement, StringComparison.Ordinal);
        Assert.Contains("-$500.00", statement, StringComparison.Ordinal);
        Assert.Contains("Credit CN-7", statement, StringComparison.Ordinal);
        Assert.Contains("-$100.00", statement, StringComparison.Ordinal);
        Assert.EndsWith("$1,400.00\n", statement, StringComparison.Ordinal);
        Assert.Equal(1_400m, state.Balance.Amount);
    }

    [Fact]
    public void The_pdf_statement_lists_every_entry_with_its_date_and_running_balance_down_to_the_amount_due()
    {
        var bundle = Flagged(out var state);
        var pdf = Assert.IsType<EvidenceFile.Binary>(Assert.Single(bundle.Files, f => f.Name == "statement-of-account.pdf"));
        var rows = PdfRows(pdf);
        var text = string.Join("\n", rows);

        Assert.Equal("application/pdf", pdf.ContentTypeHeader);
        Assert.StartsWith("%PDF-", System.Text.Encoding.ASCII.GetString(pdf.ToBytes(), 0, 5), StringComparison.Ordinal);
        // Business and debtor blocks.
        Assert.Contains(state.Policy.Business.Name, text, StringComparison.Ordinal);
        Assert.Contains(state.Customer.Name, text, StringComparison.Ordinal);
        Assert.Contains("Statement of account", rows);
        // Each entry: date, what, amount and the balance after it.
        var issued = state.Invoice.IssueDate.ToString("d MMM yyyy", CultureInfo.InvariantCulture);
        var day = (int d) => DateOnly.FromDateTime(DueDay(d, hour: 12).DateTime).ToString("d MMM yyyy", CultureInfo.InvariantCulture);
        Assert.Contains($"{issued} Invoice {state.Invoice.Number} (due {state.Invoice.DueDate:yyyy-MM-dd}) $2,000.00 $2,000.00", rows);
        Assert.Contains($"{day(10)} Payment pi_1, \"split\" (stripe) -$500.00 $1,500.00", rows);
        Assert.Contains($"{day(12)} Credit CN-7 -$100.00 $1,400.00", rows);
        Assert.Equal("Amount due $1,400.00", rows[^1]);
    }

    [Fact]
    public void Text_and_pdf_statements_are_written_from_the_same_entries()
    {
        var bundle = Flagged(out var state);
        var statement = StatementOfAccount.Of(state, new DateOnly(2026, 3, 1));

        Assert.Equal(state.Balance, statement.AmountDue);
        Assert.Equal(statement.AmountDue, statement.Entries[^1].Balance);
        var text = File(bundle, "statement-of-account.txt");
        var pdf = string.Join("\n", PdfRows(bundle.Files.Single(f => f.Name == "statement-of-account.pdf")));
        foreach (var entry in statement.Entries)
        {
            Assert.Contains(entry.Description, text, StringComparison.Ordinal);
            Assert.Contains(entry.Description, pdf, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Evidence_files_are_equal_by_content_and_text_is_stored_as_utf8_with_its_charset()
    {
        var text = new EvidenceFile.Text("note.txt", "text/plain", "Bäckerei £5");
        byte[] bytes = [0x25, 0x50, 0x44, 0x46];

        Assert.Equal("text/plain; charset=utf-8", text.ContentTypeHeader);
        Assert.Equal(System.Text.Encoding.UTF8.GetBytes("Bäckerei £5"), text.ToBytes());
        Assert.Equal(new EvidenceFile.Binary("a.pdf", "application/pdf", bytes), new EvidenceFile.Binary("a.pdf", "application/pdf", [.. bytes]));
        Assert.NotEqual(new EvidenceFile.Binary("a.pdf", "application/pdf", bytes), new EvidenceFile.Binary("a.pdf", "application/pdf", [0x25]));
    }

    [Fact]
    public void Times_are_utc_and_csv_fields_with_commas_or_quotes_are_quoted()
    {
        var payments = File(Flagged(out _), "payments.csv").Split('\n');

        Assert.Equal("at,kind,amount,currency,reference,source", payments[0]);
        Assert.StartsWith(DueDay(10, hour: 12).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture) + ",payment,500,USD,\"pi_1, \"\"split\"\"\",stripe", payments[1], StringComparison.Ordinal);
    }

    [Fact]
    public void The_recommendation_states_the_claim_the_reasons_and_that_a_judgment_is_not_payment()
    {
        var recommendation = File(Flagged(out _), "recommendation.md");

        Assert.Contains("**Amount claimed: $1,400.00**", recommendation, StringComparison.Ordinal);
        Assert.Contains(Recommendation.JudgmentCaveat, recommendation, StringComparison.Ordinal);
        Assert.Contains("not legal advice", recommendation, StringComparison.Ordinal);
    }

    [Fact]
    public void The_dispute_history_is_in_the_bundle()
    {
        var history = File(Flagged(out _), "plans-and-disputes.json");

        Assert.Contains("two items were damaged", history, StringComparison.Ordinal);
        Assert.Contains("\"outcome\": \"rejected\"", history, StringComparison.Ordinal);
    }

    [Fact]
    public void Customer_text_that_a_spreadsheet_would_run_as_a_formula_stays_text_in_the_csv_files()
    {
        var run = Run.Start(Case(amount: 2_000m))
            .At(DueDay(10, hour: 12), at => new PaymentReceived(at, Usd(500m), "=HYPERLINK(\"http://evil.example\",\"x\")", "manual"))
            .At(DueDay(11, hour: 12), at => new PaymentReceived(at, Usd(10m), "@SUM(A1)", "manual"))
            .At(DueDay(12, hour: 12), at => new PaymentReceived(at, Usd(1m), "-2+3+cmd|' /C calc'!A0", "manual"))
            .ToEnd();
        var file = (Decision.Perform)run.Decisions.Last(d => d.Decision is Decision.Perform { Action: CaseAction.FileEvidence }).Decision;
        var bundle = EvidenceBundle.Build(run.State, ((CaseAction.FileEvidence)file.Action).Recommendation, run.Now);

        var payments = File(bundle, "payments.csv");
        var timeline = File(bundle, "timeline.csv");

        Assert.Contains(",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",manual", payments, StringComparison.Ordinal);
        Assert.Contains(",\"'@SUM(A1)\",manual", payments, StringComparison.Ordinal);
        foreach (var cell in (payments + timeline).Split('\n', ',').Where(c => c.Length > 0))
        {
            Assert.DoesNotMatch("^[=+@\t\r-]", cell.TrimStart('"'));
        }
    }

    [Fact]
    public void Customer_names_are_literal_text_in_the_recommendation_not_html_or_markdown()
    {
        var run = Run.Start(Case(amount: 2_000m)).ToEnd();
        var file = (Decision.Perform)run.Decisions.Last(d => d.Decision is Decision.Perform { Action: CaseAction.FileEvidence }).Decision;
        var state = run.Decisions.Last(d => d.Decision == file).State;
        var hostile = state with { Customer = state.Customer with { Name = "<img src=x onerror=alert(1)> [click](http://evil.example)\n# Paid in full", Address = "<b>1 Main St</b>" } };

        var recommendation = File(EvidenceBundle.Build(hostile, ((CaseAction.FileEvidence)file.Action).Recommendation, run.Now), "recommendation.md");

        Assert.DoesNotContain("<img", recommendation, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", recommendation, StringComparison.Ordinal);
        Assert.DoesNotContain("](http", recommendation, StringComparison.Ordinal);
        Assert.DoesNotContain("\n# Paid in full", recommendation, StringComparison.Ordinal);
        Assert.Contains("&lt;img src=x onerror=alert\\(1\\)&gt; \\[click\\]\\(http://evil.example\\) \\# Paid in full", recommendation, StringComparison.Ordinal);
    }
}
