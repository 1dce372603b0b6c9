using Dunning.Cases;
using Dunning.Common;
using Dunning.Customers;
using Dunning.Evidence;
using Dunning.Invoices;
using Dunning.Messages;

namespace Dunning.Ports;

/// <summary>Invoices and customers as the business's ledger knows them.</summary>
public interface ILedger
{
    /// <summary>Insert or replace by id, all in one go: either every row is written or none is.</summary>
    Task UpsertAsync(IReadOnlyList<Customer> customers, IReadOnlyList<Invoice> invoices, CancellationToken ct);

    /// <summary>
    /// <see cref="UpsertAsync"/> fed one row at a time, for an import that must not hold its whole file: nothing is
    /// written until <see cref="ILedgerUpsert.CommitAsync"/>, and disposing it uncommitted writes nothing. A store that
    /// can hold one transaction open (the SQLite ledger) writes each row as it comes; any other keeps the rows and
    /// upserts them at the commit.
    /// </summary>
    Task<ILedgerUpsert> BeginUpsertAsync(CancellationToken ct) => Task.FromResult<ILedgerUpsert>(new BufferedUpsert(this));

    Task<Customer?> GetCustomerAsync(CustomerId id, CancellationToken ct);

    Task<Invoice?> GetInvoiceAsync(InvoiceId id, CancellationToken ct);

    /// <summary>Which of these customer ids exist (for validating an import that names customers not in the file).</summary>
    Task<IReadOnlySet<CustomerId>> ExistingCustomersAsync(IEnumerable<CustomerId> ids, CancellationToken ct);

    /// <summary>
    /// Invoices with no case yet, due on or before <paramref name="dueOnOrBefore"/>. Stores keep these
    /// apart from the rest, so a scan costs what is newly overdue, not the whole ledger.
    /// </summary>
    Task<IReadOnlyList<Invoice>> PendingAsync(DateOnly dueOnOrBefore, CancellationToken ct);

    /// <summary>The invoice has a case (or needs none): it leaves the pending set.</summary>
    Task MarkStartedAsync(InvoiceId id, CancellationToken ct);

    /// <summary>
    /// <see cref="MarkStartedAsync(InvoiceId, CancellationToken)"/> for many invoices; a store that can do it in one write (the SQLite ledger) does.
    /// Repeating it is harmless, so a scan interrupted half-way marks the rest the next time.
    /// </summary>
    async Task MarkAllStartedAsync(IReadOnlyList<InvoiceId> ids, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ids);
        foreach (var id in ids)
        {
            await MarkStartedAsync(id, ct);
        }
    }

    /// <summary>The customers among <paramref name="ids"/> that the ledger holds; a store that can read them in one query does.</summary>
    async Task<IReadOnlyDictionary<CustomerId, Customer>> GetCustomersAsync(IEnumerable<CustomerId> ids, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var found = new Dictionary<CustomerId, Customer>();
        foreach (var id in ids.Distinct())
        {
            if (await GetCustomerAsync(id, ct) is { } customer)
            {
                found[id] = customer;
            }
        }

        return found;
    }

    /// <summary>
    /// A payment or refund for an invoice with no case: the ledger's amount_paid changes, so no case starts for money
    /// already paid. Applied once per <see cref="LedgerPayment.StoredKey"/>, and the check and the change are one write:
    /// a delivery retried after a crash changes nothing the second time. <see cref="LedgerPayment.ApplyTo"/> does the sums.
    /// </summary>
    Task ApplyPaymentAsync(InvoiceId id, LedgerPayment payment, CancellationToken ct);

    /// <summary>Every invoice with something outstanding, for the aging report.</summary>
    Task<IReadOnlyList<Invoice>> OutstandingAsync(CancellationToken ct);
}

/// <summary>One all-or-nothing upsert of customers and invoices, fed a row at a time (<see cref="ILedger.BeginUpsertAsync"/>).</summary>
public interface ILedgerUpsert : IAsyncDisposable
{
    Task AddAsync(Customer customer, CancellationToken ct);

    /// <summary>An invoice; its customer is in the ledger or was added before it.</summary>
    Task AddAsync(Invoice invoice, CancellationToken ct);

    /// <summary>Makes every row added visible at once. Without it, nothing added is.</summary>
    Task CommitAsync(CancellationToken ct);
}

/// <summary>The rows kept until the commit, then one <see cref="ILedger.UpsertAsync"/>: for stores with no long transaction.</summary>
public sealed class BufferedUpsert(ILedger ledger) : ILedgerUpsert
{
    private readonly List<Customer> customers = [];
    private readonly List<Invoice> invoices = [];

    public Task AddAsync(Customer customer, CancellationToken ct)
    {
        customers.Add(customer);
        return Task.CompletedTask;
    }

    public Task AddAsync(Invoice invoice, CancellationToken ct)
    {
        invoices.Add(invoice);
        return Task.CompletedTask;
    }

