using System.Text.Json;
using Dunning.Cases;
using Dunning.Common;
using Dunning.Customers;
using Dunning.Import;
using Dunning.Invoices;
using Dunning.Ports;

namespace Dunning.UseCases;

/// <summary>
/// What an import did, or why it did nothing. <see cref="Errors"/> lists the first <see cref="ImportErrors.DefaultKeep"/>
/// problems in the order they were met; <see cref="ErrorCount"/> counts them all.
/// </summary>
public sealed record ImportReport(int Customers, int Invoices, int CasesTold, ValueList<ImportError> Errors)
{
    public int ErrorCount { get; init; }

    public static ImportReport Failed(ImportErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return new(0, 0, 0, errors.ToValueList()) { ErrorCount = errors.Found };
    }
}

/// <summary>
/// Imports customers and invoices from CSV files or JSON bodies. All or nothing: every problem in
/// every row is reported and then nothing is written. An invoice whose case is running is told of
/// the change (a corrected amount, a payment the ledger saw), so the case never works from stale numbers.
/// </summary>
/// <remarks>
/// Rows flow from the file to the ledger one at a time: each is checked, then handed to one ledger upsert
/// (<see cref="ILedger.BeginUpsertAsync"/>) that is committed only if no row of either file had a problem. What is
/// held meanwhile is a set of customer ids, the ids already met (for duplicates), and the ids of imported invoices
/// that have a case; never the rows themselves, so a million-invoice file costs about what a thousand do.
/// </remarks>
public sealed class LedgerImport(ILedger ledger, ICaseStore cases, IWorkflows workflows, TimeProvider clock)
{
    /// <summary>Invoice ids per question to the case store ("which of these have a case?").</summary>
    private const int CaseBatch = 1_000;

    /// <summary>
    /// <paramref name="invoices"/> opens the invoices file. It is read once; a second time only when an import is refused
    /// because a row names a customer that is neither in the customers file nor in the ledger (see below).
    /// </summary>
    public async Task<ImportReport> ImportCsvAsync(
        string customersFile, TextReader? customers, string invoicesFile, Func<TextReader>? invoices, CancellationToken ct)
    {
        var errors = new ImportErrors();
        await using var upsert = await ledger.BeginUpsertAsync(ct);
        var inFile = new HashSet<CustomerId>();
        if (customers is not null)
        {
            foreach (var customer in LedgerCsv.StreamCustomers(customersFile, customers, errors))
            {
                inFile.Add(customer.Id);
                await WriteAsync(upsert, customer, errors, ct);
            }
        }

        if (invoices is null)
        {
            return await CommitAsync(upsert, inFile.Count, 0, [], errors, ct);
        }

        // The customers file came first, so a customer an invoice names is either one of its customers or must already be
        // in the ledger. The ledger is asked once, at the end, for all of the others (far fewer than the rows): until then
        // a row naming one is taken as good, and written, in the one transaction that is committed only if all were.
        var elsewhere = new HashSet<CustomerId>();
        bool InFileOrNoted(CustomerId id)
        {
            if (!inFile.Contains(id))
            {
                elsewhere.Add(id);
            }

            return true;
        }

        var invoiceErrors = new ImportErrors();
        var imported = new InvoicesWithCases(cases);
        using (var reader = invoices())
        {
            foreach (var invoice in LedgerCsv.StreamInvoices(invoicesFile, reader, InFileOrNoted, invoiceErrors))
            {
                var good = errors.Count == 0 && invoiceErrors.Count == 0;
                await imported.AddAsync(invoice.Id, good, ct);
                if (good)
                {
                    await upsert.AddAsync(invoice, ct);
                }
            }
        }

        var existing = elsewhere.Count == 0 ? elsewhere : await ledger.ExistingCustomersAsync(elsewhere, ct);
        if (existing.Count < elsewhere.Count)
        {
            // Some row names a customer that is nowhere. Nothing is written; the file is checked again, now knowing every
            // customer there is, so each such row is reported where and as a single read would have (a rare, refused import).
            invoiceErrors = new ImportErrors();
            using var again = invoices();
            foreach (var _ in LedgerCsv.StreamInvoices(invoicesFile, again, id => inFile.Contains(id) || existing.Contains(id), invoiceErrors))
            {
            }
        }

        errors.AddLater(invoiceErrors);
        return await CommitAsync(upsert, inFile.Count, imported.Count, await imported.WithCasesAsync(ct), errors, ct);
    }

    /// <summary>The same, for a caller holding the invoices as one text (tests, small files): read from it twice.</summary>
    public async Task<ImportReport> ImportCsvAsync(
        string customersFile, TextReader? customers, string invoicesFile, TextReader? invoices, CancellationToken ct)
    {
        if (invoices is null)
        {
            return await ImportCsvAsync(customersFile, customers, invoicesFile, (Func<TextReader>?)null, ct);
        }

        var text = await invoices.ReadToEndAsync(ct);
        return await ImportCsvAsync(customersFile, customers, invoicesFile, () => new StringReader(text), ct);
    }

