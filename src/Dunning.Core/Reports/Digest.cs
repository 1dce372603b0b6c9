using System.Globalization;
using System.Text;
using Dunning.Cases;
using Dunning.Common;
using Dunning.Ports;

namespace Dunning.Reports;

/// <summary>The daily digest for the business: what went out, and what needs a person.</summary>
public sealed record Digest(
    DateTimeOffset Since,
    ValueList<Digest.Line> Sent,
    ValueList<CallTask> CallsToMake,
    ValueList<CaseStatus> OpenDisputes,
    ValueList<CaseStatus> NewlyFlagged)
{
    public sealed record Line(InvoiceId InvoiceId, string Customer, string What, DateTimeOffset At);

    public static Digest Build(IEnumerable<CaseRecord> cases, IEnumerable<CallTask> callTasks, DateTimeOffset since)
    {
        var records = cases.ToList();
        var sent = records
            .SelectMany(r => r.State.Contacts.Where(c => c.At >= since).Select(c => new Line(r.State.InvoiceId, r.State.Customer.Name, CaseStatus.Describe(c), c.At)))
            .OrderBy(l => l.At)
            .ToValueList();
        return new Digest(
            since,
            sent,
            callTasks.Where(t => t.CreatedAt >= since).OrderBy(t => t.CreatedAt).ToValueList(),
            records.Where(r => r.State.Dispute is not null).Select(r => r.Status).ToValueList(),
            records.Where(r => r.State.Outcome is { IsFlag: true } o && o.At >= since).Select(r => r.Status).ToValueList());
    }

    public string ToText()
    {
        var b = new StringBuilder();
        b.Append(CultureInfo.InvariantCulture, $"Since {Since:yyyy-MM-dd HH:mm} UTC\n\nSent ({Sent.Count})\n");
        foreach (var l in Sent)
        {
            b.Append(CultureInfo.InvariantCulture, $"  {l.At:MM-dd HH:mm}  {l.InvoiceId,-14} {l.Customer}: {l.What}\n");
        }

        b.Append(CultureInfo.InvariantCulture, $"\nCalls to make ({CallsToMake.Count})\n");
        foreach (var t in CallsToMake)
        {
            b.Append(CultureInfo.InvariantCulture, $"  {t.InvoiceId,-14} {t.CustomerName}, ask for {t.ContactName} on {t.Phone}\n");
        }

        b.Append(CultureInfo.InvariantCulture, $"\nOpen disputes ({OpenDisputes.Count})\n");
        foreach (var d in OpenDisputes)
        {
            b.Append(CultureInfo.InvariantCulture, $"  {d.InvoiceId,-14} {d.CustomerName}: {d.Waiting}\n");
        }

        b.Append(CultureInfo.InvariantCulture, $"\nNewly flagged ({NewlyFlagged.Count})\n");
        foreach (var f in NewlyFlagged)
        {
            b.Append(CultureInfo.InvariantCulture, $"  {f.InvoiceId,-14} {f.CustomerName}: {f.Stage}, {Currencies.Format(f.Balance)}\n");
        }

        return b.ToString();
    }
}
