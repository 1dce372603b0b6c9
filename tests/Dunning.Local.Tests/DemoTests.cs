using Dunning.Local.Tests.Support;
using MimeKit;

namespace Dunning.Local.Tests;

/// <summary>What the demo shows a new user about the business profile (issue 10, item 2).</summary>
[Collection(nameof(ConsoleCollection))]
public sealed class DemoTests
{
    [Fact]
    public async Task The_demo_tells_each_customer_how_to_pay_in_its_own_currency_with_numbers_that_route_nowhere()
    {
        using var folder = new TempFolder("dunning-demo");
        var data = folder.Combine("data");

        var demo = await ConsoleCapture.CliAsync("--data", data, "demo");

        Assert.True(demo.Exit == 0, demo.Err);
        var texts = Directory.EnumerateFiles(Path.Combine(data, "outbox"), "*.eml")
            .Select(f => MimeMessage.Load(f).TextBody ?? string.Empty)
            .Where(t => t.Contains("Bank transfer", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(texts);
        Assert.Contains(texts, t => t.Contains('£', StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains('€', StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains("(GBP)", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains("(EUR)", StringComparison.Ordinal));
        Assert.All(texts.Where(t => t.Contains("(GBP)", StringComparison.Ordinal)), t =>
        {
            Assert.Contains("sort code 00-00-00", t, StringComparison.Ordinal);
            Assert.DoesNotContain("routing", t, StringComparison.Ordinal);
        });
        Assert.All(texts.Where(t => t.Contains("(EUR)", StringComparison.Ordinal)), t =>
        {
            Assert.Contains("IBAN XX00", t, StringComparison.Ordinal);
            Assert.DoesNotContain("routing", t, StringComparison.Ordinal);
        });

        // Every account number the demo prints is zeros: none can be mistaken for a real bank's.
        foreach (var text in texts)
        {
            var line = text.Split('\n').Single(l => l.Contains("Bank transfer", StringComparison.Ordinal));
            Assert.DoesNotMatch(@"(account|routing|IBAN XX|BSB|transit)\s*[0-9 -]*[1-9]", line);
        }
    }
}
