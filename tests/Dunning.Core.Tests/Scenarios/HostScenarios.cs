using Dunning.Cases;
using Dunning.Common;
using Dunning.Customers;
using Dunning.Invoices;
using Dunning.Jurisdictions;
using Dunning.Plans;
using Dunning.Policies;
using Dunning.Simulation;
using static Dunning.Cases.CaseEvent;

namespace Dunning.Tests.Scenarios;

/// <summary>When a scenario's signal arrives.</summary>
public enum Cue
{
    /// <summary>Right after the case starts, while it waits for the contact window.</summary>
    Start,

    /// <summary>While the effect with <see cref="ScenarioSignal.AfterKey"/> runs: delivered before the case decides again.</summary>
    During,

    /// <summary>After the case has ended (a late payment, a refund): the host re-opens it.</summary>
    AfterEnd,
}

/// <summary>A signal a scenario sends, made at the instant it is sent.</summary>
public sealed record ScenarioSignal(Cue Cue, Func<DateTimeOffset, CaseEvent> Make, string? AfterKey = null);

/// <summary>
/// One scenario every host runs (the core's own loop here, the Durable Task engine in Dunning.Functions.Tests),
/// expecting the same ending and the same set of effects sent once. <see cref="Sent"/> holds action keys
/// (<see cref="CaseAction.Key"/>) and "evidence" when the evidence bundle was filed.
/// <see cref="OneAtATime"/>: the host waits for each start signal to be applied before sending the next.
/// </summary>
public sealed record HostScenario(
    string Name,
    CaseState Initial,
    IReadOnlyList<ScenarioSignal> Signals,
    OutcomeKind Outcome,
    IReadOnlyList<string> Sent,
    OutcomeKind? PreviouslyFlaggedAs = null,
    bool OneAtATime = false)
{
    public override string ToString() => Name;
}

/// <summary>
/// The scenario set. Time moves fast with the orchestration unchanged: every ladder step is due on the day the case
/// opens, the customer's time zone is picked so that it is around noon there, and the contact window opens
/// <see cref="Lead"/> after the start; the final notice has no deadline. So a whole ladder runs within seconds of
/// real time, and a signal sent at the start arrives during a real wait.
/// </summary>
public static class HostScenarios
{
    public static readonly TimeSpan Lead = TimeSpan.FromSeconds(3);

    public static readonly string[] Ladder = ["step-gentle", "step-firm", "step-letter", "step-call", "step-final"];

    public static IReadOnlyList<HostScenario> All(DateTimeOffset start)
    {
        var zone = ZoneAroundNoon(start);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(start, TimeZoneInfo.FindSystemTimeZoneById(zone)).DateTime);
        string[] flagged = [.. Ladder, "evidence"];
        CaseState Open(string name, decimal amount = 1_000m) => OpenCase(name, start, zone, today, amount);
        ScenarioSignal AtStart(Func<DateTimeOffset, CaseEvent> make) => new(Cue.Start, make);
        ScenarioSignal During(string key, Func<DateTimeOffset, CaseEvent> make) => new(Cue.During, make, key);
        ScenarioSignal AfterEnd(Func<DateTimeOffset, CaseEvent> make) => new(Cue.AfterEnd, make);
        static PaymentReceived Pay(DateTimeOffset at, decimal amount, string reference) => new(at, new Money(amount, "USD"), reference, "manual");
        PlanAgreed Plan(DateTimeOffset at, bool promise, params (int Days, decimal Amount)[] items) =>
            new(at, new PaymentPlan(items.Select((i, n) => new Installment(n + 1, today.AddDays(i.Days), new Money(i.Amount, "USD"))).ToValueList(), promise));

