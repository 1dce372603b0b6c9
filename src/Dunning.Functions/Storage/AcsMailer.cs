using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Communication.Email;
using Azure.Data.Tables;
using Dunning.Ports;

namespace Dunning.Functions.Storage;

/// <summary>
/// <see cref="IMailer"/> on Azure Communication Services Email, sending each <see cref="OutgoingEmail.Key"/> once in
/// effect although activities run at least once:
/// <list type="number">
/// <item>a "sent" row in the SentEmails table for the key means done;</item>
/// <item>otherwise a "sending" row is inserted first, and the send uses an operation id derived from the key
/// (<see cref="OperationId"/>), so a retry re-uses it: ACS's repeatability headers absorb a quick repeat, and a
/// retry after a crash first asks ACS for that operation and does not send again when it exists;</item>
/// <item>after ACS accepted the message (<see cref="WaitUntil.Started"/>), the row becomes "sent".</item>
/// </list>
/// ACS requires a MailFrom address of a domain linked to the resource, so the message is sent from the configured
/// sender with the business's name, and replies go to the policy's <c>business.replyTo</c> when set, else to the
/// business's own address.
/// </summary>
public sealed class AcsMailer(EmailClient client, DunningTables tables, string sender, string? replyTo = null) : IMailer
{
    public async Task SendAsync(OutgoingEmail email, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(email);
        var table = await tables.GetAsync(DunningTables.SentEmails, ct);
        var key = TableKeys.Escape(email.Key);
        var operationId = OperationId(email.Key);

        var existing = await table.GetEntityIfExistsAsync<TableEntity>(SentEmailLog.Partition, key, cancellationToken: ct);
        if (existing.HasValue && existing.Value?.GetString("Status") == "sent")
        {
            return;
        }

        if (existing.HasValue && await AcceptedBeforeAsync(operationId, ct))
        {
            await MarkSentAsync(table, email, operationId, ct);
            return;
        }

        if (!existing.HasValue)
        {
            try
            {
                await table.AddEntityAsync(SentEmailLog.Row(email, operationId, "sending"), ct);
            }
            catch (RequestFailedException e) when (e.Status == 409)
            {
                // A concurrent attempt got here first; sending with the same operation id is absorbed by ACS.
            }
        }

        var message = Message(email, sender, replyTo);
        try
        {
            await client.SendAsync(WaitUntil.Started, message, operationId, ct);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // ACS already has an operation with this id: the message was accepted before.
        }

        await MarkSentAsync(table, email, operationId, ct);
    }

    /// <summary>
    /// The ACS message for an email: from the ACS sender, Reply-To the business's reply-to address when the policy has
    /// one (a shared inbox the owner reads), else the business's own address, so a customer's answer never goes to the
    /// ACS domain, which nobody reads.
    /// </summary>
    public static EmailMessage Message(OutgoingEmail email, string sender, string? replyTo)
    {
        ArgumentNullException.ThrowIfNull(email);
        var message = new EmailMessage(sender, new EmailRecipients([new EmailAddress(email.To, email.ToName)]), new EmailContent(email.Subject)
        {
            PlainText = email.Text,
            Html = email.Html,
        });
        if (ReplyAddress(email, replyTo) is { } answerTo)
        {
            message.ReplyTo.Add(new EmailAddress(answerTo, email.FromName));
        }

        return message;
    }

    /// <summary>Where a customer's answer goes: the policy's reply-to address, else the business's own, else nowhere.</summary>
    public static string? ReplyAddress(OutgoingEmail email, string? replyTo)
    {
        ArgumentNullException.ThrowIfNull(email);
        return !string.IsNullOrWhiteSpace(replyTo) ? replyTo
            : !string.IsNullOrWhiteSpace(email.From) ? email.From
            : null;
    }

    /// <summary>The ACS operation id of an email: a stable function of its key, so every attempt uses the same one.</summary>
    public static Guid OperationId(string key)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("dunning-email:" + key));
        return new Guid(hash.AsSpan(0, 16));
    }

    /// <summary>Whether ACS knows the operation (accepted, running or delivered); false when it never received it.</summary>
    private async Task<bool> AcceptedBeforeAsync(Guid operationId, CancellationToken ct)
    {
        var operation = new EmailSendOperation(operationId.ToString(), client);
        try
        {
            await operation.UpdateStatusAsync(ct);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return false;
        }

        // Still running, or finished with a result that is not a failure. (A failed operation has no value.)
        return !operation.HasCompleted
            || (operation.HasValue && operation.Value.Status != EmailSendStatus.Failed && operation.Value.Status != EmailSendStatus.Canceled);
    }

    private static Task MarkSentAsync(TableClient table, OutgoingEmail email, Guid operationId, CancellationToken ct) =>
        table.UpsertEntityAsync(SentEmailLog.Row(email, operationId, "sent"), TableUpdateMode.Replace, ct);
}
