using System.Collections.Concurrent;
using Dunning.Cases;
using Dunning.Common;
using Dunning.Customers;
using Dunning.Evidence;
using Dunning.Invoices;
using Dunning.Messages;
using Dunning.Ports;

namespace Dunning.Tests.Ports;

/// <summary>
/// The simplest correct implementation of every port: the reference the contract suites are
/// checked against, and the fixture for use-case tests.
/// </summary>
public sealed class InMemoryLedger : ILedger
{
    private readonly HashSet<string> appliedKeys = new(StringComparer.Ordinal);

    private readonly ConcurrentDictionary<CustomerId, Customer> customers = new();
    private readonly ConcurrentDictionary<InvoiceId, Invoice> invoices = new();
    private readonly ConcurrentDictionary<InvoiceId, bool> started = new();

    public Task UpsertAsync(IReadOnlyList<Customer> newCustomers, IReadOnlyList<Invoice> newInvoices, CancellationToken ct)
    {
        foreach (var c in newCustomers)
        {
            customers[c.Id] = c;
        }

        foreach (var i in newInvoices)
        {
            invoices[i.Id] = i;
        }

        return Task.CompletedTask;
    }

    public Task<Customer?> GetCustomerAsync(CustomerId id, CancellationToken ct) => Task.FromResult(customers.GetValueOrDefault(id));

    public Task<Invoice?> GetInvoiceAsync(InvoiceId id, CancellationToken ct) => Task.FromResult(invoices.GetValueOrDefault(id));

    public Task<IReadOnlySet<CustomerId>> ExistingCustomersAsync(IEnumerable<CustomerId> ids, CancellationToken ct) =>
        Task.FromResult<IReadOnlySet<CustomerId>>(ids.Where(customers.ContainsKey).ToHashSet());

