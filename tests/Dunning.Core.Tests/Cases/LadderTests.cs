using Dunning.Cases;
using Dunning.Customers;
using Dunning.Policies;
using static Dunning.Tests.Cases.Given;

namespace Dunning.Tests.Cases;

/// <summary>Lifecycle 3: the escalation ladder, its order, its catch-up and who each step addresses.</summary>
public class LadderTests
{
    private static readonly string[] Escalation = ["gentle", "firm", "letter", "call", "final"];

    [Fact]
    public void Ladder_steps_run_in_order_on_their_days_at_the_start_of_the_contact_window()
    {
        // Given a case opened ten days before the due date (Thursday 2026-01-15), in UTC
        var run = Run.Start(Case(openedAt: DueDay(-10)));

        // When it runs to its end
        run.ToEnd();

        // Then every step went out once, in ladder order, at 08:00 on its day (gentle's Sunday moves to Monday)
        Assert.Equal(
            [("courtesy", Day(new(2026, 1, 12), 8)), ("gentle", Day(new(2026, 1, 19), 8)), ("firm", Day(new(2026, 1, 29), 8)),
             ("letter", Day(new(2026, 2, 5), 8)), ("call", Day(new(2026, 2, 12), 8)), ("final", Day(new(2026, 2, 19), 8))],
            run.Ladder.Select(c => (c.StepId, c.At)));
    }

    [Fact]
    public void Ladder_step_uses_its_channel_tone_template_and_the_contact_for_its_role()
    {
        var run = Run.Start(Case(openedAt: DueDay(-10))).ToEnd();

        Assert.Equal(
            [(Channel.Email, Tone.Friendly, "courtesy", Billing), (Channel.Email, Tone.Friendly, "gentle", Billing), (Channel.Email, Tone.Firm, "firm", Billing),
             (Channel.Letter, Tone.Firm, "invoice-copy", Address), (Channel.Call, Tone.Firm, "call", Phone), (Channel.Email, Tone.Final, "final-notice", Owner)],
            run.Ladder.Select(c => (c.Channel, c.Tone, c.Template, c.Recipient)));
    }

    [Fact]
    public void Ladder_action_key_is_unique_within_the_case_so_a_retried_action_happens_once()
    {
        var run = Run.Start(Case(openedAt: DueDay(-10))).ToEnd();

        Assert.Equal(run.Contacts.Count, run.Contacts.Select(c => c.Key).Distinct().Count());
    }

    [Fact]
    public void Ladder_catch_up_performs_each_due_step_once_in_order_when_the_case_starts_late()
    {
        // Given a case that starts 30 days after the due date: gentle, firm, letter and call are all due
        var run = Run.Start(Case(openedAt: DueDay(30)));

        run.ToEnd();

        // Then each is performed once, in order, never twice, and the courtesy nudge is skipped
        Assert.Equal(Escalation, run.LadderSteps);
        Assert.Contains(run.State.History, e => e is CaseEvent.StepSkipped { StepId: "courtesy" });
    }

    [Fact]
    public void Ladder_catch_up_still_respects_the_frequency_cap()
    {
        // Given a late start (Saturday 2026-02-14) with four steps due at once and a cap of 2 contacts in 7 days
        var run = Run.Start(Case(openedAt: DueDay(30))).ToEnd();

        // Then two go out on Monday, the next two a week later, the final notice a week after that
        Assert.Equal(
            [Day(new(2026, 2, 16), 8), Day(new(2026, 2, 16), 8), Day(new(2026, 2, 23), 8), Day(new(2026, 2, 23), 8), Day(new(2026, 3, 2), 8)],
            run.Ladder.Select(c => c.At));
    }

    [Fact]
    public void Ladder_step_is_performed_once_even_when_the_host_was_down_for_weeks()
    {
        // Given a case that sent the gentle reminder
        var run = Run.Start(Case()).Until(DueDay(5));
        Assert.Equal(["gentle"], run.LadderSteps);

        // When the host is down for six weeks and the case is driven again (with the same state: a replay)
        var resumed = Run.Start(run.State, DueDay(47)).ToEnd();

        // Then the remaining steps go out once each, in order, and gentle is not repeated
        Assert.Equal(["firm", "letter", "call", "final"], resumed.LadderSteps);
        Assert.Single(resumed.State.Contacts, c => c.StepId == "gentle");
    }

    [Fact]
    public void Ladder_step_decided_twice_at_the_same_instant_is_the_same_action()
    {
        // A host that crashes between deciding and recording retries with the same key, so the effect is idempotent.
        var state = Case(policy: Ladder(DefaultPolicy.Value.Ladder[1]));
        var at = DueDay(4, hour: 9);

        var first = Assert.IsType<Decision.Perform>(CaseDecider.Decide(state, at));
        Assert.Equal(first, CaseDecider.Decide(state, at));
        Assert.Equal("step-gentle", first.Action.Key);
    }

    [Fact]
    public void Ladder_ContactMade_recorded_twice_marks_the_step_done_once()
    {
        var state = Case(policy: Ladder(DefaultPolicy.Value.Ladder[1]));
        var contact = (CaseAction.Contact)((Decision.Perform)CaseDecider.Decide(state, DueDay(4, hour: 9))).Action;

        var twice = CaseDecider.Evolve(CaseDecider.Evolve(state, contact.Done(DueDay(4, hour: 9))), contact.Done(DueDay(4, hour: 9)));

        Assert.Equal(["gentle"], twice.DoneSteps.Where(s => s == "gentle"));
    }

