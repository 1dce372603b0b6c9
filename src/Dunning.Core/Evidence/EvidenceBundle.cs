using System.Globalization;
using System.Net;
using System.Text;
using Dunning.Cases;
using Dunning.Common;
using Dunning.Printing;

namespace Dunning.Evidence;

/// <summary>
/// A file of the evidence bundle: <see cref="Text"/> (Markdown, CSV, JSON, HTML: stored as UTF-8) or
/// <see cref="Binary"/> (the PDF statement), each with its media type, so a store writes the bytes as they are and
/// labels them truthfully.
/// </summary>
public abstract record EvidenceFile
{
    private EvidenceFile(string name, string contentType)
    {
        Name = name;
        ContentType = contentType;
    }

    public string Name { get; }

    /// <summary>The media type without parameters: <c>text/csv</c>, <c>application/pdf</c>.</summary>
    public string ContentType { get; }

    /// <summary>The Content-Type to store it under (text says its charset).</summary>
    public abstract string ContentTypeHeader { get; }

    /// <summary>The file's bytes as they are written to disk or blob.</summary>
    public abstract byte[] ToBytes();

    public sealed record Text : EvidenceFile
    {
        private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

        public Text(string name, string contentType, string content)
            : base(name, contentType) => Content = content;

        public string Content { get; }

        public override string ContentTypeHeader => ContentType + "; charset=utf-8";

        public override byte[] ToBytes() => Utf8.GetBytes(Content);
    }

    public sealed record Binary : EvidenceFile
    {
        private readonly byte[] content;

        public Binary(string name, string contentType, ReadOnlySpan<byte> content)
            : base(name, contentType) => this.content = content.ToArray();

        public ReadOnlySpan<byte> Content => content;

        public override string ContentTypeHeader => ContentType;

        public override byte[] ToBytes() => [.. content];

        // By content, not by array identity, like the text files' equality.
        public bool Equals(Binary? other) =>
            other is not null && Name == other.Name && ContentType == other.ContentType && content.AsSpan().SequenceEqual(other.content);

        public override int GetHashCode()
        {
            var hash = new HashCode();
            hash.Add(Name);
            hash.Add(ContentType);
            hash.AddBytes(content);
            return hash.ToHashCode();
        }
    }
}

/// <summary>
/// "Keep clear and detailed records": everything a person needs to take a case to court or to an
/// agency, as plain files: statement of account, invoice copy, the full timeline, payments, plan
/// and dispute history, and the recommendation with a claim summary.
/// </summary>
public sealed record EvidenceBundle(InvoiceId InvoiceId, DateTimeOffset CreatedAt, ValueList<EvidenceFile> Files)
{
    public static EvidenceBundle Build(CaseState state, Recommendation recommendation, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        var statement = StatementOfAccount.Of(state, DateOnly.FromDateTime(now.DateTime));
        return new(state.InvoiceId, now, ValueList.Of<EvidenceFile>(
            new EvidenceFile.Text("recommendation.md", "text/markdown", RecommendationText(state, recommendation, now)),
            new EvidenceFile.Text("statement-of-account.txt", "text/plain", Statement(state, statement)),
            new EvidenceFile.Binary("statement-of-account.pdf", "application/pdf", LetterPdf.Render(statement, PostedLetters.For(state.Customer.Jurisdiction.Country))),
            new EvidenceFile.Text("invoice-copy.html", "text/html", InvoiceCopy(state)),
            new EvidenceFile.Text("timeline.json", "application/json", DunningJson.Serialize(state.History, indented: true)),
            new EvidenceFile.Text("timeline.csv", "text/csv", TimelineCsv(state)),
            new EvidenceFile.Text("payments.csv", "text/csv", PaymentsCsv(state)),
            new EvidenceFile.Text("plans-and-disputes.json", "application/json", DunningJson.Serialize(
                state.History.Where(e => e is CaseEvent.PlanAgreed or CaseEvent.InstallmentMissed or CaseEvent.PlanBroken
                    or CaseEvent.DisputeOpened or CaseEvent.DisputeResolved).ToValueList(), indented: true))));
    }

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

    private static string Statement(CaseState s, StatementOfAccount statement)
    {
        var b = new StringBuilder();
        b.Append(CultureInfo.InvariantCulture, $"STATEMENT OF ACCOUNT — {s.Policy.Business.Name}\n");
        b.Append(CultureInfo.InvariantCulture, $"Customer: {s.Customer.Name} ({s.Customer.Id})\nAs of: {statement.AsOf:yyyy-MM-dd}\n\n");
        foreach (var entry in statement.Entries)
        {
            b.Append(CultureInfo.InvariantCulture, $"{entry.Date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "",-12}{entry.Description,-48}{Currencies.Format(entry.Amount),16}\n");
        }

        b.Append(CultureInfo.InvariantCulture, $"\n{"BALANCE DUE",-60}{Currencies.Format(statement.AmountDue),16}\n");
        return b.ToString();
    }

    private static string InvoiceCopy(CaseState s)
    {
        static string H(string? v) => WebUtility.HtmlEncode(v ?? string.Empty);
        var currency = s.Invoice.Amount.Currency;
        var lines = s.Invoice.Lines is { Count: > 0 } billed
            ? "<table>\n<tr><th>Description</th><th>Qty</th><th>Unit price</th><th>Amount</th></tr>\n" + string.Concat(billed.Select(l =>
                $"<tr><td>{H(l.Description)}</td><td>{l.Quantity.ToString("0.####", CultureInfo.InvariantCulture)}</td><td>{H(Currencies.Format(new Money(l.UnitPrice, currency)))}</td><td>{H(Currencies.Format(new Money(l.Total, currency)))}</td></tr>\n")) + "</table>"
            : string.Empty;
        return $"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Invoice {H(s.Invoice.Number)}</title></head>
            <body style="font-family: Georgia, serif; max-width: 40em; margin: 2em auto">
            <h1>Invoice {H(s.Invoice.Number)} (copy)</h1>
            <p><strong>{H(s.Policy.Business.Name)}</strong><br>{H(s.Policy.Business.Address)}</p>
            <p>Billed to: {H(s.Customer.Name)}<br>{H(s.Customer.Address)}</p>
            {lines}
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
