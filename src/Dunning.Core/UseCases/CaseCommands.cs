using System.Globalization;
using Dunning.Cases;
using Dunning.Common;
using Dunning.Customers;
using Dunning.Import;
using Dunning.Ports;
using Dunning.Webhooks;

namespace Dunning.UseCases;

/// <summary>What staff do to a case through the API or CLI. Every command is checked against the case before it is sent.</summary>
public sealed class CaseCommands(ICaseStore cases, IWorkflows workflows, TimeProvider time, CustomerRequests customers)
{
    public Task<CommandResult> AgreePlanAsync(InvoiceId id, PlanRequest request, CancellationToken ct) =>
        RunAsync(id, (state, now) =>
        {
            var (plan, problems) = PlanTerms.Build(state, request, CaseClock.LocalDate(state, now));
            return plan is null ? new CommandResult.Invalid(problems) : Signal(new CaseEvent.PlanAgreed(now, plan));
        }, ct);

    public Task<CommandResult> PromiseAsync(InvoiceId id, DateOnly date, decimal amount, CancellationToken ct) =>
        RunAsync(id, (state, now) =>
        {
            var (plan, problems) = PlanTerms.Promise(state, date, amount, CaseClock.LocalDate(state, now));
            return plan is null ? new CommandResult.Invalid(problems) : Signal(new CaseEvent.PlanAgreed(now, plan));
        }, ct);

    public Task<CommandResult> OpenDisputeAsync(InvoiceId id, string reason, CancellationToken ct) =>
        string.IsNullOrWhiteSpace(reason)
            ? Problem("reason: say what the customer disputes.")
            : RunAsync(id, (_, now) => Signal(new CaseEvent.DisputeOpened(now, reason.Trim())), ct);

    public Task<CommandResult> ResolveDisputeAsync(InvoiceId id, DisputeOutcome outcome, decimal? creditAmount, string? note, CancellationToken ct) =>
        RunAsync(id, (state, now) => Signal(new CaseEvent.DisputeResolved(
            now, outcome, creditAmount is { } credit ? new Money(credit, state.Currency) : null, note)), ct);

    public Task<CommandResult> RecordPaymentAsync(InvoiceId id, decimal amount, string currency, DateTimeOffset? paidAt, string reference, CancellationToken ct)
    {
        if (!Currencies.IsValid(currency))
        {
            return Problem($"currency: '{currency}' is not an ISO 4217 code.");
        }

        return string.IsNullOrWhiteSpace(reference)
            ? Problem("reference: give the payment's reference (cheque number, transfer id).")
            : RunAsync(id, (_, now) => PaidAtProblem(paidAt, now) is { } problem
                ? new CommandResult.Invalid(ValueList.Of(problem))
                : Signal(ManualPayment(paidAt ?? now, new Money(amount, currency), reference.Trim())), ct);
    }

    /// <summary>
    /// A manual payment is recorded once it has been made: a time in the future (beyond the webhooks' clock tolerance)
    /// is a typo that would close the case early and skew days-to-pay in the learning report.
    /// </summary>
    private static string? PaidAtProblem(DateTimeOffset? paidAt, DateTimeOffset now) => paidAt switch
    {
        null => null,
        { } at when at > now + WebhookSigning.DefaultTolerance => string.Create(CultureInfo.InvariantCulture,
            $"paidAt: {at:yyyy-MM-dd HH:mm} UTC is in the future (it is now {now:yyyy-MM-dd HH:mm} UTC); record a payment once it has been made."),
        { } at => Fields.ImplausibleDate(DateOnly.FromDateTime(at.UtcDateTime)) is { } implausible ? "paidAt: " + implausible + "." : null,
    };

    /// <summary>
    /// A cease or opt-out asked through one of the customer's invoices is the customer's: it is recorded on their
    /// contact ledger and told to every open case of theirs; this case's answer says so in its note.
    /// </summary>
    public async Task<CommandResult> CeaseAsync(InvoiceId id, Channel? channel, string? note, CancellationToken ct)
    {
        if (await cases.GetAsync(id, ct) is { } record && record.State.Outcome is null)
        {
            var customer = record.State.Customer;
            await customers.ApplyAsync(customer.Id, customer.Name, channel, note, except: id, ct);
            note = CustomerRequests.Note(customer.Name, note);
        }

        return await RunAsync(id, (_, now) => Signal(new CaseEvent.CeaseRequested(now, channel, note)), ct);
    }

    public Task<CommandResult> PauseAsync(InvoiceId id, string? reason, DateTimeOffset? until, CancellationToken ct) =>
        RunAsync(id, (_, now) => UntilProblem(until, now) is { } problem
            ? new CommandResult.Invalid(ValueList.Of(problem))
            : Signal(new CaseEvent.Paused(now, string.IsNullOrWhiteSpace(reason) ? "paused by staff" : reason.Trim(), until)), ct);

