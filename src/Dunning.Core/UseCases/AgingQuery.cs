using Dunning.Common;
using Dunning.Ports;
using Dunning.Reports;

namespace Dunning.UseCases;

/// <summary>"Print a list of all past-due accounts on a regular basis."</summary>
public sealed class AgingQuery(ILedger ledger, ICaseStore cases)
{
    /// <summary>
    /// Every invoice with something owed. Where a case runs, its balance counts (payments that
    /// arrived by webhook, credits and charges); elsewhere the ledger's amount outstanding.
    /// </summary>
    public async Task<AgingReport> AgingAsync(DateOnly asOf, CancellationToken ct)
    {
        var invoices = await ledger.OutstandingAsync(ct);
        var caseBalances = (await cases.ListAsync(null, ct)).ToDictionary(c => c.InvoiceId, c => c.Balance);
        var names = new Dictionary<CustomerId, string>();
        var lines = new List<AgingLine>();
        foreach (var invoice in invoices)
        {
            if (!names.TryGetValue(invoice.CustomerId, out var name))
            {
                name = (await ledger.GetCustomerAsync(invoice.CustomerId, ct))?.Name ?? invoice.CustomerId.Value;
                names[invoice.CustomerId] = name;
            }

            var owed = caseBalances.TryGetValue(invoice.Id, out var balance) ? balance : invoice.Outstanding;
            lines.Add(new AgingLine(invoice.CustomerId, name, invoice.Id, invoice.Number, invoice.DueDate, owed));
        }

        return Aging.Build(lines, asOf);
    }
}
