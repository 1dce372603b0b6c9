using Dunning.Api;
using Dunning.Cases;
using Dunning.Common;
using Dunning.Ports;

namespace Dunning.Local.Api;

/// <summary>Cases: list, show, and what staff do to one (plan, promise, dispute, payment, cease, pause, resume).</summary>
public static class CasesApi
{
    public static RouteGroupBuilder MapCases(this IEndpointRouteBuilder routes)
    {
        var cases = routes.MapGroup("/api/cases").WithTags("Cases");

        cases.MapGet("/", List)
            .WithSummary("Cases with stage, balance and next action time, a page at a time in invoice-id order")
            .WithDescription($"Filters: status (open|plan|dispute|paused|flagged|closed), customer (a customer id), currency (ISO 4217). " +
                $"limit: 1 to {CaseQuery.MaxLimit}, default {CaseQuery.DefaultLimit}. When there may be more, the answer has a Link header " +
                "with rel=\"next\": the same query with a cursor; follow it until there is none to read every matching case exactly once.")
            .Produces<IReadOnlyList<CaseStatus>>()
            .ProducesProblem(400);
        cases.MapGet("/{invoiceId}", Get)
            .WithSummary("One case: status, stage, balance, plan, dispute, next action time, outcome, timeline")
            .Produces<CaseView>()
            .ProducesProblem(404);

        Command(cases.MapPost("/{invoiceId}/plan", (string invoiceId, HttpRequest request, LocalApp app, CancellationToken ct) =>
            RunAsync(app, invoiceId, request, ct, (id, body, token) => app.Commands.AgreePlanAsync(id, body.ToRequest(), token), (PlanBody?)null)))
            .WithSummary("Agree a payment plan: installments [{dueDate, amount}], or count + firstDueDate + intervalDays")
            .Accepts<PlanBody>("application/json");
        Command(cases.MapPost("/{invoiceId}/promise", (string invoiceId, HttpRequest request, LocalApp app, CancellationToken ct) =>
            RunAsync(app, invoiceId, request, ct, (id, body, token) => app.Commands.PromiseAsync(id, body.Date, body.Amount, token), (PromiseBody?)null, "date", "amount")))
            .WithSummary("Record a promise to pay { date, amount }")
            .Accepts<PromiseBody>("application/json");
        Command(cases.MapPost("/{invoiceId}/dispute", (string invoiceId, HttpRequest request, LocalApp app, CancellationToken ct) =>
            RunAsync(app, invoiceId, request, ct, (id, body, token) => app.Commands.OpenDisputeAsync(id, body.Reason ?? string.Empty, token), (DisputeBody?)null)))
            .WithSummary("Open a dispute { reason }: all contact pauses")
            .Accepts<DisputeBody>("application/json");
        Command(cases.MapPost("/{invoiceId}/dispute/resolve", (string invoiceId, HttpRequest request, LocalApp app, CancellationToken ct) =>
            RunAsync(app, invoiceId, request, ct, (id, body, token) => app.Commands.ResolveDisputeAsync(id, body.Outcome, body.CreditAmount, body.Note, token), (ResolveBody?)null, "outcome")))
            .WithSummary("Resolve the dispute { outcome: upheld|rejected, creditAmount? }")
            .Accepts<ResolveBody>("application/json");
        Command(cases.MapPost("/{invoiceId}/payments", (string invoiceId, HttpRequest request, LocalApp app, CancellationToken ct) =>
            RunAsync(app, invoiceId, request, ct, (id, body, token) => app.Commands.RecordPaymentAsync(id, body.Amount, body.Currency, body.PaidAt, body.Reference ?? string.Empty, token), (PaymentBody?)null, "amount", "currency")))
            .WithSummary("Record a manual payment { amount, currency, paidAt, reference }")
            .Accepts<PaymentBody>("application/json");
        Command(cases.MapPost("/{invoiceId}/cease", (string invoiceId, HttpRequest request, LocalApp app, CancellationToken ct) =>
            RunAsync(app, invoiceId, request, ct, (id, body, token) => app.Commands.CeaseAsync(id, body.Channel, body.Note, token), new CeaseBody(null, null))))
            .WithSummary("Stop contacting the customer, on one channel { channel } or (empty body) on all")
            .Accepts<CeaseBody>("application/json");
        Command(cases.MapPost("/{invoiceId}/pause", (string invoiceId, HttpRequest request, LocalApp app, CancellationToken ct) =>
            RunAsync(app, invoiceId, request, ct, (id, body, token) => app.Commands.PauseAsync(id, body.Reason, body.Until, token), new PauseBody(null, null))))
            .WithSummary("Pause the case { reason?, until? }")
            .Accepts<PauseBody>("application/json");
        Command(cases.MapPost("/{invoiceId}/resume", (string invoiceId, LocalApp app, CancellationToken ct) =>
            RunAsync(app, invoiceId, ct, (id, token) => app.Commands.ResumeAsync(id, token))))
            .WithSummary("Resume a paused case");

        routes.MapGet("/api/calltasks", CallTasks)
            .WithTags("Cases")
            .WithSummary("Phone calls for a person to make, with their scripts")
            .WithDescription("show: to-make (default: calls still wanted, not on paused, disputed, planned, flagged or ended cases), logged, or all.")
            .Produces<IReadOnlyList<CallTask>>()
            .ProducesProblem(400);
        Command(routes.MapPost("/api/calltasks/{invoiceId}/{step}", (string invoiceId, string step, HttpRequest request, LocalApp app, CancellationToken ct) =>
            RunAsync(app, invoiceId, request, ct, (id, body, token) => app.Commands.LogCallAsync(
                $"{id}/{step}", body.Outcome, body.Note, body.Promise?.Date, body.Promise?.Amount, body.Reason, token), (CallLogBody?)null, "outcome")))
            .WithTags("Cases")
            .WithSummary("Log how a call went { outcome: reached|promise|dispute|no-answer, note?, promise?: {date, amount}, reason? }")
            .WithDescription("A promise becomes the case's promise to pay, a dispute opens a dispute (contact pauses); the call is recorded on the case and leaves the list.")
            .Accepts<CallLogBody>("application/json");
        return cases;
    }

