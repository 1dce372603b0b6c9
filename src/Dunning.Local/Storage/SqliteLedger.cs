using System.Text.Json;
using Dunning.Common;
using Dunning.Customers;
using Dunning.Invoices;
using Dunning.Ports;
using Microsoft.Data.Sqlite;

namespace Dunning.Local.Storage;

/// <summary>
/// Customers and invoices. An invoice stays <c>pending</c> until its case starts (or it needs none), and
/// a partial index keeps pending ones apart, so the daily scan reads what is newly overdue only.
/// </summary>
public sealed class SqliteLedger(Database db) : ILedger
{
    /// <summary>One transaction, each statement prepared once: a ledger of a million rows is parsed SQL twice, not a million times.</summary>
    public Task UpsertAsync(IReadOnlyList<Customer> customers, IReadOnlyList<Invoice> invoices, CancellationToken ct)
    {
        db.Write((c, t) =>
        {
            using (var customer = c.CreateCommand())
            {
                customer.Transaction = t;
                customer.CommandText = "INSERT INTO customers (id, json) VALUES ($id, $json) ON CONFLICT (id) DO UPDATE SET json = excluded.json";
                var (id, json) = (customer.Parameters.Add("$id", SqliteType.Text), customer.Parameters.Add("$json", SqliteType.Text));
                foreach (var row in customers)
                {
                    (id.Value, json.Value) = (row.Id.Value, DunningJson.Serialize(row));
                    customer.ExecuteNonQuery();
                }
            }

            using var invoice = c.CreateCommand();
            invoice.Transaction = t;
            invoice.CommandText = """
                INSERT INTO invoices (id, customer_id, due_date, outstanding, pending, json)
                VALUES ($id, $customer, $due, $outstanding, 1, $json)
                ON CONFLICT (id) DO UPDATE SET customer_id = excluded.customer_id, due_date = excluded.due_date,
                    outstanding = excluded.outstanding, json = excluded.json
                """;
            var (invoiceId, customerId, due, outstanding, invoiceJson) = (invoice.Parameters.Add("$id", SqliteType.Text), invoice.Parameters.Add("$customer", SqliteType.Text),
                invoice.Parameters.Add("$due", SqliteType.Text), invoice.Parameters.Add("$outstanding", SqliteType.Integer), invoice.Parameters.Add("$json", SqliteType.Text));
            foreach (var row in invoices)
            {
                (invoiceId.Value, customerId.Value, due.Value) = (row.Id.Value, row.CustomerId.Value, Day(row.DueDate));
                (outstanding.Value, invoiceJson.Value) = (row.Outstanding.IsPositive ? 1 : 0, DunningJson.Serialize(row));
                invoice.ExecuteNonQuery();
            }
        });
        return Task.CompletedTask;
    }

    public Task<Customer?> GetCustomerAsync(CustomerId id, CancellationToken ct) =>
        Task.FromResult(db.Read(c => Sql.Scalar<string?>(c, null, "SELECT json FROM customers WHERE id = $id", ("$id", id.Value))) is { } json
            ? DunningJson.Deserialize<Customer>(json)
            : null);

    public Task<Invoice?> GetInvoiceAsync(InvoiceId id, CancellationToken ct) =>
        Task.FromResult(db.Read(c => Sql.Scalar<string?>(c, null, "SELECT json FROM invoices WHERE id = $id", ("$id", id.Value))) is { } json
            ? DunningJson.Deserialize<Invoice>(json)
            : null);

    public Task<IReadOnlySet<CustomerId>> ExistingCustomersAsync(IEnumerable<CustomerId> ids, CancellationToken ct)
    {
        var wanted = JsonSerializer.Serialize(ids.Select(i => i.Value).Distinct().ToArray());
        var found = db.Read(c => Sql.Query(c, null, "SELECT id FROM customers WHERE id IN (SELECT value FROM json_each($ids))", r => new CustomerId(r.GetString(0)), ("$ids", wanted)));
        return Task.FromResult<IReadOnlySet<CustomerId>>(found.ToHashSet());
    }

