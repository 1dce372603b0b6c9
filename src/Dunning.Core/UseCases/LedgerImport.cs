using System.Text.Json;
using Dunning.Cases;
using Dunning.Common;
using Dunning.Customers;
using Dunning.Import;
using Dunning.Invoices;
using Dunning.Ports;

namespace Dunning.UseCases;

/// <summary>What an import did, or why it did nothing.</summary>
public sealed record ImportReport(int Customers, int Invoices, int CasesTold, ValueList<ImportError> Errors)
{
    public static ImportReport Failed(IEnumerable<ImportError> errors) => new(0, 0, 0, errors.ToValueList());
}

/// <summary>
/// Imports customers and invoices from CSV files or JSON bodies. All or nothing: every problem in
/// every row is reported and then nothing is written. An invoice whose case is running is told of
/// the change (a corrected amount, a payment the ledger saw), so the case never works from stale numbers.
/// </summary>
public sealed class LedgerImport(ILedger ledger, ICaseStore cases, IWorkflows workflows, TimeProvider clock)
{
    public async Task<ImportReport> ImportCsvAsync(
        string customersFile, TextReader? customers, string invoicesFile, TextReader? invoices, CancellationToken ct)
    {
        var customerRows = customers is null ? Empty<Customer>() : LedgerCsv.ParseCustomers(customersFile, customers);
        if (invoices is null)
        {
            return await WriteAsync(customerRows, Empty<Invoice>(), ct);
        }

        // Invoices may name customers already in the ledger; which ones exist is asked for once, for the ids in the file.
        var text = await invoices.ReadToEndAsync(ct);
        var known = await KnownAsync(customerRows, CustomerIdsInCsv(text), ct);
        using var reader = new StringReader(text);
        return await WriteAsync(customerRows, LedgerCsv.ParseInvoices(invoicesFile, reader, known), ct);
    }

    public async Task<ImportReport> ImportJsonAsync(JsonElement? customers, JsonElement? invoices, CancellationToken ct)
    {
        var customerRows = customers is { } c ? LedgerJson.ParseCustomers(c) : Empty<Customer>();
        if (invoices is not { } body)
        {
            return await WriteAsync(customerRows, Empty<Invoice>(), ct);
        }

        var known = await KnownAsync(customerRows, CustomerIdsInJson(body), ct);
        return await WriteAsync(customerRows, LedgerJson.ParseInvoices(body, known), ct);
    }

    private async Task<ImportReport> WriteAsync(ImportResult<Customer> customers, ImportResult<Invoice> invoices, CancellationToken ct)
    {
        var errors = customers.Errors.Concat(invoices.Errors).ToList();
        if (errors.Count > 0)
        {
            return ImportReport.Failed(errors);
        }

        await ledger.UpsertAsync(customers.Rows, invoices.Rows, ct);

        // Only the invoices whose case is running are read: an import of a ledger with few cases reads few.
        var told = 0;
        var withCases = await cases.WithCasesAsync(invoices.Rows.Select(i => i.Id).ToList(), ct);
        foreach (var invoice in invoices.Rows.Where(i => withCases.Contains(i.Id)))
        {
            var signal = new CaseEvent.InvoiceUpdated(clock.GetUtcNow(), invoice);
            if (await cases.GetAsync(invoice.Id, ct) is { } record && CaseRules.Check(record.State, signal) is CommandResult.Accepted)
            {
                await workflows.SignalAsync(invoice.Id, signal, ct);
                told++;
            }
        }

        return new ImportReport(customers.Rows.Count, invoices.Rows.Count, told, ValueList<ImportError>.Empty);
    }

    private async Task<HashSet<CustomerId>> KnownAsync(ImportResult<Customer> customers, IEnumerable<CustomerId> named, CancellationToken ct)
    {
        var known = customers.Rows.Select(c => c.Id).ToHashSet();
        known.UnionWith(await ledger.ExistingCustomersAsync(named.Where(id => !known.Contains(id)).Distinct(), ct));
        return known;
    }

    private static IEnumerable<CustomerId> CustomerIdsInCsv(string text)
    {
        using var reader = new StringReader(text);
        using var records = CsvReader.Read(reader).GetEnumerator();
        if (!records.MoveNext())
        {
            return [];
        }

        var column = records.Current.Fields.Select(f => f.Trim().ToLowerInvariant()).ToList().IndexOf("customer_id");
        var ids = new List<CustomerId>();
        while (column >= 0 && records.MoveNext())
        {
            if (records.Current.Fields.Count > column && Id.Problem(records.Current.Fields[column].Trim(), "customer id") is null)
            {
                ids.Add(new CustomerId(records.Current.Fields[column].Trim()));
            }
        }

        return ids;
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
