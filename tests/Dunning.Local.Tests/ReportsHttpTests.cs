using Dunning.Local.Tests.Support;

namespace Dunning.Local.Tests;

/// <summary>GET /api/reports/learning and /api/reports/digest through a real Kestrel on loopback.</summary>
public sealed class ReportsHttpTests
{
    /// <summary>Tuesday 10 March 2026, 11:00 in San Francisco: inside the contact window.</summary>
    private static readonly DateTimeOffset Start = new(2026, 3, 10, 18, 0, 0, TimeSpan.Zero);

    private static readonly DateOnly Due = new(2026, 3, 2);

    [Fact]
    public async Task Learning_says_which_step_converts_days_to_pay_and_recovery_by_outcome()
    {
        await using var host = await LoopbackHost.StartAsync(Start);
        await host.ImportAndScanAsync(Sample.InvoiceJson("INV-1", "C1", Due, 1_200m), Sample.InvoiceJson("INV-2", "C1", Due, 800m));
        var paid = await host.PostAsync("/api/cases/INV-1/payments", """{"amount":1200,"currency":"USD","reference":"chq-1"}""");
        Assert.True(paid.Code == 202, paid.ToString());
        var advanced = await host.PostAsync("/api/clock/advance", """{"days":20}""", admin: true);
        Assert.True(advanced.Code == 200, advanced.ToString());

        var answer = await host.GetAsync("/api/reports/learning");

        Assert.Equal(200, answer.Code);
        Assert.Equal("application/json", answer.MediaType);
        var report = answer.Body;
        Assert.Equal(14, report["withinDays"]!.GetValue<int>());
        var gentle = report["steps"]!.AsArray().Single(s => s!["stepId"]!.GetValue<string>() == "gentle")!;
        Assert.Equal((2, 1, 0, 0.5m), (gentle["reached"]!.GetValue<int>(), gentle["converted"]!.GetValue<int>(), gentle["pending"]!.GetValue<int>(), gentle["rate"]!.GetValue<decimal>()));
        var customer = Assert.Single(report["customers"]!.AsArray())!;
        Assert.Equal(("C1", "Harbor Bakery", 1, 8d, 1), (
            customer["customerId"]!.GetValue<string>(), customer["name"]!.GetValue<string>(), customer["paidCases"]!.GetValue<int>(),
            customer["averageDaysToPay"]!.GetValue<double>(), customer["openCases"]!.GetValue<int>()));
        var outcomes = report["outcomes"]!.AsArray();
        Assert.Equal(["open", "paid"], outcomes.Select(o => o!["outcome"]!.GetValue<string>()));
        var usd = Assert.Single(outcomes[1]!["byCurrency"]!.AsArray())!;
        Assert.Equal(("USD", 1_200m, 1_200m, 1m), (
            usd["currency"]!.GetValue<string>(), usd["owed"]!["amount"]!.GetValue<decimal>(), usd["recovered"]!["amount"]!.GetValue<decimal>(), usd["rate"]!.GetValue<decimal>()));

        // Within 30 days, gentle (sent 20 days ago) is too recent to tell for the unpaid case; the paid one has converted.
        var month = (await host.GetAsync("/api/reports/learning?within=30")).Body;
        Assert.Equal(30, month["withinDays"]!.GetValue<int>());
        var gentle30 = month["steps"]!.AsArray().Single(s => s!["stepId"]!.GetValue<string>() == "gentle")!;
        Assert.Equal((0, 2), (gentle30["reached"]!.GetValue<int>(), gentle30["pending"]!.GetValue<int>()));

        foreach (var bad in new[] { "0", "-3", "366", "two", "1.5", "99999999999" })
        {
            var refused = await host.GetAsync("/api/reports/learning?within=" + bad);
            Assert.True(refused.Code == 400 && refused.IsProblem, $"within={bad}: {refused}");
            Assert.StartsWith("within:", refused.Body["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_digest_lists_what_was_sent_since_and_the_calls_and_disputes_that_need_a_person()
    {
        await using var host = await LoopbackHost.StartAsync(Start);
        await host.ImportAndScanAsync(Sample.InvoiceJson("INV-1", "C1", Due, 1_200m), Sample.InvoiceJson("INV-2", "C1", Due, 800m));
        var disputed = await host.PostAsync("/api/cases/INV-2/dispute", """{"reason":"the cakes never came"}""");
        Assert.True(disputed.Code == 202, disputed.ToString());
        var advanced = await host.PostAsync("/api/clock/advance", """{"to":"2026-04-05"}""", admin: true);
        Assert.True(advanced.Code == 200, advanced.ToString());

        var answer = await host.GetAsync("/api/reports/digest?since=2026-03-25");

        Assert.Equal(200, answer.Code);
        Assert.Equal("application/json", answer.MediaType);
        var digest = answer.Body;
        Assert.Equal(new DateTimeOffset(2026, 3, 25, 0, 0, 0, TimeSpan.Zero), digest["since"]!.GetValue<DateTimeOffset>());
        var sent = digest["sent"]!.AsArray();
        Assert.Contains(sent, l => l!["invoiceId"]!.GetValue<string>() == "INV-1" && l["what"]!.GetValue<string>().StartsWith("call 'call'", StringComparison.Ordinal));
        Assert.DoesNotContain(sent, l => l!["invoiceId"]!.GetValue<string>() == "INV-2");
        Assert.Equal(["INV-1"], digest["callsToMake"]!.AsArray().Select(t => t!["invoiceId"]!.GetValue<string>()));
        var dispute = Assert.Single(digest["openDisputes"]!.AsArray())!;
        Assert.Equal(("INV-2", "dispute"), (dispute["invoiceId"]!.GetValue<string>(), dispute["status"]!.GetValue<string>()));
        Assert.Empty(digest["newlyFlagged"]!.AsArray());

        // By default: the last 24 hours on the host's clock; an instant is taken as given.
        var yesterday = (await host.GetAsync("/api/reports/digest")).Body;
        Assert.Equal(new DateTimeOffset(2026, 4, 4, 0, 0, 0, TimeSpan.Zero), yesterday["since"]!.GetValue<DateTimeOffset>());
        var instant = (await host.GetAsync("/api/reports/digest?since=2026-03-30T12:00:00Z")).Body;
        Assert.Equal(new DateTimeOffset(2026, 3, 30, 12, 0, 0, TimeSpan.Zero), instant["since"]!.GetValue<DateTimeOffset>());

        foreach (var bad in new[] { "yesterday", "2026-02-30", "12", "%00" })
        {
            var refused = await host.GetAsync("/api/reports/digest?since=" + bad);
            Assert.True(refused.Code == 400 && refused.IsProblem, $"since={bad}: {refused}");
            Assert.StartsWith("since:", refused.Body["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Both_reports_are_in_the_OpenAPI_document()
    {
        await using var host = await LoopbackHost.StartAsync(Start);

        var paths = (await host.GetAsync("/openapi/v1.json")).Body["paths"]!.AsObject().Select(p => p.Key).ToList();

        Assert.Contains("/api/reports/learning", paths);
        Assert.Contains("/api/reports/digest", paths);
    }
}
