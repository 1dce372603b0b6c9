using System.Collections.Concurrent;
using System.Text.Json.Serialization;
using Dunning.Common;

namespace Dunning.Customers;

public enum CustomerKind
{
    Business,
    Consumer,
}

/// <summary>Who at the customer a message is for. Escalation goes billing, then manager, then owner.</summary>
public enum ContactRole
{
    Billing,
    Manager,
    Owner,
}

public enum Channel
{
    Email,
    Letter,
    Call,
}

/// <summary>Country (ISO 3166-1 alpha-2) and optional subdivision without the country ("US"/"CA", "GB"/"ENG").</summary>
public readonly record struct Jurisdiction(string Country, string? Region = null)
{
    public string Code => string.IsNullOrEmpty(Region) ? Country : $"{Country}-{Region}";

    public static Jurisdiction Parse(string code)
    {
        var parts = code.Trim().ToUpperInvariant().Split('-', 2);
        return new Jurisdiction(parts[0], parts.Length > 1 ? parts[1] : null);
    }

    public override string ToString() => Code;
}

public sealed record Contact(ContactRole Role, string Email, string? Name = null);

public sealed record Customer(
    CustomerId Id,
    string Name,
    CustomerKind Kind,
    Jurisdiction Jurisdiction,
    string TimeZone,
    ValueList<Contact> Contacts,
    string? Phone = null,
    string? Address = null)
{
    /// <summary>Channels this customer asked not to be contacted on (recorded on the customer, honoured by every case).</summary>
    public ValueList<Channel> OptedOut { get; init; } = ValueList<Channel>.Empty;

    /// <summary>The IETF tag the customer is written to in (see <c>Languages</c>); null: the business's language.</summary>
    public string? Language { get; init; }

    public Contact? ContactFor(ContactRole role)
    {
        foreach (var contact in Contacts)
        {
            if (contact.Role == role)
            {
                return contact;
            }
        }

        return null;
    }

    /// <summary>
    /// The contact a step addressed to <paramref name="role"/> goes to: that role if it exists,
    /// else the next role up (billing, manager, owner), else the nearest one below.
    /// </summary>
    public Contact? ResolveContact(ContactRole role) => ResolveContact(role, _ => true);

    /// <summary>As <see cref="ResolveContact(ContactRole)"/>, among the contacts that are <paramref name="usable"/> (say, whose address did not bounce).</summary>
    public Contact? ResolveContact(ContactRole role, Func<Contact, bool> usable)
    {
        ArgumentNullException.ThrowIfNull(usable);
        // Loops, not LINQ over Enum.GetValues: a simulation asks this for every step of every case.
        for (var i = 0; i < Roles.Length; i++)
        {
            if (Roles[i] >= role && ContactFor(Roles[i]) is { } contact && usable(contact))
            {
                return contact;
            }
        }

        for (var i = Roles.Length - 1; i >= 0; i--)
        {
            if (Roles[i] < role && ContactFor(Roles[i]) is { } contact && usable(contact))
            {
                return contact;
            }
        }

        return null;
    }

    private static readonly ContactRole[] Roles = Enum.GetValues<ContactRole>();

    [JsonIgnore]
    public TimeZoneInfo Zone => TimeZones.Find(TimeZone);
}

public static class TimeZones
{
    // Every rule asks for the customer's zone, and the system's own lookup takes a lock and folds the id's case each
    // time (6% of a simulation). Zones found are kept by the id as written; an unknown id is not kept, so what is
    // kept is bounded by the zones the machine knows.
    private static readonly ConcurrentDictionary<string, TimeZoneInfo> Found = new(StringComparer.Ordinal);

    public static TimeZoneInfo Find(string id)
    {
        if (Found.TryGetValue(id, out var known))
        {
            return known;
        }

        return TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? Found.GetOrAdd(id, zone) : TimeZoneInfo.Utc;
    }

    /// <summary>
    /// An IANA zone this machine knows. A Windows id ("Pacific Standard Time") is not one: .NET resolves it on some
    /// machines and not on others (without ICU), so the same ledger would import here and fail there.
    /// </summary>
    public static bool IsKnown(string? id) => id is not null && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) && zone.HasIanaId;
}
