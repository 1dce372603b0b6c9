using System.Text;
using System.Text.Json.Nodes;
using Dunning.Cases;
using Dunning.Common;
using Dunning.Functions.Http;
using Dunning.Functions.Tests.Engine;
using Dunning.Jurisdictions;
using Dunning.Policies;
using Dunning.Ports;
using Dunning.Tests.Ports;
using Dunning.Tests.Scenarios;
using Dunning.UseCases;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dunning.Functions.Tests.Http;

/// <summary>
/// The Azure host's HTTP functions called as the Functions host calls them (an <see cref="HttpRequest"/> in, an
/// <see cref="IActionResult"/> out), on in-memory ports and a real Durable Task engine for the cases they signal.
/// </summary>
public sealed class HttpApiTests : IAsyncLifetime
{
    private const string AdminKey = "a-long-admin-key-for-tests";
    private const string EmailEventsKey = "the-email-events-key";

    private CaseEngine engine = null!;
    private HttpApi api = null!;

    public async ValueTask InitializeAsync()
    {
        engine = await CaseEngine.StartAsync();
        api = Api(AdminKey);
    }

    public async ValueTask DisposeAsync() => await engine.DisposeAsync();

    [Fact]
    public async Task Every_staff_route_answers_401_without_the_admin_key_and_changes_nothing()
    {
        var state = await StartPausedCaseAsync();
        var key = await AddCallTaskAsync(state);
        var id = state.InvoiceId.Value;

        foreach (var (name, call) in Routes(id))
        {
            foreach (var (who, header) in new[] { ("no key", (string?)null), ("a wrong key", "not-the-key"), ("an empty key", "") })
            {
                var answer = Read(await call(Request(header, """{"outcome":"reached"}""")));
                Assert.True(answer.Status == 401 && answer.IsProblem, $"{name} with {who}: {answer}");
            }
        }

        Assert.Null((await engine.Cases.CallTaskAsync(key, default))!.Logged);

        // A key left as an unresolved Key Vault reference is no key: every staff request is refused, whatever it sends.
        var unresolved = Api("@Microsoft.KeyVault(SecretUri=https://vault.example/secrets/admin)");
        var refused = Read(await unresolved.ListCallTasks(Request("@Microsoft.KeyVault(SecretUri=https://vault.example/secrets/admin)")));
        Assert.Equal(401, refused.Status);
        Assert.Equal(200, Read(await api.ListCallTasks(Request(AdminKey))).Status);
    }

    [Fact]
    public async Task A_staff_payment_is_answered_as_queued_with_where_to_look_and_a_signal_the_case_refuses_shows_in_its_timeline()
    {
        var state = await StartPausedCaseAsync();
        var id = state.InvoiceId.Value;

        var paid = Read(await api.RecordPayment(Request(AdminKey, """{"amount":10.00,"currency":"USD","reference":"desk-1"}"""), id, engine.Client));
        Assert.True(paid.Status == 202, paid.ToString());
        Assert.Equal("queued", paid.Json!["outcome"]!.GetValue<string>());
        Assert.Equal($"/api/cases/{id}", paid.Json!["location"]!.GetValue<string>());
        Assert.Equal("payment 10.00 USD (desk-1)", paid.Json!["accepted"]!.GetValue<string>());

        // A payment in another currency, as a sender that skipped the check would deliver it: the case refuses it.
        var euros = new CaseEvent.PaymentReceived(DateTimeOffset.UtcNow, new Money(25m, "EUR"), "eur-1", "manual");
        await engine.Workflows.SignalAsync(state.InvoiceId, euros, default);
        await CaseEngine.UntilAsync(async () => (await engine.Notes.OfAsync(state.InvoiceId, default)).Count > 0, default);

        var view = Read(await api.GetCase(Request(AdminKey), id)).Json!;
        var refused = Assert.Single(view["timeline"]!.AsArray(), t => t!["refused"] is not null)!;
        Assert.Equal("currency: the invoice is in USD, not EUR.", refused["refused"]!.GetValue<string>());
        Assert.StartsWith("Refused: payment 25.00 EUR", refused["what"]!.GetValue<string>(), StringComparison.Ordinal);
        var signal = Assert.Single(view["signals"]!.AsArray())!;
        Assert.Equal("refused", signal["outcome"]!.GetValue<string>());
        Assert.Equal(refused["at"]!.GetValue<DateTimeOffset>(), signal["receivedAt"]!.GetValue<DateTimeOffset>());
    }

