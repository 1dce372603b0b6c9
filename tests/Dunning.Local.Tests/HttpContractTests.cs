using System.Globalization;
using System.Text.Json.Nodes;
using Dunning.Common;
using Dunning.Local.Tests.Support;

namespace Dunning.Local.Tests;

/// <summary>
/// Every route of the contract (docs: /work/shared/design/contract.md, "HTTP API") through a real Kestrel on loopback:
/// what a client sends, what it gets back, and what ends up in the data folder.
/// </summary>
public sealed class HttpContractTests
{
    /// <summary>Tuesday 10 March 2026, 11:00 in San Francisco: inside the contact window.</summary>
    private static readonly DateTimeOffset Start = new(2026, 3, 10, 18, 0, 0, TimeSpan.Zero);

    private static readonly DateOnly Due = new(2026, 3, 2);

    [Fact]
    public async Task Health_and_the_OpenAPI_document_describe_every_route_of_the_contract()
    {
        await using var host = await LoopbackHost.StartAsync(Start);

        var health = await host.GetAsync("/api/health");
        Assert.Equal(200, health.Code);
        Assert.Equal("ok", health.Body["status"]!.GetValue<string>());
        Assert.True(health.Body["simulatedClock"]!.GetValue<bool>());

        var openApi = await host.GetAsync("/openapi/v1.json");
        Assert.Equal(200, openApi.Code);
        Assert.StartsWith("3.", openApi.Body["openapi"]!.GetValue<string>(), StringComparison.Ordinal);
        var paths = openApi.Body["paths"]!.AsObject().Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        string[] contract =
        [
            "/api/health", "/api/invoices", "/api/customers", "/api/scan", "/api/cases", "/api/cases/{invoiceId}",
            "/api/cases/{invoiceId}/plan", "/api/cases/{invoiceId}/promise", "/api/cases/{invoiceId}/dispute",
            "/api/cases/{invoiceId}/dispute/resolve", "/api/cases/{invoiceId}/payments", "/api/cases/{invoiceId}/cease",
            "/api/cases/{invoiceId}/pause", "/api/cases/{invoiceId}/resume", "/api/webhooks/stripe", "/api/webhooks/payments",
            "/api/reports/aging", "/api/clock/advance",
        ];
        var missing = contract.Where(c => !paths.Contains(c) && !paths.Contains(c + "/")).ToList();
        Assert.True(missing.Count == 0, "not in the OpenAPI document: " + string.Join(", ", missing));

        var nowhere = await host.GetAsync("/api/nowhere");
        Assert.Equal(404, nowhere.Code);
        Assert.True(nowhere.IsProblem, nowhere.ToString());
    }

