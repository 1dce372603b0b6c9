using System.Globalization;
using System.Net.Mail;
using System.Net.Mime;
using System.Text;
using Dunning.Ports;

namespace Dunning.Local.Adapters;

/// <summary>
/// Email as <c>.eml</c> files in <c>&lt;data&gt;/outbox/</c>, written by the BCL's SMTP pickup-directory delivery
/// (plain text, readable as it is in the file, with a quoted-printable HTML alternative). Each message is written into a private temp folder and then moved to
/// a name derived from its idempotency key, so a crash never leaves half a file and a second send of the same
/// key writes nothing. Point a mail relay's pickup folder (or a script) at the outbox to really send them.
/// </summary>
public sealed class PickupMailer : IMailer
{
    private readonly TimeProvider time;

    public PickupMailer(string outbox, TimeProvider clock)
    {
        time = clock;
        Outbox = Path.GetFullPath(outbox);
        Directory.CreateDirectory(Outbox);
        FileNames.SweepTemp(Outbox);
    }

    public string Outbox { get; }

    public string PathFor(string key) => Path.Combine(Outbox, FileNames.FromKey(key) + ".eml");

    public async Task SendAsync(OutgoingEmail email, CancellationToken ct)
    {
        var target = PathFor(email.Key);
        if (File.Exists(target))
        {
            return;
        }

        var temp = FileNames.TempFolder(Outbox);
        try
        {
            using (var message = Compose(email))
            using (var smtp = new SmtpClient { DeliveryMethod = SmtpDeliveryMethod.SpecifiedPickupDirectory, PickupDirectoryLocation = temp })
            {
                await smtp.SendMailAsync(message, ct);
            }

            var written = Directory.EnumerateFiles(temp, "*.eml").Single();
            await StampDateAsync(written, time.GetUtcNow(), ct);
            FileNames.MoveIntoPlace(written, target);
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }
    }

    private static MailMessage Compose(OutgoingEmail email)
    {
        var message = new MailMessage
        {
            From = new MailAddress(email.From, email.FromName, Encoding.UTF8),
            Subject = email.Subject,
            SubjectEncoding = Encoding.UTF8,
            Body = Crlf(email.Text),
            BodyEncoding = Encoding.UTF8,
            BodyTransferEncoding = TransferEncoding.EightBit,
            IsBodyHtml = false,
            HeadersEncoding = Encoding.UTF8,
        };
        message.To.Add(new MailAddress(email.To, email.ToName, Encoding.UTF8));
        message.Headers.Add("X-Dunning-Key", email.Key);
        var html = AlternateView.CreateAlternateViewFromString(Crlf(email.Html), Encoding.UTF8, MediaTypeNames.Text.Html);
        html.TransferEncoding = TransferEncoding.QuotedPrintable;
        message.AlternateViews.Add(html);
        return message;
    }

    /// <summary>
    /// SmtpClient always dates a message with the machine's clock; on a simulated clock the Date header must say when
    /// the case sent it, so the one header line is replaced before the file is moved into place.
    /// </summary>
    private static async Task StampDateAsync(string file, DateTimeOffset at, CancellationToken ct)
    {
        var text = await File.ReadAllTextAsync(file, ct);
        var headerEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var date = text.IndexOf("\r\nDate: ", StringComparison.Ordinal);
        if (date < 0 || (headerEnd >= 0 && date > headerEnd))
        {
            return;
        }

        var lineEnd = text.IndexOf("\r\n", date + 2, StringComparison.Ordinal);
        var stamp = "\r\nDate: " + at.ToUniversalTime().ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture);
        await File.WriteAllTextAsync(file, string.Concat(text.AsSpan(0, date), stamp, text.AsSpan(lineEnd)), new UTF8Encoding(false), ct);
    }

    /// <summary>Mail lines end in CRLF; bare LFs would be encoded as =0A and make the file unreadable.</summary>
    private static string Crlf(string text) => text.ReplaceLineEndings("\r\n");
}
