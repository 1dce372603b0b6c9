using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Dunning.Jurisdictions;

namespace Dunning.Cases;

/// <summary>
/// When a case may contact its customer: inside the contact window in the customer's time zone,
/// not on a weekend unless the policy allows it, and under the rolling frequency cap. A contact
/// that is not allowed now becomes a wait until it is.
/// </summary>
public static class Compliance
{
    /// <summary>The earliest instant at or after <paramref name="from"/> at which a contact is allowed.</summary>
    public static DateTimeOffset EarliestContact(CaseState state, DateTimeOffset from)
    {
        // The customer's ledger deferred this case's contact: nothing before then.
        var at = state.ContactHeldUntil is { } held && held > from ? held : from;

        // Window and cap push each other forward; both settle within a few rounds.
        for (var round = 0; round < 32; round++)
        {
            var inWindow = NextInWindow(state, at);
            var underCap = NextUnderCap(state, inWindow);
            if (underCap == inWindow)
            {
                return inWindow;
            }

            at = underCap;
        }

        throw new InvalidOperationException($"No contact time found for case {state.InvoiceId} after {from:O}.");
    }

    public static bool InWindow(CaseState state, DateTimeOffset at) => NextInWindow(state, at) == at;

    public static int ContactsInCapWindow(CaseState state, DateTimeOffset at)
    {
        return CapContacts(state, at - TimeSpan.FromDays(state.Policy.Cap.Days), at).Count;
    }

    /// <summary>The next instant inside the contact window, in the customer's own time zone.</summary>
    public static DateTimeOffset NextInWindow(CaseState state, DateTimeOffset at)
    {
        var window = state.Policy.Window;
        var zone = state.Customer.Zone;
        var local = TimeZoneInfo.ConvertTime(at, zone);
        var date = DateOnly.FromDateTime(local.DateTime);
        var time = TimeOnly.FromDateTime(local.DateTime);

        if (IsContactDay(state, date) && time >= window.Start && time < window.End)
        {
            return at;
        }

        if (!IsContactDay(state, date) || time >= window.End)
        {
            date = date.AddDays(1);
        }

        while (!IsContactDay(state, date))
        {
            date = date.AddDays(1);
        }

        return CaseClock.LocalInstant(zone, date, window.Start);
    }

    /// <summary>A weekday (or any day, if the policy allows weekends) that is not a public holiday where the customer is.</summary>
    public static bool IsContactDay(CaseState state, DateOnly date)
    {
        var window = state.Policy.Window;
        return (window.AllowWeekends || date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
            && !(window.SkipPublicHolidays && PublicHolidays.IsHoliday(state.Customer.Jurisdiction, date));
    }

    private static DateTimeOffset NextUnderCap(CaseState state, DateTimeOffset at)
    {
        var cap = state.Policy.Cap;
        var period = TimeSpan.FromDays(cap.Days);
        var recent = CapContacts(state, at - period, at);
        return recent.Count < cap.MaxContacts
            ? at
            : recent.Order().ToList()[recent.Count - cap.MaxContacts] + period;
    }

    /// <summary>
    /// When the contacts that count towards the cap were made, in (<paramref name="after"/>, <paramref name="through"/>]:
    /// this case's own (<see cref="CaseState.Contacts"/>), and those other cases of the same customer made ("at most N
    /// contacts per rolling 7 days per case and per customer"), in that order. Loops over the history, not LINQ: every
    /// step asks.
    /// </summary>
    private static List<DateTimeOffset> CapContacts(CaseState state, DateTimeOffset after, DateTimeOffset through)
    {
        var times = new List<DateTimeOffset>();
        foreach (var e in state.History)
        {
            if (e is CaseEvent.ContactMade or CaseEvent.ContactCovered)
            {
                Add(e is CaseEvent.ContactCovered covered ? covered.SentAt : e.At);
            }
        }

        foreach (var e in state.History)
        {
            if (e is CaseEvent.CustomerContacted)
            {
                Add(e.At);
            }
        }

        return times;

        void Add(DateTimeOffset at)
        {
            if (at > after && at <= through)
            {
                times.Add(at);
            }
        }
    }
}

/// <summary>Calendar dates and instants in the customer's time zone.</summary>
public static class CaseClock
{
    public static DateOnly LocalDate(CaseState state, DateTimeOffset at) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, state.Customer.Zone).DateTime);

    // Every step of every case asks when a window starts, and a zone's rules are slow to search (a tenth of a
    // simulation), while a ledger asks for a few thousand distinct days. The answers are kept by zone (the object
    // itself: same rules), day and time; cleared when there are many, since a server runs for years.
    private static readonly ConcurrentDictionary<InstantKey, DateTimeOffset> Instants = new();

    private const int MaxInstantsKept = 65_536;

    /// <summary>The instant a local calendar date and time happen in <paramref name="zone"/> (skipping a DST gap forward).</summary>
    public static DateTimeOffset LocalInstant(TimeZoneInfo zone, DateOnly date, TimeOnly time)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var key = new InstantKey(zone, date, time);
        if (Instants.TryGetValue(key, out var known))
        {
            return known;
        }

        var instant = FindInstant(zone, date, time);
        if (Instants.Count >= MaxInstantsKept)
        {
            Instants.Clear();
        }

        Instants.TryAdd(key, instant);
        return instant;
    }

    private static DateTimeOffset FindInstant(TimeZoneInfo zone, DateOnly date, TimeOnly time)
    {
        var local = date.ToDateTime(time, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(30);
        }

        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
    }

    /// <summary>The start of the contact window on <paramref name="date"/>, local to the customer.</summary>
    public static DateTimeOffset WindowStart(CaseState state, DateOnly date) =>
        LocalInstant(state.Customer.Zone, date, state.Policy.Window.Start);

    /// <summary>A zone by reference, not by <see cref="TimeZoneInfo.Equals(TimeZoneInfo)"/>, which compares every rule.</summary>
    private readonly struct InstantKey(TimeZoneInfo zone, DateOnly date, TimeOnly time) : IEquatable<InstantKey>
    {
        private readonly TimeZoneInfo zone = zone;
        private readonly DateOnly date = date;
        private readonly TimeOnly time = time;

        public bool Equals(InstantKey other) => ReferenceEquals(zone, other.zone) && date == other.date && time == other.time;

        public override bool Equals(object? obj) => obj is InstantKey other && Equals(other);

        public override int GetHashCode() => HashCode.Combine(RuntimeHelpers.GetHashCode(zone), date, time);
    }
}
