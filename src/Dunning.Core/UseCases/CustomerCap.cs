using Dunning.Cases;
using Dunning.Ports;

namespace Dunning.UseCases;

/// <summary>
/// The frequency cap holds per customer as well as per case: a customer with five overdue invoices
/// must not get five reminders in a day. Each contact is told to the customer's other open cases,
/// whose decider counts it. Telling twice is harmless (the signal carries the contact's key), so a
/// host tells before it records the contact, and a crash in between only repeats the telling.
/// </summary>
public sealed class CustomerCap(ICaseStore cases, IWorkflows workflows)
{
    public async Task<int> TellOtherCasesAsync(CaseState state, CaseAction.Contact contact, DateTimeOffset at, CancellationToken ct)
    {
        var told = 0;
        var signal = new CaseEvent.CustomerContacted(at, CaseEffects.IdempotencyKey(state, contact), contact.Channel);
        foreach (var id in await cases.OpenCasesOfAsync(state.Customer.Id, ct))
        {
            if (id == state.InvoiceId)
            {
                continue;
            }

            try
            {
                await workflows.SignalAsync(id, signal, ct);
                told++;
            }
            catch (KeyNotFoundException)
            {
                // The case went away between the query and the signal: nothing to tell.
            }
        }

        return told;
    }
}
