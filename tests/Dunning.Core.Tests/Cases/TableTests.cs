using Dunning.Cases;
using Dunning.Common;
using Dunning.Customers;
using Dunning.Policies;
using static Dunning.Tests.Cases.Given;

namespace Dunning.Tests.Cases;

/// <summary>Table-driven: custom ladders, contact windows across time zones and DST, ending decisions by jurisdiction.</summary>
public class TableTests
{
    public static TheoryData<string, string[], string[]> Ladders => new()
    {
        {
            "[{'id':'a','dayOffset':1,'channel':'email','tone':'friendly','role':'billing','template':'gentle'}]",
            ["a"],
            ["2026-01-16T08:00"]
        },
        {
            // Out of day order in the file: the ladder's order is the order of the list, never re-sorted
            "[{'id':'call','dayOffset':2,'channel':'call','tone':'firm','role':'owner','template':'call'}," +
            "{'id':'mail','dayOffset':1,'channel':'email','tone':'firm','role':'billing','template':'firm'}]",
            ["call", "mail"],
            ["2026-01-19T08:00", "2026-01-19T08:00"]
        },
        {
            "[{'id':'nudge','dayOffset':-5,'channel':'email','tone':'friendly','role':'billing','template':'courtesy'}," +
            "{'id':'post','dayOffset':10,'channel':'letter','tone':'firm','role':'manager','template':'invoice-copy'}," +
            "{'id':'end','dayOffset':20,'channel':'email','tone':'final','role':'owner','template':'final-notice','deadlineDays':7}]",
            ["nudge", "post", "end"],
            ["2026-01-12T08:00", "2026-01-26T08:00", "2026-02-04T08:00"]
        },
        {
            // Three steps on one day and a cap of 2: the third waits a week
            "[{'id':'x','dayOffset':7,'channel':'email','tone':'firm','role':'billing','template':'firm'}," +
            "{'id':'y','dayOffset':7,'channel':'letter','tone':'firm','role':'billing','template':'invoice-copy'}," +
            "{'id':'z','dayOffset':7,'channel':'call','tone':'firm','role':'billing','template':'call'}]",
            ["x", "y", "z"],
            ["2026-01-22T08:00", "2026-01-22T08:00", "2026-01-29T08:00"]
        },
    };

