using Dunning.Cases;
using Dunning.Common;
using Dunning.Customers;
using Dunning.Invoices;
using Dunning.Jurisdictions;
using Dunning.Policies;
using Dunning.Ports;

namespace Dunning.Tests.Ports;

/// <summary>Sample rows for the port contracts; every adapter must store and return them unchanged.</summary>
public static class PortSamples
{
    public static readonly DateTimeOffset Now = new(2026, 3, 2, 15, 0, 0, TimeSpan.Zero);

    public static Customer Customer(string id = "C-1", string name = "Acme, \"Fine\" Goods Ltd") => new Customer(
        new CustomerId(id),
        name,
        CustomerKind.Business,
        new Jurisdiction("US", "CA"),
        "America/Los_Angeles",
        ValueList.Of(new Contact(ContactRole.Billing, "ap@acme.example", "Pat Payables"), new Contact(ContactRole.Owner, "owner@acme.example")),
        Phone: "+1 555 0101",
        Address: "1 Road, Town, CA 90001") with
    { OptedOut = ValueList.Of(Channel.Call) };

    public static Invoice Invoice(string id = "INV-1", string customer = "C-1", int dueDay = 5, decimal amount = 1234.56m, decimal paid = 0m, string currency = "USD") => new(
        new InvoiceId(id),
        new CustomerId(customer),
        "N-" + id,
        new DateOnly(2026, 1, 1),
        new DateOnly(2026, 1, dueDay),
        new Money(amount, currency),
        new Money(paid, currency));

    public static CaseState Case(string invoiceId = "INV-1")
    {
        var state = CaseState.Open(Invoice(invoiceId), Customer(), DefaultPolicy.Value, JurisdictionFacts.Unknown("US-CA"), Now);
        state = CaseDecider.Evolve(state, new CaseEvent.PaymentReceived(Now, new Money(100.10m, "USD"), "ref-1", "stripe"));
        return CaseDecider.Evolve(state, new CaseEvent.DisputeOpened(Now.AddHours(1), "wrong colour"));
    }

    public static CaseRecord Record(CaseState state) =>
        new(state, CaseStatus.Of(state, CaseDecider.Decide(state, Now), Now));
}

/// <summary>What every <see cref="ILedger"/> must do. Derive once per adapter and supply a fresh, empty ledger.</summary>
public abstract class LedgerContract
{
    protected abstract Task<ILedger> CreateAsync();

    [Fact]
    public async Task Upserted_rows_come_back_equal_and_a_second_upsert_replaces()
    {
        var ledger = await CreateAsync();
        await ledger.UpsertAsync([PortSamples.Customer()], [PortSamples.Invoice()], default);
        await ledger.UpsertAsync([], [PortSamples.Invoice(amount: 99.99m)], default);

        Assert.Equal(PortSamples.Customer(), await ledger.GetCustomerAsync(new CustomerId("C-1"), default));
        Assert.Equal(PortSamples.Invoice(amount: 99.99m), await ledger.GetInvoiceAsync(new InvoiceId("INV-1"), default));
        Assert.Null(await ledger.GetInvoiceAsync(new InvoiceId("nope"), default));
    }

    [Fact]
    public async Task A_customers_language_is_kept_and_an_absent_one_stays_absent()
    {
        var ledger = await CreateAsync();
        var german = PortSamples.Customer("C-DE", "Bäckerei Berg") with { Language = "de-DE" };
        await ledger.UpsertAsync([german, PortSamples.Customer()], [], default);

        Assert.Equal("de-DE", (await ledger.GetCustomerAsync(new CustomerId("C-DE"), default))?.Language);
        Assert.Null((await ledger.GetCustomerAsync(new CustomerId("C-1"), default))?.Language);
    }

