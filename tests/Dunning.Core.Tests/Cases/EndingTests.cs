using Dunning.Cases;
using Dunning.Customers;
using Dunning.Policies;
using static Dunning.Tests.Cases.Given;

namespace Dunning.Tests.Cases;

/// <summary>Lifecycle 8: the ending decision once the ladder is exhausted and the final deadline passed.</summary>
public class EndingTests
{
    /// <summary>The final notice goes on 2026-02-19 08:00 with a 14-day deadline.</summary>
    private static readonly DateTimeOffset FinalDeadline = Day(new(2026, 3, 5), 8);

    [Fact]
    public void Ending_waits_for_the_final_notice_deadline()
    {
        var run = Run.Start(Case()).Until(FinalDeadline - TimeSpan.FromMinutes(1));

        Assert.Null(run.Outcome);
        Assert.Equal(FinalDeadline, Assert.IsType<Decision.Wait>(run.Next).Until);
    }

    [Fact]
    public void Ending_small_claims_when_within_the_limit_and_court_nets_more_than_an_agency()
    {
        var run = Run.Start(Case(amount: 1_000m)).ToEnd();

        Assert.Equal((OutcomeKind.SmallClaims, FinalDeadline), (run.Outcome!.Kind, run.Outcome.At));
        var flagged = Assert.Single(run.State.History.OfType<CaseEvent.CaseFlagged>());
        Assert.Equal("evidence/INV-1", flagged.EvidenceLocation);
        Assert.Equal("Small Claims Court", run.Outcome.Recommendation!.Court);
        Assert.Contains(Recommendation.JudgmentCaveat, run.Outcome.Recommendation.Reasons);
    }

    [Fact]
    public void Ending_collection_agency_when_above_the_small_claims_limit()
    {
        var run = Run.Start(Case(amount: 9_000m)).ToEnd();

        Assert.Equal(OutcomeKind.CollectionAgency, run.Outcome!.Kind);
        Assert.DoesNotContain(Recommendation.JudgmentCaveat, run.Outcome.Recommendation!.Reasons);
    }

    [Fact]
    public void Ending_collection_agency_when_the_policy_prefers_it()
    {
        var policy = DefaultPolicy.Value with { Resolution = DefaultPolicy.Value.Resolution with { PreferAgency = true } };

        var run = Run.Start(Case(policy: policy)).ToEnd();

        Assert.Equal(OutcomeKind.CollectionAgency, run.Outcome!.Kind);
    }

    [Fact]
    public void Ending_collection_agency_when_there_is_no_address_to_serve_a_claim()
    {
        var run = Run.Start(Case(address: null)).ToEnd();

        Assert.Equal(OutcomeKind.CollectionAgency, run.Outcome!.Kind);
        Assert.DoesNotContain("letter", run.LadderSteps);
    }

    [Fact]
    public void Ending_write_off_under_the_minimum_worth_pursuing_closes_without_a_flag()
    {
        var run = Run.Start(Case(amount: 99m)).ToEnd();

        Assert.Equal(OutcomeKind.WrittenOff, run.Outcome!.Kind);
        Assert.False(run.Outcome.IsFlag);
        Assert.DoesNotContain(run.State.History, e => e is CaseEvent.CaseFlagged);
    }

    [Fact]
    public void Ending_write_off_when_part_payments_leave_less_than_the_minimum()
    {
        var run = Run.Start(Case()).At(DueDay(20), at => new CaseEvent.PaymentReceived(at, Usd(950m), "p-1", "stripe")).ToEnd();

        Assert.Equal(OutcomeKind.WrittenOff, run.Outcome!.Kind);
    }

    [Fact]
    public void Ending_pre_action_letter_before_small_claims_where_the_jurisdiction_requires_one()
    {
        // Given an English consumer owing GBP 2,000: the Pre-Action Protocol for Debt Claims applies (30 days to answer)
        var run = Run.Start(Case(amount: 2_000m, currency: "GBP", zone: "Europe/London", jurisdiction: "GB-ENG", kind: CustomerKind.Consumer)).ToEnd();

        // Then after the final deadline a letter of claim goes to the customer's address, and the flag waits 30 days for an answer
        var letter = Assert.Single(run.Contacts, c => c.Purpose == ContactPurpose.PreActionLetter);
        Assert.Equal((FinalDeadline, Channel.Letter, "letter-of-claim", Address), (letter.At, letter.Channel, letter.Template, letter.Recipient));
        Assert.Equal(OutcomeKind.SmallClaims, run.Outcome!.Kind);
        Assert.Equal(letter.At + TimeSpan.FromDays(30), run.Outcome.At);
        Assert.Equal(letter.At, run.State.PreActionLetterAt);
    }

