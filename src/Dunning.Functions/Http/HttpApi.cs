using System.Diagnostics;
using Dunning.Api;
using Dunning.Cases;
using Dunning.Common;
using Dunning.UseCases;
using Dunning.Webhooks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Dunning.Functions.Http;

/// <summary>
/// Every route of docs' contract (under /api), with the core's handlers and answers. Functions' own keys are not
/// used (AuthorizationLevel.Anonymous): webhooks are verified by their signatures, health is public, and every other
/// route needs the admin key in <see cref="HttpJson.AdminKeyHeader"/> — on a public Azure endpoint the case routes
/// expose customers' names and balances, so they are not left open as they are on the local host's loopback.
/// </summary>
public sealed class HttpApi(DunningApp app, ILogger<HttpApi> logger)
{
    [Function("Health")]
    public static IActionResult Health([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest req) =>
        HttpJson.Json(new { status = "ok" });

    [Function("ImportInvoices")]
    public Task<IActionResult> ImportInvoices(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "invoices")] HttpRequest req,
        [DurableClient] DurableTaskClient client) =>
        ImportAsync(req, client, customers: false);

    [Function("ImportCustomers")]
    public Task<IActionResult> ImportCustomers(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "customers")] HttpRequest req,
        [DurableClient] DurableTaskClient client) =>
        ImportAsync(req, client, customers: true);

    [Function("Scan")]
    public async Task<IActionResult> Scan(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "scan")] HttpRequest req,
        [DurableClient] DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(req);
        if (HttpJson.RequireAdmin(req, app.Configuration) is { } denied)
        {
            return denied;
        }

        if (Unprofiled() is { } unprofiled)
        {
            return unprofiled;
        }

        var now = app.Time.GetUtcNow();
        var result = await app.Scan(client).RunAsync(now, req.HttpContext.RequestAborted);
        return HttpJson.Json(new { at = now, scan = result });
    }

    [Function("ListCases")]
    public async Task<IActionResult> ListCases([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "cases")] HttpRequest req)
    {
        ArgumentNullException.ThrowIfNull(req);
        if (HttpJson.RequireAdmin(req, app.Configuration) is { } denied)
        {
            return denied;
        }

        var q = req.Query;
        if (ApiQuery.Cases(q["status"].FirstOrDefault(), q["customer"].FirstOrDefault(), q["currency"].FirstOrDefault(), q["limit"].FirstOrDefault(), q["cursor"].FirstOrDefault(), out var query) is { } bad)
        {
            return HttpJson.Answer(bad);
        }

        var page = await app.Cases.PageAsync(query, req.HttpContext.RequestAborted);
        if (page.Next is { } next)
        {
            req.HttpContext.Response.Headers.Link = CaseCursor.NextLink("/api/cases", query, next);
        }

        return HttpJson.Json(page.Cases);
    }

    [Function("GetCase")]
    public async Task<IActionResult> GetCase(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "cases/{invoiceId}")] HttpRequest req,
        string invoiceId)
    {
        ArgumentNullException.ThrowIfNull(req);
        if (HttpJson.RequireAdmin(req, app.Configuration) is { } denied)
        {
            return denied;
        }

        if (!HttpJson.TryInvoiceId(invoiceId, out var id, out var problem))
        {
            return problem!;
        }

        var ct = req.HttpContext.RequestAborted;
        return await app.Cases.GetAsync(id, ct) is { } record
            ? HttpJson.Json(CaseView.Of(record, (await app.SignalNotes.OfAsync(id, ct)).Select(n => n.ToEntry())))
            : HttpJson.Answer(ApiAnswers.NotFound($"There is no case for invoice '{id}'. Cases start when the daily scan finds the invoice overdue."));
    }

    [Function("AgreePlan")]
    public Task<IActionResult> AgreePlan(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "cases/{invoiceId}/plan")] HttpRequest req,
        string invoiceId,
        [DurableClient] DurableTaskClient client) =>
        CommandAsync(req, invoiceId, client, (commands, id, body, ct) => commands.AgreePlanAsync(id, body.ToRequest(), ct), (PlanBody?)null);

    [Function("Promise")]
    public Task<IActionResult> Promise(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "cases/{invoiceId}/promise")] HttpRequest req,
        string invoiceId,
        [DurableClient] DurableTaskClient client) =>
        CommandAsync(req, invoiceId, client, (commands, id, body, ct) => commands.PromiseAsync(id, body.Date, body.Amount, ct), (PromiseBody?)null, "date", "amount");

    [Function("OpenDispute")]
    public Task<IActionResult> OpenDispute(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "cases/{invoiceId}/dispute")] HttpRequest req,
        string invoiceId,
        [DurableClient] DurableTaskClient client) =>
        CommandAsync(req, invoiceId, client, (commands, id, body, ct) => commands.OpenDisputeAsync(id, body.Reason ?? string.Empty, ct), (DisputeBody?)null);

    [Function("ResolveDispute")]
    public Task<IActionResult> ResolveDispute(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "cases/{invoiceId}/dispute/resolve")] HttpRequest req,
        string invoiceId,
        [DurableClient] DurableTaskClient client) =>
        CommandAsync(req, invoiceId, client, (commands, id, body, ct) => commands.ResolveDisputeAsync(id, body.Outcome, body.CreditAmount, body.Note, ct), (ResolveBody?)null, "outcome");

    [Function("RecordPayment")]
    public Task<IActionResult> RecordPayment(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "cases/{invoiceId}/payments")] HttpRequest req,
        string invoiceId,
        [DurableClient] DurableTaskClient client) =>
        CommandAsync(req, invoiceId, client, (commands, id, body, ct) => commands.RecordPaymentAsync(id, body.Amount, body.Currency, body.PaidAt, body.Reference ?? string.Empty, ct), (PaymentBody?)null, "amount", "currency");

    [Function("Cease")]
    public Task<IActionResult> Cease(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "cases/{invoiceId}/cease")] HttpRequest req,
        string invoiceId,
        [DurableClient] DurableTaskClient client) =>
        CommandAsync(req, invoiceId, client, (commands, id, body, ct) => commands.CeaseAsync(id, body.Channel, body.Note, ct), new CeaseBody(null, null));

    /// <summary>POST /api/customers/{customerId}/cease: a cease (empty body) or an opt-out { channel } for every invoice of the customer.</summary>
    [Function("CeaseCustomer")]
    public async Task<IActionResult> CeaseCustomer(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "customers/{customerId}/cease")] HttpRequest req,
        string customerId,
        [DurableClient] DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(req);
        if (HttpJson.RequireAdmin(req, app.Configuration) is { } denied)
        {
            return denied;
        }

        if (ApiRequest.CustomerId(customerId, out var id) is { } bad)
        {
            return HttpJson.Answer(bad);
        }

        var ct = req.HttpContext.RequestAborted;
        var (body, problem) = await HttpJson.ReadJsonAsync(req, ct, new CustomerCeaseBody(null, null));
        if (problem is not null)
        {
            return problem;
        }

        return HttpJson.Answer(ApiAnswers.Of(await app.Customers(client).RequestAsync(id, body!.Channel, body.Note, ct), id));
    }

    [Function("Pause")]
    public Task<IActionResult> Pause(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "cases/{invoiceId}/pause")] HttpRequest req,
        string invoiceId,
        [DurableClient] DurableTaskClient client) =>
        CommandAsync(req, invoiceId, client, (commands, id, body, ct) => commands.PauseAsync(id, body.Reason, body.Until, ct), new PauseBody(null, null));

    [Function("Resume")]
    public Task<IActionResult> Resume(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "cases/{invoiceId}/resume")] HttpRequest req,
        string invoiceId,
        [DurableClient] DurableTaskClient client) =>
        CommandAsync(req, invoiceId, client, (commands, id, _, ct) => commands.ResumeAsync(id, ct), new ResumeBody());

    [Function("ListCallTasks")]
    public async Task<IActionResult> ListCallTasks([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "calltasks")] HttpRequest req)
    {
        ArgumentNullException.ThrowIfNull(req);
        if (HttpJson.RequireAdmin(req, app.Configuration) is { } denied)
        {
            return denied;
        }

        return ApiQuery.CallTasks(req.Query["show"].FirstOrDefault(), out var filter) is { } bad
            ? HttpJson.Answer(bad)
            : HttpJson.Json(await app.Calls.ListAsync(filter, req.HttpContext.RequestAborted));
    }

    [Function("LogCall")]
    public Task<IActionResult> LogCall(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "calltasks/{invoiceId}/{step}")] HttpRequest req,
        string invoiceId,
        string step,
        [DurableClient] DurableTaskClient client) =>
        CommandAsync(req, invoiceId, client, (commands, id, body, ct) => commands.LogCallAsync(
            $"{id}/{step}", body.Outcome, body.Note, body.Promise?.Date, body.Promise?.Amount, body.Reason, ct), (CallLogBody?)null, "outcome");

    /// <summary>
    /// Azure Communication Services' email delivery reports, delivered by an Event Grid subscription to
    /// <c>/api/webhooks/email-events?key=…</c> (Event Grid cannot sign, so the key in the URL is the secret). A hard
    /// bounce, a suppressed address or a failed delivery becomes the case's <see cref="CaseEvent.ContactBounced"/>: the
    /// address is not used again and the step goes to the next contact role or by post, as on the local host.
    /// </summary>
    [Function("EmailEvents")]
    public async Task<IActionResult> EmailEvents(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "webhooks/email-events")] HttpRequest req,
        [DurableClient] DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(req);
        var expected = DunningSettings.Secret(app.Configuration[$"{DunningSettings.Section}:Webhooks:EmailEventsKey"]);
        if (expected is null)
        {
            return HttpJson.Problem(503, "Webhook not configured", "This host has no email events key: set Dunning__Webhooks__EmailEventsKey.");
        }

        if (!ApiRequest.IsAdminKey(req.Query["key"].FirstOrDefault(), expected))
        {
            return HttpJson.Problem(401, "Key required", "Give the email events key in the subscription's URL: ?key=….");
        }

        var ct = req.HttpContext.RequestAborted;
        var (body, tooLarge) = await HttpJson.ReadBodyAsync(req, ct);
        if (tooLarge is not null)
        {
            return tooLarge;
        }

        switch (Webhooks.EmailEvents.Parse(body!))
        {
            case Webhooks.EmailEvents.Validation validation:
                return HttpJson.Json(new { validationResponse = validation.Code });
            case Webhooks.EmailEvents.Unreadable unreadable:
                return HttpJson.Problem(400, "Not Event Grid events", unreadable.Problem + ".");
            case Webhooks.EmailEvents.Reports reports:
                try
                {
                    var bounced = 0;
                    foreach (var report in reports.Items.Where(r => r.AddressFailed))
                    {
                        bounced += await BounceAsync(report, client, ct) ? 1 : 0;
                    }

                    return HttpJson.Json(new { reports = reports.Items.Count, bounced });
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Our storage or the task hub: 503 makes Event Grid deliver the batch again, and a bounce applies once.
                    logger.LogError(e, "Email delivery reports could not be processed");
                    return HttpJson.Problem(503, "Try again later", "The delivery reports could not be recorded just now.");
                }

            default:
                throw new UnreachableException();
        }
    }

    private async Task<bool> BounceAsync(Webhooks.EmailDeliveryReport report, DurableTaskClient client, CancellationToken ct)
    {
        var reason = report.Detail is { } detail ? $"{report.Status}: {detail}" : report.Status;
        if (await app.SentEmails.KeyOfAsync(report.MessageId, ct) is not { } key
            || CaseEffects.Bounced(key, report.Recipient, reason, app.Time.GetUtcNow()) is not { } bounced
            || await app.Cases.GetAsync(bounced.Invoice, ct) is null)
        {
            logger.LogWarning("Delivery report {Status} for message {MessageId} names no email of a case; ignored.", report.Status, report.MessageId);
            return false;
        }

        await app.Workflows(client).SignalAsync(bounced.Invoice, bounced.Bounce, ct);
        return true;
    }

    [Function("StripeWebhook")]
    public Task<IActionResult> Stripe(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "webhooks/stripe")] HttpRequest req,
        [DurableClient] DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(req);
        return WebhookAsync(req, client, StripeWebhook.Provider, "StripeSecret",
            (body, secret, now) => StripeWebhook.Verify(body, req.Headers[StripeWebhook.HeaderName].ToString(), secret, now));
    }

    [Function("PaymentsWebhook")]
    public Task<IActionResult> Payments(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "webhooks/payments")] HttpRequest req,
        [DurableClient] DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(req);
        return WebhookAsync(req, client, GenericWebhook.Provider, "GenericSecret",
            (body, secret, now) => GenericWebhook.Verify(
                body, req.Headers[GenericWebhook.TimestampHeaderName].ToString(), req.Headers[GenericWebhook.SignatureHeaderName].ToString(), secret, now));
    }

    [Function("AgingReport")]
    public async Task<IActionResult> Aging([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "reports/aging")] HttpRequest req)
    {
        ArgumentNullException.ThrowIfNull(req);
        if (HttpJson.RequireAdmin(req, app.Configuration) is { } denied)
        {
            return denied;
        }

        if (ApiQuery.AsOf(req.Query["asOf"].FirstOrDefault(), DateOnly.FromDateTime(app.Time.GetUtcNow().UtcDateTime), out var day) is { } bad)
        {
            return HttpJson.Answer(bad);
        }

        var report = await app.Aging.AgingAsync(day, req.HttpContext.RequestAborted);
        var wantsCsv = req.Headers.Accept.Any(a => a is not null && a.Contains("text/csv", StringComparison.OrdinalIgnoreCase));
        return wantsCsv
            ? new ContentResult { StatusCode = 200, ContentType = "text/csv; charset=utf-8", Content = report.ToCsv() }
            : HttpJson.Json(report);
    }

    [Function("LearningReport")]
    public async Task<IActionResult> Learning([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "reports/learning")] HttpRequest req)
    {
        ArgumentNullException.ThrowIfNull(req);
        if (HttpJson.RequireAdmin(req, app.Configuration) is { } denied)
        {
            return denied;
        }

        return ApiQuery.Within(req.Query["within"].FirstOrDefault(), out var days) is { } bad
            ? HttpJson.Answer(bad)
            : HttpJson.Json(await app.Reports.LearningAsync(days, req.HttpContext.RequestAborted));
    }

    [Function("DigestReport")]
    public async Task<IActionResult> DailyDigest([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "reports/digest")] HttpRequest req)
    {
        ArgumentNullException.ThrowIfNull(req);
        if (HttpJson.RequireAdmin(req, app.Configuration) is { } denied)
        {
            return denied;
        }

        return ApiQuery.Since(req.Query["since"].FirstOrDefault(), out var from) is { } bad
            ? HttpJson.Answer(bad)
            : HttpJson.Json(await app.Reports.DigestAsync(from, req.HttpContext.RequestAborted));
    }

    /// <summary>503 naming every placeholder field while the business profile (Dunning__PolicyJson) is still the sample's.</summary>
    private IActionResult? Unprofiled() =>
        app.Placeholders.Count == 0
            ? null
            : HttpJson.Problem(
                503,
                "The business profile still has sample placeholders",
                "Nobody is contacted until business.* in the app setting Dunning__PolicyJson names the real business.",
                app.Placeholders.Select(f => $"{f}: still the placeholder"));

    private async Task<IActionResult> ImportAsync(HttpRequest req, DurableTaskClient client, bool customers)
    {
        ArgumentNullException.ThrowIfNull(req);
        if (HttpJson.RequireAdmin(req, app.Configuration) is { } denied)
        {
            return denied;
        }

        // Importing invoices starts the cases already overdue; customers alone contact nobody.
        if (!customers && Unprofiled() is { } unprofiled)
        {
            return unprofiled;
        }

        var ct = req.HttpContext.RequestAborted;
        var (body, tooLarge) = await HttpJson.ReadBodyAsync(req, ct);
        if (tooLarge is not null)
        {
            return tooLarge;
        }

        var (parsed, malformed) = ApiJson.Parse(body!);
        if (parsed is not { } root)
        {
            return HttpJson.Answer(malformed!);
        }

        var import = app.Import(client);
        var report = customers ? await import.ImportJsonAsync(root, null, ct) : await import.ImportJsonAsync(null, root, ct);
        return HttpJson.Answer(ApiAnswers.Of(report));
    }

    private async Task<IActionResult> CommandAsync<T>(
        HttpRequest req,
        string invoiceId,
        DurableTaskClient client,
        Func<CaseCommands, InvoiceId, T, CancellationToken, Task<CommandResult>> command,
        T? whenEmpty,
        params string[] required)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(req);
        if (HttpJson.RequireAdmin(req, app.Configuration) is { } denied)
        {
            return denied;
        }

        if (!HttpJson.TryInvoiceId(invoiceId, out var id, out var problem))
        {
            return problem!;
        }

        var ct = req.HttpContext.RequestAborted;
        var (body, bad) = await HttpJson.ReadJsonAsync(req, ct, whenEmpty, required);
        if (bad is not null)
        {
            return bad;
        }

        try
        {
            return HttpJson.Answer(ApiAnswers.Of(await command(app.Commands(client), id, body!, ct), id));
        }
        catch (KeyNotFoundException e)
        {
            return HttpJson.Answer(ApiAnswers.NotFound(e.Message));
        }
    }

    private async Task<IActionResult> WebhookAsync(
        HttpRequest req, DurableTaskClient client, string provider, string secretName, Func<string, string, DateTimeOffset, WebhookVerdict> verify)
    {
        var secret = DunningSettings.Secret(app.Configuration[$"{DunningSettings.Section}:Webhooks:{secretName}"]);
        if (secret is null)
        {
            return HttpJson.Problem(503, "Webhook not configured", $"This host has no {provider} signing secret: set Dunning__Webhooks__{secretName}.");
        }

        var ct = req.HttpContext.RequestAborted;
        var (body, tooLarge) = await HttpJson.ReadBodyAsync(req, ct);
        if (tooLarge is not null)
        {
            return tooLarge;
        }

        var now = app.Time.GetUtcNow();
        try
        {
            var result = await app.Webhooks(client).HandleAsync(provider, verify(body!, secret, now), body!, now, ct);
            logger.LogInformation("Webhook {Provider}: {Answer} ({Detail})", provider, result.Answer, result.Detail);
            return HttpJson.Answer(ApiAnswers.Of(result));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Verification never throws on what a sender controls; this is our storage or the task hub. The delivery was
            // forgotten again (PaymentWebhooks), so 503 tells the provider to retry it later rather than a bare 500.
            logger.LogError(e, "Webhook {Provider} could not be processed", provider);
            return HttpJson.Problem(503, "Try again later", "The payment could not be recorded just now; it was not kept, so a retry is safe.");
        }
    }

    /// <summary>POST /api/cases/{id}/resume takes no body.</summary>
    private sealed record ResumeBody;
}
