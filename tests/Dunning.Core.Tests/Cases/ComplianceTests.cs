using Dunning.Cases;
using Dunning.Common;
using Dunning.Customers;
using Dunning.Policies;
using static Dunning.Cases.CaseEvent;
using static Dunning.Tests.Cases.Given;

namespace Dunning.Tests.Cases;

/// <summary>The compliance guard: when, how often and whether a case may contact its customer at all.</summary>
public class ComplianceTests
{
    [Fact]
    public void Contact_window_is_in_the_customers_time_zone()
    {
        // Given a Los Angeles customer (UTC-8 in January)
        var run = Run.Start(Case(zone: "America/Los_Angeles")).Until(DueDay(6));

        // Then the case, opened at midnight UTC (16:00 on the due date in Los Angeles), still sends the courtesy nudge at once,
        // and the gentle reminder goes at 08:00 Los Angeles time on Monday 2026-01-19, which is 16:00 UTC
        Assert.Equal(
            [("courtesy", DueDay(1)), ("gentle", Day(new(2026, 1, 19), 16))],
            run.Contacts.Select(c => (c.StepId, c.At)));
    }

    [Fact]
    public void Contact_window_a_step_due_after_hours_waits_for_the_next_morning()
    {
        // Given the host wakes at 20:30 UTC on Tuesday with the gentle reminder due (skipping Monday's run)
        var state = Run.Start(Case()).Until(DueDay(4)).State; // courtesy skipped, gentle waiting for Monday 08:00
        var decision = CaseDecider.Decide(state, Day(new(2026, 1, 20), 20, 30));

        // Then it waits until 08:00 on Wednesday
        var wait = Assert.IsType<Decision.Wait>(decision);
        Assert.Equal(Day(new(2026, 1, 21), 8), wait.Until);
    }

    [Fact]
    public void Contact_window_no_contact_on_a_weekend()
    {
        // Given gentle falls on Sunday 2026-01-18
        var run = Run.Start(Case()).Until(DueDay(6));

        Assert.Equal(DayOfWeek.Monday, Assert.Single(run.Contacts).At.DayOfWeek);
    }

    [Fact]
    public void Contact_window_weekends_allowed_when_the_policy_says_so()
    {
        var policy = DefaultPolicy.Value with { Window = new ContactWindow(new TimeOnly(8, 0), new TimeOnly(20, 0), AllowWeekends: true) };

        var run = Run.Start(Case(policy: policy)).Until(DueDay(6));

        Assert.Equal(Day(new(2026, 1, 18), 8), Assert.Single(run.Contacts).At);
    }

    [Fact]
    public void Contact_window_a_weekend_is_the_customers_weekend_not_UTCs()
    {
        // Given a Tokyo customer (UTC+9) and Friday 2026-01-16 23:30 UTC, which is Saturday 08:30 in Tokyo
        var state = Case(zone: "Asia/Tokyo", policy: Ladder(new LadderStep("one", 0, Channel.Email, Tone.Firm, ContactRole.Billing, "firm")));

        var wait = Assert.IsType<Decision.Wait>(CaseDecider.Decide(state, Day(new(2026, 1, 16), 23, 30)));

        // Then it waits for Monday 08:00 in Tokyo, Sunday 23:00 UTC
        Assert.Equal(Day(new(2026, 1, 18), 23), wait.Until);
    }

    [Fact]
    public void Frequency_cap_allows_at_most_N_contacts_in_any_rolling_7_days()
    {
        // Given a ladder with a step every day and a cap of 2 contacts in 7 days
        var steps = Enumerable.Range(1, 6).Select(d => new LadderStep("d" + d, d, Channel.Email, Tone.Firm, ContactRole.Billing, "firm")).ToArray();
        var policy = Relaxed(Ladder(steps)) with { Cap = new FrequencyCap(2, 7) };

        var run = Run.Start(Case(policy: policy)).ToEnd();

        // Then day 1 and 2 go out; day 3 waits until day 1 drops out of the window, and so on
        Assert.Equal(
            [DueDay(1, 8), DueDay(2, 8), DueDay(8, 8), DueDay(9, 8), DueDay(15, 8), DueDay(16, 8)],
            run.Contacts.Select(c => c.At));
    }

