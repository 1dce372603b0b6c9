using Dunning.Cases;
using Dunning.Customers;

namespace Dunning.Tests.Cases;

/// <summary>Zones and window starts are kept once found (a simulation asks for them at every step): kept answers are the same answers.</summary>
public class ZoneCacheTests
{
    [Theory]
    [InlineData("America/New_York", "2026-03-08", "02:30", "2026-03-08T07:00:00Z")] // in the spring-forward gap: 03:00 EDT
    [InlineData("America/New_York", "2026-11-01", "01:30", "2026-11-01T06:30:00Z")] // the hour that happens twice: standard time
    [InlineData("Europe/London", "2026-06-15", "08:00", "2026-06-15T07:00:00Z")]
    [InlineData("Australia/Sydney", "2026-10-04", "02:00", "2026-10-03T16:00:00Z")] // in the gap: 03:00 AEDT
    public void A_local_instant_asked_again_is_the_same_instant(string zone, string date, string time, string expected)
    {
        var inZone = TimeZones.Find(zone);
        var day = DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture);
        var at = TimeOnly.Parse(time, System.Globalization.CultureInfo.InvariantCulture);

        var first = CaseClock.LocalInstant(inZone, day, at);
        var again = CaseClock.LocalInstant(inZone, day, at);

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), first);
        Assert.Equal(first, again);
        Assert.Equal(TimeSpan.Zero, again.Offset);
    }

    [Fact]
    public void A_zone_is_found_once_and_an_unknown_one_is_utc()
    {
        Assert.Same(TimeZones.Find("Europe/Berlin"), TimeZones.Find("Europe/Berlin"));
        Assert.Equal("Europe/Berlin", TimeZones.Find("Europe/Berlin").Id);
        Assert.Same(TimeZoneInfo.Utc, TimeZones.Find("Not/AZone"));
        Assert.Same(TimeZoneInfo.Utc, TimeZones.Find("Not/AZone"));
    }
}