    [Theory]
    [MemberData(nameof(Ladders))]
    public void Custom_ladder_from_JSON_runs_each_step_once_in_list_order(string json, string[] steps, string[] times)
    {
        // Single quotes keep the table readable; the JSON is the policy file's ladder shape
        var ladder = DunningJson.Deserialize<ValueList<LadderStep>>(json.Replace('\'', '"'));
        var run = Run.Start(Case(policy: DefaultPolicy.Value with { Ladder = ladder }, openedAt: DueDay(-10))).ToEnd();

        Assert.Equal(steps, run.LadderSteps);
        Assert.Equal(times, run.Ladder.Select(c => c.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Theory]
    //          zone                  local date    first UTC instant allowed  (window 08:00-20:00, weekdays)
    [InlineData("America/Los_Angeles", "2026-03-09", "2026-03-09T15:00")] // Monday after the spring-forward Sunday: PDT, UTC-7
    [InlineData("America/Los_Angeles", "2026-03-06", "2026-03-06T16:00")] // Friday before: PST, UTC-8
    [InlineData("America/Los_Angeles", "2026-11-02", "2026-11-02T16:00")] // Monday after fall-back: PST again
    [InlineData("Europe/London", "2026-03-27", "2026-03-27T08:00")] // Friday before BST: GMT
    [InlineData("Europe/London", "2026-03-30", "2026-03-30T07:00")] // Monday after BST starts (Sunday 29 March)
    [InlineData("Europe/London", "2026-10-26", "2026-10-26T08:00")] // Monday after BST ends
    [InlineData("Asia/Tokyo", "2026-03-09", "2026-03-08T23:00")] // no DST: always UTC+9, so the day before in UTC
    [InlineData("Asia/Tokyo", "2026-07-10", "2026-07-09T23:00")]
    [InlineData("Australia/Sydney", "2026-04-06", "2026-04-05T22:00")] // Monday after AEDT ends: UTC+10
    [InlineData("UTC", "2026-03-09", "2026-03-09T08:00")]
    public void Contact_window_opens_at_08_00_local_across_time_zones_and_DST_changes(string zone, string localDate, string expectedUtc)
    {
        var date = DateOnly.Parse(localDate, System.Globalization.CultureInfo.InvariantCulture);
        var policy = Ladder(new LadderStep("one", 0, Channel.Email, Tone.Firm, ContactRole.Billing, "firm"));
        var state = Case(zone: zone, policy: policy, dueDate: date, openedAt: Day(date.AddDays(-2)));

        var run = Run.Start(state).Until(Day(date.AddDays(2)));

        var contact = Assert.Single(run.Contacts);
        Assert.Equal(expectedUtc, contact.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(Compliance.InWindow(run.State, contact.At));
    }

    [Theory]
    // Every hour of the spring-forward and fall-back days (and the weekend around them) in the three zones:
    // the next allowed instant is in the window, on a weekday, and never before the asked-for instant.
    [InlineData("America/Los_Angeles", "2026-03-08")]
    [InlineData("America/Los_Angeles", "2026-11-01")]
    [InlineData("Europe/London", "2026-03-29")]
    [InlineData("Europe/London", "2026-10-25")]
    [InlineData("Asia/Tokyo", "2026-03-08")]
    public void Contact_window_next_allowed_instant_is_inside_the_local_window_on_DST_change_days(string zone, string day)
    {
        var state = Case(zone: zone);
        var tz = state.Customer.Zone;
        var start = Day(DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture)).AddDays(-2);
        for (var minutes = 0; minutes < 4 * 24 * 60; minutes += 15)
        {
            var at = start.AddMinutes(minutes);
            var next = Compliance.EarliestContact(state, at);
            var local = TimeZoneInfo.ConvertTime(next, tz);

            Assert.True(next >= at, $"{zone} {at:O}: {next:O} is earlier");
            Assert.True(local.TimeOfDay >= TimeSpan.FromHours(8) && local.TimeOfDay < TimeSpan.FromHours(20), $"{zone} {at:O}: {local:O} is outside 08:00-20:00");
            Assert.True(local.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday), $"{zone} {at:O}: {local:O} is a weekend");
            Assert.True(next - at < TimeSpan.FromDays(3.1), $"{zone} {at:O}: {next:O} is later than the next weekday morning");
        }
    }

    [Theory]
    //          code      currency zone                  kind        amount   expected                         pre-action letter
    [InlineData("US-CA", "USD", "America/Los_Angeles", "business", 1_000, OutcomeKind.SmallClaims, false)]
    [InlineData("US-CA", "USD", "America/Los_Angeles", "business", 9_000, OutcomeKind.CollectionAgency, false)]
    [InlineData("US-CA", "USD", "America/Los_Angeles", "business", 99, OutcomeKind.WrittenOff, false)]
    [InlineData("US-TX", "USD", "America/Chicago", "business", 19_000, OutcomeKind.SmallClaims, false)]
    [InlineData("US-KY", "USD", "America/New_York", "business", 3_000, OutcomeKind.CollectionAgency, false)]
    [InlineData("US-NY", "USD", "America/New_York", "consumer", 3_000, OutcomeKind.SmallClaims, true)]
    [InlineData("US-NY", "USD", "America/New_York", "business", 3_000, OutcomeKind.SmallClaims, false)]
    [InlineData("GB-ENG", "GBP", "Europe/London", "consumer", 2_000, OutcomeKind.SmallClaims, true)]
    [InlineData("GB-ENG", "GBP", "Europe/London", "business", 2_000, OutcomeKind.SmallClaims, false)]
    [InlineData("GB-ENG", "GBP", "Europe/London", "consumer", 12_000, OutcomeKind.CollectionAgency, false)]
    [InlineData("GB-WLS", "GBP", "Europe/London", "consumer", 2_000, OutcomeKind.SmallClaims, true)]
    [InlineData("GB-SCT", "GBP", "Europe/London", "business", 4_000, OutcomeKind.SmallClaims, false)]
    [InlineData("GB-SCT", "GBP", "Europe/London", "business", 6_000, OutcomeKind.CollectionAgency, false)]
    [InlineData("DE", "EUR", "Europe/Berlin", "business", 5_000, OutcomeKind.CollectionAgency, false)] // no small-claims court on file
    [InlineData("US-CA", "EUR", "America/Los_Angeles", "business", 1_000, OutcomeKind.CollectionAgency, false)] // limits not compared across currencies
    [InlineData("AU-NSW", "AUD", "Australia/Sydney", "business", 5_000, OutcomeKind.SmallClaims, false)]
    public void Ending_decision_by_jurisdiction(string code, string currency, string zone, string kind, int amount, OutcomeKind expected, bool preActionLetter)
    {
        // Opened two days after the due date, so the courtesy nudge is behind it in every zone
        var state = Case(amount: amount, currency: currency, zone: zone, jurisdiction: code, kind: Enum.Parse<CustomerKind>(kind, ignoreCase: true), openedAt: DueDay(2));

        var run = Run.Start(state).ToEnd();

        Assert.Equal(expected, run.Outcome!.Kind);
        Assert.Equal(preActionLetter, run.Contacts.Any(c => c.Purpose == ContactPurpose.PreActionLetter));
        Assert.Equal(["gentle", "firm", "letter", "call", "final"], run.LadderSteps);
    }
}
