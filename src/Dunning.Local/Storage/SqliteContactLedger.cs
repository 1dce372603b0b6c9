using Dunning.Common;
using Dunning.Customers;
using Dunning.Ports;

namespace Dunning.Local.Storage;

/// <summary>
/// Each customer's contact ledger as one JSON row: every change reads, applies the core's rule and writes in one
/// IMMEDIATE transaction, so two cases (or two runners on one data folder) reserving at once queue, and only one
/// can take the customer's last slot.
/// </summary>
public sealed class SqliteContactLedger(Database db) : IContactLedger
{
    public Task<CustomerContacts> GetAsync(CustomerId customer, CancellationToken ct) =>
        Task.FromResult(db.Read(c => Sql.Scalar<string?>(c, null, "SELECT json FROM customer_contacts WHERE customer_id = $id", ("$id", customer.Value))) is { } json
            ? DunningJson.Deserialize<CustomerContacts>(json)
            : ContactLedger.Empty(customer));

    public Task<T> UpdateAsync<T>(CustomerId customer, Func<CustomerContacts, (CustomerContacts Record, T Answer)> change, CancellationToken ct) =>
        Task.FromResult(db.Write((c, t) =>
        {
            var json = Sql.Scalar<string?>(c, t, "SELECT json FROM customer_contacts WHERE customer_id = $id", ("$id", customer.Value));
            var current = json is null ? ContactLedger.Empty(customer) : DunningJson.Deserialize<CustomerContacts>(json);
            var (next, answer) = change(current);
            if (!ReferenceEquals(next, current))
            {
                Sql.Execute(c, t, """
                    INSERT INTO customer_contacts (customer_id, json) VALUES ($id, $json)
                    ON CONFLICT (customer_id) DO UPDATE SET json = excluded.json
                    """,
                    ("$id", customer.Value), ("$json", DunningJson.Serialize(next)));
            }

            return answer;
        }));
}
