using System.Text.Json.Nodes;
using Dunning.Local.Tests.Support;

namespace Dunning.Local.Tests.Dashboard;

/// <summary>
/// Staff act on a case from the dashboard: headless Chromium, driven over the DevTools protocol, opens a case on the real
/// web host, fills a form and presses its button as a person would; the API says what happened, the page says it too.
/// </summary>
public sealed class DashboardActionsTests
{
    /// <summary>Tuesday 10 March 2026, 11:00 in San Francisco: inside the contact window.</summary>
    private static readonly DateTimeOffset Start = new(2026, 3, 10, 18, 0, 0, TimeSpan.Zero);

    private static readonly DateOnly Due = new(2026, 3, 2);

    /// <summary>Sets a form control's value as typing would (input and change events), by CSS selector.</summary>
    private const string Helpers = """
        const set = (selector, value) => {
          const control = document.querySelector(selector);
          if (!control) throw new Error(`no ${selector}`);
          control.focus();
          control.value = value;
          control.dispatchEvent(new Event('input', { bubbles: true }));
          control.dispatchEvent(new Event('change', { bubbles: true }));
        };
        const click = (selector) => {
          const target = document.querySelector(selector);
          if (!target) throw new Error(`no ${selector}`);
          target.click();
        };
        """;

    [ChromiumFact]
    public async Task Recording_a_payment_in_the_case_dialog_lowers_the_balance_and_shows_it_in_the_timeline()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var ct = timeout.Token;
        await using var host = await LoopbackHost.StartAsync(Start);
        await host.ImportAndScanAsync(Sample.InvoiceJson("INV-1", "C1", Due, 1_200m));
        Assert.Equal(1_200m, Balance(await host.CaseAsync("INV-1")));

        await using var chromium = await HeadlessChromium.OpenAsync(host.Address, ct);
        await OpenCaseAsync(chromium, "INV-1", ct);

        // The form is offered with the case's currency and the host's today filled in.
        var defaults = await chromium.EvaluateAsync($$"""
            (() => {
              {{Helpers}}
              click('#case-actions details[data-action="payment"] > summary');
              return {
                open: document.querySelector('details[data-action="payment"]').open,
                currency: document.querySelector('#act-payment-currency').value,
                paidAt: document.querySelector('#act-payment-paidAt').value,
                label: document.querySelector('label[for="act-payment-amount"]').textContent,
              };
            })()
            """, ct);
        Assert.True(defaults!["open"]!.GetValue<bool>());
        Assert.Equal("USD", defaults["currency"]!.GetValue<string>());
        Assert.Equal("2026-03-10", defaults["paidAt"]!.GetValue<string>());
        Assert.Equal("Amount", defaults["label"]!.GetValue<string>());

        await chromium.EvaluateAsync($$"""
            (() => {
              {{Helpers}}
              set('#act-payment-amount', '150');
              set('#act-payment-reference', 'CHQ-1042');
              click('form[data-action="payment"] button[type="submit"]');
            })()
            """, ct);

        var said = (await chromium.UntilAsync(
            "(() => { const s = document.querySelector('#action-said'); return s && !s.hidden && s.textContent; })()", "the answer in words", ct)).GetValue<string>();
        Assert.StartsWith("Done: payment 150.00 USD (CHQ-1042).", said, StringComparison.Ordinal);

        // The API agrees: the balance dropped by the payment, which is a manual one.
        var view = await host.CaseAsync("INV-1");
        Assert.Equal(1_050m, Balance(view));
        Assert.Equal(150m, view["paid"]!["amount"]!.GetValue<decimal>());
        Assert.Contains(view["timeline"]!.AsArray(), t => t!["what"]!.GetValue<string>() == "payment 150.00 USD (CHQ-1042)");

