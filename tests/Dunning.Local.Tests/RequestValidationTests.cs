using Dunning.Local.Tests.Support;

namespace Dunning.Local.Tests;

/// <summary>Issue 9, items 8 and 14: request bodies are checked whole, in the caller's terms, before anything changes.</summary>
public class RequestValidationTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 10, 18, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Due = new(2026, 3, 2);

    private static async Task<LoopbackHost> HostWithCaseAsync()
    {
        var host = await LoopbackHost.StartAsync(Start);
        await host.ImportAndScanAsync(Sample.InvoiceJson("INV-1", "C1", Due, 1_200m));
        return host;
    }

    private static string[] Errors(Answer answer) => [.. answer.Body["errors"]!.AsArray().Select(e => e!.GetValue<string>())];

    [Fact]
    public async Task A_misspelt_field_is_refused_rather_than_read_as_not_given()
    {
        await using var host = await HostWithCaseAsync();

        var answer = await host.PostAsync("/api/cases/INV-1/pause", """{"reasn":"customer on holiday"}""");

        Assert.True(answer.Code == 400 && answer.IsProblem, answer.ToString());
        Assert.Contains(Errors(answer), e => e.StartsWith("reasn: is not a field", StringComparison.Ordinal) && e.Contains("reason", StringComparison.Ordinal));
        Assert.Equal("open", (await host.CaseAsync("INV-1"))["status"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_huge_reference_is_refused_and_nothing_is_recorded()
    {
        await using var host = await HostWithCaseAsync();
        var reference = new string('x', 3_900_000);

        var answer = await host.PostAsync("/api/cases/INV-1/payments", $$"""{"amount":10,"currency":"USD","reference":"{{reference}}"}""");

        Assert.True(answer.Code == 400 && answer.IsProblem, answer.ToString()[..Math.Min(500, answer.ToString().Length)]);
        Assert.Contains(Errors(answer), e => e.StartsWith("reference: is 3,900,000 characters long; at most 255", StringComparison.Ordinal));
        Assert.True(answer.Text.Length < 2_000, "the answer does not echo the text back");
        Assert.Equal(1_200m, await host.PrincipalAsync("INV-1"));
    }

    [Theory]
    [InlineData("/api/cases/INV-1/payments", """{"amount":10,"currency":"USD","reference":"BW\u0000-19"}""", "reference")]
    [InlineData("/api/cases/INV-1/dispute", """{"reason":"broken\u001b[2J"}""", "reason")]
    [InlineData("/api/cases/INV-1/pause", """{"reason":"away\u0007"}""", "reason")]
    [InlineData("/api/cases/INV-1/payments", """{"amount":10,"currency":"USD","reference":"two\nlines"}""", "reference")]
    public async Task Control_characters_are_refused(string path, string body, string field)
    {
        await using var host = await HostWithCaseAsync();

        var answer = await host.PostAsync(path, body);

        Assert.True(answer.Code == 400 && answer.IsProblem, answer.ToString());
        Assert.Contains(Errors(answer), e => e.StartsWith(field + ": must not contain control characters", StringComparison.Ordinal));
        Assert.Equal("open", (await host.CaseAsync("INV-1"))["status"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Every_problem_is_listed_at_once()
    {
        await using var host = await HostWithCaseAsync();

        var answer = await host.PostAsync("/api/cases/INV-1/payments", $$"""{"currency":"USD","reference":"a\u0000","memo":"x","note":"{{new string('n', 300)}}"}""");

        Assert.True(answer.Code == 400, answer.ToString());
        var errors = Errors(answer);
        Assert.Contains(errors, e => e.StartsWith("amount: is required", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("reference: must not contain control characters", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("memo: is not a field", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("note: is not a field", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/api/cases/INV-1/payments", """{"amount":"lots","currency":"USD","reference":"r"}""", "amount: must be a number")]
    [InlineData("/api/cases/INV-1/promise", """{"date":"soon","amount":10}""", "date: must be a date, YYYY-MM-DD")]
    [InlineData("/api/cases/INV-1/dispute/resolve", """{"outcome":"maybe"}""", "outcome: must be one of upheld, rejected")]
    [InlineData("/api/cases/INV-1/payments", "[1,2]", "the body: must be a JSON object")]
    [InlineData("/api/cases/INV-1/plan", """{"installments":{"a":1}}""", "installments: must be an array")]
    public async Task Messages_name_the_field_and_what_it_must_be_never_a_type_in_the_code(string path, string body, string expected)
    {
        await using var host = await HostWithCaseAsync();

        var answer = await host.PostAsync(path, body);

        Assert.True(answer.Code == 400 && answer.IsProblem, answer.ToString());
        var detail = answer.Body["detail"]!.GetValue<string>();
        Assert.Contains(expected, detail, StringComparison.Ordinal);
        Assert.DoesNotContain("Dunning.", answer.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", answer.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-03-09", 202)]
    [InlineData("2026-03-09T10:00:00Z", 202)]
    [InlineData("2026-03-09T10:00:00+02:00", 202)]
    [InlineData("2026-03-09T10:00:00", 400)]
    [InlineData("09/03/2026", 400)]
    public async Task Manual_payments_take_the_same_date_forms_as_the_generic_webhook(string paidAt, int status)
    {
        await using var host = await HostWithCaseAsync();

        var answer = await host.PostAsync("/api/cases/INV-1/payments", $$"""{"amount":10,"currency":"USD","paidAt":"{{paidAt}}","reference":"r-1"}""");
        var generic = $$"""{"eventId":"e1","invoiceId":"INV-1","amount":10,"currency":"USD","paidAt":"{{paidAt}}","reference":"r-1"}""";
        var (timestamp, signature) = Dunning.Webhooks.GenericWebhook.Headers(generic, "s", Start);
        var webhook = Dunning.Webhooks.GenericWebhook.Verify(generic, timestamp, signature, "s", Start);

        Assert.True(answer.Code == status, answer.ToString());
        Assert.Equal(status == 202, webhook is Dunning.Webhooks.WebhookVerdict.Accepted);
    }
}
