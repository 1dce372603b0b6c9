using Dunning.Common;
using Dunning.Plans;
using static Dunning.Cases.CaseEvent;

namespace Dunning.Cases;

/// <summary>The answer to a staff action or a signal: what an HTTP host turns into 202, 200, 404, 409 or 422.</summary>
public abstract record CommandResult
{
    private CommandResult()
    {
    }

    public sealed record Accepted(CaseEvent Signal) : CommandResult;

    /// <summary>A repeated command: nothing to do, and that is fine.</summary>
    public sealed record Unchanged(string Detail) : CommandResult;

    public sealed record NotFound(string Detail) : CommandResult;

    public sealed record Conflict(string Detail) : CommandResult;

    public sealed record Invalid(ValueList<string> Problems) : CommandResult;
}

/// <summary>Which signals make sense for a case in its current state. Checked before a signal is sent.</summary>
public static class CaseRules
{
    public static CommandResult Check(CaseState s, CaseEvent signal)
    {
        if (!CaseDecider.IsSignal(signal))
        {
            return new CommandResult.Invalid(ValueList.Of($"{signal.GetType().Name} is decided by the case itself, not sent to it."));
        }

        if (MoneyProblem(s, signal) is { } problem)
        {
            return new CommandResult.Invalid(ValueList.Of(problem));
        }

        if (s.Outcome is not null && signal is CustomerContacted)
        {
            return new CommandResult.Unchanged("The case has ended: another case's contact no longer counts here.");
        }

        if (s.Outcome is { } outcome && signal is not (PaymentReceived or PaymentRefunded or CreditIssued or InvoiceUpdated))
        {
            return new CommandResult.Conflict($"The case ended as {Names.Of(outcome.Kind)} on {outcome.At:yyyy-MM-dd}; only payments, refunds and credits still apply.");
        }

        return signal switch
        {
            PlanAgreed when s.Plan is { } plan =>
                new CommandResult.Conflict($"A {(plan.Plan.IsPromise ? "promise to pay" : "payment plan")} agreed on {plan.AgreedAt:yyyy-MM-dd} is already running."),
            PlanAgreed when s.Dispute is not null => new CommandResult.Conflict("A dispute is open: resolve it before agreeing a plan."),
            DisputeOpened when s.Dispute is not null => new CommandResult.Unchanged($"A dispute is already open since {s.Dispute.OpenedAt:yyyy-MM-dd}."),
            DisputeResolved when s.Dispute is null => new CommandResult.Conflict("There is no open dispute to resolve."),
            DisputeResolved { Outcome: DisputeOutcome.Upheld, Credit: { } credit } when credit > s.PrincipalBalance =>
                new CommandResult.Invalid(ValueList.Of($"creditAmount: {credit} is more than the {s.PrincipalBalance} owed.")),
            DisputeResolved { Outcome: DisputeOutcome.Rejected, Credit: not null } =>
                new CommandResult.Invalid(ValueList.Of("creditAmount: a rejected dispute gives no credit.")),
            CeaseRequested { Channel: null } when s.Ceased => new CommandResult.Unchanged("Contact has already ceased."),
            CeaseRequested { Channel: { } c } when s.Ceased || s.CeasedChannels.Contains(c) => new CommandResult.Unchanged($"Already not contacting by {Names.Of(c)}."),
            Paused when s.Pause is not null => new CommandResult.Unchanged($"Already paused since {s.Pause.At:yyyy-MM-dd}."),
            Resumed when s.Pause is null => new CommandResult.Conflict("The case is not paused."),
            PaymentReceived p when s.History.OfType<PaymentReceived>().Any(x => x.Identity == p.Identity) =>
                new CommandResult.Unchanged($"Payment {p.Identity} is already recorded."),
            PaymentRefunded r when CaseDecider.RefundAsked(s, r) is { IsPositive: false } =>
                new CommandResult.Unchanged(r.RefundedToDate is { } total
                    ? $"Refunds of {total} on {r.Identity} are already recorded."
                    : $"Refund {r.Identity} is already recorded."),
            PaymentRefunded r when CaseDecider.RefundAsked(s, r) > s.TotalPaid =>
                new CommandResult.Invalid(ValueList.Of(
                    $"amount: a refund of {CaseDecider.RefundAsked(s, r)} is more than the {s.TotalPaid.Max(Money.Zero(s.Currency))} paid on invoice {s.Invoice.Number}; a refund gives back money that was paid.")),
            CallLogged c when s.History.OfType<CallLogged>().Any(x => x.Key == c.Key) => new CommandResult.Unchanged($"The call {c.Key} is already logged."),
            InvoiceUpdated u when u.Invoice == s.Invoice => new CommandResult.Unchanged($"Invoice {s.Invoice.Number} is unchanged in the ledger."),
            _ => new CommandResult.Accepted(signal),
        };
    }