    [Fact]
    public void Ending_no_pre_action_letter_where_the_rule_does_not_apply_to_a_business_customer()
    {
        var run = Run.Start(Case(amount: 2_000m, currency: "GBP", zone: "Europe/London", jurisdiction: "GB-ENG", kind: CustomerKind.Business)).ToEnd();

        Assert.DoesNotContain(run.Contacts, c => c.Purpose == ContactPurpose.PreActionLetter);
        Assert.Equal((OutcomeKind.SmallClaims, FinalDeadline), (run.Outcome!.Kind, run.Outcome.At));
    }

    [Fact]
    public void Ending_pre_action_letter_is_not_sent_when_the_ending_is_an_agency()
    {
        var run = Run.Start(Case(amount: 12_000m, currency: "GBP", zone: "Europe/London", jurisdiction: "GB-ENG", kind: CustomerKind.Consumer)).ToEnd();

        Assert.DoesNotContain(run.Contacts, c => c.Purpose == ContactPurpose.PreActionLetter);
        Assert.Equal(OutcomeKind.CollectionAgency, run.Outcome!.Kind);
    }

    [Fact]
    public void Ending_payment_during_the_pre_action_period_closes_the_case_as_paid()
    {
        var run = Run.Start(Case(amount: 2_000m, currency: "GBP", zone: "Europe/London", jurisdiction: "GB-ENG", kind: CustomerKind.Consumer))
            .Until(FinalDeadline + TimeSpan.FromDays(10));
        Assert.NotNull(run.State.PreActionLetterAt);

        run.When(at => new CaseEvent.PaymentReceived(at, new(2_000m, "GBP"), "p-1", "manual")).ToEnd();

        Assert.Equal(OutcomeKind.Paid, run.Outcome!.Kind);
    }

    [Fact]
    public void Ending_late_charges_configured_for_the_final_step_are_applied_once_and_claimed()
    {
        var policy = DefaultPolicy.Value with { LateCharges = new LateChargeRules(ContractualFee: 40m, ApplyAtStep: "final") };

        var run = Run.Start(Case(policy: policy)).ToEnd();

        var fee = Assert.Single(run.State.Charges);
        Assert.Equal(Usd(40m), fee.Amount);
        Assert.Equal(Usd(1_040m), run.Outcome!.Recommendation!.Claim);
    }
}

public class PreActionLetterAgeTests
{
    [Fact]
    public void Ending_pre_action_letter_older_than_the_jurisdictions_maximum_age_is_sent_again_before_filing()
    {
        // Given a New York consumer: a demand letter must go out at least 10 and at most 180 days before filing
        var run = Run.Start(Case(amount: 3_000m, zone: "America/New_York", jurisdiction: "US-NY", kind: CustomerKind.Consumer, openedAt: DueDay(2)));
        run.Until(Day(new(2026, 3, 6)));
        var first = Assert.Single(run.Contacts, c => c.Purpose == ContactPurpose.PreActionLetter);
        Assert.Equal(180, run.State.Facts.PreAction!.MaxAgeDays);

        // When staff pause the case for 200 days, then it resumes
        run.When(at => new CaseEvent.Paused(at, "customer abroad", at.AddDays(200))).ToEnd();

        // Then the stale letter is not relied on: a new one goes out with its own key, and the flag waits its 10 days
        var letters = run.Contacts.Where(c => c.Purpose == ContactPurpose.PreActionLetter).ToList();
        Assert.Equal(2, letters.Count);
        Assert.NotEqual(first.Key, letters[1].Key);
        Assert.Equal(OutcomeKind.SmallClaims, run.Outcome!.Kind);
        Assert.Equal(letters[1].At + TimeSpan.FromDays(10), run.Outcome.At);
        Assert.True(run.Outcome.At - letters[1].At <= TimeSpan.FromDays(180));
    }
}
