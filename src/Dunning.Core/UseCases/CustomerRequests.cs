using Dunning.Cases;
using Dunning.Common;
using Dunning.Customers;
using Dunning.Ports;

namespace Dunning.UseCases;

/// <summary>What a customer-level request did: the customer, what now holds, whether it is new, and the cases told.</summary>
public sealed record CustomerRequestResult(CustomerId Customer, string Applied, bool Changed, ValueList<InvoiceId> CasesTold);

/// <summary>
/// "Stop contacting me" and channel opt-outs are the customer's, not one invoice's: recorded on the customer's contact
/// ledger, they hold for every case of the customer, including those that open later (the ledger refuses their
/// contacts). Each open case is told too, so staff see the request on it and its ladder moves on at once; staff can
/// still act on every case.
/// </summary>
public sealed class CustomerRequests(ILedger ledger, ICaseStore cases, IWorkflows workflows, IContactLedger contacts, TimeProvider time)
{
    /// <summary>A cease (<paramref name="channel"/> null) or an opt-out for the customer; null when there is no such customer.</summary>
    public async Task<CustomerRequestResult?> RequestAsync(CustomerId customer, Channel? channel, string? note, CancellationToken ct)
    {
        if (await ledger.GetCustomerAsync(customer, ct) is not { } known)
        {
            return null;
        }

        return await ApplyAsync(known.Id, known.Name, channel, note, except: null, ct);
    }

    /// <summary>Records the request on the ledger and tells the customer's open cases but <paramref name="except"/> (the caller tells that one).</summary>
    internal async Task<CustomerRequestResult> ApplyAsync(CustomerId customer, string name, Channel? channel, string? note, InvoiceId? except, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var changed = await contacts.RequestAsync(customer, channel, now, note, ct);
        var signal = new CaseEvent.CeaseRequested(now, channel, Note(name, note));
        var told = new List<InvoiceId>();
        foreach (var id in await cases.OpenCasesOfAsync(customer, ct))
        {
            if (id == except || await cases.GetAsync(id, ct) is not { } record || CaseRules.Check(record.State, signal) is not CommandResult.Accepted)
            {
                continue;
            }

            try
            {
                await workflows.SignalAsync(id, signal, ct);
                told.Add(id);
            }
            catch (KeyNotFoundException)
            {
                // The case went away between the query and the signal; the ledger still holds the request.
            }
        }

        var applied = channel is { } c ? $"no contact by {Names.Of(c)} about any invoice of {name}" : $"no contact at all about any invoice of {name}";
        return new CustomerRequestResult(customer, applied, changed, told.ToValueList());
    }

    public static string Note(string customerName, string? note) =>
        $"customer-level request: applies to every invoice of {customerName}" + (string.IsNullOrWhiteSpace(note) ? string.Empty : $" ({note.Trim()})");
}