    /// <summary>Far above any invoice a small business sends, far below where decimal sums could overflow.</summary>
    private const decimal MaxAmount = 1_000_000_000_000m;

    private static string? MoneyProblem(CaseState s, CaseEvent signal)
    {
        Money? amount = signal switch
        {
            PaymentReceived p => p.Amount,
            PaymentRefunded { RefundedToDate: { } total } r when total.Currency != r.Amount.Currency => total,
            PaymentRefunded r => r.Amount,
            CreditIssued c => c.Amount,
            DisputeResolved { Credit: { } credit } => credit,
            _ => null,
        };
        return amount switch
        {
            null => null,
            { Currency: var c } when c != s.Currency => $"currency: the invoice is in {s.Currency}, not {c}.",
            { Amount: <= 0 } => "amount: must be greater than 0.",
            { Amount: > MaxAmount } m => $"amount: {m.Amount} is more than 1,000,000,000,000, which no payment or credit here can be.",
            { } m when m.Round() != m => $"amount: {m.Amount} has more decimal places than {m.Currency} has ({Currencies.MinorUnits(m.Currency)}).",
            _ => null,
        };
    }
}

/// <summary>What staff ask for when agreeing a plan: explicit installments, or a count, a first date and an interval.</summary>
public sealed record PlanRequest(
    ValueList<PlanRequest.Item>? Installments = null,
    int? Count = null,
    DateOnly? FirstDueDate = null,
    int? IntervalDays = null)
{
    public sealed record Item(DateOnly DueDate, decimal Amount);
}

