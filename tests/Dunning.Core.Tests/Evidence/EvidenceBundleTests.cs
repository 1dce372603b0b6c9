using Dunning.Cases;
using Dunning.Evidence;
using Dunning.Tests.Cases;
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

    private static string File(EvidenceBundle bundle, string name) => Assert.Single(bundle.Files, f => f.Name == name).Content;

    [Fact]
    public void The_bundle_holds_statement_invoice_copy_timeline_payments_plans_and_disputes_and_the_recommendation()
    {
        var bundle = Flagged(out _);

        Assert.Equal(
            ["recommendation.md", "statement-of-account.txt", "invoice-copy.html", "timeline.json", "timeline.csv", "payments.csv", "plans-and-disputes.json"],
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
