using System.Globalization;
using System.Net;
using System.Text;
using Dunning.Cases;
using Dunning.Common;

namespace Dunning.Evidence;

public sealed record EvidenceFile(string Name, string ContentType, string Content);

/// <summary>
/// "Keep clear and detailed records": everything a person needs to take a case to court or to an
/// agency, as plain files: statement of account, invoice copy, the full timeline, payments, plan
/// and dispute history, and the recommendation with a claim summary.
/// </summary>
public sealed record EvidenceBundle(InvoiceId InvoiceId, DateTimeOffset CreatedAt, ValueList<EvidenceFile> Files)
{
    public static EvidenceBundle Build(CaseState state, Recommendation recommendation, DateTimeOffset now) =>
        new(state.InvoiceId, now, ValueList.Of(
            new EvidenceFile("recommendation.md", "text/markdown", RecommendationText(state, recommendation, now)),
            new EvidenceFile("statement-of-account.txt", "text/plain", Statement(state, now)),
            new EvidenceFile("invoice-copy.html", "text/html", InvoiceCopy(state)),
            new EvidenceFile("timeline.json", "application/json", DunningJson.Serialize(state.History, indented: true)),
            new EvidenceFile("timeline.csv", "text/csv", TimelineCsv(state)),
            new EvidenceFile("payments.csv", "text/csv", PaymentsCsv(state)),
            new EvidenceFile("plans-and-disputes.json", "application/json", DunningJson.Serialize(
                state.History.Where(e => e is CaseEvent.PlanAgreed or CaseEvent.InstallmentMissed or CaseEvent.PlanBroken
                    or CaseEvent.DisputeOpened or CaseEvent.DisputeResolved).ToValueList(), indented: true))));

    /// <summary>Every text here can come from a customer or an import: it is written as literal Markdown.</summary>
    private static string RecommendationText(CaseState s, Recommendation r, DateTimeOffset now)
    {
        static string M(string? text) => Markdown.Text(text);
        var b = new StringBuilder();
        b.Append(CultureInfo.InvariantCulture, $"# {Names.Of(r.Kind)}: invoice {M(s.Invoice.Number)}\n\n");
        b.Append(CultureInfo.InvariantCulture, $"Prepared {now:yyyy-MM-dd} by {M(s.Policy.Business.Name)}.\n\n");
        b.Append("## Claim summary\n\n");
        b.Append(CultureInfo.InvariantCulture, $"- Claimant: {M(s.Policy.Business.Name)}, {M(s.Policy.Business.Address)}\n");
        b.Append(CultureInfo.InvariantCulture, $"- Defendant: {M(s.Customer.Name)} ({Kind(s)}), {(s.Customer.Address is { } address ? M(address) : "address unknown")}, jurisdiction {M(s.Customer.Jurisdiction.ToString())}\n");
        b.Append(CultureInfo.InvariantCulture, $"- Invoice {M(s.Invoice.Number)} issued {s.Invoice.IssueDate:yyyy-MM-dd}, due {s.Invoice.DueDate:yyyy-MM-dd}, amount {Currencies.Format(s.Invoice.Amount)}\n");
        b.Append(CultureInfo.InvariantCulture, $"- Principal outstanding: {Currencies.Format(s.PrincipalBalance)}\n");
        foreach (var charge in s.Charges)
        {
            b.Append(CultureInfo.InvariantCulture, $"- {M(charge.Description)}: {Currencies.Format(charge.Amount)}\n");
        }

        b.Append(CultureInfo.InvariantCulture, $"- **Amount claimed: {Currencies.Format(r.Claim)}**\n");
        if (r.Court is not null)
        {
            b.Append(CultureInfo.InvariantCulture, $"- Court: {M(r.Court)}\n");
        }

        if (r.FilingFee is { } fee)
        {
            b.Append(CultureInfo.InvariantCulture, $"- Estimated filing fee: {Currencies.Format(fee)}\n");
        }

        if (r.AgencyFee is { } agency)
        {
            b.Append(CultureInfo.InvariantCulture, $"- Estimated agency commission: {Currencies.Format(agency)}\n");
        }

        if (r.LimitationDate is { } limitation)
        {
            b.Append(CultureInfo.InvariantCulture, $"- Limitation period ends: {limitation:yyyy-MM-dd}\n");
        }

        b.Append(CultureInfo.InvariantCulture, $"- Contacts made: {s.Contacts.Count()}; payments received: {s.History.OfType<CaseEvent.PaymentReceived>().Count()}\n\n");
        b.Append("## Why\n\n");
        foreach (var reason in r.Reasons)
        {
            b.Append(CultureInfo.InvariantCulture, $"- {M(reason)}\n");
        }

        b.Append(CultureInfo.InvariantCulture, $"\n{Recommendation.JudgmentCaveat}\n\nThis is not legal advice: check the figures with the court or a lawyer before filing.\n");
        return b.ToString();
    }