    public Task<IReadOnlyList<Invoice>> PendingAsync(DateOnly dueOnOrBefore, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<Invoice>>([.. invoices.Values.Where(i => !started.ContainsKey(i.Id) && i.DueDate <= dueOnOrBefore).OrderBy(i => i.DueDate).ThenBy(i => i.Id.Value, StringComparer.Ordinal)]);

    public Task MarkStartedAsync(InvoiceId id, CancellationToken ct)
    {
        started[id] = true;
        return Task.CompletedTask;
    }

    public Task ApplyPaymentAsync(InvoiceId id, LedgerPayment payment, CancellationToken ct)
    {
        lock (appliedKeys)
        {
            if (!invoices.ContainsKey(id))
            {
                throw new KeyNotFoundException(id.Value);
            }

            var earlier = appliedKeys.ToList();
            if (appliedKeys.Add(payment.StoredKey))
            {
                invoices.AddOrUpdate(id, _ => throw new KeyNotFoundException(id.Value), (_, i) => payment.ApplyTo(i, earlier));
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<Invoice>> OutstandingAsync(CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<Invoice>>([.. invoices.Values.Where(i => i.Outstanding.IsPositive).OrderBy(i => i.Id.Value, StringComparer.Ordinal)]);
}

public sealed class InMemoryCaseStore : ICaseStore
{
    private readonly ConcurrentDictionary<InvoiceId, CaseRecord> records = new();
    private readonly ConcurrentDictionary<string, CallTask> tasks = new();

    public Task SaveAsync(CaseRecord record, CancellationToken ct)
    {
        records[record.State.InvoiceId] = record;
        return Task.CompletedTask;
    }

    public Task<CaseRecord?> GetAsync(InvoiceId id, CancellationToken ct) => Task.FromResult(records.GetValueOrDefault(id));

    public Task<IReadOnlyList<CaseStatus>> ListAsync(string? status, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<CaseStatus>>([.. records.Values.Select(r => r.Status).Where(s => status is null || s.Status == status).OrderBy(s => s.InvoiceId.Value, StringComparer.Ordinal)]);

    public Task<IReadOnlyList<CaseRecord>> AllAsync(CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<CaseRecord>>([.. records.Values.OrderBy(r => r.State.InvoiceId.Value, StringComparer.Ordinal)]);

    public Task<CasePage> PageAsync(CaseQuery query, CancellationToken ct)
    {
        var rows = records.Values.Select(r => r.Status)
            .Where(s => query.Matches(s) && string.CompareOrdinal(s.InvoiceId.Value, query.After ?? string.Empty) > 0)
            .OrderBy(s => s.InvoiceId.Value, StringComparer.Ordinal)
            .Take(query.Limit + 1)
            .ToList();
        return Task.FromResult(rows.Count > query.Limit ? new CasePage(rows[..query.Limit], rows[query.Limit - 1].InvoiceId.Value) : new CasePage(rows, null));
    }

    public Task<IReadOnlyList<CaseState>> CasesOfAsync(CustomerId customer, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<CaseState>>([.. records.Values
            .Where(r => r.State.Customer.Id == customer)
            .Select(r => r.State)
            .OrderBy(s => s.InvoiceId.Value, StringComparer.Ordinal)]);

    public Task<IReadOnlyList<InvoiceId>> OpenCasesOfAsync(CustomerId customer, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<InvoiceId>>([.. records.Values
            .Where(r => r.State.Customer.Id == customer && r.State.Outcome is null)
            .Select(r => r.State.InvoiceId)
            .OrderBy(i => i.Value, StringComparer.Ordinal)]);

    public Task AddCallTaskAsync(CallTask task, CancellationToken ct)
    {
        tasks.TryAdd(task.Key, task);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<CallTask>> CallTasksAsync(CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<CallTask>>([.. tasks.Values.OrderBy(t => t.CreatedAt).ThenBy(t => t.Key, StringComparer.Ordinal)]);

    public Task<CallTask?> CallTaskAsync(string key, CancellationToken ct) => Task.FromResult(tasks.GetValueOrDefault(key));

    public Task<bool> LogCallAsync(string key, CallLog log, CancellationToken ct)
    {
        while (tasks.TryGetValue(key, out var task) && task.Logged is null)
        {
            if (tasks.TryUpdate(key, task with { Logged = log }, task))
            {
                return Task.FromResult(true);
            }
        }

        return Task.FromResult(false);
    }
}

public sealed class InMemorySignalNotes : ISignalNotes
{
    private readonly ConcurrentDictionary<InvoiceId, ConcurrentDictionary<string, SignalNote>> notes = new();

    public Task AddAsync(InvoiceId id, SignalNote note, CancellationToken ct)
    {
        notes.GetOrAdd(id, _ => new(StringComparer.Ordinal)).TryAdd(note.Id, note);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<SignalNote>> OfAsync(InvoiceId id, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<SignalNote>>(notes.TryGetValue(id, out var of)
            ? [.. of.Values.OrderBy(n => n.ReceivedAt).ThenBy(n => n.Id, StringComparer.Ordinal)]
            : []);
}

public sealed class InMemoryWebhookInbox : IWebhookInbox
{
    private readonly ConcurrentDictionary<(string, string), WebhookReceipt> seen = new();
    private readonly ConcurrentDictionary<(string, string), WebhookReceipt> review = new();

    public Task<bool> TryRecordAsync(WebhookReceipt receipt, CancellationToken ct) =>
        Task.FromResult(seen.TryAdd((receipt.Provider, receipt.EventId), receipt));

    public Task<bool> SeenAsync(string provider, string eventId, CancellationToken ct) =>
        Task.FromResult(seen.ContainsKey((provider, eventId)));

    public Task StoreForReviewAsync(WebhookReceipt receipt, string reason, CancellationToken ct)
    {
        review.TryAdd((receipt.Provider, receipt.EventId), receipt);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<WebhookReceipt>> ForReviewAsync(CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<WebhookReceipt>>([.. review.Values.OrderBy(r => r.ReceivedAt)]);
}

public sealed class InMemoryMailer : IMailer
{
    public ConcurrentDictionary<string, OutgoingEmail> Sent { get; } = new();

    public Task SendAsync(OutgoingEmail email, CancellationToken ct)
    {
        Sent.TryAdd(email.Key, email);
        return Task.CompletedTask;
    }
}

public sealed class InMemoryDocuments : IDocumentStore
{
    public ConcurrentDictionary<string, Message> Letters { get; } = new();

    public ConcurrentDictionary<string, byte[]> LetterPdfs { get; } = new();

    public ConcurrentDictionary<InvoiceId, EvidenceBundle> Evidence { get; } = new();

    public Task<string> SaveLetterAsync(InvoiceId invoice, string key, Message letter, byte[] pdf, CancellationToken ct)
    {
        Letters.TryAdd($"{invoice}/{key}", letter);
        LetterPdfs.TryAdd($"{invoice}/{key}", pdf);
        return Task.FromResult($"memory://letters/{invoice}/{key}");
    }

    public Task<string> SaveEvidenceAsync(InvoiceId invoice, EvidenceBundle bundle, CancellationToken ct)
    {
        Evidence.TryAdd(invoice, bundle);
        return Task.FromResult($"memory://evidence/{invoice}");
    }
}

/// <summary>A workflow engine that applies signals at once and keeps the case projection current.</summary>
public sealed class InMemoryWorkflows(ICaseStore cases, TimeProvider time) : IWorkflows
{
    public List<(InvoiceId Id, CaseEvent Signal)> Signals { get; } = [];

    public async Task<bool> StartAsync(CaseState initial, CancellationToken ct)
    {
        if (await cases.GetAsync(initial.InvoiceId, ct) is not null)
        {
            return false;
        }

        await SaveAsync(initial, ct);
        return true;
    }

    public async Task SignalAsync(InvoiceId id, CaseEvent signal, CancellationToken ct)
    {
        var record = await cases.GetAsync(id, ct) ?? throw new KeyNotFoundException(id.Value);
        Signals.Add((id, signal));
        await SaveAsync(CaseDecider.Evolve(record.State, signal), ct);
    }

    private Task SaveAsync(CaseState state, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        return cases.SaveAsync(new CaseRecord(state, CaseStatus.Of(state, CaseDecider.Decide(state, now), now)), ct);
    }
}

/// <summary>Each customer's contact ledger in a dictionary; one lock makes every change atomic.</summary>
public sealed class InMemoryContactLedger : IContactLedger
{
    private readonly Dictionary<CustomerId, CustomerContacts> records = [];

    public Task<CustomerContacts> GetAsync(CustomerId customer, CancellationToken ct)
    {
        lock (records)
        {
            return Task.FromResult(records.GetValueOrDefault(customer) ?? ContactLedger.Empty(customer));
        }
    }

    public Task<T> UpdateAsync<T>(CustomerId customer, Func<CustomerContacts, (CustomerContacts Record, T Answer)> change, CancellationToken ct)
    {
        lock (records)
        {
            var (record, answer) = change(records.GetValueOrDefault(customer) ?? ContactLedger.Empty(customer));
            records[customer] = record;
            return Task.FromResult(answer);
        }
    }
}
