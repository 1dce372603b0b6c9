using System.Globalization;
using System.Text.RegularExpressions;
using Dunning.Cases;
using Dunning.Common;
using Dunning.Local.Api;
using Dunning.Local.Tests.Support;

namespace Dunning.Local.Tests;

/// <summary>GET /api/cases a page at a time (issue 12, item 5): cursor paging with filters, through Kestrel and SQLite.</summary>
[Collection(nameof(ConsoleCollection))]
public sealed partial class CasePagingTests
{
    [Fact]
    public async Task The_dashboards_figures_summed_in_SQL_equal_those_of_every_case_read_whole()
    {
        using var folder = new TempFolder("dunning-figures");
        var data = folder.Combine("data");
        var demo = await ConsoleCapture.CliAsync("--data", data, "demo");
        Assert.True(demo.Exit == 0, demo.Err);
        var app = LocalApp.Open(data, clock: LocalApp.ClockOf(data));

        var figures = app.Cases.Figures();
        var all = await app.Cases.AllAsync(CancellationToken.None);

        var expected = all.GroupBy(r => r.State.Currency).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new CurrencyTotals(
            g.Key,
            g.Count(),
            Money.Sum(g.Where(r => !CaseStatus.Ended.Contains(r.Status.Status)).Select(r => r.State.StillOwed), g.Key),
            Money.Sum(g.Select(r => r.State.Recovered), g.Key),
            Money.Sum(g.Where(r => r.State.Outcome?.IsFlag == true).Select(r => r.State.StillOwed), g.Key)));
        Assert.Equal(expected, figures.Totals);
        Assert.Contains(figures.Totals, t => t.Recovered.IsPositive);
        Assert.Equal(all.CountBy(r => r.Status.Status).OrderBy(p => p.Key, StringComparer.Ordinal), figures.Statuses.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal(all.CountBy(r => r.Status.Stage).OrderBy(p => p.Key, StringComparer.Ordinal), figures.Stages.OrderBy(p => p.Key, StringComparer.Ordinal));

        // The table's rows, read from SQL without the states, say what the states read whole say (paid, refunded, flagged cases included).
        var rows = app.Cases.Rows(all.Select(r => r.State.InvoiceId).Reverse());
        Assert.Equal(
            all.Reverse().Select(r => (r.Status, r.State.Invoice.DueDate, r.State.Invoice.Amount, r.State.Customer.TimeZone, r.State.Recovered)),
            rows.Select(r => (r.Status, r.DueDate, r.Amount, r.TimeZone, r.Recovered)));
    }

    private static readonly DateTimeOffset Start = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Following_the_next_link_reads_every_case_exactly_once_with_its_filters()
    {
        await using var host = await LoopbackHost.StartAsync(Start);
        var invoices = Enumerable.Range(0, 23)
            .Select(i => Sample.InvoiceJson("INV-" + i.ToString("000", CultureInfo.InvariantCulture), "C1", new DateOnly(2026, 2, 1).AddDays(i % 7), 100m + i, currency: i % 3 == 0 ? "EUR" : "USD"))
            .ToArray();
        await host.ImportAndScanAsync(invoices);

        var all = await ReadAllAsync(host, "/api/cases?limit=5");
        Assert.Equal(Enumerable.Range(0, 23).Select(i => "INV-" + i.ToString("000", CultureInfo.InvariantCulture)), all);

        var euros = await ReadAllAsync(host, "/api/cases?currency=eur&customer=C1&limit=2");
        Assert.Equal(Enumerable.Range(0, 23).Where(i => i % 3 == 0).Select(i => "INV-" + i.ToString("000", CultureInfo.InvariantCulture)), euros);

        Assert.Empty(await ReadAllAsync(host, "/api/cases?customer=NOBODY"));

        // The default page is bounded, and says where the rest is.
        var first = await host.GetAsync("/api/cases?limit=20");
        Assert.Equal(20, first.Body.AsArray().Count);
    }

    [Theory]
    [InlineData("/api/cases?status=opne", "status: 'opne'")]
    [InlineData("/api/cases?limit=0", "limit: '0'")]
    [InlineData("/api/cases?limit=5000", "limit: '5000'")]
    [InlineData("/api/cases?currency=XX", "currency: 'XX'")]
    [InlineData("/api/cases?customer=a%20b", "customer")]
    [InlineData("/api/cases?cursor=not!a!cursor", "cursor: ")]
    [InlineData("/api/cases?cursor=Zm9v", "cursor: ")]
    public async Task A_bad_query_is_a_400_naming_what_is_wrong(string path, string says)
    {
        await using var host = await LoopbackHost.StartAsync(Start);

        var answer = await host.GetAsync(path);

        Assert.True(answer.Code == 400 && answer.IsProblem, answer.ToString());
        Assert.Contains(says, answer.Text, StringComparison.Ordinal);
    }

    private static async Task<List<string>> ReadAllAsync(LoopbackHost host, string path)
    {
        var ids = new List<string>();
        var limit = int.Parse(LimitOf().Match(path) is { Success: true } m ? m.Groups[1].Value : "100", CultureInfo.InvariantCulture);
        for (var next = path; next is not null;)
        {
            using var response = await host.Client.GetAsync(new Uri(next, UriKind.Relative));
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, text);
            var page = System.Text.Json.Nodes.JsonNode.Parse(text)!.AsArray();
            Assert.True(page.Count <= limit, $"{page.Count} cases on a page of {limit}");
            ids.AddRange(page.Select(c => c!["invoiceId"]!.GetValue<string>()));
            next = response.Headers.TryGetValues("Link", out var links) && NextLink().Match(links.Single()) is { Success: true } link ? link.Groups[1].Value : null;
            Assert.True(ids.Count < 1000, "paging does not end");
        }

        Assert.Equal(ids.Distinct().Count(), ids.Count);
        return ids;
    }

    [GeneratedRegex("limit=([0-9]+)")]
    private static partial Regex LimitOf();

    [GeneratedRegex("^<([^>]+)>; rel=\"next\"$")]
    private static partial Regex NextLink();
}