    [Fact]
    public async Task Line_items_come_back_as_stored_and_an_invoice_without_them_has_none()
    {
        var ledger = await CreateAsync();
        var withLines = PortSamples.Invoice("A", amount: 100m) with
        {
            Lines = ValueList.Of(new InvoiceLine("Sourdough loaves", 40m, 2.25m), new InvoiceLine("Delivery", 1m, 10m)),
        };
        await ledger.UpsertAsync([PortSamples.Customer()], [withLines, PortSamples.Invoice("B")], default);
        await ledger.ApplyPaymentAsync(new InvoiceId("A"), new LedgerPayment("stripe/pi_1", new Money(10m, "USD"), IsRefund: false), default);

        var stored = await ledger.GetInvoiceAsync(new InvoiceId("A"), default);
        Assert.Equal(withLines.Lines, stored!.Lines);
        Assert.Null((await ledger.GetInvoiceAsync(new InvoiceId("B"), default))!.Lines);
    }

    [Fact]
    public async Task Pending_lists_unstarted_invoices_due_by_the_date_until_marked_started()
    {
        var ledger = await CreateAsync();
        await ledger.UpsertAsync(
            [PortSamples.Customer()],
            [PortSamples.Invoice("A", dueDay: 3), PortSamples.Invoice("B", dueDay: 10), PortSamples.Invoice("C", dueDay: 20)],
            default);

        var pending = await ledger.PendingAsync(new DateOnly(2026, 1, 10), default);
        Assert.Equal(["A", "B"], pending.Select(i => i.Id.Value).Order(StringComparer.Ordinal));

        await ledger.MarkStartedAsync(new InvoiceId("A"), default);
        await ledger.MarkStartedAsync(new InvoiceId("A"), default);
        pending = await ledger.PendingAsync(new DateOnly(2026, 1, 31), default);
        Assert.Equal(["B", "C"], pending.Select(i => i.Id.Value).Order(StringComparer.Ordinal));

        // Importing the ledger again (A changed, D new) keeps a started invoice started.
        await ledger.UpsertAsync([], [PortSamples.Invoice("A", dueDay: 3, amount: 10m), PortSamples.Invoice("B", dueDay: 10), PortSamples.Invoice("D", dueDay: 25)], default);
        pending = await ledger.PendingAsync(new DateOnly(2026, 1, 31), default);
        Assert.Equal(["B", "C", "D"], pending.Select(i => i.Id.Value).Order(StringComparer.Ordinal));
        Assert.Equal(10m, (await ledger.GetInvoiceAsync(new InvoiceId("A"), default))!.Amount.Amount);
    }

    [Fact]
    public async Task Payments_without_a_case_change_amount_paid_and_outstanding()
    {
        var ledger = await CreateAsync();
        await ledger.UpsertAsync([PortSamples.Customer()], [PortSamples.Invoice("A", amount: 100m), PortSamples.Invoice("B", amount: 50m)], default);

        await ledger.ApplyPaymentAsync(new InvoiceId("A"), new LedgerPayment("stripe/pi_1", new Money(100m, "USD"), IsRefund: false), default);
        await ledger.ApplyPaymentAsync(new InvoiceId("B"), new LedgerPayment("stripe/pi_2", new Money(20.25m, "USD"), IsRefund: false), default);
        await ledger.ApplyPaymentAsync(new InvoiceId("B"), new LedgerPayment("generic/evt_3", new Money(0.25m, "USD"), IsRefund: true), default);
        await ledger.ApplyPaymentAsync(new InvoiceId("B"), new LedgerPayment("stripe/pi_2", new Money(20.25m, "USD"), IsRefund: false), default);

        var outstanding = await ledger.OutstandingAsync(default);
        var b = Assert.Single(outstanding);
        Assert.Equal(new Money(20m, "USD"), b.AmountPaid);
    }

