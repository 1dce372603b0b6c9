using Dunning.Local.Adapters;
using Dunning.Ports;
using MimeKit;

namespace Dunning.Local.Mail;

/// <summary>
/// Email as <c>.eml</c> files in <c>&lt;data&gt;/outbox/</c>: the no-configuration default. Each message is built by
/// <see cref="MimeMail"/> (dated by the case's clock), written once into a private temp folder and moved to a name
/// derived from its idempotency key, so a crash never leaves half a file and a second send of the same key writes
/// nothing. Configure SMTP (<c>mail.json</c> in the data folder) to deliver instead.
/// </summary>
public sealed class PickupMailer : IMailer
{
    private readonly TimeProvider time;
    private readonly string? replyTo;

    public PickupMailer(string outbox, TimeProvider clock, string? replyTo = null)
    {
        time = clock;
        this.replyTo = replyTo;
        Outbox = Path.GetFullPath(outbox);
        Directory.CreateDirectory(Outbox);
        FileNames.SweepTemp(Outbox);
    }

    public string Outbox { get; }

    public string PathFor(string key) => Path.Combine(Outbox, FileNames.FromKey(key) + ".eml");

    public async Task SendAsync(OutgoingEmail email, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(email);
        var target = PathFor(email.Key);
        if (File.Exists(target))
        {
            return;
        }

        using var message = MimeMail.Build(email, time.GetUtcNow(), replyTo);
        var temp = FileNames.TempFolder(Outbox);
        try
        {
            var written = Path.Combine(temp, "message.eml");
            await message.WriteToAsync(FormatOptions.Default, written, ct);
            FileNames.MoveIntoPlace(written, target);
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }
    }
}