    [Fact]
    public async Task Import_by_JSON_is_all_or_nothing_and_lists_every_bad_row()
    {
        await using var host = await LoopbackHost.StartAsync(Start);

        var badCustomers = await host.PostAsync("/api/customers", """
            [{"id":"C7","name":"Bad Country","kind":"business","country":"UK","timezone":"Europe/London","billingEmail":"ap@c7.example"},
             {"id":"C8","name":"No Zone","kind":"business","country":"US","region":"NY","billingEmail":"ap@c8.example"},
             {"id":"C9","name":"Fine","kind":"business","country":"US","region":"NY","timezone":"America/New_York","billingEmail":"ap@c9.example"}]
            """, admin: true);
        Assert.Equal(422, badCustomers.Code);
        Assert.True(badCustomers.IsProblem, badCustomers.ToString());
        var customerErrors = Errors(badCustomers);
        Assert.Contains(customerErrors, e => e.StartsWith("[0].country:", StringComparison.Ordinal));
        Assert.Contains(customerErrors, e => e.StartsWith("[1].timezone:", StringComparison.Ordinal));
        Assert.DoesNotContain(customerErrors, e => e.StartsWith("[2]", StringComparison.Ordinal));
        Assert.Equal((0L, 0L), host.App.Ledger.Count());

        var customers = await host.PostAsync("/api/customers", Sample.HarborBakeryJson, admin: true);
        Assert.Equal(200, customers.Code);
        Assert.Equal(1, customers.Body["customers"]!.GetValue<int>());

        var badInvoices = await host.PostAsync("/api/invoices", "[" + string.Join(",",
            Sample.InvoiceJson("INV-1", "C1", Due, 1_200m),
            Sample.InvoiceJson("INV-2", "C1", Due, 0m),
            Sample.InvoiceJson("INV-3", "NOBODY", Due, 50m),
            Sample.InvoiceJson("INV-4", "C1", Due, 100m, paid: 150m),
            Sample.InvoiceJson("INV-5", "C1", Due, 10m).Replace("2026-03-02", "2026-02-30", StringComparison.Ordinal)) + "]", admin: true);
        Assert.Equal(422, badInvoices.Code);
        Assert.True(badInvoices.IsProblem, badInvoices.ToString());
        var invoiceErrors = Errors(badInvoices);
        Assert.Contains(invoiceErrors, e => e.StartsWith("[1].amount:", StringComparison.Ordinal));
        Assert.Contains(invoiceErrors, e => e.StartsWith("[2].customerId:", StringComparison.Ordinal));
        Assert.Contains(invoiceErrors, e => e.StartsWith("[3].amountPaid:", StringComparison.Ordinal));
        Assert.Contains(invoiceErrors, e => e.StartsWith("[4].dueDate:", StringComparison.Ordinal));
        Assert.DoesNotContain(invoiceErrors, e => e.StartsWith("[0]", StringComparison.Ordinal));
        Assert.Contains("problem(s)", badInvoices.Body["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal((1L, 0L), host.App.Ledger.Count());
        Assert.Null(await host.App.Ledger.GetInvoiceAsync(new InvoiceId("INV-1"), default));

        var good = "[" + Sample.InvoiceJson("INV-1", "C1", Due, 1_200m) + "," + Sample.InvoiceJson("INV-2", "C1", Due.AddDays(60), 300m) + "]";
        var invoices = await host.PostAsync("/api/invoices", good, admin: true);
        Assert.Equal(200, invoices.Code);
        Assert.Equal(2, invoices.Body["invoices"]!.GetValue<int>());

        var again = await host.PostAsync("/api/invoices", good, admin: true);
        Assert.Equal(200, again.Code);
        Assert.Equal((1L, 2L), host.App.Ledger.Count());

        var single = await host.PostAsync("/api/invoices", Sample.InvoiceJson("INV-3", "C1", Due, 75m), admin: true);
        Assert.Equal(200, single.Code);
        Assert.Equal((1L, 3L), host.App.Ledger.Count());
    }

    [Fact]
    public async Task Admin_routes_refuse_a_missing_or_wrong_admin_key_with_401_and_do_nothing()
    {
        await using var host = await LoopbackHost.StartAsync(Start);
        (string Path, string Body)[] adminRoutes =
        [
            ("/api/customers", Sample.HarborBakeryJson),
            ("/api/invoices", "[]"),
            ("/api/scan", string.Empty),
            ("/api/clock/advance", """{"days":1}"""),
        ];

        foreach (var (path, body) in adminRoutes)
        {
            foreach (var key in new string?[] { null, "wrong-key", string.Empty, LoopbackHost.AdminKey + "x" })
            {
                var answer = await host.SendAsync(HttpMethod.Post, path, body, key);
                Assert.True(answer.Code == 401 && answer.IsProblem, $"POST {path} with key '{key}': {answer}");
                Assert.Contains("X-Admin-Key", answer.Body["detail"]!.GetValue<string>(), StringComparison.Ordinal);
            }
        }

        Assert.Equal((0L, 0L), host.App.Ledger.Count());
        Assert.Equal(Start, host.Clock.Now);
        Assert.Equal(Start, (await host.GetAsync("/api/clock")).Body["now"]!.GetValue<DateTimeOffset>());

        var withKey = await host.PostAsync("/api/customers", Sample.HarborBakeryJson, admin: true);
        Assert.Equal(200, withKey.Code);
    }

    [Fact]
    public async Task Cases_list_detail_and_timeline_show_what_the_scan_started()
    {
        await using var host = await LoopbackHost.StartAsync(Start);
        await host.ImportAndScanAsync(
            Sample.InvoiceJson("INV-1", "C1", Due, 1_200m),
            Sample.InvoiceJson("INV-2", "C1", Due, 400m, paid: 100m),
            Sample.InvoiceJson("INV-9", "C1", Due.AddDays(60), 500m));

        var list = await host.GetAsync("/api/cases");
        Assert.Equal(200, list.Code);
        var cases = list.Body.AsArray();
        Assert.Equal(["INV-1", "INV-2"], cases.Select(c => c!["invoiceId"]!.GetValue<string>()));
        var first = cases[0]!;
        Assert.Equal("open", first["status"]!.GetValue<string>());
        Assert.Equal("gentle", first["stage"]!.GetValue<string>());
        Assert.Equal(1_200m, first["balance"]!["amount"]!.GetValue<decimal>());
        Assert.Equal(300m, cases[1]!["balance"]!["amount"]!.GetValue<decimal>());
        Assert.Equal(new DateTimeOffset(2026, 3, 16, 0, 0, 0, TimeSpan.Zero).Date, first["nextActionAt"]!.GetValue<DateTimeOffset>().UtcDateTime.Date);

        Assert.Equal(2, (await host.GetAsync("/api/cases?status=open")).Body.AsArray().Count);
        Assert.Empty((await host.GetAsync("/api/cases?status=flagged")).Body.AsArray());
        var badStatus = await host.GetAsync("/api/cases?status=sleeping");
        Assert.True(badStatus.Code == 400 && badStatus.IsProblem, badStatus.ToString());

        var detail = await host.CaseAsync("INV-1");
        Assert.Equal("open", detail["status"]!["status"]!.GetValue<string>());
        Assert.Equal("H-1", detail["invoiceNumber"]!.GetValue<string>());
        Assert.Equal("US-CA", detail["jurisdiction"]!.GetValue<string>());
        var timeline = detail["timeline"]!.AsArray().Select(t => t!["what"]!.GetValue<string>()).ToList();
        Assert.Contains(timeline, w => w.StartsWith("skipped 'courtesy'", StringComparison.Ordinal));
        Assert.Contains(timeline, w => w.StartsWith("email 'gentle' to", StringComparison.Ordinal));
        // Both invoices are the same customer's: one statement carries INV-2's step too (policy consolidate).
        Assert.Equal(["INV-1+step-gentle.eml"], host.OutboxFiles());
        Assert.Contains("H-2", File.ReadAllText(Path.Combine(host.Outbox, "INV-1+step-gentle.eml")), StringComparison.Ordinal);
        Assert.Contains((await host.CaseAsync("INV-2"))["timeline"]!.AsArray(), t => t!["what"]!.GetValue<string>().StartsWith("'gentle' went out in statement INV-1/step-gentle", StringComparison.Ordinal));

        var unknown = await host.GetAsync("/api/cases/INV-404");
        Assert.True(unknown.Code == 404 && unknown.IsProblem, unknown.ToString());
        var noCaseYet = await host.GetAsync("/api/cases/INV-9");
        Assert.True(noCaseYet.Code == 404 && noCaseYet.IsProblem, noCaseYet.ToString());
        var notAnId = await host.GetAsync("/api/cases/not%20an%20id");
        Assert.True(notAnId.Code == 400 && notAnId.IsProblem, notAnId.ToString());
    }

    [Fact]
    public async Task Staff_actions_answer_202_200_404_409_and_422_as_the_contract_says()
    {
        await using var host = await LoopbackHost.StartAsync(Start);
        await host.ImportAndScanAsync([.. Enumerable.Range(1, 6).Select(i => Sample.InvoiceJson($"INV-{i}", "C1", Due, 1_200m))]);

        // A plan: agreed once (202), a second one conflicts (409), one that breaks the policy is refused with every reason (422).
        var plan = await Expect(host, 202, "/api/cases/INV-1/plan", """{"count":3,"firstDueDate":"2026-03-17","intervalDays":14}""");
        Assert.Equal("plan", plan["case"]!["status"]!.GetValue<string>());
        await Expect(host, 409, "/api/cases/INV-1/plan", """{"count":2,"firstDueDate":"2026-03-17","intervalDays":14}""");
        var tooLong = await Expect(host, 422, "/api/cases/INV-2/plan", """{"count":50,"firstDueDate":"2026-03-17","intervalDays":40}""");
        Assert.True(tooLong["errors"]!.AsArray().Count >= 2, tooLong.ToJsonString());
        await Expect(host, 422, "/api/cases/INV-2/plan", """{"installments":[{"dueDate":"2026-03-20","amount":100},{"dueDate":"2026-04-01","amount":100}]}""");
        var explicitPlan = await Expect(host, 202, "/api/cases/INV-2/plan", """{"installments":[{"dueDate":"2026-03-20","amount":600},{"dueDate":"2026-04-01","amount":600}]}""");
        Assert.Equal("plan", explicitPlan["case"]!["status"]!.GetValue<string>());

        // A promise to pay.
        await Expect(host, 400, "/api/cases/INV-3/promise", """{"date":"2026-03-20"}""");
        await Expect(host, 422, "/api/cases/INV-3/promise", """{"date":"2026-03-20","amount":5000}""");
        await Expect(host, 422, "/api/cases/INV-3/promise", """{"date":"2026-03-01","amount":100}""");
        var promise = await Expect(host, 202, "/api/cases/INV-3/promise", """{"date":"2026-03-20","amount":1200}""");
        Assert.Equal("promise", promise["case"]!["stage"]!.GetValue<string>());

        // A dispute: opened (202), opened again (200, nothing new), resolved with a credit (202); rejecting with a credit is refused.
        var opened = await Expect(host, 202, "/api/cases/INV-4/dispute", """{"reason":"two cabinets arrived damaged"}""");
        Assert.Equal("dispute", opened["case"]!["status"]!.GetValue<string>());
        await Expect(host, 200, "/api/cases/INV-4/dispute", """{"reason":"two cabinets arrived damaged"}""");
        await Expect(host, 422, "/api/cases/INV-4/dispute/resolve", """{"outcome":"rejected","creditAmount":10}""");
        await Expect(host, 400, "/api/cases/INV-4/dispute/resolve", """{"creditAmount":10}""");
        var resolved = await Expect(host, 202, "/api/cases/INV-4/dispute/resolve", """{"outcome":"upheld","creditAmount":200}""");
        Assert.Equal("open", resolved["case"]!["status"]!.GetValue<string>());
        Assert.Equal(1_000m, await host.PrincipalAsync("INV-4"));
        await Expect(host, 409, "/api/cases/INV-4/dispute/resolve", """{"outcome":"rejected"}""");

        // Payments by hand: recorded once per reference, the currency must match, paying the rest closes the case.
        await Expect(host, 202, "/api/cases/INV-5/payments", """{"amount":200,"currency":"USD","paidAt":"2026-03-10T09:00:00Z","reference":"chq-1001"}""");
        await Expect(host, 200, "/api/cases/INV-5/payments", """{"amount":200,"currency":"USD","paidAt":"2026-03-10T09:00:00Z","reference":"chq-1001"}""");
        Assert.Equal(1_000m, await host.PrincipalAsync("INV-5"));
        await Expect(host, 422, "/api/cases/INV-5/payments", """{"amount":50,"currency":"EUR","paidAt":"2026-03-10T09:00:00Z","reference":"eur-1"}""");
        await Expect(host, 422, "/api/cases/INV-5/payments", """{"amount":-5,"currency":"USD","reference":"neg"}""");
        var paid = await Expect(host, 202, "/api/cases/INV-5/payments", """{"amount":1000,"currency":"USD","paidAt":"2026-03-10T10:00:00Z","reference":"chq-1002"}""");
        Assert.Equal("closed", paid["case"]!["status"]!.GetValue<string>());
        Assert.Equal("paid", paid["case"]!["outcome"]!.GetValue<string>());
        await Expect(host, 409, "/api/cases/INV-5/pause", """{"reason":"too late"}""");
        await Expect(host, 409, "/api/cases/INV-5/cease", string.Empty);

        // Pause and resume, cease.
        var paused = await Expect(host, 202, "/api/cases/INV-6/pause", """{"reason":"owner on holiday"}""");
        Assert.Equal("paused", paused["case"]!["status"]!.GetValue<string>());
        await Expect(host, 200, "/api/cases/INV-6/pause", """{"reason":"owner on holiday"}""");
        var resumed = await Expect(host, 202, "/api/cases/INV-6/resume", null);
        Assert.Equal("open", resumed["case"]!["status"]!.GetValue<string>());
        await Expect(host, 409, "/api/cases/INV-6/resume", null);
        await Expect(host, 202, "/api/cases/INV-6/cease", """{"channel":"email"}""");
        await Expect(host, 200, "/api/cases/INV-6/cease", """{"channel":"email"}""");
        Assert.Equal(["email"], (await host.CaseAsync("INV-6"))["ceasedChannels"]!.AsArray().Select(c => c!.GetValue<string>()));

        // Ceasing all contact (empty body) leaves nothing to do but decide how the case ends.
        var ceased = await Expect(host, 202, "/api/cases/INV-6/cease", null);
        Assert.Equal("flagged", ceased["case"]!["status"]!.GetValue<string>());
        Assert.True((await host.CaseAsync("INV-6"))["ceased"]!.GetValue<bool>());
        await Expect(host, 409, "/api/cases/INV-6/cease", """{}""");

        // Every staff route on an invoice without a case: 404, never a write.
        (string Route, string? Body)[] routes =
        [
            ("plan", """{"count":3,"firstDueDate":"2026-03-17","intervalDays":14}"""),
            ("promise", """{"date":"2026-03-20","amount":100}"""),
            ("dispute", """{"reason":"x"}"""),
            ("dispute/resolve", """{"outcome":"rejected"}"""),
            ("payments", """{"amount":1,"currency":"USD","reference":"r"}"""),
            ("cease", string.Empty),
            ("pause", string.Empty),
            ("resume", null),
        ];
        foreach (var (route, body) in routes)
        {
            await Expect(host, 404, $"/api/cases/INV-404/{route}", body);
        }

        Assert.Empty(host.App.Runner.Signals(new InvoiceId("INV-404")));

        // The timeline tells the story of each case.
        var timeline = (await host.CaseAsync("INV-4"))["timeline"]!.AsArray().Select(t => t!["what"]!.GetValue<string>()).ToList();
        Assert.Contains("dispute opened: two cabinets arrived damaged", timeline);
        Assert.Contains("dispute upheld", timeline);
        Assert.Equal(["INV-1", "INV-2", "INV-3"], (await host.GetAsync("/api/cases?status=plan")).Body.AsArray().Select(c => c!["invoiceId"]!.GetValue<string>()));
        Assert.Equal(["INV-5"], (await host.GetAsync("/api/cases?status=closed")).Body.AsArray().Select(c => c!["invoiceId"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Advancing_the_simulated_clock_escalates_a_case_with_emails_letters_and_call_tasks()
    {
        await using var host = await LoopbackHost.StartAsync(Start);
        await host.ImportAndScanAsync(Sample.InvoiceJson("INV-1", "C1", Due, 1_200m));
        Assert.Equal(["INV-1+step-gentle.eml"], host.OutboxFiles());
        Assert.Empty((await host.GetAsync("/api/calltasks")).Body.AsArray());

        var week = await host.PostAsync("/api/clock/advance", """{"days":7}""", admin: true);
        Assert.True(week.Code == 200, week.ToString());
        Assert.Equal(Start.AddDays(7), week.Body["now"]!.GetValue<DateTimeOffset>());
        Assert.Equal(Start.AddDays(7), (await host.GetAsync("/api/clock")).Body["now"]!.GetValue<DateTimeOffset>());
        Assert.Equal(["INV-1+step-firm.eml", "INV-1+step-gentle.eml"], host.OutboxFiles());
        Assert.Equal("firm", (await host.CaseAsync("INV-1"))["status"]!["stage"]!.GetValue<string>());
        var firm = File.ReadAllText(Path.Combine(host.Outbox, "INV-1+step-firm.eml"));
        Assert.Matches("(?m)^To: .*<ap@harbor.example>\r?$", firm);
        Assert.Contains("X-Dunning-Key: INV-1/step-firm", firm, StringComparison.Ordinal);
        Assert.Contains("Date: Mon, 16 Mar 2026", firm, StringComparison.Ordinal);

        var toApril = await host.PostAsync("/api/clock/advance", """{"to":"2026-04-05"}""", admin: true);
        Assert.True(toApril.Code == 200, toApril.ToString());
        Assert.True(Directory.EnumerateFiles(Path.Combine(host.DataFolder, "letters", "INV-1"), "*.html").Any(), "the letter step files a printable letter");
        Assert.True(Directory.EnumerateFiles(Path.Combine(host.DataFolder, "letters", "INV-1"), "*.pdf").Any(), "the letter step files the PDF to post");
        var calls = (await host.GetAsync("/api/calltasks")).Body.AsArray();
        var call = Assert.Single(calls)!;
        Assert.Equal("INV-1", call["invoiceId"]!.GetValue<string>());
        Assert.Equal("call", (await host.CaseAsync("INV-1"))["status"]!["stage"]!.GetValue<string>());
        await LogTheCallAsync(host, call["key"]!.GetValue<string>());

        var backwards = await host.PostAsync("/api/clock/advance", """{"to":"2026-03-01"}""", admin: true);
        Assert.True(backwards.Code == 422 && backwards.IsProblem, backwards.ToString());
        var both = await host.PostAsync("/api/clock/advance", """{"days":1,"to":"2026-05-01"}""", admin: true);
        Assert.True(both.Code == 422 && both.IsProblem, both.ToString());
        Assert.Equal(new DateTimeOffset(2026, 4, 5, 0, 0, 0, TimeSpan.Zero), host.Clock.Now);
    }

    /// <summary>The call task is a work item: logged with a promise, it feeds the case and leaves the list of calls to make.</summary>
    private static async Task LogTheCallAsync(LoopbackHost host, string key)
    {
        Assert.StartsWith("INV-1/", key, StringComparison.Ordinal);
        var route = "/api/calltasks/" + key;

        var noOutcome = await host.PostAsync(route, """{"note":"spoke to Pat"}""");
        Assert.True(noOutcome.Code is 400 or 422 && noOutcome.IsProblem, noOutcome.ToString());
        var badOutcome = await host.PostAsync(route, """{"outcome":"maybe"}""");
        Assert.True(badOutcome.Code == 400 && badOutcome.IsProblem, badOutcome.ToString());
        var noDate = await host.PostAsync(route, """{"outcome":"promise"}""");
        Assert.True(noDate.Code == 422 && noDate.IsProblem, noDate.ToString());
        var unknown = await host.PostAsync("/api/calltasks/INV-1/step-nothing", """{"outcome":"reached"}""");
        Assert.True(unknown.Code == 404 && unknown.IsProblem, unknown.ToString());
        Assert.Single((await host.GetAsync("/api/calltasks")).Body.AsArray());

        var logged = await host.PostAsync(route, """{"outcome":"promise","note":"pays on Friday","promise":{"date":"2026-04-10","amount":1200.00}}""");
        Assert.True(logged.Code == 202, logged.ToString());

        Assert.Empty((await host.GetAsync("/api/calltasks")).Body.AsArray());
        var made = Assert.Single((await host.GetAsync("/api/calltasks?show=logged")).Body.AsArray())!;
        Assert.Equal("promise", made["logged"]!["outcome"]!.GetValue<string>());
        var view = await host.CaseAsync("INV-1");
        Assert.Equal("promise", view["status"]!["stage"]!.GetValue<string>());
        Assert.Contains(view["timeline"]!.AsArray(), t => t!["what"]!.GetValue<string>().Contains("made: promise — pays on Friday", StringComparison.Ordinal));
        var again = await host.PostAsync(route, """{"outcome":"no-answer"}""");
        Assert.True(again.Code == 409 && again.IsProblem, again.ToString());
        var badShow = await host.GetAsync("/api/calltasks?show=yesterday");
        Assert.True(badShow.Code == 400 && badShow.IsProblem, badShow.ToString());
    }

    [Fact]
    public async Task Aging_is_JSON_by_default_and_CSV_for_Accept_text_csv()
    {
        await using var host = await LoopbackHost.StartAsync(Start);
        await host.ImportAndScanAsync(
            Sample.InvoiceJson("INV-1", "C1", Due, 1_200m),
            Sample.InvoiceJson("INV-2", "C1", Due.AddDays(-45), 300m),
            Sample.InvoiceJson("INV-3", "C1", Due.AddDays(30), 80m));

        var json = await host.GetAsync("/api/reports/aging");
        Assert.Equal(200, json.Code);
        Assert.Equal("application/json", json.MediaType);
        Assert.Equal("2026-03-10", json.Body["asOf"]!.GetValue<string>());
        var row = Assert.Single(json.Body["rows"]!.AsArray())!;
        Assert.Equal("C1", row["customerId"]!.GetValue<string>());
        Assert.Equal(1_580m, row["buckets"]!["total"]!["amount"]!.GetValue<decimal>());

        var csv = await host.GetAsync("/api/reports/aging?asOf=2026-03-10", accept: "text/csv");
        Assert.Equal(200, csv.Code);
        Assert.Equal("text/csv", csv.MediaType);
        var lines = csv.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("customer_id,customer_name,currency,invoices,current,days_1_30,days_31_60,days_61_90,days_over_90,total", lines[0]);
        var cells = lines[1].Split(',');
        Assert.Equal(["C1", "Harbor Bakery", "USD", "3"], cells[..4]);
        Assert.Equal([80m, 1_200m, 300m, 0m, 0m, 1_580m], cells[4..].Select(c => decimal.Parse(c, CultureInfo.InvariantCulture)));

        var bad = await host.GetAsync("/api/reports/aging?asOf=yesterday");
        Assert.True(bad.Code == 400 && bad.IsProblem, bad.ToString());
    }

    [Fact]
    public async Task Garbage_bodies_get_400_or_422_problem_json_and_never_a_500_or_a_write()
    {
        await using var host = await LoopbackHost.StartAsync(Start);
        await host.ImportAndScanAsync(Sample.InvoiceJson("INV-1", "C1", Due, 1_200m));
        var before = await host.CaseAsync("INV-1");
        var deep = new string('[', 10_000) + new string(']', 10_000);
        (string Path, string? Body, bool Admin)[] garbage =
        [
            ("/api/invoices", "{not json", true),
            ("/api/invoices", string.Empty, true),
            ("/api/invoices", "42", true),
            ("/api/invoices", "[1, \"two\", null]", true),
            ("/api/invoices", deep, true),
            ("/api/customers", "\u0000\u0001\u0002", true),
            ("/api/customers", """{"id":{"nested":true}}""", true),
            ("/api/cases/INV-1/plan", "{", false),
            ("/api/cases/INV-1/plan", "null", false),
            ("/api/cases/INV-1/plan", "[]", false),
            ("/api/cases/INV-1/plan", """{"count":"three","firstDueDate":"2026-03-17","intervalDays":14}""", false),
            ("/api/cases/INV-1/plan", """{"installments":[{"dueDate":"2026-13-45","amount":1}]}""", false),
            ("/api/cases/INV-1/plan", """{"count":99999999999,"firstDueDate":"2026-03-17","intervalDays":14}""", false),
            ("/api/cases/INV-1/plan", """{"count":0,"firstDueDate":"2026-03-17","intervalDays":0}""", false),
            ("/api/cases/INV-1/plan", deep, false),
            ("/api/cases/INV-1/promise", """{"date":"tomorrow","amount":5}""", false),
            ("/api/cases/INV-1/promise", """{"date":"2026-03-20","amount":1e999}""", false),
            ("/api/cases/INV-1/promise", """{"date":"2026-03-20","amount":79228162514264337593543950335}""", false),
            ("/api/cases/INV-1/payments", """{"amount":"x","currency":"USD"}""", false),
            ("/api/cases/INV-1/payments", """{"amount":10,"currency":5}""", false),
            ("/api/cases/INV-1/payments", """{"amount":10,"currency":"dollars","reference":"r"}""", false),
            ("/api/cases/INV-1/payments", """{"amount":10,"currency":"USD","paidAt":"noon"}""", false),
            ("/api/cases/INV-1/dispute", "\"just a string\"", false),
            ("/api/cases/INV-1/dispute/resolve", """{"outcome":"maybe"}""", false),
            ("/api/cases/INV-1/dispute/resolve", """{"outcome":1}""", false),
            ("/api/cases/INV-1/pause", """{"until":"soon"}""", false),
            ("/api/cases/INV-1/cease", """{"channel":"pigeon"}""", false),
            ("/api/cases/not%20an%20id/pause", string.Empty, false),
            ("/api/clock/advance", "nonsense", true),
            ("/api/clock/advance", """{"days":"x"}""", true),
            ("/api/clock/advance", """{}""", true),
            ("/api/clock/advance", """{"days":-1}""", true),
            ("/api/clock/advance", """{"days":99999999999}""", true),
            ("/api/clock/advance", """{"to":"2026-02-30"}""", true),
            ("/api/clock/advance", """{"to":"9999-12-31"}""", true),
            ("/api/clock/advance", """{"days":3661}""", true),
            ("/api/webhooks/stripe", "garbage", false),
            ("/api/webhooks/payments", "{", false),
        ];

        var wrong = new List<string>();
        foreach (var (path, body, admin) in garbage)
        {
            var answer = await host.PostAsync(path, body, admin);
            var expected = path.StartsWith("/api/webhooks/", StringComparison.Ordinal) ? answer.Code == 401 : answer.Code is 400 or 422;
            if (!expected || !answer.IsProblem || answer.Body["detail"]?.GetValue<string>() is not { Length: > 0 })
            {
                wrong.Add($"POST {path} {Shorten(body)} -> {Shorten(answer.ToString())}");
            }
        }

        var tooLarge = await host.PostAsync("/api/invoices", "[" + new string(' ', 5 * 1024 * 1024) + "]", admin: true);
        if (tooLarge.Code != 413 || !tooLarge.IsProblem)
        {
            wrong.Add($"POST /api/invoices (5 MB) -> {Shorten(tooLarge.ToString())}");
        }

        Assert.Empty(wrong);
        var after = await host.CaseAsync("INV-1");
        Assert.Equal(before.ToJsonString(), after.ToJsonString());
        Assert.Equal(Start, host.Clock.Now);
        Assert.Equal((1L, 1L), host.App.Ledger.Count());
    }

    [Fact]
    public async Task A_plan_with_absurd_count_or_interval_is_refused_with_422_not_500()
    {
        await using var host = await LoopbackHost.StartAsync(Start);
        await host.ImportAndScanAsync(Sample.InvoiceJson("INV-1", "C1", Due, 1_200m));

        await Expect(host, 422, "/api/cases/INV-1/plan", """{"count":2,"firstDueDate":"2026-03-17","intervalDays":2147483647}""");
        await Expect(host, 422, "/api/cases/INV-1/plan", """{"count":2,"firstDueDate":"9999-12-30","intervalDays":14}""");
        await Expect(host, 422, "/api/cases/INV-1/plan", """{"count":5000000,"firstDueDate":"2026-03-17","intervalDays":1}""");
    }

    [Fact]
    public async Task A_page_on_another_site_cannot_change_anything_through_the_users_browser()
    {
        await using var host = await LoopbackHost.StartAsync(Start);
        await host.ImportAndScanAsync(Sample.InvoiceJson("INV-1", "C1", Due, 1_200m));
        await Expect(host, 202, "/api/cases/INV-1/pause", """{"reason":"customer on holiday"}""");

        var foreign = await host.PostAsync("/api/cases/INV-1/resume", headers: [new("Origin", "https://evil.example")]);
        Assert.True(foreign.Code == 403 && foreign.IsProblem, foreign.ToString());
        Assert.Equal("paused", (await host.CaseAsync("INV-1"))["status"]!["status"]!.GetValue<string>());

        var dashboard = await host.PostAsync("/api/cases/INV-1/resume", headers: [new("Origin", host.Address.GetLeftPart(UriPartial.Authority))]);
        Assert.True(dashboard.Code == 202, dashboard.ToString());
    }

    private static async Task<JsonNode> Expect(LoopbackHost host, int status, string path, string? body)
    {
        var answer = await host.PostAsync(path, body);
        Assert.True(answer.Code == status, $"POST {path} {body}: expected {status}, got {answer}");
        if (status >= 400)
        {
            Assert.True(answer.IsProblem, $"POST {path}: an error must be application/problem+json, got {answer}");
            Assert.False(string.IsNullOrWhiteSpace(answer.Body["detail"]?.GetValue<string>()), answer.ToString());
        }

        return answer.Body;
    }

    private static List<string> Errors(Answer answer) =>
        [.. answer.Body["errors"]!.AsArray().Select(e => e!.GetValue<string>())];

    private static string Shorten(string? text) => text is null ? "(no body)" : text.Length > 160 ? text[..160] + "…" : text;
}
