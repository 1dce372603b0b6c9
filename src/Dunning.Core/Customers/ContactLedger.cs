using System.Text.Json.Serialization;
using Dunning.Cases;
using Dunning.Common;
using Dunning.Policies;

namespace Dunning.Customers;

/// <summary>A step of one invoice's case that a message carried: the case's action key ("step-gentle").</summary>
public sealed record CarriedStep(InvoiceId Invoice, string StepKey)
{
    [JsonIgnore]
    public string Key => $"{Invoice}/{StepKey}";
}

/// <summary>A message the customer received: its idempotency key, when, how, and every case step it carried (its own first).</summary>
public sealed record LedgerContact(string Key, DateTimeOffset At, Channel Channel, ValueList<CarriedStep> Carried);

/// <summary>
/// The customer's contact ledger: what the law and the customer see, across all their invoices. Every contact is
/// reserved here before it is sent (<see cref="ContactLedger.Reserve"/>); a customer-level cease or opt-out is kept
/// here too, so it holds for cases that start later. Stored whole, one record per customer, under "$type"-free JSON
/// with a <see cref="Version"/> for its shape.
/// </summary>
public sealed record CustomerContacts(CustomerId Customer)
{
    /// <summary>The stored shape's version: bump it when a field changes meaning.</summary>
    public int Version { get; init; } = 1;

    /// <summary>Contacts of the last <see cref="ContactLedger.KeepDays"/> days, oldest first.</summary>
    public ValueList<LedgerContact> Contacts { get; init; } = ValueList<LedgerContact>.Empty;

    /// <summary>The customer asked for no contact at all, about any invoice.</summary>
    public bool Ceased { get; init; }

    /// <summary>Channels the customer opted out of, for every invoice.</summary>
    public ValueList<Channel> OptedOut { get; init; } = ValueList<Channel>.Empty;

    /// <summary>When and why the last customer-level request was made (shown to staff).</summary>
    public string? RequestNote { get; init; }

    public DateTimeOffset? RequestedAt { get; init; }

    public bool IsOpen(Channel channel) => !Ceased && !OptedOut.Contains(channel);
}

/// <summary>
/// One contact a case wants to make: its idempotency key (<c>CaseEffects.IdempotencyKey</c>), the case step it is, and
/// the sibling steps a consolidated message would carry. <see cref="Hold"/> names an open dispute on another of the
/// customer's invoices when the policy holds the whole customer for it.
/// </summary>
public sealed record ReservationRequest(
    CustomerId Customer,
    string Key,
    CarriedStep Step,
    Channel Channel,
    DateTimeOffset At,
    FrequencyCap Cap,
    ContactWindow Window,
    string TimeZone,
    ValueList<CarriedStep> Carries,
    string? Hold = null);

/// <summary>The customer ledger's answer to a reservation. The same key asked twice gets the same answer.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "$type")]
[JsonDerivedType(typeof(Granted), "granted")]
[JsonDerivedType(typeof(Covered), "covered")]
[JsonDerivedType(typeof(Deferred), "deferred")]
[JsonDerivedType(typeof(Refused), "refused")]
public abstract record Reservation
{
    private Reservation()
    {
    }

    /// <summary>Send it now, as message <see cref="MessageId"/>, listing the sibling steps in <see cref="Carried"/> too.</summary>
    public sealed record Granted(string MessageId, DateTimeOffset At, ValueList<CarriedStep> Carried) : Reservation;

    /// <summary>This step already went out in message <see cref="MessageId"/> (a consolidated statement): send nothing.</summary>
    public sealed record Covered(string MessageId, DateTimeOffset SentAt, Channel Channel) : Reservation;

    /// <summary>Not now (the cap is full, a quiet day, a dispute hold): ask again at <see cref="Until"/>.</summary>
    public sealed record Deferred(DateTimeOffset Until, string Reason) : Reservation;

    /// <summary>The customer asked not to be contacted (on <see cref="Channel"/>, or null: at all).</summary>
    public sealed record Refused(Channel? Channel, string Reason) : Reservation;
}

/// <summary>The rules of the customer's contact ledger: pure functions over the customer's record.</summary>
public static class ContactLedger
{
    /// <summary>
    /// Contacts are kept this long: longer than any cap window (31 days at most), and long enough that a sibling whose
    /// step a statement carried still finds it when it comes to that step after a deferral or a pause.
    /// </summary>
    public const int KeepDays = 180;

    public static CustomerContacts Empty(CustomerId customer) => new(customer);

