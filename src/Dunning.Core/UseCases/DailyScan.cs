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
/// </summary>
public sealed class DailyScan(ILedger ledger, ICaseStore cases, IWorkflows workflows, DunningPolicy policy, JurisdictionCatalog jurisdictions)
{
    public async Task<ScanResult> RunAsync(DateTimeOffset now, CancellationToken ct)
    {
        var asOf = DateOnly.FromDateTime(now.UtcDateTime);

        // CaseStartDate(due) = due + lead, so every invoice due on or before asOf - lead is ready.
        var lead = policy.CaseStartDate(asOf).DayNumber - asOf.DayNumber;
        var pending = await ledger.PendingAsync(asOf.AddDays(-lead), ct);
        int started = 0, running = 0, nothingOwed = 0;
        var problems = new List<string>();
        foreach (var invoice in pending)
        {
            if (!invoice.Outstanding.IsPositive)
            {
                nothingOwed++;
                await ledger.MarkStartedAsync(invoice.Id, ct);
                continue;
            }

            if (await ledger.GetCustomerAsync(invoice.CustomerId, ct) is not { } customer)
            {
                problems.Add($"invoice {invoice.Id}: customer {invoice.CustomerId} is missing from the ledger.");
                continue;
            }

            // Only a policy with pace rules needs the customer's history; the rest skip the read.
            var terms = policy.Pace is null ? policy : CustomerPace.For(policy, await cases.CasesOfAsync(customer.Id, ct));
            var state = CaseState.Open(invoice, customer, terms, jurisdictions.For(customer.Jurisdiction), now);
            if (await workflows.StartAsync(state, ct))
            {
                started++;
            }
            else
            {
                running++;
            }

            await ledger.MarkStartedAsync(invoice.Id, ct);
        }

        return new ScanResult(started, running, nothingOwed, problems.ToValueList());
    }
}