        return
        [
            new("ladder to small claims", Open("small-claims"), [], OutcomeKind.SmallClaims, flagged),
            new("ladder to a collection agency", Open("agency", 250_000m), [], OutcomeKind.CollectionAgency, flagged),
            new("ladder to a write-off", Open("write-off", 50m), [], OutcomeKind.WrittenOff, Ladder),
            new("payment during a wait", Open("paid-waiting"), [AtStart(at => Pay(at, 1_000m, "p-1"))], OutcomeKind.Paid, []),
            new(
                "payment during back-to-back effects",
                Open("paid-during-effects"),
                [During("step-gentle", at => Pay(at, 100m, "p-1")), During("step-firm", at => Pay(at, 900m, "p-2"))],
                OutcomeKind.Paid,
                ["step-gentle", "step-firm"]),
            new(
                "plan kept",
                Open("plan-kept"),
                [AtStart(at => Plan(at, false, (5, 500m), (35, 500m))), AtStart(at => Pay(at, 500m, "i-1")), AtStart(at => Pay(at, 500m, "i-2"))],
                OutcomeKind.Settled,
                []),
            new(
                "plan missed once, then paid",
                Open("plan-missed"),
                [AtStart(at => Plan(at, false, (-1, 500m), (30, 500m))), During("plan1-installment-1", at => Pay(at, 1_000m, "all"))],
                OutcomeKind.Settled,
                ["plan1-installment-1"]),
            new("plan broken", Open("plan-broken"), [AtStart(at => Plan(at, false, (-2, 500m), (-1, 500m)))], OutcomeKind.SmallClaims, flagged),
            new("promise kept", Open("promise-kept"), [AtStart(at => Plan(at, true, (7, 1_000m))), AtStart(at => Pay(at, 1_000m, "promised"))], OutcomeKind.Settled, []),
            new("promise broken", Open("promise-broken"), [AtStart(at => Plan(at, true, (-1, 1_000m)))], OutcomeKind.SmallClaims, ["plan1-installment-1", .. flagged]),
            new(
                "dispute upheld",
                Open("dispute-upheld"),
                [During("step-gentle", at => new DisputeOpened(at, "not delivered")), During("step-gentle", at => new DisputeResolved(at, DisputeOutcome.Upheld, new Money(1_000m, "USD")))],
                OutcomeKind.Credited,
                ["step-gentle"]),
            new(
                "dispute rejected",
                Open("dispute-rejected"),
                [AtStart(at => new DisputeOpened(at, "wrong amount")), AtStart(at => new DisputeResolved(at, DisputeOutcome.Rejected))],
                OutcomeKind.SmallClaims,
                flagged),
            new("pause with an end", Open("paused"), [AtStart(at => new Paused(at, "owner on holiday", at + Lead + Lead))], OutcomeKind.SmallClaims, flagged),
            new("cease", Open("ceased"), [During("step-gentle", at => new CeaseRequested(at))], OutcomeKind.SmallClaims, ["step-gentle", "evidence"]),
            new(
                "re-open after a late payment",
                Open("late-payment"),
                [AfterEnd(at => Pay(at, 1_000m, "late"))],
                OutcomeKind.Paid,
                flagged,
                PreviouslyFlaggedAs: OutcomeKind.SmallClaims),
            new(
                "re-open after a refund",
                Open("refunded"),
                [AtStart(at => Pay(at, 1_000m, "p-1")), AfterEnd(at => new PaymentRefunded(at, new Money(1_000m, "USD"), "r-1"))],
                OutcomeKind.SmallClaims,
                flagged),
            new(
                "a burst of signals across ContinueAsNew",
                Open("burst"),
                [
                    AtStart(at => new Paused(at, "negotiating")),
                    .. Enumerable.Range(1, 60).Select(n => AtStart(at => Pay(at, 1m, $"burst-{n}"))),
                    AtStart(at => Pay(at, 940m, "rest")),
                ],
                OutcomeKind.Paid,
                [],
                OneAtATime: true),
        ];
    }

    /// <summary>An Etc/GMT zone where <paramref name="start"/> is between 11:00 and 13:00, so the whole run stays on one local day.</summary>
    public static string ZoneAroundNoon(DateTimeOffset start)
    {
        var hours = 12 - start.UtcDateTime.Hour;
        hours = hours > 14 ? hours - 24 : hours < -11 ? hours + 24 : hours;
        return hours switch
        {
            0 => "Etc/GMT",
            > 0 => $"Etc/GMT-{hours}",
            _ => $"Etc/GMT+{-hours}",
        };
    }

    private static CaseState OpenCase(string name, DateTimeOffset start, string zone, DateOnly today, decimal amount)
    {
        var local = TimeZoneInfo.ConvertTime(start + Lead, TimeZoneInfo.FindSystemTimeZoneById(zone));
        var opens = TimeOnly.FromDateTime(local.DateTime);
        var policy = DefaultPolicy.Value with
        {
            GraceDays = 0,
            Window = new ContactWindow(new TimeOnly(opens.Hour, opens.Minute, opens.Second), new TimeOnly(23, 0), AllowWeekends: true),
            Cap = new FrequencyCap(MaxContacts: 100),
            Ladder = ValueList.Of(
                new LadderStep("gentle", 0, Channel.Email, Tone.Friendly, ContactRole.Billing, "gentle"),
                new LadderStep("firm", 0, Channel.Email, Tone.Firm, ContactRole.Billing, "firm"),
                new LadderStep("letter", 0, Channel.Letter, Tone.Firm, ContactRole.Manager, "invoice-copy"),
                new LadderStep("call", 0, Channel.Call, Tone.Firm, ContactRole.Manager, "call"),
                new LadderStep("final", 0, Channel.Email, Tone.Final, ContactRole.Owner, "final-notice", DeadlineDays: 0)),
            Plans = DefaultPolicy.Value.Plans with { GraceDays = 0 },
            LateCharges = new LateChargeRules(),
        };
        var contacts = ValueList.Of(
            new Contact(ContactRole.Billing, "billing@example.com", "Bill Ing"),
            new Contact(ContactRole.Manager, "manager@example.com", "Man Ager"),
            new Contact(ContactRole.Owner, "owner@example.com", "Own Er"));
        var customer = new Customer(new CustomerId("C-" + name), "Acme Ltd", CustomerKind.Business, Jurisdiction.Parse("US-CA"), zone, contacts, "+1 555 0199", "1 Court Street, Springfield");
        var invoice = new Invoice(new InvoiceId("INV-" + name), customer.Id, "1001", today.AddDays(-30), today, new Money(amount, "USD"), new Money(0m, "USD"));
        return CaseState.Open(invoice, customer, policy, JurisdictionCatalog.Default.For(customer.Jurisdiction), start);
    }
}

