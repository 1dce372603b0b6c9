using System.Globalization;
using Dunning.Local.Runner;

namespace Dunning.Local.Hosting;

/// <summary>
/// The daily scan inside <c>serve</c> on real time: at the configured UTC time each day, and at start-up when
/// today's scan time has passed without a scan (the host was down), so no day is missed; a failed scan is
/// retried five minutes later. On a simulated clock
/// the scans happen as the clock is advanced.
/// </summary>
public sealed class ScanService(LocalApp app, ILogger<ScanService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (app.Driver is not null)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var now = app.Clock.GetUtcNow();
            var today = DateOnly.FromDateTime(now.UtcDateTime);
            var todayAt = new DateTimeOffset(today.ToDateTime(app.ScanAt), TimeSpan.Zero);
            var last = app.Database.GetMeta(ClockDriver.LastScanKey) is { } text
                ? DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture)
                : (DateOnly?)null;

            var retryAt = (DateTimeOffset?)null;
            if (now >= todayAt && (last is null || last < today))
            {
                try
                {
                    var result = await app.Scan.RunAsync(now, stoppingToken);
                    app.Database.SetMeta(ClockDriver.LastScanKey, today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                    logger.Scanned(now, result.Started, result.AlreadyRunning, result.NothingOwed);
                    foreach (var problem in result.Problems)
                    {
                        logger.ScanProblem(problem);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.ScanFailed(e);
                    retryAt = now.AddMinutes(5);
                }
            }

            var next = retryAt ?? (now >= todayAt ? todayAt.AddDays(1) : todayAt);
            try
            {
                await Task.Delay(next - app.Clock.GetUtcNow() + TimeSpan.FromSeconds(1), app.Clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
