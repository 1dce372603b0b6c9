using Dunning.Cases;
using Dunning.Customers;
using Dunning.Evidence;
using Dunning.Ports;

namespace Dunning.UseCases;

/// <summary>
/// Performs what the decider asked for through the ports and returns the event that says it happened.
/// Each effect is keyed "{invoiceId}/{action key}", so a retried activity or a restarted runner
/// performs it once in effect.
/// </summary>
public sealed class CaseEffects(IMailer mailer, IDocumentStore documents, ICaseStore cases)
{
    public async Task<CaseEvent> PerformAsync(CaseState state, CaseAction action, DateTimeOffset now, CancellationToken ct)
    {
        switch (action)
        {
            case CaseAction.Contact contact:
                await ContactAsync(state, contact, now, ct);
                return contact.Done(now);
            case CaseAction.FileEvidence file:
                var location = await documents.SaveEvidenceAsync(state.InvoiceId, EvidenceBundle.Build(state, file.Recommendation, now), ct);
                return file.Done(now, location);
            default:
                throw new ArgumentOutOfRangeException(nameof(action), action, "Unknown case action.");
        }
    }

    public static string IdempotencyKey(CaseState state, CaseAction action) => $"{state.InvoiceId}/{action.Key}";

    private Task ContactAsync(CaseState state, CaseAction.Contact contact, DateTimeOffset now, CancellationToken ct)
    {
        var key = IdempotencyKey(state, contact);
        var business = state.Policy.Business;
        return contact.Channel switch
        {
            Channel.Email => mailer.SendAsync(
                new OutgoingEmail(key, business.Email, business.Name, contact.Recipient.Address, contact.Recipient.Name, contact.Message.Subject, contact.Message.Text, contact.Message.Html),
                ct),
            Channel.Letter => documents.SaveLetterAsync(state.InvoiceId, contact.Key, contact.Message, ct),
            Channel.Call => cases.AddCallTaskAsync(
                new CallTask(key, state.InvoiceId, state.Customer.Name, contact.Recipient.Name, contact.Recipient.Address, contact.Message.Text, now),
                ct),
        };
    }
}
