using Dunning.Cases;
using Dunning.Common;
using static Dunning.Cases.CaseEvent;

namespace Dunning.Tests.Properties;

/// <summary>
/// Invariants of the decider over <see cref="RandomCases.Count"/> random cases each. Each property runs the
/// same seeds (so the cases are generated once and shared); a failure names the seed and how to replay it.
/// </summary>
public class DeciderProperties
{
    private const int BaseSeed = 20_260_115;

    private static readonly Lazy<List<RandomCase>> Cases = new(() => [.. RandomCases.Seeds(BaseSeed).Select(Generate)]);

    private static RandomCase Generate(int seed)
    {
        try
        {
            return RandomCases.Generate(seed);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or OverflowException)
        {
            throw new InvalidOperationException($"seed {seed} (rerun with DUNNING_PROPERTY_SEED={seed}): the case did not run to its end: {e.Message}", e);
        }
    }

    [Fact]
    public void Every_case_ends_within_a_bounded_number_of_decisions()
    {
        // Generate drives every case to Decision.Ended and throws after Run.MaxDecisions
        foreach (var c in Cases.Value)
        {
            Assert.True(c.Run.Outcome is not null, c.Describe());
            Assert.True(c.Run.Decisions.Count < 400, $"{c.Run.Decisions.Count} decisions; {c.Describe()}");
        }
    }

