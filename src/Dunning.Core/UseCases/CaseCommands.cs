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
