using Dunning.Customers;
using Dunning.Jurisdictions;
using Dunning.Policies;
using static Dunning.Tests.Cases.Given;

namespace Dunning.Tests.Cases;

/// <summary>Issue 10.6: no contact on a public holiday of the customer's country or region.</summary>
public class HolidayTests
{
    /// <summary>Due Friday 4 September 2026: the gentle reminder (+3) falls on Labor Day, Monday 7 September.</summary>
    private static readonly DateOnly DueBeforeLaborDay = new(2026, 9, 4);

    private static readonly TimeZoneInfo NewYork = TimeZones.Find("America/New_York");

    [Fact]
    public void GivenANewYorkConsumer_WhenTheGentleReminderFallsOnLaborDay_ThenItGoesOutTheNextMorning()
    {
        var state = Case(jurisdiction: "US-NY", kind: CustomerKind.Consumer, zone: "America/New_York", dueDate: DueBeforeLaborDay, holidays: true);

        var run = Run.Start(state).Until(new DateTimeOffset(2026, 9, 9, 0, 0, 0, TimeSpan.Zero));

        var gentle = Assert.Single(run.Ladder, c => c.StepId == "gentle");
        Assert.Equal(new DateTimeOffset(2026, 9, 8, 8, 0, 0, TimeSpan.FromHours(-4)), TimeZoneInfo.ConvertTime(gentle.At, NewYork));
        Assert.DoesNotContain(run.Contacts, c => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(c.At, NewYork).DateTime) == new DateOnly(2026, 9, 7));
    }

    [Fact]
    public void GivenAPolicyThatContactsOnHolidays_ThenLaborDayIsAnOrdinaryMonday()
    {
        var policy = DefaultPolicy.Value with { Window = DefaultPolicy.Value.Window with { SkipPublicHolidays = false } };
        var state = Case(jurisdiction: "US-NY", kind: CustomerKind.Consumer, zone: "America/New_York", dueDate: DueBeforeLaborDay, policy: policy);

        var run = Run.Start(state).Until(new DateTimeOffset(2026, 9, 9, 0, 0, 0, TimeSpan.Zero));

        Assert.Equal(new DateOnly(2026, 9, 7), DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(Assert.Single(run.Ladder, c => c.StepId == "gentle").At, NewYork).DateTime));
    }

    [Theory]
    [InlineData("US-NY", "2026-09-07", true)]  // Labor Day
    [InlineData("US-CA", "2026-11-26", true)]  // Thanksgiving
    [InlineData("US-NY", "2026-09-08", false)]
    [InlineData("GB-SCT", "2026-01-02", true)] // 2 January is a bank holiday in Scotland only
    [InlineData("GB-ENG", "2026-01-02", false)]
    [InlineData("GB-ENG", "2026-08-31", true)] // Summer bank holiday, England and Wales
    [InlineData("GB-SCT", "2026-08-31", false)]
    [InlineData("DE", "2026-10-03", true)]     // Tag der Deutschen Einheit
    [InlineData("FR", "2026-07-14", true)]
    [InlineData("ZZ", "2026-12-25", false)]    // a country with no calendar has no holidays
    public void Holidays_are_those_of_the_customers_country_and_region(string jurisdiction, string date, bool holiday) =>
        Assert.Equal(holiday, PublicHolidays.IsHoliday(Jurisdiction.Parse(jurisdiction), DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void The_policy_file_can_turn_holidays_off()
    {
        Assert.True(PolicyJson.Parse("{}").Window.SkipPublicHolidays);
        Assert.False(PolicyJson.Parse("""{ "window": { "skipPublicHolidays": false } }""").Window.SkipPublicHolidays);
    }
}
