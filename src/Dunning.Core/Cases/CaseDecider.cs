using System.Diagnostics;
using System.Globalization;
using Dunning.Charges;
using Dunning.Common;
using Dunning.Customers;
using Dunning.Messages;
using Dunning.Plans;
using Dunning.Policies;
using static Dunning.Cases.CaseEvent;

namespace Dunning.Cases;

/// <summary>
/// The whole collection process as two pure functions. <see cref="Decide"/> says what a case does
/// next at a given instant; <see cref="Evolve"/> folds what happened into the case. Both hosts drive
/// exactly these, so every rule lives here and nowhere else.
/// </summary>
public static class CaseDecider
{
    /// <summary>
    /// What the case does next at <paramref name="now"/>. A contact's message is written from
    /// <paramref name="templates"/>: the shipped ones unless the host has the business's own (the local host's data folder).
    /// </summary>
    public static Decision Decide(CaseState state, DateTimeOffset now, MessageTemplates? templates = null)
    {
        if (state.Outcome is { } outcome)
        {
            return new Decision.Ended(outcome);
        }

        if (!state.PrincipalBalance.IsPositive)
        {
            return Close(state, now);
        }

        if (state.Pause is { } pause)
        {
            return pause.Until is { } until && until <= now
                ? new Decision.Apply(new Resumed(now))
                : new Decision.Wait(pause.Until, $"paused by staff: {pause.Reason}");
        }

        if (state.Dispute is { } dispute)
        {
            return new Decision.Wait(null, $"dispute open since {Day(dispute.OpenedAt)}: {dispute.Reason}");
        }

        if (state.Plan is { } plan)
        {
            return DecidePlan(state, plan, now, templates);
        }

        var today = CaseClock.LocalDate(state, now);
        if (LateCharges.Due(state, today, final: false) is [var charge, ..])
        {
            return new Decision.Apply(new ChargeApplied(now, charge));
        }

        var step = state.Policy.Ladder.FirstOrDefault(s => !state.DoneSteps.Contains(s.Id));
        return step is not null && state.AnyChannelOpen
            ? DecideStep(state, step, now, today, templates)
            : DecideEnding(state, now, today, templates);
    }

