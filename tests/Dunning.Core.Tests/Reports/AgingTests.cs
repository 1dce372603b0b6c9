using Dunning.Common;
using Dunning.Reports;

namespace Dunning.Tests.Reports;

public class AgingTests
{
    private static readonly DateOnly AsOf = new(2026, 6, 30);

    private static AgingLine Line(string customer, string invoice, int daysOverdue, decimal owed, string currency = "USD") =>
        new(new CustomerId(customer), customer + " Ltd", new InvoiceId(invoice), invoice, AsOf.AddDays(-daysOverdue), new Money(owed, currency));

    [Theory]
    [InlineData(-5, "current")]
    [InlineData(0, "current")]
    [InlineData(1, "1-30")]
    [InlineData(30, "1-30")]
    [InlineData(31, "31-60")]
    [InlineData(60, "31-60")]
    [InlineData(61, "61-90")]
    [InlineData(90, "61-90")]
    [InlineData(91, "90+")]
    [InlineData(400, "90+")]
    public void Each_invoice_lands_in_the_bucket_of_its_days_past_due(int daysOverdue, string bucket)
    {
        var b = Aging.Build([Line("A", "I-1", daysOverdue, 10m)], AsOf).Rows.Single().Buckets;

        var amounts = new Dictionary<string, decimal>
        {
            ["current"] = b.Current.Amount, ["1-30"] = b.Days1To30.Amount, ["31-60"] = b.Days31To60.Amount, ["61-90"] = b.Days61To90.Amount, ["90+"] = b.Over90.Amount,
        };
        Assert.Equal(10m, amounts[bucket]);
        Assert.Equal(10m, amounts.Values.Sum());
    }

    [Fact]
    public void Rows_are_per_customer_and_currency_and_currencies_are_never_added_together()
    {
        var report = Aging.Build(
            [Line("A", "I-1", 10, 100m), Line("A", "I-2", 45, 50m), Line("A", "I-3", 10, 70m, "EUR"), Line("B", "I-4", 100, 5m), Line("B", "I-5", 10, 0m)],
            AsOf);

        Assert.Equal([("A", "EUR", 70m), ("A", "USD", 150m), ("B", "USD", 5m)], report.Rows.Select(r => (r.CustomerId.Value, r.Currency, r.Buckets.Total.Amount)));
        Assert.Equal([("EUR", 70m), ("USD", 155m)], report.Totals.Select(r => (r.Currency, r.Buckets.Total.Amount)));
        Assert.Equal(2, report.Rows[1].Invoices);
    }

    [Theory]
    [InlineData("=1+1", "\"'=1+1\"")]
    [InlineData("+44 20", "\"'+44 20\"")]
    [InlineData("-Smith", "\"'-Smith\"")]
    [InlineData("@Acme", "\"'@Acme\"")]
    [InlineData("\tTabbed", "\"'\tTabbed\"")]
    [InlineData("\rCarriage", "\"'\rCarriage\"")]
    [InlineData("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\"")]
    [InlineData("Smith-Jones = Co", "Smith-Jones = Co")]
    public void Csv_names_a_spreadsheet_would_run_as_formulas_are_neutralised(string name, string cell)
    {
        var csv = Aging.Build([new AgingLine(new CustomerId("C"), name, new InvoiceId("I"), "I", AsOf.AddDays(-40), new Money(12.5m, "GBP"))], AsOf).ToCsv();

        Assert.Equal(cell, csv.Split('\n')[1].Split(',')[1]);
    }

    [Fact]
    public void Csv_has_a_header_and_quotes_names_with_commas()
    {
        var csv = Aging.Build([new AgingLine(new CustomerId("C"), "Smith, Jones & Co", new InvoiceId("I"), "I", AsOf.AddDays(-40), new Money(12.5m, "GBP"))], AsOf).ToCsv();

        Assert.Equal(
            "customer_id,customer_name,currency,invoices,current,days_1_30,days_31_60,days_61_90,days_over_90,total\n" +
            "C,\"Smith, Jones & Co\",GBP,1,0,0,12.5,0,0,12.5\n",
            csv);
    }

    [Fact]
    public void The_table_says_so_when_nothing_is_owed() =>
        Assert.Contains("Nothing is owed.", Aging.Build([], AsOf).ToTable(), StringComparison.Ordinal);
}
