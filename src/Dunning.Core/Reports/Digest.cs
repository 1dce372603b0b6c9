using System.Globalization;
using System.Text;
using Dunning.Cases;
using Dunning.Common;
using Dunning.Ports;

namespace Dunning.Reports;

/// <summary>The daily digest for the business: what went out, and what needs a person. Times are UTC.</summary>
public sealed record Digest(
    DateTimeOffset Since,
    ValueList<Digest.Line> Sent,
    ValueList<CallTask> CallsToMake,
    ValueList<CaseStatus> OpenDisputes,
    ValueList<CaseStatus> NewlyFlagged)
{
    public sealed record Line(InvoiceId InvoiceId, string Customer, string What, DateTimeOffset At);

    /// <param name="cases">Every case, with its status.</param>
    /// <param name="callTasks">Every call task; those created since <paramref name="since"/> whose case still wants the call are listed.</param>
    /// <param name="since">The start of the digest's period.</param>
    public static Digest Build(IEnumerable<CaseRecord> cases, IEnumerable<CallTask> callTasks, DateTimeOffset since)
    {
        since = since.ToUniversalTime();
        var records = cases.OrderBy(r => r.State.InvoiceId.Value, StringComparer.Ordinal).ToList();
        var byId = records.ToDictionary(r => r.State.InvoiceId);
        var sent = records
            .SelectMany(r => r.State.Contacts.Where(c => c.At >= since).Select(c => new Line(r.State.InvoiceId, r.State.Customer.Name, CaseStatus.Describe(c), c.At.ToUniversalTime())))
            .OrderBy(l => l.At)
            .ThenBy(l => l.InvoiceId.Value, StringComparer.Ordinal)
            .ToValueList();

        var calls = callTasks
            .Where(t => t.CreatedAt >= since)
            .Where(t => t.IsToMake(byId.GetValueOrDefault(t.InvoiceId)?.State))
            .OrderBy(t => t.CreatedAt)
            .ThenBy(t => t.Key, StringComparer.Ordinal)
            .ToValueList();
        var disputes = records
            .Where(r => r.State.Outcome is null && r.State.Dispute is not null)
            .OrderBy(r => r.State.Dispute!.OpenedAt)
            .Select(r => r.Status)
            .ToValueList();
        var flagged = records
            .Where(r => r.State.Outcome is { IsFlag: true } o && o.At >= since)
            .OrderBy(r => r.State.Outcome!.At)
            .Select(r => r.Status)
            .ToValueList();
        return new Digest(since, sent, calls, disputes, flagged);
    }

    public string ToText()
    {
        var b = new StringBuilder();
        b.Append(CultureInfo.InvariantCulture, $"Since {Since.UtcDateTime:yyyy-MM-dd HH:mm} UTC\n\nSent ({Sent.Count})\n");
        foreach (var l in Sent)
        {
            b.Append(CultureInfo.InvariantCulture, $"  {l.At.UtcDateTime:yyyy-MM-dd HH:mm}  {l.InvoiceId,-14} {l.Customer}: {l.What}\n");
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