        // The dialog was redrawn with the payment in its timeline and the new balance, and the list shows it too.
        await chromium.UntilAsync(
            "[...document.querySelectorAll('#case-history tr')].some((tr) => tr.textContent.includes('payment 150.00 USD (CHQ-1042)'))",
            "the payment in the dialog's timeline", ct);
        // The facts and the list are redrawn from their own reads: wait for each rather than race them.
        await chromium.UntilAsync(
            "document.querySelector('#case-facts').innerText.includes('$1,050.00')", "the new balance in the dialog's facts", ct);
        var page = await chromium.EvaluateAsync("""
            ({
              facts: document.querySelector('#case-facts').innerText,
              row: document.querySelector('#cases tr[data-invoice="INV-1"]').innerText,
              focused: document.activeElement && document.activeElement.id,
              refused: document.querySelectorAll('#case-dialog .refused').length,
            })
            """, ct);
        Assert.Contains("$1,050.00", page!["facts"]!.GetValue<string>(), StringComparison.Ordinal);
        await chromium.UntilAsync(
            "document.querySelector('#cases tr[data-invoice=\"INV-1\"]').innerText.includes('$1,050.00')", "the new balance in the list of cases", ct);
        Assert.Equal("action-said", page["focused"]!.GetValue<string>());
        Assert.Equal(0, page["refused"]!.GetValue<int>());
    }

    [ChromiumFact]
    public async Task A_plan_that_breaks_the_policy_shows_the_hosts_422_next_to_the_form_and_changes_nothing()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var ct = timeout.Token;
        await using var host = await LoopbackHost.StartAsync(Start);
        await host.ImportAndScanAsync(Sample.InvoiceJson("INV-1", "C1", Due, 1_200m));

        await using var chromium = await HeadlessChromium.OpenAsync(host.Address, ct);
        await OpenCaseAsync(chromium, "INV-1", ct);
        var firstDueDate = (await chromium.EvaluateAsync($$"""
            (() => {
              {{Helpers}}
              click('#case-actions details[data-action="plan"] > summary');
              set('#act-plan-count', '99');
              const first = document.querySelector('#act-plan-firstDueDate').value;
              click('form[data-action="plan"] button[type="submit"]');
              return first;
            })()
            """, ct))!.GetValue<string>();
        Assert.Equal("2026-03-17", firstDueDate);

        var refusal = (await chromium.UntilAsync(
            "(() => { const r = document.querySelector('#act-plan-answer .refused'); return r && r.innerText; })()", "the refusal next to the plan form", ct)).GetValue<string>();

        // What the page shows is what the host answers to the same request.
        var answer = await host.PostAsync("/api/cases/INV-1/plan", $$"""{"count":99,"firstDueDate":"{{firstDueDate}}","intervalDays":30}""");
        Assert.True(answer.Code == 422 && answer.IsProblem, answer.ToString());
        var detail = answer.Body["detail"]!.GetValue<string>();
        Assert.Contains("count: 99", detail, StringComparison.Ordinal);
        Assert.Contains("HTTP 422", refusal, StringComparison.Ordinal);
        Assert.Contains(detail, refusal, StringComparison.Ordinal);
        foreach (var error in answer.Body["errors"]!.AsArray())
        {
            Assert.Contains(error!.GetValue<string>(), refusal, StringComparison.Ordinal);
        }

        var marks = await chromium.EvaluateAsync("""
            ({
              invalid: document.querySelector('#act-plan-count').getAttribute('aria-invalid'),
              stillOpen: document.querySelector('details[data-action="plan"]').open,
              said: document.querySelector('#action-said').hidden,
            })
            """, ct);
        Assert.Equal("true", marks!["invalid"]!.GetValue<string>());
        Assert.True(marks["stillOpen"]!.GetValue<bool>());
        Assert.True(marks["said"]!.GetValue<bool>());

        var view = await host.CaseAsync("INV-1");
        Assert.Equal("open", view["status"]!["status"]!.GetValue<string>());
        Assert.Null(view["plan"]);
    }

    [ChromiumFact]
    public async Task A_call_logged_with_a_promise_in_the_call_list_leaves_the_list_and_puts_the_case_on_a_promise()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var ct = timeout.Token;
        await using var host = await LoopbackHost.StartAsync(Start);
        await host.ImportAndScanAsync(Sample.InvoiceJson("INV-1", "C1", Due, 1_200m));
        var moved = await host.PostAsync("/api/clock/advance", """{"to":"2026-04-05"}""", admin: true);
        Assert.True(moved.Code == 200, moved.ToString());
        var key = Assert.Single((await host.GetAsync("/api/calltasks")).Body.AsArray())!["key"]!.GetValue<string>();

        await using var chromium = await HeadlessChromium.OpenAsync(host.Address, ct);
        await chromium.UntilAsync($"document.querySelector('form[data-call=\"{key}\"]')", "the call's log form", ct);
        await chromium.EvaluateAsync($$"""
            (() => {
              {{Helpers}}
              click('#calls details:has(form[data-call="{{key}}"]) > summary');
              set('form[data-call="{{key}}"] select[name="outcome"]', 'promise');
              set('form[data-call="{{key}}"] input[name="note"]', 'pays on Friday');
              set('form[data-call="{{key}}"] input[name="date"]', '2026-04-10');
              set('form[data-call="{{key}}"] input[name="amount"]', '1200');
              click('form[data-call="{{key}}"] button[type="submit"]');
            })()
            """, ct);

        await chromium.UntilAsync("document.querySelector('#calls').textContent.includes('No calls to make.')", "the call gone from the list", ct);
        var said = await chromium.EvaluateAsync("document.querySelector('#refreshed').textContent", ct);
        Assert.StartsWith("call to ", said!.GetValue<string>(), StringComparison.Ordinal);
        var view = await host.CaseAsync("INV-1");
        Assert.Equal("promise", view["status"]!["stage"]!.GetValue<string>());
        Assert.Contains(view["timeline"]!.AsArray(), t => t!["what"]!.GetValue<string>().EndsWith("made: promise — pays on Friday", StringComparison.Ordinal));
        Assert.Equal("promise", Assert.Single((await host.GetAsync("/api/calltasks?show=logged")).Body.AsArray())!["logged"]!["outcome"]!.GetValue<string>());
    }

    /// <summary>Waits for the list, clicks the case's button and waits for its action forms.</summary>
    private static async Task OpenCaseAsync(HeadlessChromium chromium, string invoiceId, CancellationToken ct)
    {
        await chromium.UntilAsync($"document.querySelector('button[aria-label=\"Open case {invoiceId}\"]')", $"the row of {invoiceId}", ct);
        await chromium.EvaluateAsync($"document.querySelector('button[aria-label=\"Open case {invoiceId}\"]').click()", ct);
        await chromium.UntilAsync(
            $"document.querySelector('#case-dialog').open && document.querySelector('#case-title').textContent.startsWith('Case {invoiceId}:') && document.querySelector('#case-actions details')",
            $"the dialog of {invoiceId} with its actions", ct);
    }

    private static decimal Balance(JsonNode view) => view["status"]!["balance"]!["amount"]!.GetValue<decimal>();
}