    [Fact]
    public async Task A_call_logged_on_the_Azure_host_feeds_the_case_and_leaves_the_list()
    {
        var state = await StartPausedCaseAsync();
        var key = await AddCallTaskAsync(state);
        var step = key.Split('/')[1];
        var id = state.InvoiceId.Value;

        // Paused: the call is not on the list of calls to make, but one already made can still be logged.
        Assert.Empty(Read(await api.ListCallTasks(Request(AdminKey))).Json!.AsArray());
        Assert.Single(Read(await api.ListCallTasks(Request(AdminKey, query: "?show=all"))).Json!.AsArray());
        var bad = Read(await api.ListCallTasks(Request(AdminKey, query: "?show=soon")));
        Assert.True(bad.Status == 400 && bad.IsProblem, bad.ToString());

        var noDate = Read(await api.LogCall(Request(AdminKey, """{"outcome":"promise"}"""), id, step, engine.Client));
        Assert.True(noDate.Status == 422 && noDate.IsProblem, noDate.ToString());
        var garbage = Read(await api.LogCall(Request(AdminKey, """{"outcome":"maybe"}"""), id, step, engine.Client));
        Assert.True(garbage.Status == 400 && garbage.IsProblem, garbage.ToString());
        var unknown = Read(await api.LogCall(Request(AdminKey, """{"outcome":"reached"}"""), id, "step-nothing", engine.Client));
        Assert.True(unknown.Status == 404 && unknown.IsProblem, unknown.ToString());

        var promised = Read(await api.LogCall(
            Request(AdminKey, $$$"""{"outcome":"promise","note":"pays next week","promise":{"date":"{{{state.Invoice.DueDate.AddDays(7):yyyy-MM-dd}}}","amount":1000.00}}"""),
            id, step, engine.Client));
        Assert.True(promised.Status == 202, promised.ToString());

        // The case takes both signals in its own time: the promise, then the call.
        await CaseEngine.UntilAsync(
            async () => Read(await api.GetCase(Request(AdminKey), id)).Json!["timeline"]!.AsArray()
                .Any(t => t!["what"]!.GetValue<string>().EndsWith("made: promise — pays next week", StringComparison.Ordinal)),
            default);
        Assert.True((await engine.Cases.GetAsync(state.InvoiceId, default))!.State.Plan is { Plan.IsPromise: true });
        var logged = Assert.Single(Read(await api.ListCallTasks(Request(AdminKey, query: "?show=logged"))).Json!.AsArray())!;
        Assert.Equal("promise", logged["logged"]!["outcome"]!.GetValue<string>());
        var again = Read(await api.LogCall(Request(AdminKey, """{"outcome":"no-answer"}"""), id, step, engine.Client));
        Assert.True(again.Status == 409 && again.IsProblem, again.ToString());
    }