    public Task CommitAsync(CancellationToken ct) => ledger.UpsertAsync(customers, invoices, ct);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>Which cases a page holds: filters (each optional), where to continue from, and how many at most.</summary>
/// <param name="Status">One of <see cref="CaseStatus.Statuses"/>.</param>
/// <param name="Customer">Only this customer's cases.</param>
/// <param name="Currency">Only cases in this ISO 4217 currency.</param>
/// <param name="After">A store's own position from a previous <see cref="CasePage.Next"/>; null for the first page.</param>
/// <param name="Limit">At most this many cases (1 to <see cref="MaxLimit"/>).</param>
public sealed record CaseQuery(string? Status = null, CustomerId? Customer = null, string? Currency = null, string? After = null, int Limit = CaseQuery.DefaultLimit)
{
    public const int DefaultLimit = 100;

    public const int MaxLimit = 1000;

    public bool Matches(CaseStatus status) =>
        (Status is null || status.Status == Status)
        && (Customer is null || status.CustomerId == Customer)
        && (Currency is null || status.Balance.Currency == Currency);
}

/// <summary>A page of cases, and the store's position to continue from (null when this was the last page).</summary>
public sealed record CasePage(IReadOnlyList<CaseStatus> Cases, string? Next);

/// <summary>The readable projection of every case, and the call tasks waiting for a person.</summary>
public interface ICaseStore
{
    Task SaveAsync(CaseRecord record, CancellationToken ct);

    /// <summary>
    /// Which of <paramref name="ids"/> may have a case: a store that can tell in one query answers exactly; any other
    /// answers all of them, and the caller reads each.
    /// </summary>
    Task<IReadOnlySet<InvoiceId>> WithCasesAsync(IReadOnlyCollection<InvoiceId> ids, CancellationToken ct) =>
        Task.FromResult<IReadOnlySet<InvoiceId>>(ids.ToHashSet());

    Task<CaseRecord?> GetAsync(InvoiceId id, CancellationToken ct);

    /// <summary>Cases, optionally only those whose <see cref="CaseStatus.Status"/> equals <paramref name="status"/>.</summary>
    Task<IReadOnlyList<CaseStatus>> ListAsync(string? status, CancellationToken ct);

    /// <summary>
    /// One page of cases in invoice-id order, filtered by <see cref="CaseQuery"/>: at most <see cref="CaseQuery.Limit"/>,
    /// and a position to continue from when there may be more. Following <see cref="CasePage.Next"/> until it is null
    /// yields every matching case exactly once, whatever the page size.
    /// </summary>
    Task<CasePage> PageAsync(CaseQuery query, CancellationToken ct);

    /// <summary>Every case with its state and status, in one read (reports and the dashboard).</summary>
    Task<IReadOnlyList<CaseRecord>> AllAsync(CancellationToken ct);

    /// <summary>Every case of the customer, ended or not: their payment history.</summary>
    Task<IReadOnlyList<CaseState>> CasesOfAsync(CustomerId customer, CancellationToken ct);

    /// <summary>The customer's cases that have not ended (open, on a plan, disputed or paused).</summary>
    Task<IReadOnlyList<InvoiceId>> OpenCasesOfAsync(CustomerId customer, CancellationToken ct);

    /// <summary>Adds a call task once: a second add with the same key changes nothing.</summary>
    Task AddCallTaskAsync(CallTask task, CancellationToken ct);

    Task<IReadOnlyList<CallTask>> CallTasksAsync(CancellationToken ct);

    Task<CallTask?> CallTaskAsync(string key, CancellationToken ct);

    /// <summary>Records how the call went. False when there is no such task or it was logged already (the first log stands).</summary>
    Task<bool> LogCallAsync(string key, CallLog log, CancellationToken ct);
}

/// <summary>
/// What became of the signals a case did not apply, kept beside the case for its timeline (<see cref="SignalNote"/>):
/// a 202 said "queued", so a later refusal must be visible to whoever sent it. The Azure host keeps them here; the
/// local runner's inbox holds every signal with its outcome itself.
/// </summary>
public interface ISignalNotes
{
    /// <summary>Adds the note once: a second add with the same <see cref="SignalNote.Id"/> changes nothing (a retried activity).</summary>
    Task AddAsync(InvoiceId id, SignalNote note, CancellationToken ct);

    /// <summary>The case's notes, oldest first.</summary>
    Task<IReadOnlyList<SignalNote>> OfAsync(InvoiceId id, CancellationToken ct);
}

/// <summary>
/// Each customer's contact ledger (<see cref="CustomerContacts"/>), stored atomically. The rules are the core's
/// (<see cref="ContactLedger"/>); an adapter only reads the customer's record, applies the change and writes it back
/// so that two changes to one customer never interleave (a transaction, or optimistic concurrency with retries).
/// </summary>
public interface IContactLedger
{
    /// <summary>The customer's record, or an empty one.</summary>
    Task<CustomerContacts> GetAsync(CustomerId customer, CancellationToken ct);

