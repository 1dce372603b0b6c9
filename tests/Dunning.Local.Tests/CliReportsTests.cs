using System.Text.Json.Nodes;
using Dunning.Local.Cli;
using Dunning.Local.Tests.Support;

namespace Dunning.Local.Tests;

/// <summary><c>dunning learn</c> and <c>dunning digest</c> over a data folder run on its simulated clock.</summary>
[Collection(nameof(ConsoleCollection))]
public sealed class CliReportsTests
{
    private static readonly DateOnly Due = new(2026, 3, 2);

    [Fact]
    public async Task Learn_prints_which_step_converts_as_text_or_json()
    {
        using var folder = new TempFolder("dunning-cli");
        var data = await TwoCasesOneLaterPaidAsync(folder);

        var text = await ConsoleCapture.CliAsync("--data", data, "learn");
        Assert.True(text.Exit == CommandLine.Ok, text.Err);
        Assert.StartsWith("Which step converts (paid in full within 14 days of it)\n", text.Out, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^  gentle +2 reached +1 paid +50%$", text.Out);
        Assert.Contains("Harbor Bakery", text.Out, StringComparison.Ordinal);

        var json = await ConsoleCapture.CliAsync("--data", data, "learn", "--within", "30", "--format", "json");
        Assert.True(json.Exit == CommandLine.Ok, json.Err);
        var report = JsonNode.Parse(json.Out)!;
        Assert.Equal(30, report["withinDays"]!.GetValue<int>());
        Assert.Equal(["courtesy", "gentle", "firm", "letter", "call", "final"], report["steps"]!.AsArray().Select(s => s!["stepId"]!.GetValue<string>()));
        var paid = report["outcomes"]!.AsArray().Single(o => o!["outcome"]!.GetValue<string>() == "paid")!;
        Assert.Equal(1_200m, paid["byCurrency"]![0]!["recovered"]!["amount"]!.GetValue<decimal>());

        Assert.Equal(CommandLine.BadInput, (await ConsoleCapture.CliAsync("--data", data, "learn", "--within", "0")).Exit);
        Assert.Equal(CommandLine.Usage, (await ConsoleCapture.CliAsync("--data", data, "learn", "--within", "two")).Exit);
        Assert.Equal(CommandLine.Usage, (await ConsoleCapture.CliAsync("--data", data, "learn", "--format", "csv")).Exit);
    }

    [Fact]
    public async Task Digest_prints_what_was_sent_and_what_needs_a_person_since_a_day_or_the_last_24_hours()
    {
        using var folder = new TempFolder("dunning-cli");
        var data = await TwoCasesOneLaterPaidAsync(folder);

        var recent = await ConsoleCapture.CliAsync("--data", data, "digest");
        Assert.True(recent.Exit == CommandLine.Ok, recent.Err);
        Assert.StartsWith("Since 2026-04-09 00:00 UTC\n", recent.Out, StringComparison.Ordinal);

        var month = await ConsoleCapture.CliAsync("--data", data, "digest", "--since", "2026-03-25");
        Assert.True(month.Exit == CommandLine.Ok, month.Err);
        Assert.StartsWith("Since 2026-03-25 00:00 UTC\n", month.Out, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^  2026-\d\d-\d\d \d\d:\d\d  INV-2 +Harbor Bakery: call 'call' to ", month.Out);
        Assert.Matches(@"(?m)^Calls to make \(1\)\n  INV-2 +Harbor Bakery, ask for ", month.Out);
        Assert.DoesNotContain("INV-1 ", month.Out, StringComparison.Ordinal);

        var json = await ConsoleCapture.CliAsync("--data", data, "digest", "--since", "2026-03-25T00:00:00Z", "--format", "json");
        Assert.True(json.Exit == CommandLine.Ok, json.Err);
        var digest = JsonNode.Parse(json.Out)!;
        Assert.Equal(["INV-2"], digest["callsToMake"]!.AsArray().Select(t => t!["invoiceId"]!.GetValue<string>()));
        Assert.Empty(digest["openDisputes"]!.AsArray());

        Assert.Equal(CommandLine.BadInput, (await ConsoleCapture.CliAsync("--data", data, "digest", "--since", "yesterday")).Exit);
    }

    /// <summary>
    /// Harbor Bakery owes INV-1 and INV-2, both due 2 March 2026. The clock runs to 8 March (courtesy and gentle went out
    /// for both), the ledger then says INV-1 is paid, and the clock runs on to 10 April: INV-2 has had every step to the
    /// final notice, including a call.
    /// </summary>
    private static async Task<string> TwoCasesOneLaterPaidAsync(TempFolder folder)
    {
        var data = folder.Combine("data");
        var customers = folder.Write("customers.csv", Sample.Customers(Sample.HarborBakery));
        var invoices = folder.Write("invoices.csv", Sample.Invoices(Sample.Invoice("INV-1", "C1", Due, 1_200m), Sample.Invoice("INV-2", "C1", Due, 800m)));
        var paid = folder.Write("paid.csv", Sample.Invoices(Sample.Invoice("INV-1", "C1", Due, 1_200m, paid: 1_200m)));
        Assert.Equal(CommandLine.Ok, (await ConsoleCapture.CliAsync(Sample.Init(data))).Exit);
        foreach (var args in new[]
        {
            new[] { "import", "--customers", customers, "--invoices", invoices },
            ["run", "--until", "2026-03-08"],
            ["import", "--invoices", paid],
            ["run", "--until", "2026-04-10"],
        })
        {
            var (exit, _, err) = await ConsoleCapture.CliAsync(["--data", data, .. args]);
            Assert.True(exit == CommandLine.Ok, $"{string.Join(' ', args)}: {err}");
        }

        return data;
    }
}