    [Fact]
    public async Task Running_refund_totals_add_their_difference_and_refunds_never_exceed_amount_paid()
    {
        var ledger = await CreateAsync();
        await ledger.UpsertAsync([PortSamples.Customer()], [PortSamples.Invoice("A", amount: 1_000m, paid: 100m)], default);
        var id = new InvoiceId("A");

        await ledger.ApplyPaymentAsync(id, new LedgerPayment("stripe/pi_1", new Money(400m, "USD"), IsRefund: false), default);
        await ledger.ApplyPaymentAsync(id, new LedgerPayment("stripe/ch_1", new Money(100m, "USD"), IsRefund: true, new Money(100m, "USD")), default);
        await ledger.ApplyPaymentAsync(id, new LedgerPayment("stripe/ch_1", new Money(250m, "USD"), IsRefund: true, new Money(250m, "USD")), default);
        await ledger.ApplyPaymentAsync(id, new LedgerPayment("stripe/ch_1", new Money(100m, "USD"), IsRefund: true, new Money(100m, "USD")), default);
        Assert.Equal(new Money(250m, "USD"), (await ledger.GetInvoiceAsync(id, default))!.AmountPaid);

        await ledger.ApplyPaymentAsync(id, new LedgerPayment("generic/evt_r", new Money(99_999m, "USD"), IsRefund: true), default);
        Assert.Equal(new Money(0m, "USD"), (await ledger.GetInvoiceAsync(id, default))!.AmountPaid);

        await ledger.ApplyPaymentAsync(id, new LedgerPayment("generic/evt_p", new Money(1_000m, "USD"), IsRefund: false), default);
        Assert.Equal(new Money(1_000m, "USD"), (await ledger.GetInvoiceAsync(id, default))!.AmountPaid);
    }

    [Fact]
    public async Task Existing_customers_are_told_apart_from_unknown_ones()
    {
        var ledger = await CreateAsync();
        await ledger.UpsertAsync([PortSamples.Customer("C-1"), PortSamples.Customer("C-2")], [], default);

        var existing = await ledger.ExistingCustomersAsync([new CustomerId("C-2"), new CustomerId("C-9")], default);

        Assert.Equal([new CustomerId("C-2")], existing);
    }
}

/// <summary>What every <see cref="ICaseStore"/> must do.</summary>
public abstract class CaseStoreContract
{
    protected abstract Task<ICaseStore> CreateAsync();

    [Fact]
    public async Task A_saved_case_comes_back_equal_with_its_status()
    {
        var store = await CreateAsync();
        var record = PortSamples.Record(PortSamples.Case());

        await store.SaveAsync(record, default);

        var loaded = await store.GetAsync(record.State.InvoiceId, default);
        Assert.NotNull(loaded);
        Assert.Equal(record.State, loaded.State);
        Assert.Equal(record.Status, loaded.Status);
        Assert.Null(await store.GetAsync(new InvoiceId("nope"), default));
    }

    /// <summary>A store may answer more ids than have a case (the caller reads each), but never leaves one out.</summary>
    [Fact]
    public async Task Asked_which_invoices_may_have_a_case_every_one_that_has_is_among_them()
    {
        var store = await CreateAsync();
        await store.SaveAsync(PortSamples.Record(PortSamples.Case("A")), default);
        await store.SaveAsync(PortSamples.Record(PortSamples.Case("C")), default);
        InvoiceId[] asked = [new("A"), new("B"), new("C"), new("A"), new("D")];

        var with = await store.WithCasesAsync(asked, default);

        Assert.Subset(asked.ToHashSet(), with.ToHashSet());
        Assert.Superset(new HashSet<InvoiceId> { new("A"), new("C") }, with.ToHashSet());
    }