    [Fact]
    public void Courtesy_nudge_goes_out_before_the_due_date_when_the_case_opens_in_time()
    {
        var run = Run.Start(Case(openedAt: DueDay(-10))).Until(DueDay(0));

        var courtesy = Assert.Single(run.Contacts);
        Assert.Equal(("courtesy", Day(new(2026, 1, 12), 8)), (courtesy.StepId, courtesy.At));
    }

    [Fact]
    public void Courtesy_nudge_is_skipped_when_the_invoice_is_already_overdue()
    {
        // Given a case opened the day after the due date
        var run = Run.Start(Case(openedAt: DueDay(1))).Until(DueDay(10));

        // Then no courtesy reminder: the first contact is the gentle reminder
        Assert.DoesNotContain("courtesy", run.LadderSteps);
        Assert.Equal("gentle", run.LadderSteps.First());
        var skipped = Assert.Single(run.State.History.OfType<CaseEvent.StepSkipped>());
        Assert.Contains("already overdue", skipped.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Courtesy_nudge_is_skipped_when_the_window_only_opens_after_the_due_date()
    {
        // Given the case opens at 21:00 on the due date, after the contact window: the nudge could only go tomorrow
        var run = Run.Start(Case(openedAt: DueDay(0, hour: 21))).Until(DueDay(10));

        Assert.DoesNotContain("courtesy", run.LadderSteps);
    }

    [Fact]
    public void Courtesy_nudge_uses_the_customers_local_date_to_decide_it_is_overdue()
    {
        // Given a Tokyo customer: 2026-01-15 16:00 UTC is already 2026-01-16 01:00 in Tokyo, the day after the due date
        var run = Run.Start(Case(zone: "Asia/Tokyo", openedAt: DueDay(0, hour: 16))).Until(DueDay(10));

        Assert.DoesNotContain("courtesy", run.LadderSteps);
    }

    [Fact]
    public void Contact_role_escalates_billing_then_manager_then_owner()
    {
        var policy = Ladder(
            new LadderStep("one", 1, Channel.Email, Tone.Friendly, ContactRole.Billing, "gentle"),
            new LadderStep("two", 8, Channel.Email, Tone.Firm, ContactRole.Manager, "firm"),
            new LadderStep("three", 15, Channel.Email, Tone.Final, ContactRole.Owner, "final-notice", DeadlineDays: 7));

        var run = Run.Start(Case(policy: policy)).ToEnd();

        Assert.Equal([Billing, Manager, Owner], run.Ladder.Select(c => c.Recipient));
        Assert.Equal(Given.AllRoles, run.Ladder.Select(c => c.Role));
    }

    [Theory]
    [InlineData("billing", "billing", Billing)]
    [InlineData("billing", "manager", Manager)]
    [InlineData("billing", "owner", Owner)]
    [InlineData("manager", "owner", Owner)]
    [InlineData("manager", "billing", Billing)]
    [InlineData("owner", "billing,manager", Manager)]
    [InlineData("owner", "billing", Billing)]
    [InlineData("billing", "owner,manager", Manager)]
    public void Contact_role_falls_back_to_the_next_role_up_then_down(string stepRole, string customerRoles, string expected)
    {
        var role = Enum.Parse<ContactRole>(stepRole, ignoreCase: true);
        var roles = customerRoles.Split(',').Select(r => Enum.Parse<ContactRole>(r, ignoreCase: true)).ToArray();
        var policy = Ladder(new LadderStep("only", 1, Channel.Email, Tone.Firm, role, "firm", DeadlineDays: 7));

        var run = Run.Start(Case(policy: policy, roles: roles)).Until(DueDay(3));

        Assert.Equal(expected, Assert.Single(run.Contacts).Recipient);
    }

    [Fact]
    public void Contact_role_with_no_email_contact_at_all_skips_email_steps_but_still_posts_and_calls()
    {
        var run = Run.Start(Case(roles: [])).ToEnd();

        Assert.Equal(["letter", "call"], run.LadderSteps);
        Assert.Equal(
            ["courtesy", "gentle", "firm", "final"],
            run.State.History.OfType<CaseEvent.StepSkipped>().Select(s => s.StepId));
    }

    [Fact]
    public void Contact_role_a_letter_is_addressed_to_the_role_by_name_at_the_customers_address()
    {
        var state = Case(policy: Ladder(new LadderStep("post", 1, Channel.Letter, Tone.Firm, ContactRole.Manager, "invoice-copy")));

        var perform = Assert.IsType<Decision.Perform>(CaseDecider.Decide(state, DueDay(1, hour: 9)));

        var contact = Assert.IsType<CaseAction.Contact>(perform.Action);
        Assert.Equal(new Recipient("Manager Person", Address), contact.Recipient);
    }

    [Fact]
    public void Ladder_with_no_steps_goes_straight_to_the_ending_decision()
    {
        var run = Run.Start(Case(policy: Ladder())).ToEnd();

        Assert.Empty(run.Contacts);
        Assert.Equal(OutcomeKind.SmallClaims, run.Outcome!.Kind);
        Assert.Equal(run.State.OpenedAt, run.Outcome.At);
    }
}
