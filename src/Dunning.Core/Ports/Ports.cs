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
    /// A payment (negative: a refund) for an invoice with no case: the ledger's amount_paid changes,
    /// so no case starts for money already paid. Applied once per <paramref name="key"/> (the provider's
    /// event): a delivery retried after a crash changes nothing the second time.
    /// </summary>
    Task ApplyPaymentAsync(InvoiceId id, Money amount, string key, CancellationToken ct);

    /// <summary>Every invoice with something outstanding, for the aging report.</summary>
    Task<IReadOnlyList<Invoice>> OutstandingAsync(CancellationToken ct);
}

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

    /// <summary>Every case with its state and status, in one read (reports and the dashboard).</summary>
    Task<IReadOnlyList<CaseRecord>> AllAsync(CancellationToken ct);

    /// <summary>Every case of the customer, ended or not: their payment history.</summary>
    Task<IReadOnlyList<CaseState>> CasesOfAsync(CustomerId customer, CancellationToken ct);

    /// <summary>The customer's cases that have not ended (open, on a plan, disputed or paused).</summary>
    Task<IReadOnlyList<InvoiceId>> OpenCasesOfAsync(CustomerId customer, CancellationToken ct);

    /// <summary>Adds a call task once: a second add with the same key changes nothing.</summary>
    Task AddCallTaskAsync(CallTask task, CancellationToken ct);

    Task<IReadOnlyList<CallTask>> CallTasksAsync(CancellationToken ct);
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
    /// <summary>Stores a letter for printing and posting; returns where it is. Idempotent by key.</summary>
    Task<string> SaveLetterAsync(InvoiceId invoice, string key, Message letter, CancellationToken ct);

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
    DateTimeOffset CreatedAt);

public sealed record WebhookReceipt(string Provider, string EventId, DateTimeOffset ReceivedAt, string Payload, string? InvoiceId);