    [Fact]
    public async Task Saving_again_replaces_and_listing_filters_by_status()
    {
        var store = await CreateAsync();
        var disputed = PortSamples.Case("A");
        await store.SaveAsync(PortSamples.Record(disputed), default);
        await store.SaveAsync(PortSamples.Record(PortSamples.Case("B")), default);
        var resolved = CaseDecider.Evolve(disputed, new CaseEvent.DisputeResolved(PortSamples.Now.AddDays(1), DisputeOutcome.Rejected));
        await store.SaveAsync(PortSamples.Record(resolved), default);

        Assert.Equal(["A", "B"], (await store.ListAsync(null, default)).Select(s => s.InvoiceId.Value).Order(StringComparer.Ordinal));
        Assert.Equal([PortSamples.Record(resolved), PortSamples.Record(PortSamples.Case("B"))], await store.AllAsync(default));
        Assert.Equal(["B"], (await store.ListAsync("dispute", default)).Select(s => s.InvoiceId.Value));
        Assert.Equal(["A"], (await store.ListAsync("open", default)).Select(s => s.InvoiceId.Value));
    }

    [Fact]
    public async Task Paging_returns_every_matching_case_exactly_once_whatever_the_page_size_and_filters()
    {
        var store = await CreateAsync();
        var saved = new List<CaseStatus>();
        foreach (var i in Enumerable.Range(0, 25).Reverse())
        {
            var (customer, currency) = (i % 2 == 0 ? "C-1" : "C-2", i % 3 == 0 ? "EUR" : "USD");
            var id = "P-" + i.ToString("00", System.Globalization.CultureInfo.InvariantCulture);
            var state = CaseState.Open(PortSamples.Invoice(id, customer, currency: currency), PortSamples.Customer(customer), DefaultPolicy.Value, JurisdictionFacts.Unknown("US-CA"), PortSamples.Now);
            if (i % 4 == 0)
            {
                state = CaseDecider.Evolve(state, new CaseEvent.DisputeOpened(PortSamples.Now.AddHours(1), "wrong colour"));
            }

            var record = PortSamples.Record(state);
            await store.SaveAsync(record, default);
            saved.Add(record.Status);
        }

        foreach (var query in new[]
        {
            new CaseQuery(Limit: 7),
            new CaseQuery(Limit: 1),
            new CaseQuery(Limit: 25),
            new CaseQuery(Limit: 1000),
            new CaseQuery(Status: "dispute", Limit: 2),
            new CaseQuery(Customer: new CustomerId("C-2"), Limit: 4),
            new CaseQuery(Currency: "EUR", Status: "open", Limit: 3),
            new CaseQuery(Customer: new CustomerId("NOBODY"), Limit: 3),
        })
        {
            var read = new List<string>();
            var page = await store.PageAsync(query, default);
            for (var pages = 1; ; pages++)
            {
                Assert.True(page.Cases.Count <= query.Limit, $"{page.Cases.Count} cases on a page of {query.Limit}");
                Assert.All(page.Cases, c => Assert.True(query.Matches(c), $"{c.InvoiceId} does not match {query}"));
                read.AddRange(page.Cases.Select(c => c.InvoiceId.Value));
                if (page.Next is null)
                {
                    break;
                }

                Assert.True(pages < 100, "paging does not end");
                page = await store.PageAsync(query with { After = page.Next }, default);
            }

            var expected = saved.Where(query.Matches).Select(c => c.InvoiceId.Value).Order(StringComparer.Ordinal);
            Assert.Equal(expected, read);
        }
    }

    [Fact]
    public async Task A_customers_cases_are_all_of_theirs_and_the_open_ones_those_not_ended()
    {
        var store = await CreateAsync();
        var closed = CaseDecider.Evolve(PortSamples.Case("CLOSED"), new CaseEvent.CaseClosed(PortSamples.Now, OutcomeKind.Paid, "paid"));
        var other = PortSamples.Case("OTHER") with { Customer = PortSamples.Customer("C-2") };
        foreach (var state in new[] { PortSamples.Case("B"), PortSamples.Case("A"), closed, other })
        {
            await store.SaveAsync(PortSamples.Record(state), default);
        }

        Assert.Equal(["A", "B"], (await store.OpenCasesOfAsync(PortSamples.Customer().Id, default)).Select(i => i.Value));
        Assert.Empty(await store.OpenCasesOfAsync(new CustomerId("NOBODY"), default));
        Assert.Equal([PortSamples.Case("A"), PortSamples.Case("B"), closed], await store.CasesOfAsync(PortSamples.Customer().Id, default));
        Assert.Empty(await store.CasesOfAsync(new CustomerId("NOBODY"), default));
    }