    public async Task<ImportReport> ImportJsonAsync(JsonElement? customers, JsonElement? invoices, CancellationToken ct)
    {
        var errors = new ImportErrors();
        var customerRows = customers is { } c ? LedgerJson.ParseCustomers(c) : Empty<Customer>();
        errors.AddRange(customerRows.Errors);
        await using var upsert = await ledger.BeginUpsertAsync(ct);
        foreach (var customer in customerRows.Rows)
        {
            await WriteAsync(upsert, customer, errors, ct);
        }

        if (invoices is not { } body)
        {
            return await CommitAsync(upsert, customerRows.Rows.Count, 0, [], errors, ct);
        }

        var known = customerRows.Rows.Select(r => r.Id).ToHashSet();
        await AddExistingAsync(known, CustomerIdsInJson(body), ct);
        var invoiceRows = LedgerJson.ParseInvoices(body, known);
        errors.AddRange(invoiceRows.Errors);
        var imported = new InvoicesWithCases(cases);
        foreach (var invoice in invoiceRows.Rows)
        {
            await imported.AddAsync(invoice.Id, errors.Count == 0, ct);
            await WriteAsync(upsert, invoice, errors, ct);
        }

        return await CommitAsync(upsert, customerRows.Rows.Count, invoiceRows.Rows.Count, await imported.WithCasesAsync(ct), errors, ct);
    }

    /// <summary>Once a problem is found nothing will be committed, so the rest is only checked, not written.</summary>
    private static async Task WriteAsync(ILedgerUpsert upsert, Customer customer, ImportErrors errors, CancellationToken ct)
    {
        if (errors.Count == 0)
        {
            await upsert.AddAsync(customer, ct);
        }
    }

    private static async Task WriteAsync(ILedgerUpsert upsert, Invoice invoice, ImportErrors errors, CancellationToken ct)
    {
        if (errors.Count == 0)
        {
            await upsert.AddAsync(invoice, ct);
        }
    }

    private async Task<ImportReport> CommitAsync(
        ILedgerUpsert upsert, int customers, int invoices, IReadOnlyList<InvoiceId> withCases, ImportErrors errors, CancellationToken ct)
    {
        if (errors.Count > 0)
        {
            return ImportReport.Failed(errors);
        }

        await upsert.CommitAsync(ct);

        // Told after the commit, from what the ledger now holds: a case never hears of numbers that were rolled back.
        var told = 0;
        foreach (var id in withCases)
        {
            if (await ledger.GetInvoiceAsync(id, ct) is not { } invoice)
            {
                continue;
            }

            var signal = new CaseEvent.InvoiceUpdated(clock.GetUtcNow(), invoice);
            if (await cases.GetAsync(id, ct) is { } record && CaseRules.Check(record.State, signal) is CommandResult.Accepted)
            {
                await workflows.SignalAsync(id, signal, ct);
                told++;
            }
        }

        return new ImportReport(customers, invoices, told, ValueList<ImportError>.Empty);
    }

    private async Task AddExistingAsync(HashSet<CustomerId> known, IEnumerable<CustomerId> named, CancellationToken ct)
    {
        var others = new HashSet<CustomerId>();
        foreach (var id in named)
        {
            if (!known.Contains(id))
            {
                others.Add(id);
            }
        }

        known.UnionWith(await ledger.ExistingCustomersAsync(others, ct));
    }

    /// <summary>
    /// The imported invoice ids that have a case, asked of the case store a batch at a time as the rows go by: only
    /// those are held, and only while every row so far is good (a refused import tells no case).
    /// </summary>
    private sealed class InvoicesWithCases(ICaseStore cases)
    {
        private readonly List<InvoiceId> batch = new(CaseBatch);
        private readonly List<InvoiceId> found = [];

        public int Count { get; private set; }

        public async Task AddAsync(InvoiceId id, bool good, CancellationToken ct)
        {
            Count++;
            if (!good)
            {
                batch.Clear();
                return;
            }

            batch.Add(id);
            if (batch.Count == CaseBatch)
            {
                await FlushAsync(ct);
            }
        }

        public async Task<IReadOnlyList<InvoiceId>> WithCasesAsync(CancellationToken ct)
        {
            await FlushAsync(ct);
            return found;
        }

        private async Task FlushAsync(CancellationToken ct)
        {
            if (batch.Count > 0)
            {
                var with = await cases.WithCasesAsync(batch, ct);
                found.AddRange(batch.Where(with.Contains));
                batch.Clear();
            }
        }
    }

    private static IEnumerable<CustomerId> CustomerIdsInJson(JsonElement body)
    {
        var items = body.ValueKind switch
        {
            JsonValueKind.Array => body.EnumerateArray().ToList(),
            JsonValueKind.Object => [body],
            _ => [],
        };
        foreach (var item in items)
        {
            if (item.ValueKind == JsonValueKind.Object
                && item.TryGetProperty("customerId", out var id)
                && id.ValueKind == JsonValueKind.String
                && Id.Problem(id.GetString(), "customer id") is null)
            {
                yield return new CustomerId(id.GetString()!);
            }
        }
    }

    private static ImportResult<T> Empty<T>() => new(ValueList<T>.Empty, ValueList<ImportError>.Empty);
}
