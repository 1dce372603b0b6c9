using Dunning.Common;
using Dunning.Policies;
using Dunning.Tests.Scenarios;

namespace Dunning.Functions.Tests.Engine;

/// <summary>
/// Two invoices of one customer on the real Durable Task engine share the customer's contact ledger: with a cap of one
/// contact in 7 days, only one of the two cases reaches the customer and the other waits for the cap (a week of real
/// time, so the test stops there: the deferral is what it proves, the later sending is proven on the local runner and
/// in the core's ledger tests).
/// </summary>
public sealed class SharedCapTests : IAsyncLifetime
{
    private CaseEngine engine = null!;

    public async ValueTask InitializeAsync() => engine = await CaseEngine.StartAsync();

    public async ValueTask DisposeAsync() => await engine.DisposeAsync();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Two_invoices_of_one_customer_send_one_contact_and_the_other_waits_for_the_customer_s_cap(bool consolidate)
    {
        var ct = TestContext.Current.CancellationToken;
        var start = DateTimeOffset.UtcNow;
        var template = HostScenarios.All(start).Single(s => s.Name == "ladder to small claims").Initial;
        var customer = template.Customer with { Id = new CustomerId("C-shared-cap") };
        var policy = template.Policy with { Cap = new FrequencyCap(MaxContacts: 1), Consolidate = consolidate };
        var first = template with { Invoice = template.Invoice with { Id = new InvoiceId("INV-cap-1"), CustomerId = customer.Id }, Customer = customer, Policy = policy };
        var second = template with { Invoice = template.Invoice with { Id = new InvoiceId("INV-cap-2"), CustomerId = customer.Id, Number = "1002" }, Customer = customer, Policy = policy };

        Assert.True(await engine.Workflows.StartAsync(first, ct));
        Assert.True(await engine.Workflows.StartAsync(second, ct));

        // Both cases settle into a wait for the cap: the one that sent waits for its own next step, the other for its first.
        var capEnds = start + TimeSpan.FromDays(6);
        await CaseEngine.UntilAsync(
            async () => (await engine.Cases.GetAsync(first.InvoiceId, ct))?.Status.NextActionAt > capEnds
                && (await engine.Cases.GetAsync(second.InvoiceId, ct))?.Status.NextActionAt > capEnds,
            ct);

        var sent = Assert.Single(engine.Mailer.Sent.Values);
        Assert.Equal("billing@example.com", sent.To);
        if (consolidate)
        {
            // One message for the customer: it carries both invoices.
            Assert.Contains("1001", sent.Text, StringComparison.Ordinal);
            Assert.Contains("1002", sent.Text, StringComparison.Ordinal);
        }

        Assert.Empty(engine.Documents.Letters);
        Assert.Empty(await engine.Cases.CallTasksAsync(ct));
        Assert.Single(engine.Performed.Keys, k => k.EndsWith("/step-gentle", StringComparison.Ordinal) && engine.Mailer.Sent.ContainsKey(k));
        foreach (var id in new[] { first.InvoiceId, second.InvoiceId })
        {
            await engine.Client.TerminateInstanceAsync(id.CaseInstanceId, "test over", ct);
        }
    }
}
