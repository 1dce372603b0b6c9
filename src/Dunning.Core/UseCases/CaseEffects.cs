using Dunning.Cases;
using Dunning.Common;
using Dunning.Customers;
using Dunning.Evidence;
using Dunning.Messages;
using Dunning.Ports;
using Dunning.Printing;

namespace Dunning.UseCases;

/// <summary>
/// Performs what the decider asked for through the ports and returns the event that says it happened.
/// Each effect is keyed "{invoiceId}/{action key}", so a retried activity or a restarted runner
/// performs it once in effect.
/// </summary>
/// <remarks>
/// A contact is first reserved against the customer's contact ledger (<see cref="IContactLedger"/>): the cap, a
/// customer-level cease or opt-out and a dispute hold are the customer's, across all their invoices. The ledger's
/// answer comes back to the case as an event: sent (<see cref="CaseEvent.ContactMade"/>, possibly as a consolidated
/// statement carrying other invoices' steps), already carried by such a statement (<see cref="CaseEvent.ContactCovered"/>),
/// not yet (<see cref="CaseEvent.ContactDeferred"/>), or refused (<see cref="CaseEvent.CeaseRequested"/>, as if the
/// customer had asked this case). The reservation is idempotent by key, so a retry reuses it and sends the same message.
/// </remarks>
public sealed class CaseEffects(IMailer mailer, IDocumentStore documents, ICaseStore cases, IContactLedger ledger, MessageTemplates? templates = null)
{
    /// <summary>The templates this host writes messages from; its runner gives the same to the decider.</summary>
    public MessageTemplates Templates { get; } = templates ?? MessageTemplates.Shipped;

    public async Task<CaseEvent> PerformAsync(CaseState state, CaseAction action, DateTimeOffset now, CancellationToken ct)
    {
        switch (action)
        {
            case CaseAction.Contact contact:
                return await ContactAsync(state, contact, now, ct);
            case CaseAction.FileEvidence file:
                var location = await documents.SaveEvidenceAsync(state.InvoiceId, EvidenceBundle.Build(state, file.Recommendation, now), ct);
                return file.Done(now, location);
            default:
                throw new ArgumentOutOfRangeException(nameof(action), action, "Unknown case action.");
        }
    }

    public static string IdempotencyKey(CaseState state, CaseAction action) => $"{state.InvoiceId}/{action.Key}";

    /// <summary>The case and action an effect's <see cref="IdempotencyKey"/> names, or null for a key of no case.</summary>
    public static (InvoiceId Invoice, string ActionKey)? CaseOf(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && InvoiceId.TryParse(key[..slash], out var id) ? (id, key[(slash + 1)..]) : null;
    }

    /// <summary>
    /// What a message that will never be delivered to <paramref name="address"/> means to the case that sent it (by
    /// its key): a <see cref="CaseEvent.ContactBounced"/> for that case, or null when the key names no case.
    /// </summary>
    public static (InvoiceId Invoice, CaseEvent.ContactBounced Bounce)? Bounced(string emailKey, string address, string reason, DateTimeOffset at) =>
        CaseOf(emailKey) is { } owner ? (owner.Invoice, new CaseEvent.ContactBounced(at, owner.ActionKey, address, reason)) : null;

    private async Task<CaseEvent> ContactAsync(CaseState state, CaseAction.Contact contact, DateTimeOffset now, CancellationToken ct)
    {
        var policy = state.Policy;
        var siblings = policy.Consolidate || policy.HoldCustomerOnDispute
            ? await OpenSiblingsAsync(state, ct)
            : [];
        var lines = Consolidation.Lines(state, contact, siblings, now);
        var disputed = policy.HoldCustomerOnDispute ? siblings.FirstOrDefault(s => s.Outcome is null && s.Dispute is not null) : null;
        var request = new ReservationRequest(
            state.Customer.Id,
            IdempotencyKey(state, contact),
            new CarriedStep(state.InvoiceId, contact.Key),
            contact.Channel,
            now,
            policy.Cap,
            policy.Window,
            state.Customer.TimeZone,
            lines.Select(l => l.Step).ToValueList(),
            disputed is null ? null : $"a dispute is open on invoice {disputed.Invoice.Number}, which holds contact about every invoice of the customer");

        switch (await ledger.ReserveAsync(request, ct))
        {
            case Reservation.Granted granted:
                var carried = lines.Where(l => granted.Carried.Contains(l.Step)).ToList();
                var sent = carried.Count == 0
                    ? contact
                    : contact with { Message = Statement.Compose(state, contact, carried, CaseClock.LocalDate(state, now), Templates) };
                await SendAsync(state, sent, request.Key, now, ct);
                return sent.Done(now);
            case Reservation.Covered covered:
                return new CaseEvent.ContactCovered(
                    now, contact.Key, contact.Purpose, contact.StepId, contact.Channel, contact.Role, contact.Recipient.Address, contact.Template, covered.MessageId, covered.SentAt);
            case Reservation.Deferred deferred:
                return new CaseEvent.ContactDeferred(now, contact.Key, deferred.Until, deferred.Reason);
            case Reservation.Refused refused:
                return new CaseEvent.CeaseRequested(now, refused.Channel, refused.Reason);
            default:
                throw new InvalidOperationException("Unknown reservation answer.");
        }
    }

    /// <summary>
    /// The customer's other cases that have not ended: the only ones a statement lists or a dispute hold looks at. Their
    /// ids are asked first, so the usual customer with one open invoice costs no read of whole states (their own included).
    /// </summary>
    private async Task<List<CaseState>> OpenSiblingsAsync(CaseState state, CancellationToken ct)
    {
        var open = await cases.OpenCasesOfAsync(state.Customer.Id, ct);
        if (!open.Any(id => id != state.InvoiceId))
        {
            return [];
        }

        return [.. (await cases.CasesOfAsync(state.Customer.Id, ct)).Where(s => s.InvoiceId != state.InvoiceId && s.Outcome is null)];
    }

    private Task SendAsync(CaseState state, CaseAction.Contact contact, string key, DateTimeOffset now, CancellationToken ct)
    {
        var business = state.Policy.Business;
        return contact.Channel switch
        {
            Channel.Email => mailer.SendAsync(
                new OutgoingEmail(key, business.Email, business.Name, contact.Recipient.Address, contact.Recipient.Name, contact.Message.Subject, contact.Message.Text, contact.Message.Html),
                ct),
            Channel.Letter => documents.SaveLetterAsync(
                state.InvoiceId, contact.Key, contact.Message, PostedLetters.Render(state, contact, CaseClock.LocalDate(state, now)), ct),
            Channel.Call => cases.AddCallTaskAsync(
                new CallTask(key, state.InvoiceId, state.Customer.Name, contact.Recipient.Name, contact.Recipient.Address, contact.Message.Text, now),
                ct),
        };
    }
}