    [Fact]
    public async Task A_call_task_added_twice_is_listed_once()
    {
        var store = await CreateAsync();
        var task = new CallTask("INV-1/step-call", new InvoiceId("INV-1"), "Acme", "Pat", "+1 555 0101", "I'm calling about invoice N-1.", PortSamples.Now);

        await store.AddCallTaskAsync(task, default);
        await store.AddCallTaskAsync(task with { Script = "changed" }, default);

        Assert.Equal([task], await store.CallTasksAsync(default));
    }

    [Fact]
    public async Task A_call_is_logged_once_and_the_first_log_stands()
    {
        var store = await CreateAsync();
        var task = new CallTask("INV-1/step-call", new InvoiceId("INV-1"), "Acme", "Pat", "+1 555 0101", "I'm calling about invoice N-1.", PortSamples.Now);
        await store.AddCallTaskAsync(task, default);
        var first = new CallLog(PortSamples.Now.AddHours(2), CallOutcome.NoAnswer, "left a message");

        Assert.True(await store.LogCallAsync(task.Key, first, default));
        Assert.False(await store.LogCallAsync(task.Key, new CallLog(PortSamples.Now.AddHours(3), CallOutcome.Reached, null), default));
        Assert.False(await store.LogCallAsync("INV-9/step-call", first, default));

        Assert.Equal(task with { Logged = first }, await store.CallTaskAsync(task.Key, default));
        Assert.Equal([task with { Logged = first }], await store.CallTasksAsync(default));
        Assert.Null(await store.CallTaskAsync("INV-9/step-call", default));
    }
}

/// <summary>What every <see cref="IWebhookInbox"/> must do.</summary>
public abstract class WebhookInboxContract
{
    protected abstract Task<IWebhookInbox> CreateAsync();

    private static WebhookReceipt Receipt(string provider, string eventId) =>
        new(provider, eventId, PortSamples.Now, "{\"id\":\"" + eventId + "\"}", "INV-1");

    [Fact]
    public async Task An_event_id_is_recorded_once_per_provider()
    {
        var inbox = await CreateAsync();

        Assert.True(await inbox.TryRecordAsync(Receipt("stripe", "evt_1/with:odd#chars?"), default));
        Assert.False(await inbox.TryRecordAsync(Receipt("stripe", "evt_1/with:odd#chars?"), default));
        Assert.True(await inbox.TryRecordAsync(Receipt("generic", "evt_1/with:odd#chars?"), default));
    }

    [Fact]
    public async Task A_recorded_event_is_seen_and_only_for_its_provider()
    {
        var inbox = await CreateAsync();
        Assert.False(await inbox.SeenAsync("stripe", "evt_2/odd#id?", default));

        await inbox.TryRecordAsync(Receipt("stripe", "evt_2/odd#id?"), default);

        Assert.True(await inbox.SeenAsync("stripe", "evt_2/odd#id?", default));
        Assert.False(await inbox.SeenAsync("generic", "evt_2/odd#id?", default));
    }

    [Fact]
    public async Task A_delivery_kept_for_review_twice_is_kept_once()
    {
        var inbox = await CreateAsync();
        var receipt = Receipt("generic", "evt_4");

        await inbox.StoreForReviewAsync(receipt, "no invoice 'INV-1' in the ledger", default);
        await inbox.StoreForReviewAsync(receipt, "no invoice 'INV-1' in the ledger", default);

        Assert.Equal([receipt], await inbox.ForReviewAsync(default));
    }

    [Fact]
    public async Task Deliveries_for_review_are_kept_with_their_payload()
    {
        var inbox = await CreateAsync();
        var receipt = Receipt("generic", "evt_3");

        await inbox.StoreForReviewAsync(receipt, "no invoice 'INV-1' in the ledger", default);

        Assert.Equal([receipt], await inbox.ForReviewAsync(default));
    }
}

