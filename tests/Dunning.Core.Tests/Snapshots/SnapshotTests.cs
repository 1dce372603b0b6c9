using System.Reflection;
using System.Text.Json.Serialization;
using Dunning.Cases;
using Dunning.Charges;
using Dunning.Common;
using Dunning.Customers;
using Dunning.Jurisdictions;
using Dunning.Policies;
using Dunning.Tests.Cases;
using static Dunning.Cases.CaseEvent;
using static Dunning.Tests.Cases.Given;

namespace Dunning.Tests.Snapshots;

/// <summary>
/// The JSON of every type a host stores or sends between activities: a rename or a changed discriminator
/// breaks cases in flight. Facts are given here rather than read from jurisdictions.json, and the customer
/// is in UTC, so the files change only when the shape does.
/// </summary>
public class SnapshotTests
{
    private static readonly Provenance Source = new("https://courts.example/small-claims", new DateOnly(2026, 1, 1), Confidence.Verified, "test data");

    private static readonly JurisdictionFacts Facts = new(
        "US-CA",
        "California",
        new SmallClaimsRule("Small Claims Court", 12_500m, 6_250m, "USD", ValueList.Of(new FeeBand(1_500m, 30m), new FeeBand(null, 75m)), Source, Notes: "test notes"),
        new LimitationRule(4, 4, Source),
        null,
        new PreActionRule("Letter before claim", AppliesToConsumers: true, AppliesToBusinesses: true, ResponseDays: 14, Source));

    private static readonly DateTimeOffset At = new(2026, 2, 3, 9, 30, 0, TimeSpan.Zero);

    /// <summary>A case with a rich history: contacts, a skipped step, a charge, payments (one twice), a plan that broke, a dispute, an opt-out, a pause, a credit, a letter before claim and a flag.</summary>
    private static Run Rich()
    {
        var policy = DefaultPolicy.Value with { LateCharges = new LateChargeRules(ContractualFee: 40m, ApplyAtStep: "final") };
        return Run.Start(Case(amount: 2_000m, policy: policy, facts: Facts))
            .Until(DueDay(6))
            .When(at => new PaymentReceived(at, Usd(200m), "pi_1", "stripe"))
            .When(at => new PaymentReceived(at, Usd(200m), "pi_1", "stripe"))
            .When(at => new PlanAgreed(at, Plan((new(2026, 2, 2), 900m), (new(2026, 3, 2), 900m))))
            .Until(DueDay(60))
            .When(at => new DisputeOpened(at, "one item was damaged"))
            .Until(DueDay(70))
            .When(at => new DisputeResolved(at, DisputeOutcome.Upheld, Usd(100m), "credit for the damaged item"))
            .When(at => new CeaseRequested(at, Channel.Call, "asked by phone"))
            .When(at => new Paused(at, "owner on holiday", at.AddDays(5)))
            .Until(DueDay(80))
            .When(at => new CreditIssued(at, Usd(50m), "CN-7"))
            .ToEnd()
            .When(at => new PaymentReceived(at.AddDays(3), Usd(300m), "manual-1", "manual"))
            .When(at => new PaymentRefunded(at.AddDays(4), Usd(300m), "manual-1"));
    }

    [Fact]
    public void CaseState_with_a_rich_history()
    {
        var state = Rich().State;

        // The history really is rich, so the snapshot pins the shape of everything a case stores
        var kinds = state.History.Select(e => e.GetType()).ToHashSet();
        Assert.Superset(
            new HashSet<Type>
            {
                typeof(ContactMade), typeof(StepSkipped), typeof(ChargeApplied), typeof(PaymentReceived), typeof(PaymentRefunded), typeof(PlanAgreed),
                typeof(InstallmentMissed), typeof(PlanBroken), typeof(DisputeOpened), typeof(DisputeResolved), typeof(CeaseRequested), typeof(Paused),
                typeof(Resumed), typeof(CreditIssued), typeof(CaseFlagged),
            },
            kinds);
        Assert.NotNull(state.PreActionLetterAt);
        Snapshot.Matches("CaseState.rich", state);
    }