    /// <summary>
    /// Applies <paramref name="change"/> to the customer's record atomically and returns its answer. The change is pure
    /// and may run more than once (a retry after a concurrent write); when it returns the same record, nothing is written.
    /// </summary>
    Task<T> UpdateAsync<T>(CustomerId customer, Func<CustomerContacts, (CustomerContacts Record, T Answer)> change, CancellationToken ct);
}

/// <summary>The operations on <see cref="IContactLedger"/>, whatever stores it.</summary>
public static class ContactLedgerPort
{
    /// <summary>Reserves a contact (<see cref="ContactLedger.Reserve"/>): idempotent by the request's key.</summary>
    public static Task<Reservation> ReserveAsync(this IContactLedger ledger, ReservationRequest request, CancellationToken ct) =>
        ledger.UpdateAsync(request.Customer, record => ContactLedger.Reserve(record, request), ct);

    /// <summary>Records a customer-level cease or opt-out; true when it changed the record.</summary>
    public static Task<bool> RequestAsync(this IContactLedger ledger, CustomerId customer, Channel? channel, DateTimeOffset at, string? note, CancellationToken ct) =>
        ledger.UpdateAsync(customer, record =>
        {
            var next = ContactLedger.Request(record, channel, at, note);
            return (next, !ReferenceEquals(next, record));
        }, ct);
}

/// <summary>Webhook deliveries seen, by provider event id, and those that matched no invoice.</summary>
public interface IWebhookInbox
{
    /// <summary>Whether this provider's event id was recorded (a delivery acted on before).</summary>
    Task<bool> SeenAsync(string provider, string eventId, CancellationToken ct);

    /// <summary>Records a delivery; false when this provider's event id was recorded before.</summary>
    Task<bool> TryRecordAsync(WebhookReceipt receipt, CancellationToken ct);

    /// <summary>Keeps a verified delivery that matched no case (unknown invoice, other currency) for a person to look at; once per event.</summary>
    Task StoreForReviewAsync(WebhookReceipt receipt, string reason, CancellationToken ct);

    Task<IReadOnlyList<WebhookReceipt>> ForReviewAsync(CancellationToken ct);
}

/// <summary>Sends email. Sending the same <see cref="OutgoingEmail.Key"/> twice delivers it once.</summary>
public interface IMailer
{
    Task SendAsync(OutgoingEmail email, CancellationToken ct);
}

/// <summary>Letters and evidence bundles, written once and never overwritten.</summary>
public interface IDocumentStore
{
    /// <summary>Stores a letter for printing and posting (the PDF to post, the message beside it); returns where the PDF is. Idempotent by key.</summary>
    Task<string> SaveLetterAsync(InvoiceId invoice, string key, Message letter, byte[] pdf, CancellationToken ct);

    /// <summary>Stores a case's evidence bundle; returns where it is. Idempotent per invoice.</summary>
    Task<string> SaveEvidenceAsync(InvoiceId invoice, EvidenceBundle bundle, CancellationToken ct);
}

/// <summary>Starts and signals the durable workflow of a case (Durable Functions, or the local runner).</summary>
public interface IWorkflows
{
    /// <summary>Starts the case's workflow; false (and nothing changes) if it already exists.</summary>
    Task<bool> StartAsync(CaseState initial, CancellationToken ct);

    /// <summary>
    /// <see cref="StartAsync(CaseState, CancellationToken)"/> for many cases, answering how many were new; a host that can start them in one write
    /// (the local runner) does.
    /// </summary>
    async Task<int> StartAllAsync(IReadOnlyList<CaseState> initial, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(initial);
        var started = 0;
        foreach (var state in initial)
        {
            started += await StartAsync(state, ct) ? 1 : 0;
        }

        return started;
    }

    /// <summary>Delivers a signal to a running case, or applies it to an ended one (a late payment, a refund).</summary>
    Task SignalAsync(InvoiceId id, CaseEvent signal, CancellationToken ct);
}

public sealed record OutgoingEmail(string Key, string From, string FromName, string To, string ToName, string Subject, string Text, string Html);

public sealed record CallTask(
    string Key,
    InvoiceId InvoiceId,
    string CustomerName,
    string ContactName,
    string Phone,
    string Script,
    DateTimeOffset CreatedAt)
{
    /// <summary>How the call went, once a person has made it and said so; null while it is still to make.</summary>
    public CallLog? Logged { get; init; }

    /// <summary>
    /// Whether a person should still make this call: not once it is logged, and not while its case is paid or ended,
    /// halted for a plan, dispute or pause, or the customer has asked not to be called. A task whose case is unknown
    /// here (<paramref name="state"/> null) is still to make.
    /// </summary>
    public bool IsToMake(CaseState? state) =>
        Logged is null && (state is null || (state.Outcome is null && !state.IsHalted && state.IsChannelOpen(Channel.Call)));

    /// <summary>Who to ask for: "Pat Lee at Harbor Bakery", or just "Harbor Bakery" when the contact has no name of their own.</summary>
    public string Who => string.IsNullOrWhiteSpace(ContactName) || string.Equals(ContactName, CustomerName, StringComparison.Ordinal)
        ? CustomerName
        : $"{ContactName} at {CustomerName}";
}

/// <summary>A call as the person who made it logged it.</summary>
public sealed record CallLog(DateTimeOffset At, CallOutcome Outcome, string? Note);

public sealed record WebhookReceipt(string Provider, string EventId, DateTimeOffset ReceivedAt, string Payload, string? InvoiceId);
