using System.Globalization;
using System.Text;
using Dunning.Common;

namespace Dunning.Reports;

/// <summary>One invoice with something owed, as the aging report sees it.</summary>
public sealed record AgingLine(CustomerId CustomerId, string CustomerName, InvoiceId InvoiceId, string Number, DateOnly DueDate, Money Owed);

/// <summary>Amounts by age: not yet due (current), 1–30, 31–60, 61–90 and more than 90 days past due.</summary>
public sealed record AgingBuckets(Money Current, Money Days1To30, Money Days31To60, Money Days61To90, Money Over90)
{
    public Money Total => Current + Days1To30 + Days31To60 + Days61To90 + Over90;

    public static AgingBuckets Zero(string currency) =>
        new(Money.Zero(currency), Money.Zero(currency), Money.Zero(currency), Money.Zero(currency), Money.Zero(currency));

    public AgingBuckets Add(int daysOverdue, Money owed) => daysOverdue switch
    {
        <= 0 => this with { Current = Current + owed },
        <= 30 => this with { Days1To30 = Days1To30 + owed },
        <= 60 => this with { Days31To60 = Days31To60 + owed },
        <= 90 => this with { Days61To90 = Days61To90 + owed },
        _ => this with { Over90 = Over90 + owed },
    };

    public AgingBuckets Plus(AgingBuckets other) =>
        new(Current + other.Current, Days1To30 + other.Days1To30, Days31To60 + other.Days31To60, Days61To90 + other.Days61To90, Over90 + other.Over90);
}

/// <summary>One customer's amounts in one currency: currencies are never added together.</summary>
public sealed record AgingRow(CustomerId CustomerId, string CustomerName, string Currency, int Invoices, AgingBuckets Buckets);

/// <summary>All customers' amounts in one currency.</summary>
public sealed record AgingTotal(string Currency, int Invoices, AgingBuckets Buckets);

public sealed record AgingReport(DateOnly AsOf, ValueList<AgingRow> Rows, ValueList<AgingTotal> Totals)
{
    public string ToCsv()
    {
        var csv = new StringBuilder("customer_id,customer_name,currency,invoices,current,days_1_30,days_31_60,days_61_90,days_over_90,total\n");
        foreach (var row in Rows)
        {
            var b = row.Buckets;
            csv.Append(CultureInfo.InvariantCulture, $"{Csv.Field(row.CustomerId.Value)},{Csv.Field(row.CustomerName)},{row.Currency},{row.Invoices},")
               .Append(CultureInfo.InvariantCulture, $"{b.Current.Amount},{b.Days1To30.Amount},{b.Days31To60.Amount},{b.Days61To90.Amount},{b.Over90.Amount},{b.Total.Amount}\n");
        }

        return csv.ToString();
    }

    /// <summary>A fixed-width table for a terminal, with one total line per currency.</summary>
    public string ToTable()
    {
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"Aging as of {AsOf:yyyy-MM-dd}\n");
        if (Rows.Count == 0)
        {
            return text.Append("Nothing is owed.\n").ToString();
        }

        var width = Math.Max(8, Rows.Max(r => r.CustomerName.Length));
        Line(text, width, "Customer", "Cur", "Current", "1-30", "31-60", "61-90", "90+", "Total");
        foreach (var (name, currency, b) in Rows.Select(r => (r.CustomerName, r.Currency, r.Buckets)).Concat(Totals.Select(t => ("Total", t.Currency, t.Buckets))))
        {
            Line(text, width, name, currency, Num(b.Current), Num(b.Days1To30), Num(b.Days31To60), Num(b.Days61To90), Num(b.Over90), Num(b.Total));
        }

        return text.ToString();
    }

    private static void Line(StringBuilder text, int width, string name, string currency, params string[] amounts)
    {
        text.Append(name.PadRight(width)).Append("  ").Append(currency.PadRight(3));
        foreach (var amount in amounts)
        {
            text.Append("  ").Append(amount.PadLeft(12));
        }

        text.Append('\n');
    }

    private static string Num(Money money) => money.Amount.ToString("N" + Currencies.MinorUnits(money.Currency), CultureInfo.InvariantCulture);

}

/// <summary>"Print a list of all past-due accounts": current, 1–30, 31–60, 61–90, 90+ by customer and currency.</summary>
public static class Aging
{
    public static AgingReport Build(IEnumerable<AgingLine> lines, DateOnly asOf)
    {
        var owing = lines.Where(l => l.Owed.IsPositive).ToList();
        var rows = owing
            .GroupBy(l => (l.CustomerId, l.Owed.Currency))
            .Select(g => new AgingRow(
                g.Key.CustomerId,
                g.First().CustomerName,
                g.Key.Currency,
                g.Count(),
                g.Aggregate(AgingBuckets.Zero(g.Key.Currency), (b, l) => b.Add(asOf.DayNumber - l.DueDate.DayNumber, l.Owed))))
            .OrderBy(r => r.CustomerName, StringComparer.OrdinalIgnoreCase)
            .ThenBy(r => r.CustomerId.Value, StringComparer.Ordinal)
            .ThenBy(r => r.Currency, StringComparer.Ordinal)
            .ToList();
        var totals = rows
            .GroupBy(r => r.Currency)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new AgingTotal(g.Key, g.Sum(r => r.Invoices), g.Select(r => r.Buckets).Aggregate((a, b) => a.Plus(b))))
            .ToList();
        return new AgingReport(asOf, rows.ToValueList(), totals.ToValueList());
    }
}