    public static CaseState Evolve(CaseState state, CaseEvent @event)
    {
        // A sibling case's contact is told once per contact, and only matters while this case may still contact.
        if (@event is CustomerContacted told && (state.Outcome is not null || state.History.OfType<CustomerContacted>().Any(e => e.Key == told.Key)))
        {
            return state;
        }

        // A delivery failure is reported once per contact; a repeat (a retried report) changes nothing.
        if (@event is ContactBounced bounce && state.History.OfType<ContactBounced>().Any(e => e.Key == bounce.Key))
        {
            return state;
        }

        // A payment counts once by its key (the provider's payment id, or the event that reported it), however often
        // and through whichever route it is reported. A refund gives back at most what was paid and kept.
        switch (@event)
        {
            case PaymentReceived p when state.History.OfType<PaymentReceived>().Any(e => e.Identity == p.Identity):
                return state;
            case PaymentRefunded r when r.Amount.Currency == state.Currency && (r.RefundedToDate?.Currency ?? state.Currency) == state.Currency:
                if (Refundable(state, r) is not { IsPositive: true } applied)
                {
                    return state;
                }

                @event = r with { Amount = applied };
                break;
        }

        var s = state with { History = state.History.Add(@event) };
        return @event switch
        {
            ContactMade c => Contacted(s, c),
            ContactCovered c => Contacted(s, c.AsContact()),
            ContactDeferred d => s with { ContactHeldUntil = d.Until },
            StepSkipped k => MarkDone(s, k.StepId),
            ChargeApplied c => s with { Charges = s.Charges.Add(c.Charge) },
            PaymentReceived p when p.Amount.Currency != s.Currency => s,
            PaymentReceived p => AfterPayment(s with { PaidHere = s.PaidHere + p.Amount }, p.At),
            PaymentRefunded r when r.Amount.Currency != s.Currency => s,
            PaymentRefunded r => AfterRefund(s with { PaidHere = s.PaidHere - r.Amount, Refunded = s.Refunded + r.Amount }, r.At),
            PlanAgreed p => Halt(s with { Plan = new ActivePlan(p.Plan, p.At, s.TotalPaid + s.Credited) }, p.At),
            InstallmentMissed m when s.Plan is { } plan =>
                s with { Plan = plan with { Missed = plan.Missed.Contains(m.Number) ? plan.Missed : plan.Missed.Add(m.Number) } },
            InstallmentMissed => s,
            PlanBroken b => Unhalt(s with { Plan = null }, b.At),
            DisputeOpened d => Halt(s with { Dispute = s.Dispute ?? new OpenDispute(d.Reason, d.At) }, d.At),
            DisputeResolved { Outcome: DisputeOutcome.Upheld, Credit: { } credit } r when credit.Currency == s.Currency =>
                Unhalt(s with { Dispute = null, Credited = s.Credited + credit }, r.At),
            DisputeResolved r => Unhalt(s with { Dispute = null }, r.At),
            CeaseRequested { Channel: null } => s with { Ceased = true },
            CeaseRequested { Channel: { } channel } => s with
            {
                CeasedChannels = s.CeasedChannels.Contains(channel) ? s.CeasedChannels : s.CeasedChannels.Add(channel),
            },
            Paused p => Halt(s with { Pause = new StaffPause(p.Reason, p.At, p.Until) }, p.At),
            Resumed r => Unhalt(s with { Pause = null }, r.At),
            InvoiceVoided v => s.Outcome is null ? Ended(s, new Outcome(OutcomeKind.Voided, v.At, v.Reason)) : s,
            CreditIssued c when c.Amount.Currency != s.Currency => s,
            CreditIssued c => s with { Credited = s.Credited + c.Amount },
            InvoiceUpdated u when u.Invoice.Id != s.InvoiceId || u.Invoice.Amount.Currency != s.Currency => s,
            InvoiceUpdated u => AfterPayment(s with { Invoice = u.Invoice }, u.At),
            CaseFlagged f => s with
            {
                Outcome = new Outcome(f.Recommendation.Kind, f.At, string.Join(" ", f.Recommendation.Reasons), f.Recommendation),
            },
            CaseClosed c => Ended(s, new Outcome(c.Outcome, c.At, c.Reason)),
            CustomerContacted => s,
            ContactBounced b => Bounced(s, b),
            CallLogged => s,
            _ => throw new UnreachableException(),
        };
    }

    /// <summary>An ended case has no open dispute or pause left to resolve, however it ended (a void included).</summary>
    private static CaseState Ended(CaseState s, Outcome outcome) => s with { Outcome = outcome, Dispute = null, Pause = null };