/// <summary>What a host did with a scenario: the final state and the effects it sent.</summary>
public sealed record ScenarioResult(CaseState Final, IReadOnlyList<string> Sent)
{
    /// <summary>The core's own interpreter (<see cref="CaseRun"/>: the step, effects as data, jump to the next wake-up), signals through <see cref="CaseDecider.Receive"/>.</summary>
    public static ScenarioResult OnCore(HostScenario scenario)
    {
        var run = new CaseRun(scenario.Initial, scenario.Initial.OpenedAt, "core://evidence");
        var sent = new SortedSet<string>(StringComparer.Ordinal);
        var pending = scenario.Signals.ToList();
        void Deliver(Func<ScenarioSignal, bool> which)
        {
            foreach (var signal in pending.Where(which).ToList())
            {
                pending.Remove(signal);
                run.Receive(signal.Make(run.Now));
            }
        }

        Deliver(s => s.Cue == Cue.Start);
        while (run.Decisions < 1_000)
        {
            var (step, _) = run.Step();
            switch (step.Next)
            {
                case Decision.Perform { Action: CaseAction.Contact contact }:
                    sent.Add(contact.Key);
                    Deliver(s => s.Cue == Cue.During && s.AfterKey == contact.Key);
                    break;
                case Decision.Perform { Action: CaseAction.FileEvidence }:
                    sent.Add("evidence");
                    break;
                case Decision.Wait { Until: { } until }:
                    run.AdvanceTo(until);
                    break;
                case Decision.Wait wait:
                    throw new InvalidOperationException($"{scenario.Name}: the case waits for a signal that never comes: {wait.Reason}");
                case Decision.Ended when pending.Any(s => s.Cue == Cue.AfterEnd):
                    Deliver(s => s.Cue == Cue.AfterEnd);
                    break;
                case Decision.Ended:
                    return new ScenarioResult(run.State, [.. sent]);
                default:
                    throw new InvalidOperationException("Unknown decision.");
            }
        }

        throw new InvalidOperationException($"{scenario.Name}: no end after 1,000 decisions.");
    }
}
