using Dunning.Common;
using Dunning.Customers;
using Dunning.Messages;
using Dunning.Policies;

namespace Dunning.Tests.Policies;

public class PolicyJsonTests
{
    [Fact]
    public void The_default_policy_keeps_every_rule_of_a_usable_policy() =>
        Assert.Empty(PolicyJson.Validate(DefaultPolicy.Value));

    [Fact]
    public void An_empty_file_means_the_default_policy() =>
        Assert.Equal(DefaultPolicy.Value, PolicyJson.Parse("{}"));

    [Fact]
    public void The_shipped_example_loads_with_its_own_ladder_and_keeps_defaults_for_what_it_leaves_out()
    {
        var policy = PolicyJson.Load(Path.Combine(RepoRoot(), "examples", "policy.json"));

        Assert.Equal(["gentle", "firm", "letter", "call", "final"], policy.Ladder.Select(s => s.Id));
        Assert.Equal(new TimeOnly(9, 0), policy.Window.Start);
        Assert.True(policy.LateCharges.ClaimStatutory);
        Assert.Equal(20_000m, policy.Resolution.MinimumFor("JPY").Amount);
        Assert.Equal(150m, policy.Resolution.MinimumFor("USD").Amount);
        Assert.Equal(DefaultPolicy.Value.Plans.AnnualInterestPercent, policy.Plans.AnnualInterestPercent);
    }

    [Fact]
    public void A_section_given_in_part_keeps_the_default_for_the_fields_left_out()
    {
        var policy = PolicyJson.Parse("""{ "window": { "allowWeekends": true }, "business": { "name": "Acme" } }""");

        Assert.Equal(DefaultPolicy.Value.Window with { AllowWeekends = true }, policy.Window);
        Assert.Equal("Acme", policy.Business.Name);
        Assert.Equal(DefaultPolicy.Value.Business.Email, policy.Business.Email);
    }

