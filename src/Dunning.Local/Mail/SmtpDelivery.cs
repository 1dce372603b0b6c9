using System.Net.Sockets;
using Dunning.Local.Storage;
using Dunning.Ports;
using Dunning.UseCases;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Dunning.Local.Mail;

/// <summary>What one delivery round did.</summary>
public sealed record DeliveryStats(int Sent, int Retrying, int Parked)
{
    public static readonly DeliveryStats None = new(0, 0, 0);
}

/// <summary>
/// Sends the <see cref="MailOutbox"/> over SMTP (MailKit), each message at most once:
/// <list type="bullet">
/// <item>a message is marked "sending" before it goes and "sent" when the server accepted it;</item>
/// <item>a transient failure (4xx, a connection refused or dropped, a timeout, a failed login) puts it back in the
/// queue with back-off (1 min, 5 min, 15 min, 1 h, 3 h, 6 h, 12 h, 24 h), then parks it with the last error;</item>
/// <item>a permanent refusal (5xx) parks it with the server's answer; a refused recipient is also a bounce, which the
/// case hears as <c>contact-bounced</c> and answers through the next contact role or channel;</item>
/// <item>a message found "sending" long after its attempt began (the process died mid-send) may have been delivered:
/// it is parked, never sent again on a guess. <c>dunning mail retry KEY</c> sends it again when a person decides to.</item>
/// </list>
/// </summary>
public sealed class SmtpDelivery(Database db, MailSettings settings, IWorkflows workflows, TimeProvider clock, ILogger logger)
{
    public static readonly TimeSpan[] Backoff =
    [
        TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15), TimeSpan.FromHours(1),
        TimeSpan.FromHours(3), TimeSpan.FromHours(6), TimeSpan.FromHours(12), TimeSpan.FromHours(24),
    ];

    /// <summary>Longer than any one SMTP exchange can take (MailKit's timeout is 2 minutes).</summary>
    public static readonly TimeSpan StaleSending = TimeSpan.FromMinutes(10);

    private const int Batch = 100;

    private readonly SemaphoreSlim oneRound = new(1, 1);

    public MailSettings Settings => settings;

    /// <summary>Sends every queued message whose time has come, in the order they were queued.</summary>
    public async Task<DeliveryStats> DeliverDueAsync(CancellationToken ct)
    {
        await oneRound.WaitAsync(ct);
        try
        {
            var now = clock.GetUtcNow();
            ParkInterrupted(now);
            var due = Due(now);
            if (due.Count == 0)
            {
                return DeliveryStats.None;
            }

            int sent = 0, retrying = 0, parked = 0;
            using var client = new SmtpClient { Timeout = 60_000 };
            try
            {
                await ConnectAsync(client, ct);
            }
            catch (Exception e) when (Transient(e))
            {
                foreach (var (key, _, _, attempts) in due)
                {
                    if (Retry(key, attempts, now, Describe(e)))
                    {
                        retrying++;
                    }
                    else
                    {
                        parked++;
                    }
                }

                logger.MailServerUnavailable(settings.ToString(), Describe(e), e);
                return new DeliveryStats(0, retrying, parked);
            }

            foreach (var (key, recipient, mime, attempts) in due)
            {
                ct.ThrowIfCancellationRequested();
                if (!client.IsConnected)
                {
                    await ConnectAsync(client, ct);
                }

                using var message = MimeMessage.Load(new MemoryStream(mime), ct);
                if (!Begin(key, clock.GetUtcNow()))
                {
                    continue;
                }

                try
                {
                    await client.SendAsync(message, ct);
                    Finish(key, "sent", clock.GetUtcNow(), null);
                    sent++;
                }
                catch (SmtpCommandException e) when ((int)e.StatusCode >= 500)
                {
                    var reason = $"refused by {settings.Host}: {(int)e.StatusCode} {e.Message}";
                    Finish(key, "parked", null, reason);
                    parked++;
                    logger.MailParked(key, reason);
                    if (e.ErrorCode == SmtpErrorCode.RecipientNotAccepted)
                    {
                        await TellBounceAsync(workflows, key, recipient, reason, clock.GetUtcNow(), ct);
                    }
                }
                catch (Exception e) when (Transient(e))
                {
                    if (Retry(key, attempts, clock.GetUtcNow(), Describe(e)))
                    {
                        retrying++;
                    }
                    else
                    {
                        parked++;
                    }

                    logger.MailRetry(key, Describe(e));
                }
            }

            if (client.IsConnected)
            {
                await client.DisconnectAsync(quit: true, ct);
            }

            return new DeliveryStats(sent, retrying, parked);
        }
        finally
        {
            oneRound.Release();
        }
    }

    /// <summary>Sends one message now, outside the queue (<c>dunning mail test</c>): errors are thrown to the caller as they are.</summary>
    public static async Task SendNowAsync(MailSettings settings, MimeMessage message, CancellationToken ct)
    {
        using var client = new SmtpClient { Timeout = 60_000 };
        await ConnectAsync(client, settings, ct);
        await client.SendAsync(message, ct);
        await client.DisconnectAsync(quit: true, ct);
    }

    /// <summary>Every message in the queue, newest first, for <c>dunning mail status</c>.</summary>
    public static IReadOnlyList<QueuedMail> List(Database db) =>
        db.Read(c => Sql.Query(c, null, """
            SELECT key, recipient, subject, status, attempts, queued_at, next_attempt_at, sent_at, reason
            FROM mail_outbox ORDER BY queued_at DESC, key
            """,
            r => new QueuedMail(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetInt32(4), Sql.Instant(r.GetInt64(5)),
                r.GetString(3) == "queued" ? Sql.Instant(r, 6) : null, Sql.Instant(r, 7), r.IsDBNull(8) ? null : r.GetString(8))));

    /// <summary>Puts a parked message back in the queue, to be sent at the next round; false when there is no parked message with that key.</summary>
    public static bool Requeue(Database db, string key, DateTimeOffset now) =>
        db.Write((c, t) => Sql.Execute(c, t, """
            UPDATE mail_outbox SET status = 'queued', attempts = 0, next_attempt_at = $now, sending_since = NULL, reason = NULL
            WHERE key = $key AND status = 'parked' AND length(mime) > 0
            """, ("$key", key), ("$now", Sql.Millis(now)))) == 1;

    internal static async Task TellBounceAsync(IWorkflows workflows, string key, string address, string reason, DateTimeOffset at, CancellationToken ct)
    {
        if (CaseEffects.Bounced(key, address, reason, at) is not { } bounced)
        {
            return;
        }

        try
        {
            await workflows.SignalAsync(bounced.Invoice, bounced.Bounce, ct);
        }
        catch (KeyNotFoundException)
        {
            // The case is gone (the data folder was reset): the parked message still shows why.
        }
    }

    private Task ConnectAsync(SmtpClient client, CancellationToken ct) => ConnectAsync(client, settings, ct);

    private static async Task ConnectAsync(SmtpClient client, MailSettings settings, CancellationToken ct)
    {
        var options = settings.Security switch
        {
            SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
            SmtpSecurity.Ssl => SecureSocketOptions.SslOnConnect,
            SmtpSecurity.None => SecureSocketOptions.None,
        };
        await client.ConnectAsync(settings.Host, settings.Port, options, ct);
        if (settings.User is { } user)
        {
            await client.AuthenticateAsync(user, settings.Password ?? string.Empty, ct);
        }
    }

    private static bool Transient(Exception e) => e is SmtpCommandException { StatusCode: var code } ? (int)code < 500
        : e is SmtpProtocolException or ServiceNotConnectedException or ServiceNotAuthenticatedException or AuthenticationException
            or SslHandshakeException or IOException or SocketException or TimeoutException;

    private static string Describe(Exception e) => e switch
    {
        SmtpCommandException c => $"{(int)c.StatusCode} {c.Message}",
        AuthenticationException => $"login refused: {e.Message}",
        _ => e.Message,
    };

    private List<(string Key, string Recipient, byte[] Mime, int Attempts)> Due(DateTimeOffset now) =>
        db.Read(c => Sql.Query(c, null, """
            SELECT key, recipient, mime, attempts FROM mail_outbox
            WHERE status = 'queued' AND next_attempt_at <= $now ORDER BY queued_at, key LIMIT $batch
            """,
            r => (r.GetString(0), r.GetString(1), (byte[])r.GetValue(2), r.GetInt32(3)),
            ("$now", Sql.Millis(now)), ("$batch", Batch)));

    private bool Begin(string key, DateTimeOffset now) =>
        db.Write((c, t) => Sql.Execute(c, t,
            "UPDATE mail_outbox SET status = 'sending', sending_since = $now WHERE key = $key AND status = 'queued'",
            ("$key", key), ("$now", Sql.Millis(now)))) == 1;

    private void Finish(string key, string status, DateTimeOffset? sentAt, string? reason) =>
        db.Write((c, t) => Sql.Execute(c, t,
            "UPDATE mail_outbox SET status = $status, sent_at = $sent, reason = $reason, sending_since = NULL WHERE key = $key",
            ("$key", key), ("$status", status), ("$sent", sentAt is { } at ? Sql.Millis(at) : null), ("$reason", reason)));

    /// <summary>Back in the queue after the next back-off, or parked when every back-off is spent; true when it will be retried.</summary>
    private bool Retry(string key, int attempts, DateTimeOffset now, string reason)
    {
        var retry = attempts < Backoff.Length;
        db.Write((c, t) => Sql.Execute(c, t, """
            UPDATE mail_outbox SET status = $status, attempts = attempts + 1, next_attempt_at = $next, sending_since = NULL, reason = $reason
            WHERE key = $key AND status IN ('queued', 'sending')
            """,
            ("$key", key), ("$status", retry ? "queued" : "parked"),
            ("$next", retry ? Sql.Millis(now + Backoff[attempts]) : null),
            ("$reason", retry ? $"attempt {attempts + 1} failed: {reason}" : $"gave up after {attempts + 1} attempts: {reason}")));
        return retry;
    }

    private void ParkInterrupted(DateTimeOffset now) =>
        db.Write((c, t) => Sql.Execute(c, t, """
            UPDATE mail_outbox SET status = 'parked', sending_since = NULL,
                reason = 'delivery was interrupted (the process stopped mid-send): it may have been delivered, so it is not sent again on a guess; `dunning mail retry ' || key || '` sends it again'
            WHERE status = 'sending' AND sending_since <= $stale
            """, ("$stale", Sql.Millis(now - StaleSending))));
}
