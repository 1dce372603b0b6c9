using Dunning.Cases;
using Dunning.Common;
using Dunning.Jurisdictions;
using Dunning.Policies;
using Dunning.Ports;

namespace Dunning.UseCases;

public sealed record ScanResult(int Started, int AlreadyRunning, int NothingOwed, ValueList<string> Problems);

/// <summary>
/// The daily scan: one case per invoice that is past its start date (due date plus grace, or earlier
/// for a courtesy nudge). Starting is idempotent, so running the scan twice starts nothing twice.
/// The newly due invoices come in one query; their customers are read, their cases started and the
/// invoices marked in batches, so a day with thousands newly due costs a few writes, not thousands.
/// </summary>
public sealed class DailyScan(ILedger ledger, ICaseStore cases, IWorkflows workflows, DunningPolicy policy, JurisdictionCatalog jurisdictions)
{
    /// <summary>Invoices per batch: one read of customers, one write of cases, one of marks.</summary>
    public const int Batch = 1_000;

    public async Task<ScanResult> RunAsync(DateTimeOffset now, CancellationToken ct)
    {
        var asOf = DateOnly.FromDateTime(now.UtcDateTime);

        // CaseStartDate(due) = due + lead, so every invoice due on or before asOf - lead is ready.
        var lead = policy.CaseStartDate(asOf).DayNumber - asOf.DayNumber;
        var pending = await ledger.PendingAsync(asOf.AddDays(-lead), ct);
        int started = 0, running = 0, nothingOwed = 0;
        var problems = new List<string>();
        foreach (var batch in pending.Chunk(Batch))
        {
            var customers = await ledger.GetCustomersAsync(batch.Where(i => i.Outstanding.IsPositive).Select(i => i.CustomerId), ct);
            var open = new List<CaseState>(batch.Length);
            var done = new List<InvoiceId>(batch.Length);
            foreach (var invoice in batch)
            {
                if (!invoice.Outstanding.IsPositive)
                {
                    nothingOwed++;
                    done.Add(invoice.Id);
                    continue;
                }

                if (!customers.TryGetValue(invoice.CustomerId, out var customer))
                {
                    problems.Add($"invoice {invoice.Id}: customer {invoice.CustomerId} is missing from the ledger.");
                    continue;
                }

                // Only a policy with pace rules needs the customer's history; the rest skip the read.
                var terms = policy.Pace is null ? policy : CustomerPace.For(policy, await cases.CasesOfAsync(customer.Id, ct));
                open.Add(CaseState.Open(invoice, customer, terms, jurisdictions.For(customer.Jurisdiction), now));
                done.Add(invoice.Id);
            }

            // Cases first, then the marks: a scan stopped in between starts nothing twice the next time, it marks.
            var fresh = await workflows.StartAllAsync(open, ct);
            (started, running) = (started + fresh, running + open.Count - fresh);
            await ledger.MarkAllStartedAsync(done, ct);
        }

        return new ScanResult(started, running, nothingOwed, problems.ToValueList());
    }
}
