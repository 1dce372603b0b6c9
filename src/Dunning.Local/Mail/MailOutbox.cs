using Dunning.Local.Storage;
using Dunning.Ports;
using Dunning.UseCases;

namespace Dunning.Local.Mail;

/// <summary>
/// The durable queue of email for SMTP delivery: <see cref="SendAsync"/> stores the finished MIME message once per
/// idempotency key (a second send of the key changes nothing) and returns; <see cref="SmtpDelivery"/> sends it.
/// Queued, the message is safe: a crash, a restart or a server that is down only delays it. An address no server
/// could accept is parked at once, and the case is told (a bounce) so it reaches the customer another way.
/// </summary>
public sealed class MailOutbox(Database db, MailSettings settings, IWorkflows workflows, TimeProvider clock, string? replyTo = null) : IMailer
{
    public async Task SendAsync(OutgoingEmail email, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(email);
        if (db.Read(c => Sql.Scalar<long>(c, null, "SELECT count(*) FROM mail_outbox WHERE key = $key", ("$key", email.Key))) > 0)
        {
            return;
        }

        var now = clock.GetUtcNow();
        // The SMTP account's address sends; the business's own address gets the replies.
        var sent = settings.From is { } from ? email with { From = from } : email;
        var answerTo = settings.From is not null ? replyTo ?? email.From : replyTo;
        byte[] mime;
        try
        {
            using var message = MimeMail.Build(sent, now, answerTo);
            using var buffer = new MemoryStream();
            await message.WriteToAsync(buffer, ct);
            mime = buffer.ToArray();
        }
        catch (InvalidRecipientException e)
        {
            if (Enqueue(email, [], now, "parked", e.Message))
            {
                await SmtpDelivery.TellBounceAsync(workflows, email.Key, email.To, e.Message, now, ct);
            }

            return;
        }

        Enqueue(email, mime, now, "queued", null);
    }

    private bool Enqueue(OutgoingEmail email, byte[] mime, DateTimeOffset now, string status, string? reason) =>
        db.Write((c, t) => Sql.Execute(c, t, """
            INSERT INTO mail_outbox (key, invoice_id, recipient, subject, mime, status, attempts, queued_at, next_attempt_at, reason)
            VALUES ($key, $invoice, $to, $subject, $mime, $status, 0, $now, $now, $reason) ON CONFLICT (key) DO NOTHING
            """,
            ("$key", email.Key), ("$invoice", CaseEffects.CaseOf(email.Key)?.Invoice.Value), ("$to", email.To), ("$subject", email.Subject),
            ("$mime", mime), ("$status", status), ("$now", Sql.Millis(now)), ("$reason", reason))) == 1;
}

/// <summary>One queued email as <c>dunning mail status</c> shows it.</summary>
public sealed record QueuedMail(string Key, string Recipient, string Subject, string Status, int Attempts, DateTimeOffset QueuedAt, DateTimeOffset? NextAttemptAt, DateTimeOffset? SentAt, string? Reason);