    public Task<IReadOnlyList<Invoice>> PendingAsync(DateOnly dueOnOrBefore, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<Invoice>>(db.Read(c => Sql.Query(c, null,
            "SELECT json FROM invoices WHERE pending = 1 AND due_date <= $due ORDER BY due_date, id",
            r => DunningJson.Deserialize<Invoice>(r.GetString(0)), ("$due", Day(dueOnOrBefore)))));

    public Task MarkStartedAsync(InvoiceId id, CancellationToken ct)
    {
        db.Write((c, t) => Sql.Execute(c, t, "UPDATE invoices SET pending = 0 WHERE id = $id AND pending = 1", ("$id", id.Value)));
        return Task.CompletedTask;
    }

    /// <summary>Every mark in one transaction, with one statement prepared once.</summary>
    public Task MarkAllStartedAsync(IReadOnlyList<InvoiceId> ids, CancellationToken ct)
    {
        db.Write((c, t) =>
        {
            using var mark = c.CreateCommand();
            mark.CommandText = "UPDATE invoices SET pending = 0 WHERE id = $id AND pending = 1";
            mark.Transaction = t;
            var id = mark.Parameters.Add("$id", SqliteType.Text);
            foreach (var invoice in ids)
            {
                id.Value = invoice.Value;
                mark.ExecuteNonQuery();
            }
        });
        return Task.CompletedTask;
    }

    public Task<IReadOnlyDictionary<CustomerId, Customer>> GetCustomersAsync(IEnumerable<CustomerId> ids, CancellationToken ct)
    {
        var wanted = JsonSerializer.Serialize(ids.Select(i => i.Value).Distinct().ToArray());
        var found = db.Read(c => Sql.Query(c, null, "SELECT json FROM customers WHERE id IN (SELECT value FROM json_each($ids))",
            r => DunningJson.Deserialize<Customer>(r.GetString(0)), ("$ids", wanted)));
        return Task.FromResult<IReadOnlyDictionary<CustomerId, Customer>>(found.ToDictionary(c => c.Id));
    }

    public Task ApplyPaymentAsync(InvoiceId id, LedgerPayment payment, CancellationToken ct)
    {
        db.Write((c, t) =>
        {
            var json = Sql.Scalar<string?>(c, t, "SELECT json FROM invoices WHERE id = $id", ("$id", id.Value))
                ?? throw new KeyNotFoundException($"No invoice '{id}' in the ledger.");
            if (Sql.Execute(c, t, "INSERT INTO ledger_payments (key, invoice_id) VALUES ($key, $id) ON CONFLICT (key) DO NOTHING",
                ("$key", payment.StoredKey), ("$id", id.Value)) == 0)
            {
                return;
            }

            // A running total's earlier figures share its prefix; '#' + 1 is '$', so the range is exactly that prefix.
            IReadOnlyList<string> earlier = payment.RunningTotalPrefix is { } prefix
                ? Sql.Query(c, t, "SELECT key FROM ledger_payments WHERE key >= $from AND key < $to",
                    r => r.GetString(0), ("$from", prefix), ("$to", prefix[..^1] + "$"))
                : [];
            var invoice = payment.ApplyTo(DunningJson.Deserialize<Invoice>(json), earlier);
            Sql.Execute(c, t, "UPDATE invoices SET json = $json, outstanding = $outstanding WHERE id = $id",
                ("$id", id.Value), ("$json", DunningJson.Serialize(invoice)), ("$outstanding", invoice.Outstanding.IsPositive ? 1 : 0));
        });
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<Invoice>> OutstandingAsync(CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<Invoice>>(db.Read(c => Sql.Query(c, null,
            "SELECT json FROM invoices WHERE outstanding = 1 ORDER BY id", r => DunningJson.Deserialize<Invoice>(r.GetString(0)))));

    /// <summary>How many customers and invoices the ledger holds (for summaries).</summary>
    public (long Customers, long Invoices) Count() =>
        db.Read(c => (Sql.Scalar<long>(c, null, "SELECT count(*) FROM customers"), Sql.Scalar<long>(c, null, "SELECT count(*) FROM invoices")));

    private static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