    /// <summary>
    /// A signal arrives (a webhook, a person, the ledger, a sibling case): checked against the case as it is now
    /// (<see cref="CaseRules.Check"/>: the case may have moved on since the command was accepted), then folded in.
    /// The one rule both hosts follow for every signal, whether the case runs, waits or has ended.
    /// </summary>
    public static Reception Receive(CaseState state, CaseEvent signal)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(signal);
        return CaseRules.Check(state, signal) switch
        {
            CommandResult.Accepted => new Reception.Applied(Evolve(state, signal), Reopens: state.Outcome is not null),
            var refused => new Reception.NotApplied(refused),
        };
    }

    /// <summary>More events than this applied in one step, without the host being asked for anything, is a decider loop.</summary>
    public const int MaxAppliedPerStep = 1_000;

    /// <summary>
    /// The one step every host takes at <paramref name="now"/>: <see cref="Decide"/>, and fold in every
    /// <see cref="Decision.Apply"/> (a skipped step, a charge, a missed installment, a close) until the case needs its
    /// host: an effect to perform, a wait, or its end. The orchestration, the local runner, the simulator and the tests
    /// are the IO around it; none of them decides or evolves on its own, except to fold in what an effect returned.
    /// Messages are written from <paramref name="templates"/>, as in <see cref="Decide"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">More than <see cref="MaxAppliedPerStep"/> events in one step: a decider loop.</exception>
    public static CaseStep Step(CaseState state, DateTimeOffset now, MessageTemplates? templates = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        List<CaseEvent>? applied = null;
        while (true)
        {
            var decision = Decide(state, now, templates);
            if (decision is not Decision.Apply apply)
            {
                return new CaseStep(state, decision, applied is null ? ValueList<CaseEvent>.Empty : applied.ToValueList());
            }

            applied ??= [];
            if (applied.Count >= MaxAppliedPerStep)
            {
                throw new InvalidOperationException($"Case {state.InvoiceId} applied {MaxAppliedPerStep} events at {now:O} without needing its host: a decider loop.");
            }

            state = Evolve(state, apply.Event);
            applied.Add(apply.Event);
        }
    }

    /// <summary>Whether the event is one an outside party may send (a webhook, a person, the ledger), not one the rules decide.</summary>
    public static bool IsSignal(CaseEvent @event) => @event is PaymentReceived or PaymentRefunded or PlanAgreed
        or DisputeOpened or DisputeResolved or CeaseRequested or Paused or Resumed or InvoiceVoided or CreditIssued or InvoiceUpdated or CustomerContacted or ContactBounced
        or CallLogged;

    private static Decision DecideStep(CaseState state, LadderStep step, DateTimeOffset now, DateOnly today, MessageTemplates? templates)
    {
        if (step.DayOffset < 0 && today > state.Invoice.DueDate)
        {
            return Skip(step, now, "the invoice is already overdue, so a courtesy reminder no longer fits");
        }

        if (!state.IsChannelOpen(step.Channel))
        {
            return Skip(step, now, $"the customer asked not to be contacted by {Name(step.Channel)}");
        }

        var channel = step.Channel;
        var recipient = ResolveRecipient(state, channel, step.Role);
        if (recipient is null && channel == Channel.Email && state.BouncedAddresses.Count > 0
            && state.IsChannelOpen(Channel.Letter) && ResolveRecipient(state, Channel.Letter, step.Role) is { } byPost)
        {
            // Every email address bounced: the step still reaches the customer, by post.
            (channel, recipient) = (Channel.Letter, byPost);
        }

        if (recipient is null)
        {
            return Skip(step, now, $"no {Missing(step.Channel)} for {state.Customer.Name}"
                + (state.BouncedAddresses.Count > 0 ? $" (bounced: {string.Join(", ", state.BouncedAddresses)})" : string.Empty));
        }

        var scheduled = StepTime(state, step);
        if (now < scheduled)
        {
            return new Decision.Wait(scheduled, $"next step '{step.Id}' on {Day(scheduled)}");
        }

        var allowed = Compliance.EarliestContact(state, now);
        if (allowed > now)
        {
            return new Decision.Wait(allowed, $"step '{step.Id}' waits for the contact window and frequency cap");
        }

        DateOnly? deadline = step.DeadlineDays is { } days ? today.AddDays(days) : null;
        var message = Letters.Compose(state, new MessageRequest(step.Template, step.Tone, channel, ContactPurpose.Ladder, recipient, today, deadline), templates);
        return new Decision.Perform(new CaseAction.Contact(
            StepKey(state, step), ContactPurpose.Ladder, step.Id, channel, step.Role, step.Tone, step.Template, recipient, message));
    }

    private static Decision DecidePlan(CaseState state, ActivePlan active, DateTimeOffset now, MessageTemplates? templates)
    {
        var rules = state.Policy.Plans;
        var paidSincePlan = state.TotalPaid + state.Credited - active.PaidBeforePlan;
        var covered = Money.Zero(state.Currency);
        Installment? upcoming = null;
        foreach (var installment in active.Plan.Installments)
        {
            covered += installment.Amount;
            if (paidSincePlan >= covered || active.Missed.Contains(installment.Number))
            {
                continue;
            }

            if (now >= MissedAt(state, installment))
            {
                return new Decision.Apply(new InstallmentMissed(now, installment.Number));
            }

            upcoming ??= installment;
        }

        var allowedMisses = active.Plan.IsPromise ? 0 : rules.MissesAllowed;
        var unreminded = active.Missed.Where(n => !active.Reminded.Contains(n)).Order().FirstOrDefault();

        // A broken promise is said once ("you told us you would pay by ..."), then the ladder resumes.
        var promiseToRemind = active.Plan.IsPromise && unreminded > 0 && ReminderChannel(state) is not null;
        if (active.Missed.Count > allowedMisses && !promiseToRemind)
        {
            var what = active.Plan.IsPromise ? "the promised payment was not made" : $"{active.Missed.Count} installments were missed";
            return new Decision.Apply(new PlanBroken(now, $"{what}; {allowedMisses} allowed. Escalation resumes where it paused."));
        }

        if (paidSincePlan >= covered)
        {
            return new Decision.Apply(new PlanBroken(now, $"the plan is paid but {state.PrincipalBalance} is still owed. Escalation resumes."));
        }

        if (unreminded > 0 && ReminderChannel(state) is { } channel)
        {
            var allowed = Compliance.EarliestContact(state, now);
            if (allowed > now)
            {
                return new Decision.Wait(allowed, "a missed-installment reminder waits for the contact window and frequency cap");
            }

            var installment = active.Plan.Installments.First(i => i.Number == unreminded);
            var recipient = ResolveRecipient(state, channel, ContactRole.Billing)!;
            var template = active.Plan.IsPromise ? "promise-missed" : "missed-installment";
            var today = CaseClock.LocalDate(state, now);
            var message = Letters.Compose(state, new MessageRequest(
                template, Tone.Firm, channel, ContactPurpose.MissedInstallment, recipient, today, today.AddDays(rules.GraceDays), installment), templates);
            var planNumber = state.History.Count(e => e is PlanAgreed);
            var stepId = "installment-" + installment.Number.ToString(CultureInfo.InvariantCulture);
            return new Decision.Perform(new CaseAction.Contact(
                $"plan{planNumber}-{stepId}", ContactPurpose.MissedInstallment, stepId, channel, ContactRole.Billing, Tone.Firm, template, recipient, message));
        }

        if (upcoming is not null)
        {
            return new Decision.Wait(MissedAt(state, upcoming), $"installment {upcoming.Number} of {upcoming.Amount} due {upcoming.DueDate:yyyy-MM-dd}");
        }

        // Every date has passed with misses still within the allowance: one more grace period, then the plan is broken.
        var breakAt = CaseClock.WindowStart(state, active.Plan.LastDueDate.AddDays(2 * rules.GraceDays + 1));
        return now < breakAt
            ? new Decision.Wait(breakAt, "the plan's last date has passed; waiting one more grace period")
            : new Decision.Apply(new PlanBroken(now, "the plan's last date has passed and it is not paid. Escalation resumes where it paused."));
    }

    private static Decision DecideEnding(CaseState state, DateTimeOffset now, DateOnly today, MessageTemplates? templates)
    {
        var deadline = FinalDeadline(state);
        if (now < deadline && state.AnyChannelOpen)
        {
            return new Decision.Wait(deadline, $"final notice deadline {Day(deadline)}");
        }

        if (LateCharges.Due(state, today, final: true) is [var charge, ..])
        {
            return new Decision.Apply(new ChargeApplied(now, charge));
        }

        var recommendation = Resolution.Recommend(state, today);
        if (recommendation.Kind == OutcomeKind.WrittenOff)
        {
            return new Decision.Apply(new CaseClosed(now, OutcomeKind.WrittenOff, string.Join(" ", recommendation.Reasons)));
        }

        if (recommendation.Kind == OutcomeKind.SmallClaims && Resolution.PreActionRequired(state) is { } rule)
        {
            // A letter older than the rule allows (say a plan or a pause ran in between) no longer counts: send another.
            if (state.PreActionLetterAt is { } sentAt && !(rule.MaxAgeDays is { } maxAge && now > sentAt + TimeSpan.FromDays(maxAge)))
            {
                var answerBy = sentAt + TimeSpan.FromDays(rule.ResponseDays);
                if (now < answerBy)
                {
                    return new Decision.Wait(answerBy, $"{rule.Name}: the customer has until {Day(answerBy)} to reply");
                }
            }
            else if (state.IsChannelOpen(Channel.Letter) && ResolveRecipient(state, Channel.Letter, ContactRole.Owner) is { } recipient)
            {
                var allowed = Compliance.EarliestContact(state, now);
                if (allowed > now)
                {
                    return new Decision.Wait(allowed, $"{rule.Name} waits for the contact window and frequency cap");
                }

                var message = Letters.Compose(state, new MessageRequest(
                    "letter-of-claim", Tone.Final, Channel.Letter, ContactPurpose.PreActionLetter, recipient, today, today.AddDays(rule.ResponseDays)), templates);
                var sent = state.Contacts.Count(c => c.Purpose == ContactPurpose.PreActionLetter);
                var key = sent == 0 ? "pre-action-letter" : "pre-action-letter-" + (sent + 1).ToString(CultureInfo.InvariantCulture);
                return new Decision.Perform(new CaseAction.Contact(
                    key, ContactPurpose.PreActionLetter, "pre-action-letter", Channel.Letter, ContactRole.Owner, Tone.Final, "letter-of-claim", recipient, message));
            }
            else
            {
                recommendation = recommendation with
                {
                    Reasons = recommendation.Reasons.Add($"{rule.Name} must be sent before filing, and this system could not send it (no postal address, or post was opted out)."),
                };
            }
        }

        return new Decision.Perform(new CaseAction.FileEvidence("evidence", recommendation));
    }

    private static Decision.Apply Close(CaseState state, DateTimeOffset now)
    {
        var lastChange = state.History.LastOrDefault(e => e is PaymentReceived or CreditIssued or DisputeResolved or InvoiceUpdated);
        var kind = state.Plan is not null ? OutcomeKind.Settled
            : lastChange is CreditIssued or DisputeResolved { Outcome: DisputeOutcome.Upheld } ? OutcomeKind.Credited
            : OutcomeKind.Paid;
        var reason = kind switch
        {
            OutcomeKind.Settled => "The payment plan was completed.",
            OutcomeKind.Credited => $"Credits of {state.Credited} cleared the invoice.",
            _ => $"Paid in full ({state.TotalPaid}).",
        };
        if (state.Overpaid.IsPositive)
        {
            reason += $" Overpaid by {state.Overpaid}: held as a credit for the customer.";
        }
        else if (state.Balance.IsPositive)
        {
            reason += $" Late charges of {state.Balance} remain on the statement.";
        }

        return new Decision.Apply(new CaseClosed(now, kind, reason));
    }

    private static Decision.Apply Skip(LadderStep step, DateTimeOffset now, string reason) =>
        new(new StepSkipped(now, step.Id, reason));

    /// <summary>A step's scheduled instant: its day after the due date at the window's start, shifted by time spent halted.</summary>
    public static DateTimeOffset StepTime(CaseState state, LadderStep step) =>
        CaseClock.WindowStart(state, state.Invoice.DueDate.AddDays(step.DayOffset)) + state.LadderShift;

    private static DateTimeOffset MissedAt(CaseState state, Installment installment) =>
        CaseClock.WindowStart(state, installment.DueDate.AddDays(state.Policy.Plans.GraceDays + 1));

    /// <summary>
    /// The last ladder contact plus its deadline. Measured from the step's scheduled time too, which
    /// moves with every halt, so a plan or dispute after the final notice does not eat its deadline.
    /// </summary>
    private static DateTimeOffset FinalDeadline(CaseState state)
    {
        var last = state.Contacts.LastOrDefault(c => c.Purpose == ContactPurpose.Ladder);
        if (last is null || state.Policy.Ladder.FirstOrDefault(s => s.Id == last.StepId) is not { } step)
        {
            return DateTimeOffset.MinValue;
        }

        var days = TimeSpan.FromDays(step.DeadlineDays ?? 0);
        var fromScheduled = StepTime(state, step) + days;
        var fromSent = last.At + days;
        return fromScheduled > fromSent ? fromScheduled : fromSent;
    }

    private static Channel? ReminderChannel(CaseState state) =>
        new[] { Channel.Email, Channel.Letter }
            .Where(state.IsChannelOpen)
            .Select(c => (Channel?)c)
            .FirstOrDefault(c => ResolveRecipient(state, c!.Value, ContactRole.Billing) is not null);

    /// <summary>A step sent again after a bounce needs a key of its own, or the idempotent mailer would drop it as a repeat.</summary>
    private static string StepKey(CaseState state, LadderStep step)
    {
        var bounced = state.History.OfType<ContactBounced>().Count(b => state.Contacts.Any(c => c.Key == b.Key && c.StepId == step.Id && c.Purpose == ContactPurpose.Ladder));
        return bounced == 0 ? "step-" + step.Id : $"step-{step.Id}.{(bounced + 1).ToString(CultureInfo.InvariantCulture)}";
    }

    public static Recipient? ResolveRecipient(CaseState state, Channel channel, ContactRole role)
    {
        var customer = state.Customer;
        var contact = state.BouncedAddresses.Count == 0
            ? customer.ResolveContact(role)
            : customer.ResolveContact(role, c => !state.BouncedAddresses.Contains(c.Email, StringComparer.OrdinalIgnoreCase));
        var name = contact?.Name ?? customer.Name;
        return channel switch
        {
            Channel.Email => contact is null ? null : new Recipient(name, contact.Email),
            Channel.Letter => string.IsNullOrWhiteSpace(customer.Address) ? null : new Recipient(name, customer.Address),
            Channel.Call => string.IsNullOrWhiteSpace(customer.Phone) ? null : new Recipient(name, customer.Phone),
        };
    }

    /// <summary>
    /// What a refund asks to give back: a refund id counts once; a running total (<see cref="PaymentRefunded.RefundedToDate"/>)
    /// asks for what it exceeds the refunds already recorded for its payment. Zero when nothing is new.
    /// </summary>
    public static Money RefundAsked(CaseState state, PaymentRefunded refund)
    {
        var earlier = state.History.OfType<PaymentRefunded>().Where(e => e.Identity == refund.Identity).ToList();
        var asked = refund.RefundedToDate is { } total
            ? total - earlier.Aggregate(Money.Zero(state.Currency), (sum, e) => sum + e.Amount)
            : earlier.Count == 0 ? refund.Amount : Money.Zero(state.Currency);
        return asked.Max(Money.Zero(state.Currency));
    }

    /// <summary>What a refund gives back: never more than was paid and kept, so refunds never exceed payments received.</summary>
    private static Money Refundable(CaseState state, PaymentRefunded refund) =>
        RefundAsked(state, refund).Min(state.TotalPaid.Max(Money.Zero(state.Currency)));

    /// <summary>
    /// The address is not used again. If the bounced message was the ladder's latest step, that step is owed again
    /// (through the next role or channel); once the ladder has moved on, later steps simply use the next contact.
    /// </summary>
    private static CaseState Bounced(CaseState s, ContactBounced b)
    {
        if (!s.BouncedAddresses.Contains(b.Address, StringComparer.OrdinalIgnoreCase))
        {
            s = s with { BouncedAddresses = s.BouncedAddresses.Add(b.Address) };
        }

        var latest = s.History.LastOrDefault(e => e is ContactMade { Purpose: ContactPurpose.Ladder } or StepSkipped);
        return latest is ContactMade made && made.Key == b.Key
            ? s with { DoneSteps = s.DoneSteps.Where(id => id != made.StepId).ToValueList() }
            : s;
    }

    /// <summary>What a contact does to the case, whether it went out here or in another case's consolidated message.</summary>
    private static CaseState Contacted(CaseState s, ContactMade c) => c.Purpose switch
    {
        ContactPurpose.Ladder => MarkDone(s, c.StepId),
        ContactPurpose.MissedInstallment when s.Plan is { } plan && InstallmentNumber(c.StepId) is { } n =>
            s with { Plan = plan with { Reminded = plan.Reminded.Add(n) } },
        ContactPurpose.MissedInstallment => s,
        ContactPurpose.PreActionLetter => s with { PreActionLetterAt = c.At },
        _ => throw new UnreachableException(),
    };

    private static CaseState MarkDone(CaseState s, string stepId) =>
        s.DoneSteps.Contains(stepId) ? s : s with { DoneSteps = s.DoneSteps.Add(stepId) };

    private static CaseState AfterPayment(CaseState s, DateTimeOffset at) =>
        s.Outcome is { } outcome && outcome.Kind is OutcomeKind.SmallClaims or OutcomeKind.CollectionAgency or OutcomeKind.WrittenOff
            && !s.PrincipalBalance.IsPositive
            ? s with { Outcome = new Outcome(OutcomeKind.Paid, at, $"Paid in full after the case ended as {Names.Of(outcome.Kind)}.", PreviouslyFlaggedAs: outcome.Kind) }
            : s;

    private static CaseState AfterRefund(CaseState s, DateTimeOffset at)
    {
        if (s.Outcome is not { Kind: OutcomeKind.Paid or OutcomeKind.Settled } closed || !s.PrincipalBalance.IsPositive)
        {
            return s;
        }

        if (closed.PreviouslyFlaggedAs is { } flag)
        {
            var flagged = s.History.OfType<CaseFlagged>().LastOrDefault();
            return s with { Outcome = new Outcome(flag, at, "Re-opened by a refund after it had been paid.", flagged?.Recommendation) };
        }

        // Re-opened where it left off: the ladder shifts by the time the case was settled or closed.
        var since = s.HaltedSince ?? closed.At;
        return s with { Outcome = null, Plan = null, Dispute = null, Pause = null, HaltedSince = null, LadderShift = s.LadderShift + (at - since) };
    }

    private static CaseState Halt(CaseState s, DateTimeOffset at) => s.HaltedSince is null ? s with { HaltedSince = at } : s;

    private static CaseState Unhalt(CaseState s, DateTimeOffset at) =>
        s.IsHalted || s.HaltedSince is not { } since
            ? s
            : s with { HaltedSince = null, LadderShift = s.LadderShift + (at - since) };

    private static int? InstallmentNumber(string stepId) =>
        stepId.StartsWith("installment-", StringComparison.Ordinal)
        && int.TryParse(stepId.AsSpan("installment-".Length), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : null;

    private static string Day(DateTimeOffset at) => at.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static string Name(Channel channel) => channel switch
    {
        Channel.Email => "email",
        Channel.Letter => "post",
        Channel.Call => "phone",
    };

    private static string Missing(Channel channel) => channel switch
    {
        Channel.Email => "email address",
        Channel.Letter => "postal address",
        Channel.Call => "phone number",
    };
}
