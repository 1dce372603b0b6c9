using System.Collections.Concurrent;
using Dunning.Customers;
using PublicHoliday;

namespace Dunning.Jurisdictions;

/// <summary>
/// Public holidays of the customer's country (and, where the calendar differs by region, its state or nation: the UK's
/// four, Germany's Länder), from the PublicHoliday package, which is pure date arithmetic. A customer is not contacted
/// on them: nobody should get a reminder on Labor Day. A country the package does not know has no holidays here.
/// </summary>
public static class PublicHolidays
{
    // Kept by the jurisdiction itself, not its code: every contact window asks, and building "US-NY" each time showed.
    private static readonly ConcurrentDictionary<Jurisdiction, IPublicHolidays?> Calendars = new();

    public static bool IsHoliday(Jurisdiction jurisdiction, DateOnly date) =>
        Calendars.GetOrAdd(jurisdiction, CalendarOf) is { } calendar
        && calendar.IsPublicHoliday(date.ToDateTime(TimeOnly.MinValue));

    /// <summary>Whether holidays are known for the jurisdiction (for docs and diagnostics).</summary>
    public static bool IsKnown(Jurisdiction jurisdiction) => Calendars.GetOrAdd(jurisdiction, CalendarOf) is not null;

    private static IPublicHolidays? CalendarOf(Jurisdiction jurisdiction) => jurisdiction.Country switch
    {
        "GB" or "UK" => new UKBankHoliday(jurisdiction.Region switch
        {
            "SCT" => UKBankHoliday.UkCountries.Scotland,
            "WLS" => UKBankHoliday.UkCountries.Wales,
            "NIR" => UKBankHoliday.UkCountries.NorthernIreland,
            _ => UKBankHoliday.UkCountries.England,
        }),
        "DE" when jurisdiction.Region is { Length: 2 } region && Enum.TryParse<GermanPublicHoliday.States>(region, ignoreCase: true, out var state) =>
            new GermanPublicHoliday { State = state },
        var country => Country(country),
    };

    private static IPublicHolidays? Country(string code)
    {
        try
        {
            return PublicHolidayFactory.GetPublicHolidayForCountry(code);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }
}