    /// <summary>
    /// Reserves the contact against the customer's record: the new record (the same instance when nothing changed)
    /// and the answer. Checked in order: a key already granted, a step already carried, a customer-level cease or
    /// opt-out, a customer-level dispute hold, the rolling cap (and quiet days: a deferral ends inside the window).
    /// </summary>
    public static (CustomerContacts Record, Reservation Answer) Reserve(CustomerContacts record, ReservationRequest request)
    {
        if (record.Contacts.FirstOrDefault(c => c.Key == request.Key) is { } granted)
        {
            return (record, new Reservation.Granted(granted.Key, granted.At, granted.Carried.Where(s => s != request.Step).ToValueList()));
        }

        if (record.Contacts.FirstOrDefault(c => c.Carried.Contains(request.Step)) is { } carrier)
        {
            return (record, new Reservation.Covered(carrier.Key, carrier.At, carrier.Channel));
        }

        if (record.Ceased)
        {
            return (record, new Reservation.Refused(null, $"the customer asked not to be contacted about any invoice{Since(record)}"));
        }

        if (record.OptedOut.Contains(request.Channel))
        {
            return (record, new Reservation.Refused(request.Channel, $"the customer opted out of {Names.Of(request.Channel)} for every invoice{Since(record)}"));
        }

        var zone = TimeZones.Find(request.TimeZone);
        if (request.Hold is { } hold)
        {
            var tomorrow = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(request.At, zone).DateTime).AddDays(1);
            return (record, new Reservation.Deferred(NextInWindow(request.Window, zone, CaseClock.LocalInstant(zone, tomorrow, request.Window.Start)), hold));
        }

        var times = record.Contacts.Select(c => c.At).ToList();
        var free = FirstFree(times, request.At, request.Cap, request.Window, zone);
        if (free > request.At)
        {
            return (record, new Reservation.Deferred(free, $"the customer had {request.Cap.MaxContacts} contacts in {request.Cap.Days} days (all invoices)"));
        }

        // A step someone else already carried or sent stays theirs; the rest ride along.
        var taken = record.Contacts.SelectMany(c => c.Carried).ToHashSet();
        var carries = request.Carries.Where(s => s != request.Step && !taken.Contains(s)).Distinct().ToValueList();
        var keepSince = request.At - TimeSpan.FromDays(KeepDays);
        var contact = new LedgerContact(request.Key, request.At, request.Channel, ValueList.Of(request.Step).AddRange(carries));
        var contacts = record.Contacts.Where(c => c.At > keepSince).Append(contact).OrderBy(c => c.At).ToValueList();
        return (record with { Contacts = contacts }, new Reservation.Granted(request.Key, request.At, carries));
    }

    /// <summary>A customer-level cease (<paramref name="channel"/> null) or opt-out; the same record when it was already so.</summary>
    public static CustomerContacts Request(CustomerContacts record, Channel? channel, DateTimeOffset at, string? note)
    {
        if (record.Ceased || (channel is { } c && record.OptedOut.Contains(c)))
        {
            return record;
        }

        var noted = record with { RequestedAt = at, RequestNote = string.IsNullOrWhiteSpace(note) ? null : note.Trim() };
        return channel is { } ch
            ? noted with { OptedOut = noted.OptedOut.Add(ch) }
            : noted with { Ceased = true };
    }

    /// <summary>How many contacts the customer got in the rolling cap window ending at <paramref name="at"/>.</summary>
    public static int ContactsInWindow(CustomerContacts record, DateTimeOffset at, FrequencyCap cap) =>
        record.Contacts.Count(c => c.At > at - TimeSpan.FromDays(cap.Days) && c.At <= at);

    /// <summary>
    /// The first instant at or after <paramref name="at"/>, inside the window, at which one more contact keeps every
    /// rolling window of the cap at or under its maximum (contacts reserved at later times count too).
    /// </summary>
    private static DateTimeOffset FirstFree(List<DateTimeOffset> times, DateTimeOffset at, FrequencyCap cap, ContactWindow window, TimeZoneInfo zone)
    {
        var period = TimeSpan.FromDays(cap.Days);
        var candidate = at;
        for (var round = 0; round < 64; round++)
        {
            if (Fits(times, candidate, cap.MaxContacts, period))
            {
                var inWindow = NextInWindow(window, zone, candidate);
                if (inWindow == candidate)
                {
                    return candidate;
                }

                candidate = inWindow;
                continue;
            }

            // The earliest moment the oldest contact in a full window around the candidate leaves it.
            candidate = times.Where(t => t > candidate - period && t <= candidate + period).Order().First() + period;
            if (candidate <= at)
            {
                candidate = at + TimeSpan.FromMinutes(1);
            }
        }

        throw new InvalidOperationException($"No contact time under the cap after {at:O}.");
    }

    private static bool Fits(List<DateTimeOffset> times, DateTimeOffset t, int max, TimeSpan period)
    {
        // Every window (end - period, end] that would hold t: those ending at t or at a contact within a period after it.
        var ends = times.Where(e => e >= t && e < t + period).Append(t);
        return ends.All(end => times.Count(x => x > end - period && x <= end) + 1 <= max);
    }

    private static DateTimeOffset NextInWindow(ContactWindow window, TimeZoneInfo zone, DateTimeOffset at)
    {
        var local = TimeZoneInfo.ConvertTime(at, zone);
        var date = DateOnly.FromDateTime(local.DateTime);
        var time = TimeOnly.FromDateTime(local.DateTime);
        bool ContactDay(DateOnly d) => window.AllowWeekends || d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);
        if (ContactDay(date) && time >= window.Start && time < window.End)
        {
            return at;
        }

        if (!ContactDay(date) || time >= window.End)
        {
            date = date.AddDays(1);
        }

        while (!ContactDay(date))
        {
            date = date.AddDays(1);
        }

        return CaseClock.LocalInstant(zone, date, window.Start);
    }

    private static string Since(CustomerContacts record) =>
        record.RequestedAt is { } at ? $" (since {at:yyyy-MM-dd})" : string.Empty;
}