    [Fact]
    public void No_contact_outside_the_customers_contact_window_or_on_a_weekend_unless_allowed()
    {
        foreach (var c in Cases.Value)
        {
            foreach (var contact in c.Run.Contacts)
            {
                Assert.True(Compliance.InWindow(c.Initial, contact.At), $"{contact.StepId} at {contact.At:O} is outside the window; {c.Describe()}");

                // Checked apart from Compliance too: local time and day
                var local = TimeZoneInfo.ConvertTime(contact.At, c.Initial.Customer.Zone);
                var window = c.Initial.Policy.Window;
                var time = TimeOnly.FromDateTime(local.DateTime);
                Assert.True(time >= window.Start && time < window.End, $"{contact.StepId} at local {local:O}; {c.Describe()}");
                Assert.True(window.AllowWeekends || local.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday), $"{contact.StepId} on a {local.DayOfWeek}; {c.Describe()}");
            }
        }
    }

    [Fact]
    public void No_more_contacts_than_the_cap_in_any_rolling_period_counting_the_customers_other_cases()
    {
        foreach (var c in Cases.Value)
        {
            var cap = c.Initial.Policy.Cap;
            var siblings = c.Run.State.History.OfType<CaseEvent.CustomerContacted>().Select(s => s.At).ToList();
            foreach (var contact in c.Run.Contacts)
            {
                var inPeriod = c.Run.Contacts.Select(o => o.At).Concat(siblings.Where(s => s <= contact.At))
                    .Count(t => t > contact.At - TimeSpan.FromDays(cap.Days) && t <= contact.At);
                Assert.True(inPeriod <= cap.MaxContacts, $"{inPeriod} contacts in the {cap.Days} days to {contact.At:O}; {c.Describe()}");
            }
        }
    }

    [Fact]
    public void Never_a_contact_after_payment_in_full_cease_a_flag_or_while_a_dispute_or_pause_is_open()
    {
        foreach (var c in Cases.Value)
        {
            // Replay the case's history from its opening state and look at the state just before each contact
            var state = c.Initial;
            foreach (var e in c.Run.State.History)
            {
                if (e is ContactMade made)
                {
                    var why = $"{made.StepId} at {made.At:O}; {c.Describe()}";
                    Assert.True(state.PrincipalBalance.IsPositive, "contact with nothing owed: " + why);
                    Assert.True(state.Outcome is null, $"contact after the case ended as {state.Outcome?.Kind}: " + why);
                    Assert.False(state.Ceased, "contact after cease: " + why);
                    Assert.True(state.IsChannelOpen(made.Channel), $"contact by opted-out {made.Channel}: " + why);
                    Assert.True(state.Dispute is null, "contact while a dispute is open: " + why);
                    Assert.True(state.Pause is null, "contact while paused: " + why);
                    Assert.True(made.Purpose != ContactPurpose.Ladder || state.Plan is null, "ladder contact during a plan: " + why);
                }

                state = CaseDecider.Evolve(state, e);
            }

            // Evolve is deterministic: the replay arrives at the same state
            Assert.True(state == c.Run.State, "replaying the history gave another state; " + c.Describe());
        }
    }

    [Fact]
    public void Each_ladder_step_is_performed_at_most_once()
    {
        foreach (var c in Cases.Value)
        {
            var steps = c.Run.State.Contacts.Where(m => m.Purpose == ContactPurpose.Ladder).Select(m => m.StepId).ToList();
            Assert.True(steps.Count == steps.Distinct().Count(), $"steps [{string.Join(", ", steps)}]; {c.Describe()}");
            var keys = c.Run.Contacts.Select(m => m.Key).ToList();
            Assert.True(keys.Count == keys.Distinct().Count() || c.Run.State.History.Count(e => e is PlanAgreed) > 0, $"keys [{string.Join(", ", keys)}]; {c.Describe()}");

            // and in ladder order
            var order = c.Initial.Policy.Ladder.Select(s => s.Id).ToList();
            var positions = steps.Select(id => order.IndexOf(id)).ToList();
            Assert.True(positions.SequenceEqual(positions.Order()), $"steps out of order [{string.Join(", ", steps)}]; {c.Describe()}");
        }
    }

    [Fact]
    public void Balance_conserves_money()
    {
        foreach (var c in Cases.Value)
        {
            var s = c.Run.State;
            var charges = s.History.OfType<ChargeApplied>().Aggregate(Money.Zero(s.Currency), (sum, e) => sum + e.Charge.Amount);

            // The ledger kept apart from the case: every accepted payment once, less refunds, and every credit
            Assert.True(c.ExpectedPaid == s.TotalPaid, $"paid {s.TotalPaid}, expected {c.ExpectedPaid}; {c.Describe()}");
            Assert.True(c.ExpectedCredited == s.Credited, $"credited {s.Credited}, expected {c.ExpectedCredited}; {c.Describe()}");
            Assert.True(s.Balance == s.Invoice.Amount + charges - c.ExpectedCredited - c.ExpectedPaid, $"balance {s.Balance}; {c.Describe()}");
            Assert.True(s.ChargesTotal == charges, $"charges {s.ChargesTotal} vs lines {charges}; {c.Describe()}");
        }
    }

    [Fact]
    public void Decide_is_deterministic_and_survives_a_round_trip_through_storage()
    {
        foreach (var c in Cases.Value)
        {
            foreach (var (at, state, decision) in c.Run.Decisions.Where((_, i) => i % 3 == 0))
            {
                Assert.True(CaseDecider.Decide(state, at) == decision, $"a second Decide at {at:O} differs from {decision}; {c.Describe()}");
            }

            // What a host stores and loads decides the same
            var (lastAt, last, lastDecision) = c.Run.Decisions[c.Run.Decisions.Count / 2];
            var loaded = DunningJson.Deserialize<CaseState>(DunningJson.Serialize(last));
            Assert.True(loaded == last, "the state changed through JSON; " + c.Describe());
            Assert.True(CaseDecider.Decide(loaded, lastAt) == lastDecision, "a stored and loaded state decides differently; " + c.Describe());
        }
    }

    [Fact]
    public void A_case_paid_in_full_ends_as_paid_or_settled_unless_it_ended_before()
    {
        foreach (var c in Cases.Value)
        {
            var s = c.Run.State;
            if (!s.PrincipalBalance.IsPositive && s.History.OfType<PaymentReceived>().Any() && !s.History.Any(e => e is CreditIssued or DisputeResolved or InvoiceVoided or CaseClosed { Outcome: OutcomeKind.WrittenOff }))
            {
                Assert.True(s.Outcome!.Kind is OutcomeKind.Paid or OutcomeKind.Settled, $"ended as {s.Outcome.Kind}; {c.Describe()}");
            }
        }
    }
}