    [Fact]
    public async Task An_email_that_bounced_on_Azure_becomes_the_case_s_bounced_contact_once()
    {
        var state = await StartPausedCaseAsync();
        sent.Keys["6f1c0a4e-0000-4000-8000-000000000001"] = $"{state.InvoiceId}/step-gentle";
        static string Report(string messageId, string status, string recipient = "billing@example.com") => $$$"""
            [{"id":"e-{{{messageId}}}-{{{status}}}","eventType":"Microsoft.Communication.EmailDeliveryReportReceived","subject":"sender/x/message/{{{messageId}}}",
              "eventTime":"2026-12-04T10:00:00Z","dataVersion":"1.0",
              "data":{"sender":"DoNotReply@x.azurecomm.net","recipient":"{{{recipient}}}","messageId":"{{{messageId}}}","status":"{{{status}}}",
                      "deliveryStatusDetails":{"statusMessage":"550 5.1.1 no such user"},"deliveryAttemptTimestamp":"2026-12-04T09:59:58Z"}}]
            """;

        var unconfigured = Read(await Api(AdminKey, emailEventsKey: null).EmailEvents(Request(null, Report("m", "Bounced"), "?key=anything"), engine.Client));
        Assert.True(unconfigured.Status == 503 && unconfigured.IsProblem, unconfigured.ToString());
        var wrongKey = Read(await api.EmailEvents(Request(null, Report("m", "Bounced"), "?key=guess"), engine.Client));
        Assert.True(wrongKey.Status == 401 && wrongKey.IsProblem, wrongKey.ToString());
        var garbage = Read(await api.EmailEvents(Request(null, "{\"not\":\"a batch\"}", $"?key={EmailEventsKey}"), engine.Client));
        Assert.True(garbage.Status == 400 && garbage.IsProblem, garbage.ToString());

        var validation = Read(await api.EmailEvents(
            Request(null, """[{"id":"v","eventType":"Microsoft.EventGrid.SubscriptionValidationEvent","data":{"validationCode":"512d38b6-c7b8-40c8-89fe-f46f9e9622b6"}}]""", $"?key={EmailEventsKey}"),
            engine.Client));
        Assert.Equal((200, "512d38b6-c7b8-40c8-89fe-f46f9e9622b6"), (validation.Status, validation.Json!["validationResponse"]!.GetValue<string>()));

        var delivered = Read(await api.EmailEvents(Request(null, Report("6f1c0a4e-0000-4000-8000-000000000001", "Delivered"), $"?key={EmailEventsKey}"), engine.Client));
        var unknown = Read(await api.EmailEvents(Request(null, Report("00000000-0000-4000-8000-000000000009", "Bounced"), $"?key={EmailEventsKey}"), engine.Client));
        Assert.Equal((200, 0, 200, 0), (delivered.Status, delivered.Json!["bounced"]!.GetValue<int>(), unknown.Status, unknown.Json!["bounced"]!.GetValue<int>()));

        for (var delivery = 0; delivery < 2; delivery++)
        {
            // Event Grid delivers at least once: the same report twice bounces the address once.
            var bounced = Read(await api.EmailEvents(Request(null, Report("6f1c0a4e-0000-4000-8000-000000000001", "Bounced"), $"?key={EmailEventsKey}"), engine.Client));
            Assert.Equal((200, 1), (bounced.Status, bounced.Json!["bounced"]!.GetValue<int>()));
        }

        await CaseEngine.UntilAsync(async () => (await engine.Cases.GetAsync(state.InvoiceId, default))?.State.BouncedAddresses.Contains("billing@example.com") == true, default);
        var view = Read(await api.GetCase(Request(AdminKey), state.InvoiceId.Value));
        Assert.Single(view.Json!["timeline"]!.AsArray(), t => t!["what"]!.GetValue<string>() == "message 'step-gentle' to billing@example.com bounced: Bounced: 550 5.1.1 no such user");
    }

    [Fact]
    public async Task A_host_still_on_the_sample_business_profile_starts_no_case_and_names_the_fields()
    {
        const string Invoices = """{"invoices":[{"id":"P-1","customerId":"C-1","amount":120.00,"currency":"USD","issuedAt":"2026-01-01","dueDate":"2026-01-31"}]}""";
        var scan = Read(await api.Scan(Request(AdminKey), engine.Client));
        Assert.True(scan.Status == 503 && scan.IsProblem, scan.ToString());
        Assert.Contains("business.name: still the placeholder", scan.Body, StringComparison.Ordinal);
        Assert.Contains("business.bankTransfer: still the placeholder", scan.Body, StringComparison.Ordinal);
        var import = Read(await api.ImportInvoices(Request(AdminKey, Invoices), engine.Client));
        Assert.True(import.Status == 503 && import.IsProblem, import.ToString());

        var real = DefaultPolicy.Value with
        {
            Business = new BusinessProfile("Harbor Bakery Supplies", "accounts@harbor.example", "Dana Reyes", BankTransfer: "IBAN XX00 TEST 0000 0000 00"),
        };
        var profiled = Api(AdminKey, policy: real);
        Assert.Equal(200, Read(await profiled.Scan(Request(AdminKey), engine.Client)).Status);
    }