    private static async Task<IResult> List(string? status, string? customer, string? currency, string? limit, string? cursor, HttpResponse response, LocalApp app, CancellationToken ct)
    {
        if (ApiQuery.Cases(status, customer, currency, limit, cursor, out var query) is { } bad)
        {
            return Http.Answer(bad);
        }

        var page = await app.Cases.PageAsync(query, ct);
        if (page.Next is { } next)
        {
            response.Headers.Link = CaseCursor.NextLink("/api/cases", query, next);
        }

        return Http.Json(page.Cases);
    }

    private static async Task<IResult> CallTasks(string? show, LocalApp app, CancellationToken ct) =>
        ApiQuery.CallTasks(show, out var filter) is { } bad ? Http.Answer(bad) : Http.Json(await app.Calls.ListAsync(filter, ct));

    private static async Task<IResult> Get(string invoiceId, LocalApp app, CancellationToken ct)
    {
        if (!Http.TryInvoiceId(invoiceId, out var id, out var problem))
        {
            return problem!;
        }

        return await app.Cases.GetAsync(id, ct) is { } record
            ? Http.Json(CaseView.Of(record, app.Runner.Signals(id).Select(n => n.ToEntry())))
            : Http.Answer(ApiAnswers.NotFound($"There is no case for invoice '{id}'. Cases start when the daily scan finds the invoice overdue."));
    }

    private static RouteHandlerBuilder Command(RouteHandlerBuilder route) => route
        .Produces(202)
        .Produces(200)
        .ProducesProblem(400)
        .ProducesProblem(404)
        .ProducesProblem(409)
        .ProducesProblem(422);

    private static async Task<IResult> RunAsync<T>(
        LocalApp app, string invoiceId, HttpRequest request, CancellationToken ct, Func<InvoiceId, T, CancellationToken, Task<CommandResult>> command, T? whenEmpty, params string[] required)
        where T : class
    {
        if (!Http.TryInvoiceId(invoiceId, out var id, out var problem))
        {
            return problem!;
        }

        var (body, bad) = await Http.ReadJsonAsync(request, ct, whenEmpty, required);
        return bad ?? await AnswerAsync(app, id, await command(id, body!, ct), ct);
    }

    private static async Task<IResult> RunAsync(LocalApp app, string invoiceId, CancellationToken ct, Func<InvoiceId, CancellationToken, Task<CommandResult>> command)
    {
        if (!Http.TryInvoiceId(invoiceId, out var id, out var problem))
        {
            return problem!;
        }

        return await AnswerAsync(app, id, await command(id, ct), ct);
    }

    /// <summary>
    /// The core's mapping (202, 200, 404, 409, 422). An accepted signal is queued for the case, and the runner takes
    /// the case's turn before answering, so the answer says what became of it: applied (202 with the case's status
    /// after it), refused after all because the case changed meanwhile (409 with why), or still queued (202, with
    /// where its outcome will show: the case's timeline).
    /// </summary>
    private static async Task<IResult> AnswerAsync(LocalApp app, InvoiceId id, CommandResult result, CancellationToken ct)
    {
        var answer = ApiAnswers.Of(result, id);
        if (result is not CommandResult.Accepted accepted)
        {
            return Http.Answer(answer);
        }

        await app.Runner.RunCaseAsync(id, app.Clock.GetUtcNow(), ct);
        var note = app.Runner.Signals(id).LastOrDefault(n => n.Signal == accepted.Signal);
        if (note is { Outcome: "refused" })
        {
            return Http.Problem(409, "Refused by the case", $"{CaseStatus.Describe(accepted.Signal)}: {note.Note}. The case's timeline shows it ({ApiAnswers.CaseRoute(id)}).");
        }

        var status = (await app.Cases.GetAsync(id, ct))?.Status;
        return Http.Json(
            new AcceptedAnswer(CaseStatus.Describe(accepted.Signal), accepted.Signal, status, note?.Outcome ?? "queued", ApiAnswers.CaseRoute(id)),
            answer.Status);
    }
}