    private static string Kind(CaseState s) => s.Customer.Kind == Customers.CustomerKind.Business ? "business" : "consumer";

    private static string Statement(CaseState s, DateTimeOffset now)
    {
        var b = new StringBuilder();
        b.Append(CultureInfo.InvariantCulture, $"STATEMENT OF ACCOUNT — {s.Policy.Business.Name}\n");
        b.Append(CultureInfo.InvariantCulture, $"Customer: {s.Customer.Name} ({s.Customer.Id})\nAs of: {now:yyyy-MM-dd}\n\n");
        Line(b, s.Invoice.IssueDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), $"Invoice {s.Invoice.Number} (due {s.Invoice.DueDate:yyyy-MM-dd})", s.Invoice.Amount);
        if (s.PaidAtOpen.IsPositive)
        {
            Line(b, string.Empty, "Paid before collection began", -s.PaidAtOpen);
        }

        foreach (var e in s.History)
        {
            var day = e.At.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            switch (e)
            {
                case CaseEvent.PaymentReceived p:
                    Line(b, day, $"Payment {p.Reference} ({p.Source})", -p.Amount);
                    break;
                case CaseEvent.PaymentRefunded r:
                    Line(b, day, $"Refund {r.Reference}", r.Amount);
                    break;
                case CaseEvent.CreditIssued c:
                    Line(b, day, $"Credit {c.Reference}", -c.Amount);
                    break;
                case CaseEvent.DisputeResolved { Credit: { } credit }:
                    Line(b, day, "Credit after dispute", -credit);
                    break;
                case CaseEvent.ChargeApplied c:
                    Line(b, day, c.Charge.Description, c.Charge.Amount);
                    break;
            }
        }

        var receivedHere = s.PaidAtOpen + s.PaidHere + s.Refunded;
        if (s.Invoice.AmountPaid > receivedHere)
        {
            Line(b, string.Empty, "Further payments recorded in the ledger", -(s.Invoice.AmountPaid - receivedHere));
        }

        b.Append(CultureInfo.InvariantCulture, $"\n{"BALANCE DUE",-60}{Currencies.Format(s.Balance),16}\n");
        return b.ToString();
    }

    private static void Line(StringBuilder b, string day, string what, Money amount) =>
        b.Append(CultureInfo.InvariantCulture, $"{day,-12}{what,-48}{Currencies.Format(amount),16}\n");

    private static string InvoiceCopy(CaseState s)
    {
        static string H(string? v) => WebUtility.HtmlEncode(v ?? string.Empty);
        return $"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Invoice {H(s.Invoice.Number)}</title></head>
            <body style="font-family: Georgia, serif; max-width: 40em; margin: 2em auto">
            <h1>Invoice {H(s.Invoice.Number)} (copy)</h1>
            <p><strong>{H(s.Policy.Business.Name)}</strong><br>{H(s.Policy.Business.Address)}</p>
            <p>Billed to: {H(s.Customer.Name)}<br>{H(s.Customer.Address)}</p>
            <table>
            <tr><td>Issued</td><td>{s.Invoice.IssueDate:yyyy-MM-dd}</td></tr>
            <tr><td>Due</td><td>{s.Invoice.DueDate:yyyy-MM-dd}</td></tr>
            <tr><td>Amount</td><td>{H(Currencies.Format(s.Invoice.Amount))}</td></tr>
            <tr><td>Outstanding</td><td><strong>{H(Currencies.Format(s.Balance))}</strong></td></tr>
            </table>
            </body></html>
            """;
    }

    private static string TimelineCsv(CaseState s)
    {
        var b = new StringBuilder("at,event,detail\n");
        foreach (var e in s.History)
        {
            b.Append(CultureInfo.InvariantCulture, $"{e.At.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ},{e.GetType().Name},{Csv.Field(CaseStatus.Describe(e))}\n");
        }

        return b.ToString();
    }

    private static string PaymentsCsv(CaseState s)
    {
        var b = new StringBuilder("at,kind,amount,currency,reference,source\n");
        foreach (var e in s.History)
        {
            switch (e)
            {
                case CaseEvent.PaymentReceived p:
                    b.Append(CultureInfo.InvariantCulture, $"{p.At.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ},payment,{p.Amount.Amount},{p.Amount.Currency},{Csv.Field(p.Reference)},{Csv.Field(p.Source)}\n");
                    break;
                case CaseEvent.PaymentRefunded r:
                    b.Append(CultureInfo.InvariantCulture, $"{r.At.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ},refund,{r.Amount.Amount},{r.Amount.Currency},{Csv.Field(r.Reference)},\n");
                    break;
            }
        }

        return b.ToString();
    }
}
