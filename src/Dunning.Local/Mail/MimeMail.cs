using System.Security.Cryptography;
using System.Text;
using Dunning.Ports;
using MimeKit;

namespace Dunning.Local.Mail;

/// <summary>
/// One email as MIME, built by MimeKit alone: every address and header is encoded by the library, so a customer
/// named <c>Eve" &lt;eve@evil.example&gt;, "Bob</c> stays a display name and never becomes a recipient.
/// The Message-ID is a function of the idempotency key, so a receiving server (and anyone reading the outbox)
/// can tell a repeat of the same message from a new one.
/// </summary>
public static class MimeMail
{
    /// <summary>The header that carries the idempotency key, for matching a file or a delivery to its case.</summary>
    public const string KeyHeader = "X-Dunning-Key";

    /// <exception cref="InvalidRecipientException">The recipient's or the sender's address is not an email address.</exception>
    public static MimeMessage Build(OutgoingEmail email, DateTimeOffset at, string? replyTo = null)
    {
        ArgumentNullException.ThrowIfNull(email);
        var from = Mailbox(email.FromName, email.From, "sender");
        var message = new MimeMessage
        {
            Subject = email.Subject,
            Date = at,
            MessageId = MessageId(email.Key, from.Domain),
        };
        message.From.Add(from);
        message.To.Add(Mailbox(email.ToName, email.To, "recipient"));
        if (!string.IsNullOrWhiteSpace(replyTo))
        {
            message.ReplyTo.Add(Mailbox(email.FromName, replyTo, "reply-to"));
        }

        message.Headers.Add(KeyHeader, email.Key);
        var body = new BodyBuilder { TextBody = email.Text, HtmlBody = email.Html }.ToMessageBody();
        if (body is Multipart multipart)
        {
            // The same message is the same bytes: a boundary from the key, not a random one.
            multipart.Boundary = "=-" + MessageId(email.Key, "boundary").Split('@')[0];
        }

        message.Body = body;
        return message;
    }

    /// <summary>A stable Message-ID for a key: the same key always gives the same id, different keys never collide in practice.</summary>
    public static string MessageId(string key, string domain)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("dunning-email:" + key));
        return $"{Convert.ToHexStringLower(hash.AsSpan(0, 16))}@{(string.IsNullOrEmpty(domain) ? "dunning.invalid" : domain)}";
    }

    private static MailboxAddress Mailbox(string name, string address, string role)
    {
        // Only a bare addr-spec is an address: "a@b.example, c@d.example" or "Name <x@y>" in the address field is refused,
        // because the library would otherwise be asked to interpret text from the ledger as address syntax.
        if (string.IsNullOrWhiteSpace(address)
            || !MailboxAddress.TryParse(ParserOptions.Default, address, out var parsed)
            || !string.IsNullOrEmpty(parsed.Name)
            || !string.Equals(parsed.Address, address.Trim(), StringComparison.Ordinal)
            || string.IsNullOrEmpty(parsed.Domain))
        {
            throw new InvalidRecipientException($"The {role} address '{address}' is not a single email address.");
        }

        return new MailboxAddress(name, parsed.Address);
    }
}

/// <summary>An address that no server will ever accept: a permanent failure, not one to retry.</summary>
public sealed class InvalidRecipientException(string message) : Exception(message);