    private static string? UntilProblem(DateTimeOffset? until, DateTimeOffset now) => until switch
    {
        null => null,
        { } u when u <= now => "until: must be in the future.",
        { } u => Fields.ImplausibleDate(DateOnly.FromDateTime(u.UtcDateTime)) is { } implausible ? "until: " + implausible + "." : null,
    };

    public Task<CommandResult> ResumeAsync(InvoiceId id, CancellationToken ct) =>
        RunAsync(id, (_, now) => Signal(new CaseEvent.Resumed(now)), ct);

    /// <summary>
    /// Staff have no provider id to give: a payment they record is the same payment when its reference, amount and
    /// date all match (a form sent twice), and a different one when any differs (two transfers with the same reference).
    /// </summary>
    private static CaseEvent.PaymentReceived ManualPayment(DateTimeOffset paidAt, Money amount, string reference) =>
        new(paidAt, amount, reference, "manual",
            FormattableString.Invariant($"manual/{reference}/{amount.Amount}{amount.Currency}/{paidAt.UtcDateTime:yyyy-MM-dd}"));

    /// <summary>
    /// A person made the call of task <paramref name="key"/> and logs how it went. A promise to pay or a dispute the call
    /// brought goes to the case first, checked like the same command from the case's page (nothing is logged when it is
    /// refused); then the call itself is recorded on the case and the task leaves the list of calls to make.
    /// Logging the same outcome again changes nothing; a different outcome for a logged call is a conflict.
    /// </summary>
    public async Task<CommandResult> LogCallAsync(string key, CallOutcome outcome, string? note, DateOnly? promiseDate, decimal? promiseAmount, string? reason, CancellationToken ct)
    {
        if (await cases.CallTaskAsync(key, ct) is not { } task)
        {
            return new CommandResult.NotFound($"There is no call task '{key}'. GET /api/calltasks lists the calls to make.");
        }

        if (task.Logged is { } logged)
        {
            return logged.Outcome == outcome
                ? new CommandResult.Unchanged($"The call was logged as {Names.Of(logged.Outcome)} on {logged.At:yyyy-MM-dd HH:mm} UTC.")
                : new CommandResult.Conflict($"The call was already logged as {Names.Of(logged.Outcome)} on {logged.At:yyyy-MM-dd HH:mm} UTC.");
        }

        var problems = ValueList<string>.Empty;
        if (outcome == CallOutcome.Promise && (promiseDate is null || promiseAmount is null))
        {
            problems = problems.Add("promise: a promise to pay needs its date and amount ({\"date\": \"YYYY-MM-DD\", \"amount\": 0.00}).");
        }

        if (outcome == CallOutcome.Dispute && string.IsNullOrWhiteSpace(reason))
        {
            problems = problems.Add("reason: say what the customer disputes.");
        }

        if (outcome is not (CallOutcome.Promise or CallOutcome.Dispute) && (promiseDate is not null || promiseAmount is not null || reason is not null))
        {
            problems = problems.Add($"outcome: a call logged as {Names.Of(outcome)} takes no promise or dispute reason; log it as promise or dispute.");
        }

        if (problems.Count > 0)
        {
            return new CommandResult.Invalid(problems);
        }

        var brought = outcome switch
        {
            CallOutcome.Promise => await PromiseAsync(task.InvoiceId, promiseDate!.Value, promiseAmount!.Value, ct),
            CallOutcome.Dispute => await OpenDisputeAsync(task.InvoiceId, reason!, ct),
            _ => null,
        };
        if (brought is CommandResult.Invalid or CommandResult.NotFound or CommandResult.Conflict)
        {
            return brought;
        }

        var text = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        var result = await RunAsync(task.InvoiceId, (_, now) => Signal(new CaseEvent.CallLogged(now, task.Key, outcome, text)), ct);
        if (result is CommandResult.Accepted or CommandResult.Unchanged)
        {
            // Unchanged: the case already has this call (the task's log was lost after the signal went): log it now.
            var at = result is CommandResult.Accepted { Signal: var made } ? made.At : time.GetUtcNow();
            await cases.LogCallAsync(key, new CallLog(at, outcome, text), ct);
        }

        return result;
    }

    private static CommandResult Signal(CaseEvent signal) => new CommandResult.Accepted(signal);

    private static Task<CommandResult> Problem(string problem) =>
        Task.FromResult<CommandResult>(new CommandResult.Invalid(ValueList.Of(problem)));

    private async Task<CommandResult> RunAsync(InvoiceId id, Func<CaseState, DateTimeOffset, CommandResult> command, CancellationToken ct)
    {
        if (await cases.GetAsync(id, ct) is not { } record)
        {
            return new CommandResult.NotFound($"There is no case for invoice '{id}'. Cases start when the daily scan finds the invoice overdue.");
        }

        var result = command(record.State, time.GetUtcNow());
        if (result is CommandResult.Accepted { Signal: var signal })
        {
            result = CaseRules.Check(record.State, signal);
            if (result is CommandResult.Accepted)
            {
                await workflows.SignalAsync(id, signal, ct);
            }
        }

        return result;
    }
}