    private sealed class SentEmails : Dunning.Functions.Storage.ISentEmails
    {
        public System.Collections.Concurrent.ConcurrentDictionary<string, string> Keys { get; } = new();

        public Task<string?> KeyOfAsync(string operationId, CancellationToken ct) => Task.FromResult(Keys.GetValueOrDefault(operationId));
    }

    private IEnumerable<(string Name, Func<HttpRequest, Task<IActionResult>> Call)> Routes(string id) =>
    [
        ("GET cases", r => api.ListCases(r)),
        ("GET cases/{id}", r => api.GetCase(r, id)),
        ("GET calltasks", r => api.ListCallTasks(r)),
        ("POST calltasks/{id}/{step}", r => api.LogCall(r, id, "step-call", engine.Client)),
        ("POST cases/{id}/pause", r => api.Pause(r, id, engine.Client)),
        ("GET reports/aging", r => api.Aging(r)),
        ("GET reports/digest", r => api.DailyDigest(r)),
    ];

    private readonly SentEmails sent = new();

    private HttpApi Api(string adminKey, string? emailEventsKey = EmailEventsKey, DunningPolicy? policy = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Dunning:AdminKey"] = adminKey,
            ["Dunning:Webhooks:EmailEventsKey"] = emailEventsKey,
        }).Build();
        var ledger = new InMemoryLedger();
        var app = new DunningApp(
            ledger, engine.Cases, engine.Notes, new InMemoryWebhookInbox(), engine.Contacts, policy ?? DefaultPolicy.Value, JurisdictionCatalog.Default, TimeProvider.System,
            new AgingQuery(ledger, engine.Cases), new CaseReports(engine.Cases, TimeProvider.System), sent, configuration);
        return new HttpApi(app, NullLogger<HttpApi>.Instance);
    }

    /// <summary>A case of the hosts' scenario set, paused at once so it waits for the test.</summary>
    private async Task<CaseState> StartPausedCaseAsync()
    {
        var state = HostScenarios.All(DateTimeOffset.UtcNow).Single(s => s.Name == "ladder to small claims").Initial;
        Assert.True(await engine.Workflows.StartAsync(state, default));
        await engine.Workflows.SignalAsync(state.InvoiceId, new CaseEvent.Paused(DateTimeOffset.UtcNow, "talking to them"), default);
        await CaseEngine.UntilAsync(async () => (await engine.Cases.GetAsync(state.InvoiceId, default))?.State.Pause is not null, default);
        return (await engine.Cases.GetAsync(state.InvoiceId, default))!.State;
    }

    private async Task<string> AddCallTaskAsync(CaseState state)
    {
        var key = $"{state.InvoiceId}/step-call";
        await engine.Cases.AddCallTaskAsync(new CallTask(key, state.InvoiceId, state.Customer.Name, "Man Ager", "+1 555 0199", "Calling about invoice 1001.", DateTimeOffset.UtcNow), default);
        return key;
    }

    private static HttpRequest Request(string? adminKey, string? body = null, string query = "")
    {
        var context = new DefaultHttpContext();
        var request = context.Request;
        request.QueryString = new QueryString(query);
        if (adminKey is not null)
        {
            request.Headers[ApiRequestHeader] = adminKey;
        }

        var bytes = Encoding.UTF8.GetBytes(body ?? string.Empty);
        request.Body = new MemoryStream(bytes);
        request.ContentLength = bytes.Length;
        request.ContentType = "application/json";
        return request;
    }

    private const string ApiRequestHeader = Dunning.Api.ApiRequest.AdminKeyHeader;

    private static Answer Read(IActionResult result)
    {
        var content = Assert.IsType<ContentResult>(result);
        return new Answer(content.StatusCode ?? 200, content.ContentType ?? string.Empty, content.Content ?? string.Empty);
    }

    private sealed record Answer(int Status, string ContentType, string Body)
    {
        public bool IsProblem => ContentType.StartsWith("application/problem+json", StringComparison.Ordinal);

        public JsonNode? Json => JsonNode.Parse(Body);
    }
}