    [Fact]
    public void Frequency_cap_counts_missed_installment_reminders_too()
    {
        var policy = DefaultPolicy.Value with { Cap = new FrequencyCap(1, 7) };
        var run = Run.Start(Case(policy: policy)).Until(DueDay(6)); // gentle on Monday 2026-01-19
        var plan = Plan((new(2026, 1, 16), 500m), (new(2026, 2, 16), 500m));

        // When a plan agreed on Monday has its first installment already missed (due Friday, grace 3 days)
        run.When(at => new PlanAgreed(at, plan)).Until(DueDay(20));

        // Then the reminder for it waits a week after the gentle reminder
        var reminder = Assert.Single(run.Contacts, c => c.Purpose == ContactPurpose.MissedInstallment);
        Assert.Equal(run.Contacts[0].At + TimeSpan.FromDays(7), reminder.At);
    }

    [Fact]
    public void Cease_stops_every_contact_at_once_and_goes_to_the_ending_decision()
    {
        var run = Run.Start(Case()).Until(DueDay(6)); // gentle sent

        run.When(at => new CeaseRequested(at)).ToEnd();

        Assert.Equal(["gentle"], run.LadderSteps);
        Assert.True(run.Outcome!.IsFlag);
        Assert.Equal(DueDay(6), run.Outcome.At);
    }

    [Fact]
    public void Cease_means_no_pre_action_letter_either_and_the_flag_says_so()
    {
        var run = Run.Start(Case(amount: 2_000m, currency: "GBP", zone: "Europe/London", jurisdiction: "GB-ENG", kind: CustomerKind.Consumer)).Until(DueDay(6));

        run.When(at => new CeaseRequested(at)).ToEnd();

        Assert.DoesNotContain(run.Contacts, c => c.Purpose == ContactPurpose.PreActionLetter);
        Assert.Equal(OutcomeKind.SmallClaims, run.Outcome!.Kind);
        Assert.Contains(run.Outcome.Recommendation!.Reasons, r => r.Contains("could not send it", StringComparison.Ordinal));
    }

    [Fact]
    public void Channel_opt_out_skips_that_channel_and_keeps_the_others()
    {
        var run = Run.Start(Case()).When(at => new CeaseRequested(at, Channel.Email)).ToEnd();

        Assert.Equal(["letter", "call"], run.LadderSteps);
        Assert.DoesNotContain(run.Contacts, c => c.Channel == Channel.Email);
        Assert.Contains(run.State.History, e => e is StepSkipped { StepId: "final" } s && s.Reason.Contains("email", StringComparison.Ordinal));
    }

    [Fact]
    public void Channel_opt_out_recorded_on_the_customer_is_honoured_by_the_case()
    {
        var run = Run.Start(Case(optedOut: ValueList.Of(Channel.Call, Channel.Letter))).ToEnd();

        Assert.Equal(["gentle", "firm", "final"], run.LadderSteps);
    }

    [Fact]
    public void Channel_opt_out_of_every_channel_is_the_same_as_cease()
    {
        var run = Run.Start(Case(optedOut: ValueList.Of(Channel.Call, Channel.Letter, Channel.Email))).ToEnd();

        Assert.Empty(run.Contacts);
        Assert.True(run.Outcome!.IsFlag);
    }

    [Fact]
    public void Dispute_open_means_no_contact_until_it_is_resolved()
    {
        var run = Run.Start(Case()).Until(DueDay(6)).When(at => new DisputeOpened(at, "wrong quantity"));

        // The case waits for a signal only, however long
        var wait = Assert.IsType<Decision.Wait>(run.Next);
        Assert.Null(wait.Until);
        run.Until(DueDay(400));
        Assert.Equal(["gentle"], run.LadderSteps);
    }

    [Fact]
    public void Agency_hand_off_no_contact_after_the_case_is_flagged()
    {
        var run = Run.Start(Case()).ToEnd();
        var contacts = run.Contacts.Count;

        // When time goes on and a part payment arrives after the flag
        run.Until(run.Now + TimeSpan.FromDays(365))
            .When(at => new PaymentReceived(at, Usd(100m), "late-1", "stripe"))
            .Until(run.Now + TimeSpan.FromDays(365));

        // Then the case stays ended and says nothing more
        Assert.Equal(contacts, run.Contacts.Count);
        Assert.IsType<Decision.Ended>(run.Next);
        Assert.Equal(OutcomeKind.SmallClaims, run.Outcome!.Kind);
    }
}