    [Fact]
    public void The_business_language_is_the_default_for_customers_without_one_and_an_unsupported_one_is_refused()
    {
        var policy = PolicyJson.Parse("""{ "business": { "language": "de-DE" } }""");
        var german = new Customer(new CustomerId("C1"), "Bäckerei Berg", CustomerKind.Business, new Jurisdiction("DE", null), "Europe/Berlin", ValueList<Contact>.Empty);

        Assert.Equal("de-DE", Languages.Culture(german.Language, policy.Business).Name);
        Assert.Equal("fr-CA", Languages.Culture((german with { Language = "fr-CA" }).Language, policy.Business).Name);
        Assert.Equal("en", Languages.Culture(german.Language, DefaultPolicy.Value.Business).Name);
        var error = Assert.Throws<PolicyException>(() => PolicyJson.Parse("""{ "business": { "language": "pt-BR" } }"""));
        Assert.Contains("business.language: 'pt-BR' is not a supported language", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_ladder_step_reads_every_field_and_the_role_defaults_to_billing()
    {
        var policy = PolicyJson.Parse("""
            { "ladder": [ { "id": "gentle", "dayOffset": 5, "channel": "email", "tone": "friendly" },
                          { "id": "final", "dayOffset": 20, "channel": "letter", "tone": "final", "role": "owner", "template": "final-notice", "deadlineDays": 10 } ],
              "lateCharges": { "applyAtStep": null } }
            """);

        Assert.Equal(new LadderStep("gentle", 5, Channel.Email, Tone.Friendly, ContactRole.Billing, "gentle"), policy.Ladder[0]);
        Assert.Equal(new LadderStep("final", 20, Channel.Letter, Tone.Final, ContactRole.Owner, "final-notice", 10), policy.Ladder[1]);
        Assert.Null(policy.LateCharges.ApplyAtStep);
    }

    [Fact]
    public void A_bad_file_is_refused_with_every_problem_listed_at_once()
    {
        var error = Assert.Throws<PolicyException>(() => PolicyJson.Parse("""
            {
              "graceDays": -1,
              "windw": {},
              "window": { "start": "20:00", "end": "08:00" },
              "cap": { "maxContacts": 0 },
              "ladder": [
                { "id": "a", "dayOffset": 5, "channel": "fax", "tone": "firm", "template": "nope" },
                { "id": "b", "dayOffset": 9, "channel": "email", "tone": "firm", "template": "firm" },
                { "id": "b", "dayOffset": 1, "channel": "email", "tone": "loud", "template": "firm" },
                { "id": "c", "dayOffset": 3, "channel": "call", "tone": "firm", "template": "gentle" }
              ],
              "resolution": { "minimumToPursueByCurrency": { "XX": 5 } }
            }
            """));

        Assert.Contains("policy: unknown property 'windw' (expected one of graceDays, window, cap, ladder, pace, plans, lateCharges, resolution, business, consolidate, holdCustomerOnDispute, description).", error.Problems);
        Assert.Contains("graceDays: -1 must be between 0 and 365.", error.Problems);
        Assert.Contains("window: start 20:00 must be before end 08:00.", error.Problems);
        Assert.Contains("cap.maxContacts: 0 must be at least 1.", error.Problems);
        Assert.Contains("ladder[0].channel: 'fax' is not one of email, letter, call.", error.Problems);
        Assert.Contains("ladder[0].template: 'nope' is not a template.", error.Problems);
        Assert.Contains("ladder[2].tone: 'loud' is not one of friendly, firm, final.", error.Problems);
        Assert.Contains("ladder[3].dayOffset: 3 comes before the previous step's 9; steps must be in order.", error.Problems);
        Assert.Contains("ladder[3].template: a call task uses the 'call' template (its call script), not 'gentle'.", error.Problems);
        Assert.Contains("lateCharges.applyAtStep: no ladder step has id 'final'.", error.Problems);
        Assert.Contains("resolution.minimumToPursueByCurrency.XX: 'XX' is not an ISO 4217 currency code.", error.Problems);
    }

    [Fact]
    public void Duplicate_step_ids_are_refused_because_each_step_happens_once_by_its_id()
    {
        var error = Assert.Throws<PolicyException>(() => PolicyJson.Parse("""
            { "ladder": [ { "id": "x", "dayOffset": 1, "channel": "email", "tone": "firm", "template": "firm" },
                          { "id": "x", "dayOffset": 2, "channel": "email", "tone": "firm", "template": "firm" } ],
              "lateCharges": { "applyAtStep": "x" } }
            """));

        Assert.Equal(["ladder[1].id: 'x' is used by an earlier step; step ids must be unique."], error.Problems);
    }

    [Theory]
    [InlineData("{", "not valid JSON")]
    [InlineData("[]", "policy: must be an object.")]
    [InlineData("""{ "graceDays": "three" }""", "graceDays: must be a whole number, not \"three\".")]
    [InlineData("""{ "window": { "start": "8am" } }""", "window.start: '8am' is not a time of day like \"08:00\".")]
    [InlineData("""{ "business": { "paymentLinkTemplate": null, "bankTransfer": null, "chequePayableTo": null } }""", "business: give at least one way to pay")]
    public void Malformed_values_are_named_in_the_error(string json, string expected)
    {
        var error = Assert.Throws<PolicyException>(() => PolicyJson.Parse(json));

        Assert.Contains(error.Problems, p => p.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Pace_rules_read_both_ladders_and_check_them_like_the_main_one()
    {
        var policy = PolicyJson.Parse("""
            { "pace": { "minimumPaidCases": 3, "slowAverageDaysLate": 21,
                        "slowLadder": [ { "id": "firm", "dayOffset": 1, "channel": "email", "tone": "firm" },
                                        { "id": "final", "dayOffset": 10, "channel": "email", "tone": "final", "role": "owner", "template": "final-notice", "deadlineDays": 7 } ] } }
            """);

        Assert.Equal(new PaceRules(3, 21, policy.Pace!.SlowLadder, 0, null), policy.Pace);
        Assert.Equal(["firm", "final"], policy.Pace.SlowLadder!.Select(s => s.Id));

        var error = Assert.Throws<PolicyException>(() => PolicyJson.Parse("""
            { "pace": { "slowAverageDaysLate": 5, "promptAverageDaysLate": 9,
                        "promptLadder": [ { "id": "g", "dayOffset": 5, "channel": "email", "tone": "friendly", "template": "nope" } ] } }
            """));
        Assert.Contains("pace: promptAverageDaysLate (9) must be below slowAverageDaysLate (5).", error.Problems);
        Assert.Contains(error.Problems, p => p.StartsWith("pace.promptLadder[0].template: 'nope' is not a template", StringComparison.Ordinal));
        Assert.Contains("pace.promptLadder: has no step 'final', where lateCharges.applyAtStep adds the charges.", error.Problems);
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "DunningFunctions.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("The repository root (DunningFunctions.sln) was not found above the test folder.");
    }
}
