using Dunning.Common;
using Dunning.Customers;
using Dunning.Policies;
using Dunning.Ports;

namespace Dunning.Tests.Ports;

/// <summary>
/// What every <see cref="IContactLedger"/> must do: store each customer's record atomically, so the core's reservation
/// rules hold whatever stores them. Derive once per adapter (in-memory, SQLite, Azure Tables) with a fresh, empty ledger.
/// </summary>
public abstract class ContactLedgerContract
{
    private static readonly DateTimeOffset Monday = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);

    private static readonly CustomerId Acme = new("C-ACME");

    protected abstract Task<IContactLedger> CreateAsync();

    private static ReservationRequest Request(string invoice, DateTimeOffset at, string step = "step-gentle", Channel channel = Channel.Email, params CarriedStep[] carries) => new(
        Acme,
        $"{invoice}/{step}",
        new CarriedStep(new InvoiceId(invoice), step),
        channel,
        at,
        new FrequencyCap(2, 7),
        new ContactWindow(new TimeOnly(8, 0), new TimeOnly(20, 0), AllowWeekends: true),
        "UTC",
        carries.ToValueList());

    [Fact]
    public async Task A_reservation_is_granted_once_and_the_same_key_gets_the_same_answer()
    {
        var ledger = await CreateAsync();

        var first = await ledger.ReserveAsync(Request("INV-1", Monday), default);
        var again = await ledger.ReserveAsync(Request("INV-1", Monday.AddHours(3)), default);

        var granted = Assert.IsType<Reservation.Granted>(first);
        Assert.Equal("INV-1/step-gentle", granted.MessageId);
        Assert.Equal(first, again);
        Assert.Single((await ledger.GetAsync(Acme, default)).Contacts);
    }

    [Fact]
    public async Task A_full_cap_defers_until_the_oldest_contact_leaves_the_rolling_window_whichever_invoice_asks()
    {
        var ledger = await CreateAsync();
        await ledger.ReserveAsync(Request("INV-1", Monday), default);
        await ledger.ReserveAsync(Request("INV-2", Monday.AddDays(1)), default);

        var third = await ledger.ReserveAsync(Request("INV-3", Monday.AddDays(2)), default);
        var later = await ledger.ReserveAsync(Request("INV-3", Monday.AddDays(7).AddMinutes(1)), default);

        Assert.Equal(Monday.AddDays(7), Assert.IsType<Reservation.Deferred>(third).Until);
        Assert.IsType<Reservation.Granted>(later);
        Assert.Equal(2, ContactLedger.ContactsInWindow(await ledger.GetAsync(Acme, default), Monday.AddDays(7).AddMinutes(1), new FrequencyCap(2, 7)));
    }

    [Fact]
    public async Task A_step_carried_by_a_statement_is_covered_by_that_message_and_takes_no_slot()
    {
        var ledger = await CreateAsync();
        var carried = new CarriedStep(new InvoiceId("INV-2"), "step-gentle");
        var statement = Assert.IsType<Reservation.Granted>(await ledger.ReserveAsync(Request("INV-1", Monday, carries: carried), default));

        var covered = await ledger.ReserveAsync(Request("INV-2", Monday.AddDays(1)), default);
        var coveredAgain = await ledger.ReserveAsync(Request("INV-2", Monday.AddDays(1)), default);

        Assert.Equal([carried], statement.Carried);
        Assert.Equal(new Reservation.Covered("INV-1/step-gentle", Monday, Channel.Email), covered);
        Assert.Equal(covered, coveredAgain);
        Assert.IsType<Reservation.Granted>(await ledger.ReserveAsync(Request("INV-3", Monday.AddDays(1)), default));
    }

    [Fact]
    public async Task A_customer_level_cease_and_opt_out_are_kept_and_refuse_every_invoice()
    {
        var ledger = await CreateAsync();

        Assert.True(await ledger.RequestAsync(Acme, Channel.Email, Monday, "by phone", default));
        Assert.False(await ledger.RequestAsync(Acme, Channel.Email, Monday.AddHours(1), null, default));
        var email = await ledger.ReserveAsync(Request("INV-9", Monday.AddHours(2)), default);
        var letter = await ledger.ReserveAsync(Request("INV-9", Monday.AddHours(2), "step-letter", Channel.Letter), default);
        Assert.True(await ledger.RequestAsync(Acme, null, Monday.AddHours(3), null, default));
        var call = await ledger.ReserveAsync(Request("INV-10", Monday.AddHours(4), "step-call", Channel.Call), default);

        Assert.Equal(Channel.Email, Assert.IsType<Reservation.Refused>(email).Channel);
        Assert.IsType<Reservation.Granted>(letter);
        Assert.Null(Assert.IsType<Reservation.Refused>(call).Channel);
        var stored = await ledger.GetAsync(Acme, default);
        Assert.True(stored.Ceased);
        Assert.Equal([Channel.Email], stored.OptedOut);
        Assert.Equal(Monday.AddHours(3), stored.RequestedAt);
    }

    [Fact]
    public async Task Cases_racing_for_the_last_slot_get_it_once()
    {
        var ledger = await CreateAsync();
        await ledger.ReserveAsync(Request("INV-0", Monday), default);

        var answers = await Task.WhenAll(Enumerable.Range(1, 8).Select(i => Task.Run(() => ledger.ReserveAsync(Request($"INV-{i}", Monday.AddHours(1)), default))));

        Assert.Single(answers.OfType<Reservation.Granted>());
        Assert.Equal(7, answers.OfType<Reservation.Deferred>().Count());
        Assert.Equal(2, (await ledger.GetAsync(Acme, default)).Contacts.Count);
    }

    [Fact]
    public async Task An_unknown_customer_has_an_empty_record()
    {
        var ledger = await CreateAsync();

        Assert.Equal(ContactLedger.Empty(new CustomerId("C-NEW")), await ledger.GetAsync(new CustomerId("C-NEW"), default));
    }
}
