using Dunning.Local.Mail;

namespace Dunning.Local.Hosting;

/// <summary>Inside <c>serve</c>, with SMTP configured: delivers the queue every few seconds until stopped.</summary>
internal static class MailService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    public static async Task RunAsync(SmtpDelivery delivery, ILogger logger, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var stats = await delivery.DeliverDueAsync(ct);
                if (stats != DeliveryStats.None)
                {
                    logger.MailDelivered(stats.Sent, stats.Retrying, stats.Parked);
                }

                await Task.Delay(Interval, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.MailLoopFailed(e);
                try
                {
                    await Task.Delay(Interval, ct);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