    /// <summary>
    /// Cases stored before refunds were kept apart (<see cref="CaseState.Refunded"/>) hold them only in PaidHere:
    /// they still load, and owe what they owed.
    /// </summary>
    [Fact]
    public void CaseState_stored_before_refunds_were_kept_apart_still_reads_with_the_same_balance()
    {
        var current = Rich().State;
        var path = Path.Combine(AppContext.BaseDirectory, "Snapshots", "CaseState.rich.v1-refunds-in-paid-here.json");

        var stored = DunningJson.Deserialize<CaseState>(File.ReadAllText(path));

        Assert.Equal(Money.Zero("USD"), stored.Refunded);
        Assert.Equal(current.Balance, stored.Balance);
        Assert.Equal(current.TotalPaid, stored.TotalPaid);
        Assert.Equal(current.Outcome, stored.Outcome);
        Assert.Equal(current.History, stored.History);
    }

    /// <summary>Payments and refunds stored before keys existed load, and are identified as they were: by source and reference.</summary>
    [Fact]
    public void Payment_events_stored_before_keys_existed_still_read()
    {
        static CaseEvent Read(string name) =>
            DunningJson.Deserialize<CaseEvent>(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Snapshots", name)));

        var received = Assert.IsType<PaymentReceived>(Read("CaseEvent.payment-received.v1-no-key.json"));
        var refunded = Assert.IsType<PaymentRefunded>(Read("CaseEvent.payment-refunded.v1-no-key.json"));

        Assert.Equal("stripe/pi_123", received.Identity);
        Assert.Equal("pi_123", refunded.Identity);
        Assert.Null(refunded.RefundedToDate);
    }

    [Fact]
    public void CaseState_stored_before_the_customer_ledger_still_loads_with_its_defaults()
    {
        // Written before policies had consolidate / holdCustomerOnDispute and cases had contactHeldUntil.
        var json = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Snapshots", "CaseState.rich.before-customer-ledger.json"));

        var old = DunningJson.Deserialize<CaseState>(json);

        Assert.True(old.Policy.Consolidate);
        Assert.False(old.Policy.HoldCustomerOnDispute);
        Assert.Null(old.ContactHeldUntil);

        // What was stored reads back as it was; totals the rules derive (refund bounds, the profile's defaults) may have
        // moved on since, so the comparison is of what the case recorded, not of today's fold of it.
        var rich = Rich().State;
        Assert.Equal(rich.Invoice, old.Invoice);
        Assert.Equal(rich.Customer, old.Customer);
        Assert.Equal(rich.History, old.History);
        Assert.Equal(rich.DoneSteps, old.DoneSteps);
        Assert.Equal(rich.Outcome, old.Outcome);
    }

    [Fact]
    public void CustomerContacts_the_ledger_row_both_hosts_store()
    {
        var record = new CustomerContacts(new CustomerId("C-1"))
        {
            Contacts = ValueList.Of(new LedgerContact("INV-1/step-gentle", At, Channel.Email, ValueList.Of(
                new CarriedStep(new InvoiceId("INV-1"), "step-gentle"), new CarriedStep(new InvoiceId("INV-2"), "step-firm")))),
            OptedOut = ValueList.Of(Channel.Call),
            RequestedAt = At,
            RequestNote = "asked by phone",
        };

        Snapshot.Matches("CustomerContacts", record);
    }

    [Fact]
    public void SignalNote_a_refusal_the_Azure_host_stores_beside_the_case()
    {
        var signal = new Resumed(At);
        var note = SignalNote.Of(SignalNote.IdOf(signal, At.AddMinutes(1)), signal, At.AddMinutes(1), CaseDecider.Receive(Case(facts: Facts), signal));

        Snapshot.Matches("SignalNote.refused", note);
    }

    [Fact]
    public void CaseState_mid_plan_with_pause_and_misses()
    {
        var run = Run.Start(Case(facts: Facts)).Until(DueDay(6))
            .When(at => new PlanAgreed(at, Plan((new(2026, 2, 2), 500m), (new(2026, 3, 2), 500m))))
            .Until(DueDay(25))
            .When(at => new Paused(at, "checking a remittance"));

        Assert.NotNull(run.State.Plan);
        Assert.Single(run.State.Plan!.Missed);
        Snapshot.Matches("CaseState.plan", run.State);
    }

    public static TheoryData<string> EventNames => [.. Events().Select(e => e.Name)];

    [Theory]
    [MemberData(nameof(EventNames))]
    public void CaseEvent_subtype(string name) =>
        Snapshot.Matches("CaseEvent." + name, Events().Single(e => e.Name == name).Event);

    [Fact]
    public void CaseEvent_every_subtype_has_a_snapshot()
    {
        Assert.Equal(Discriminators(typeof(CaseEvent)).Order(), Events().Select(e => e.Name).Order());
    }

    public static TheoryData<string> DecisionNames => [.. Decisions().Select(e => e.Name)];

    [Theory]
    [MemberData(nameof(DecisionNames))]
    public void Decision_subtype(string name) =>
        Snapshot.Matches("Decision." + name, Decisions().Single(e => e.Name == name).Decision);

    [Fact]
    public void Decision_and_CaseAction_every_subtype_has_a_snapshot()
    {
        var decisions = Decisions().Select(d => d.Decision).ToList();
        Assert.Equal(Discriminators(typeof(Decision)).Order(), decisions.Select(Discriminator).Distinct().Order());
        Assert.Equal(
            Discriminators(typeof(CaseAction)).Order(),
            decisions.OfType<Decision.Perform>().Select(p => Discriminator(p.Action)).Distinct().Order());
    }

    [Fact]
    public void CaseAction_alone()
    {
        // Hosts store a pending action by itself (the local runner's outbox), not only inside a decision
        foreach (var perform in Decisions().Select(d => d.Decision).OfType<Decision.Perform>())
        {
            Snapshot.Matches("CaseAction." + Discriminator(perform.Action), perform.Action);
        }
    }

    [Fact]
    public void Outcome_with_recommendation()
    {
        var outcome = Rich().Outcome!;
        Assert.NotNull(outcome.Recommendation);

        Snapshot.Matches("Outcome.flagged", outcome);
        Snapshot.Matches("Recommendation", outcome.Recommendation);
    }

    [Fact]
    public void Outcome_paid_after_a_flag()
    {
        var run = Run.Start(Case(facts: Facts)).ToEnd().When(at => new PaymentReceived(at, Usd(1_000m), "late", "stripe"));

        Assert.Equal(OutcomeKind.SmallClaims, run.Outcome!.PreviouslyFlaggedAs);
        Snapshot.Matches("Outcome.paid-after-flag", run.Outcome);
    }

    [Fact]
    public void CaseRecord_and_CaseStatus()
    {
        var run = Run.Start(Case(facts: Facts)).Until(DueDay(20));
        var record = new CaseRecord(run.State, CaseStatus.Of(run.State, run.Next, run.Now));

        Snapshot.Matches("CaseStatus", record.Status);
        Snapshot.Matches("CaseRecord", record);
    }

    private static IEnumerable<(string Name, CaseEvent Event)> Events()
    {
        var invoice = Case().Invoice;
        var recommendation = new Recommendation(OutcomeKind.CollectionAgency, Usd(9_000m), ValueList.Of("above the limit"), "Small Claims Court", Usd(75m), Usd(2_250m), new DateOnly(2030, 1, 15));
        CaseEvent[] events =
        [
            new ContactMade(At, "step-gentle", ContactPurpose.Ladder, "gentle", Channel.Email, ContactRole.Billing, Billing, "gentle", "Invoice 1001 is overdue"),
            new StepSkipped(At, "courtesy", "the invoice is already overdue"),
            new ChargeApplied(At, new ChargeLine(ChargeKind.ContractualInterest, Usd(12.34m), "interest at 8%", new DateOnly(2026, 1, 16), new DateOnly(2026, 2, 15), 8m)),
            new PaymentReceived(At, Usd(250.5m), "pi_123", "stripe", "stripe/pi_123"),
            new PaymentRefunded(At, Usd(250.5m), "ch_123", "stripe/ch_123", Usd(250.5m)),
            new PlanAgreed(At, Plan((new(2026, 2, 2), 500m), (new(2026, 3, 2), 500m))),
            new InstallmentMissed(At, 2),
            new PlanBroken(At, "2 installments were missed"),
            new DisputeOpened(At, "wrong quantity"),
            new DisputeResolved(At, DisputeOutcome.Upheld, Usd(100m), "credit for 2 units"),
            new CeaseRequested(At, Channel.Letter, "moved abroad"),
            new Paused(At, "customer in hospital", At.AddDays(14)),
            new Resumed(At),
            new InvoiceVoided(At, "issued twice"),
            new CreditIssued(At, Usd(75m), "CN-1"),
            new InvoiceUpdated(At, invoice with { AmountPaid = Usd(100m) }),
            new CaseFlagged(At, recommendation, "evidence/INV-1"),
            new CaseClosed(At, OutcomeKind.Paid, "Paid in full (1,000.00 USD)."),
            new CustomerContacted(At, "INV-2/step-gentle", Channel.Email),
            new ContactDeferred(At, "step-gentle", At.AddDays(5), "the customer had 2 contacts in 7 days (all invoices)"),
            new ContactCovered(At, "step-firm", ContactPurpose.Ladder, "firm", Channel.Email, ContactRole.Billing, "ap@acme.example", "firm", "INV-2/step-firm", At.AddDays(-1)),
            new ContactBounced(At, "step-gentle", Billing, "550 5.1.1 <billing@acme.example>: no such user"),
            new CallLogged(At, "INV-1/step-call", CallOutcome.NoAnswer, "left a voicemail"),
        ];
        return events.Select(e => (Discriminator(e), e));
    }

    private static IEnumerable<(string Name, Decision Decision)> Decisions()
    {
        var state = Case(facts: Facts);
        var contact = CaseDecider.Decide(state, DueDay(4, hour: 9)); // the courtesy step is skipped first
        var skipped = CaseDecider.Evolve(state, ((Decision.Apply)contact).Event);
        var flagged = Run.Start(Case(amount: 9_000m, facts: Facts)).Until(new DateTimeOffset(2026, 3, 5, 7, 59, 0, TimeSpan.Zero));
        (string, Decision)[] decisions =
        [
            ("apply", contact),
            ("perform-contact", CaseDecider.Decide(skipped, DueDay(4, hour: 9))),
            ("perform-file-evidence", CaseDecider.Decide(flagged.State, new DateTimeOffset(2026, 3, 5, 8, 0, 0, TimeSpan.Zero))),
            ("wait-until", CaseDecider.Decide(skipped, DueDay(1, hour: 9))),
            ("wait-for-signal", new Decision.Wait(null, "dispute open since 2026-01-20 00:00 UTC: wrong quantity")),
            ("ended", new Decision.Ended(new Outcome(OutcomeKind.Voided, At, "issued twice"))),
        ];
        Assert.IsType<Decision.Perform>(decisions[1].Item2);
        Assert.IsType<Decision.Perform>(decisions[2].Item2);
        return decisions;
    }

    private static IEnumerable<string> Discriminators(Type union) =>
        union.GetCustomAttributes<JsonDerivedTypeAttribute>().Select(a => (string)a.TypeDiscriminator!);

    private static string Discriminator(object value) =>
        value.GetType().BaseType!.GetCustomAttributes<JsonDerivedTypeAttribute>().Single(a => a.DerivedType == value.GetType()).TypeDiscriminator as string
        ?? throw new InvalidOperationException("No discriminator for " + value.GetType());
}