/// <summary>What every <see cref="ISignalNotes"/> must do. Derive once per adapter and supply a fresh, empty store.</summary>
public abstract class SignalNotesContract
{
    private static readonly InvoiceId Invoice = new("INV-1.a_b");

    protected abstract Task<ISignalNotes> CreateAsync();

    /// <summary>A payment in a currency the case does not use, refused as the orchestration refuses it.</summary>
    private static SignalNote Refused(DateTimeOffset at, decimal amount = 50m)
    {
        var signal = new CaseEvent.PaymentReceived(at.AddMinutes(-5), new Money(amount, "EUR"), "wire 7", "manual");
        var reception = CaseDecider.Receive(PortSamples.Case(), signal);
        return SignalNote.Of(SignalNote.IdOf(signal, at), signal, at, reception);
    }

    [Fact]
    public async Task A_refused_signal_noted_twice_is_kept_once_with_its_reason_and_time()
    {
        var notes = await CreateAsync();
        var note = Refused(PortSamples.Now);
        Assert.Equal(SignalNote.Refused, note.Outcome);

        await notes.AddAsync(Invoice, note, default);
        await notes.AddAsync(Invoice, note, default);

        var kept = Assert.Single(await notes.OfAsync(Invoice, default));
        Assert.Equal(note, kept);
        Assert.Contains("EUR", kept.Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_note_added_at_once_by_eight_writers_is_kept_once()
    {
        var notes = await CreateAsync();
        var note = Refused(PortSamples.Now);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => notes.AddAsync(Invoice, note, default))));

        Assert.Equal([note], await notes.OfAsync(Invoice, default));
    }

    [Fact]
    public async Task Notes_come_back_oldest_first_and_only_for_their_case()
    {
        var notes = await CreateAsync();
        var later = Refused(PortSamples.Now.AddHours(2));
        var earlier = Refused(PortSamples.Now);
        var sameTimeOtherSignal = Refused(PortSamples.Now, amount: 60m);

        await notes.AddAsync(Invoice, later, default);
        await notes.AddAsync(Invoice, earlier, default);
        await notes.AddAsync(Invoice, sameTimeOtherSignal, default);
        await notes.AddAsync(new InvoiceId("INV-2"), Refused(PortSamples.Now.AddHours(1)), default);

        var kept = await notes.OfAsync(Invoice, default);
        Assert.Equal(3, kept.Count);
        Assert.Equal(later, kept[^1]);
        Assert.Equal(new[] { earlier, sameTimeOtherSignal }.OrderBy(n => n.Id, StringComparer.Ordinal), kept.Take(2));
        Assert.Empty(await notes.OfAsync(new InvoiceId("INV-3"), default));
    }
}

public sealed class InMemoryLedgerContract : LedgerContract
{
    protected override Task<ILedger> CreateAsync() => Task.FromResult<ILedger>(new InMemoryLedger());
}

public sealed class InMemoryCaseStoreContract : CaseStoreContract
{
    protected override Task<ICaseStore> CreateAsync() => Task.FromResult<ICaseStore>(new InMemoryCaseStore());
}

public sealed class InMemoryWebhookInboxContract : WebhookInboxContract
{
    protected override Task<IWebhookInbox> CreateAsync() => Task.FromResult<IWebhookInbox>(new InMemoryWebhookInbox());
}

public sealed class InMemoryContactLedgerContract : ContactLedgerContract
{
    protected override Task<IContactLedger> CreateAsync() => Task.FromResult<IContactLedger>(new InMemoryContactLedger());
}

public sealed class InMemorySignalNotesContract : SignalNotesContract
{
    protected override Task<ISignalNotes> CreateAsync() => Task.FromResult<ISignalNotes>(new InMemorySignalNotes());
}
