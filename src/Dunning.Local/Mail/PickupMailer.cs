using Dunning.Local.Adapters;
using Dunning.Ports;
using MimeKit;

namespace Dunning.Local.Mail;

/// <summary>
/// Email as <c>.eml</c> files in <c>&lt;data&gt;/outbox/</c>: the no-configuration default. Each message is built by
/// <see cref="MimeMail"/> (dated by the case's clock) and written once, in one pass, under a hidden temp name in the
/// outbox, then renamed to a name derived from its idempotency key, so a crash never leaves half a file and a second
/// send of the same key writes nothing. Configure SMTP (<c>mail.json</c> in the data folder) to deliver instead.
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
        // Formatted once in memory by MimeKit (synchronously: no I/O happens there), then one write and one rename.
        using var buffer = new MemoryStream();
        message.WriteTo(FormatOptions.Default, buffer, ct);
        await FileNames.WriteOnceAsync(target, buffer.GetBuffer().AsMemory(0, (int)buffer.Length), Outbox, ct);
    }
}