/// <summary>Turns a plan request into a plan the policy allows, or lists every reason it does not.</summary>
public static class PlanTerms
{
    public static (PaymentPlan? Plan, ValueList<string> Problems) Build(CaseState s, PlanRequest request, DateOnly today)
    {
        var rules = s.Policy.Plans;
        var problems = new List<string>();
        var balance = s.PrincipalBalance;
        List<Installment> items;
        if (request.Installments is { Count: > 0 } explicitItems)
        {
            items = [.. explicitItems.Select((i, n) => new Installment(n + 1, i.DueDate, new Money(i.Amount, s.Currency)))];
        }
        else if (request is { Count: { } count, FirstDueDate: { } first, IntervalDays: { } interval })
        {
            // Checked before the dates are computed: an absurd count or interval must be refused, not overflow.
            var countProblem = count < 1 || count > rules.MaxInstallments
                ? $"count: {count} must be between 1 and the {rules.MaxInstallments} installments the policy allows."
                : null;
            var intervalProblem = interval < 1 || interval > rules.MaxDaysBetweenInstallments
                ? $"intervalDays: {interval} must be between 1 and the policy's {rules.MaxDaysBetweenInstallments} days."
                : null;
            var lastDay = (long)first.DayNumber + ((long)Math.Max(count, 1) - 1) * Math.Max(interval, 1);
            var dateProblem = countProblem is null && intervalProblem is null && lastDay > DateOnly.MaxValue.DayNumber
                ? $"firstDueDate: {first:yyyy-MM-dd} leaves no room for {count} installments."
                : null;
            if (new[] { countProblem, intervalProblem, dateProblem }.OfType<string>().ToList() is { Count: > 0 } early)
            {
                return (null, early.ToValueList());
            }

            items = Split(balance, count, first, interval);
        }
        else
        {
            return (null, ValueList.Of("Give either installments [{dueDate, amount}], or count, firstDueDate and intervalDays."));
        }

        if (items.Count > rules.MaxInstallments)
        {
            problems.Add($"installments: {items.Count} is more than the {rules.MaxInstallments} the policy allows.");
        }

        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var previous = i == 0 ? today : items[i - 1].DueDate;
            if (!item.Amount.IsPositive)
            {
                problems.Add($"installments[{i}].amount: must be greater than 0.");
            }
            else if (item.Amount.Amount < rules.MinimumInstallment && i < items.Count - 1)
            {
                problems.Add($"installments[{i}].amount: {item.Amount} is below the minimum installment of {rules.MinimumInstallment} {s.Currency}.");
            }

            if (i == 0 ? item.DueDate < today : item.DueDate <= previous)
            {
                problems.Add($"installments[{i}].dueDate: {item.DueDate:yyyy-MM-dd} must be {(i == 0 ? "today or later" : "after the previous installment")}.");
            }
            else if (item.DueDate.DayNumber - previous.DayNumber > rules.MaxDaysBetweenInstallments)
            {
                problems.Add($"installments[{i}].dueDate: more than {rules.MaxDaysBetweenInstallments} days after {(i == 0 ? "today" : "the previous installment")}.");
            }
        }

        var total = items.Aggregate(Money.Zero(s.Currency), (sum, i) => sum + i.Amount);
        var interest = balance.Times(rules.AnnualInterestPercent / 100m * Math.Max(0, items[^1].DueDate.DayNumber - today.DayNumber) / 365m).Round();
        if (total < balance || total > balance + interest)
        {
            problems.Add(interest.IsPositive
                ? $"installments: they add up to {total}; they must cover the {balance} owed plus at most {interest} interest."
                : $"installments: they add up to {total}; they must add up to the {balance} owed.");
        }

        return problems.Count == 0
            ? (new PaymentPlan(items.ToValueList()), ValueList<string>.Empty)
            : (null, problems.ToValueList());
    }

    public static (PaymentPlan? Plan, ValueList<string> Problems) Promise(CaseState s, DateOnly date, decimal amount, DateOnly today)
    {
        var problems = new List<string>();
        if (amount <= 0)
        {
            problems.Add("amount: must be greater than 0.");
        }
        else if (amount > s.PrincipalBalance.Amount)
        {
            problems.Add($"amount: {amount} is more than the {s.PrincipalBalance} owed.");
        }

        if (date < today)
        {
            problems.Add($"date: {date:yyyy-MM-dd} is in the past.");
        }
        else if (date.DayNumber - today.DayNumber > s.Policy.Plans.MaxDaysBetweenInstallments)
        {
            problems.Add($"date: more than {s.Policy.Plans.MaxDaysBetweenInstallments} days away; agree a plan instead.");
        }

        return problems.Count == 0
            ? (new PaymentPlan(ValueList.Of(new Installment(1, date, new Money(amount, s.Currency))), IsPromise: true), ValueList<string>.Empty)
            : (null, problems.ToValueList());
    }

    /// <summary>Equal installments in minor units; the rounding remainder goes on the last one.</summary>
    private static List<Installment> Split(Money balance, int count, DateOnly first, int interval)
    {
        var each = new Money(Math.Floor(balance.Amount / count * Currencies.MinorUnitFactor(balance.Currency)) / Currencies.MinorUnitFactor(balance.Currency), balance.Currency);
        var items = Enumerable.Range(0, count).Select(i => new Installment(i + 1, first.AddDays(i * interval), each)).ToList();
        items[^1] = items[^1] with { Amount = balance - each.Times(count - 1) };
        return items;
    }
}
